"""Zalo's numbered options come from the database: a number means what the officer saw,
whichever process receives it, after a restart too (issue 11, 2.7)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.zalo.channel import CHOICE_TTL, ZaloChannel
from bot.chat.conversation import Conversation
from data.models import Progress
from data.people import find_officer
from scheduler.clock import FakeClock
from tests.fake_zalo_api import TOKEN, FakeZaloApi, text_update
from tests.fakes import chat_links
from tests.planning_helpers import MAI, START, seed_with_officers

pytestmark = pytest.mark.e2e

CHAT = "zc-mai"
ASK = "BDT22-I.1 thế nào rồi"
STATUS_OPTIONS = "1. Hoàn thành\n2. Đang thực hiện\n3. Vướng mắc\n4. Xin gia hạn"
PERCENT_OPTIONS = "1. 25%\n2. 50%\n3. 75%\n4. Hoàn thành"
DONE = "Đã ghi nhận: BDT22-I.1 — Hoàn thành"
Sessions = async_sessionmaker[AsyncSession]


class Instance:
    """One bot process: its own conversation and Zalo channel; only the database,
    the clock and Zalo are shared with the others."""

    def __init__(self, sessions: Sessions, clock: FakeClock, api: FakeZaloApi) -> None:
        self.channel = ZaloChannel(TOKEN, Conversation(sessions, clock), api_url=api.url)

    async def say(self, text: str, message_id: str) -> None:
        update = text_update(CHAT, text, message_id)
        await self.channel.process_webhook({"ok": True, "result": update})


@pytest.fixture
async def api(sessions: Sessions) -> AsyncIterator[FakeZaloApi]:
    """The fake Zalo API, with Mai (of the seed plan) linked to ``CHAT``."""
    await seed_with_officers(sessions)
    async with sessions.begin() as s:
        (await find_officer(s, MAI)).links += chat_links(zalo=CHAT)
    fake = FakeZaloApi()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


async def _progress(sessions: Sessions) -> list[tuple[str, int | None]]:
    async with sessions() as s:
        rows = await s.execute(select(Progress.state, Progress.percent))
        return [(state, percent) for state, percent in rows]


async def test_a_number_typed_after_a_restart_presses_the_option_shown_before_it(
    sessions: Sessions, api: FakeZaloApi
) -> None:
    clock = FakeClock(START)
    before = Instance(sessions, clock, api)
    await before.say(ASK, "m-1")
    await before.say("2", "m-2")  # Đang thực hiện: how many percent?
    await before.channel.stop()
    assert PERCENT_OPTIONS in api.texts(CHAT)[-1]
    after = Instance(sessions, clock, api)  # the restart: no memory survives it
    await after.say("4", "m-3")
    await after.channel.stop()
    assert api.texts(CHAT)[-1].startswith(DONE), "4 is 'Hoàn thành', not 4 %"
    assert await _progress(sessions) == [("done", 100)]


async def test_a_number_typed_to_another_instance_means_what_the_chat_was_shown(
    sessions: Sessions, api: FakeZaloApi
) -> None:
    clock = FakeClock(START)
    one, two = Instance(sessions, clock, api), Instance(sessions, clock, api)
    await one.say(ASK, "m-1")
    assert STATUS_OPTIONS in api.texts(CHAT)[-1]
    await two.say("1", "m-2")
    for instance in (one, two):
        await instance.channel.stop()
    assert api.texts(CHAT)[-1].startswith(DONE)
    assert await _progress(sessions) == [("done", 100)]


async def test_options_expire_with_the_clock_and_a_late_number_is_text_again(
    sessions: Sessions, api: FakeZaloApi
) -> None:
    clock = FakeClock(START)
    bot = Instance(sessions, clock, api)
    await bot.say(ASK, "m-1")
    clock.advance(CHOICE_TTL + timedelta(minutes=1))
    await bot.say("1", "m-2")
    await bot.channel.stop()
    assert not api.texts(CHAT)[-1].startswith(DONE)
    assert await _progress(sessions) == []
