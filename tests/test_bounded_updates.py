"""Incoming updates are bounded before anything is stored: no NUL, no impossible ids or dates."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import InboundUpdate, StatusUpdate
from scheduler.clock import FakeClock
from tests.fake_zalo_api import text_update
from tests.planning_helpers import MAI, START, seed_with_officers
from tests.security import Webhooks, webhooks
from tests.test_conversation import Chat


async def test_nul_bytes_are_stripped_from_what_a_chat_sends(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed_with_officers(sessions)
    chat = Chat(sessions)
    answer = await chat.one(MAI, "xong\x00 BDT22-I.1\x00", update_id="u\x001")
    assert "BDT22-I.1" in answer.text and "Hoàn thành" in answer.text
    pressed = await chat.press(MAI, "v:1\x00", update_id="u\x002")
    assert pressed.edit and pressed.text.startswith("Việc của bạn")
    async with sessions() as s:
        assert (await s.scalars(select(StatusUpdate.raw_text))).all() == ["xong BDT22-I.1"]
        assert sorted((await s.scalars(select(InboundUpdate.update_id))).all()) == ["u1", "u2"]


@pytest.fixture
async def server(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Webhooks]:
    await seed_with_officers(sessions)
    async with webhooks(sessions, FakeClock(START)) as running:
        yield running


def _telegram(chat: int, user: int, date: object, update_id: int) -> dict[str, Any]:
    message = {
        "message_id": update_id,
        "date": date,
        "chat": {"id": chat, "type": "private", "first_name": "X"},
        "from": {"id": user, "is_bot": False, "first_name": "X"},
        "text": "xong BDT22-I.1",
    }
    return {"update_id": update_id, "message": message}


@pytest.mark.parametrize(
    ("chat", "user", "date"),
    [
        (2**60, 42, 1_650_000_000),  # a chat id past the Bot API's 52 bits
        (42, -(2**60), 1_650_000_000),
        (42, 42, 253_402_300_800),  # year 10000
        (42, 42, 10**20),  # past the platform's time_t
        (42, 42, -(10**12)),
    ],
)
async def test_a_telegram_update_with_an_impossible_id_or_date_is_dropped(
    server: Webhooks, chat: int, user: int, date: object
) -> None:
    before = await server.state()
    status = await server.post_json("telegram", _telegram(chat, user, date, server.next_id()))
    assert status == 200
    assert await server.state() == before  # not even an inbound row
    assert server.telegram.sent == []


@pytest.mark.parametrize("chat", ["x" * 65, {"id": "42"}, ["42"], True])
async def test_a_zalo_update_with_an_impossible_chat_id_is_dropped(
    server: Webhooks, chat: object
) -> None:
    update = text_update("zf-1", "xong BDT22-I.1", "zm-1")
    update["message"]["chat"]["id"] = update["message"]["from"]["id"] = chat
    before = await server.state()
    assert await server.post_json("zalo", {"ok": True, "result": update}) == 200
    assert await server.state() == before
    assert server.zalo.sent == []
