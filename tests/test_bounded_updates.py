"""Incoming updates are bounded before anything is stored: NUL bytes never reach the database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import InboundUpdate, StatusUpdate
from tests.planning_helpers import MAI, seed_with_officers
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
