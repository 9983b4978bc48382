"""Telegram by webhook: a plain answer rides in the webhook's response, the rest as requests.

The real server (``bot.webhook``) and the real channel; the fake Bot API posts the
pushed updates to the webhook as Telegram does and runs a call the response carries
(``FakeTelegram.post_pushed``). Each test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram.channel import TelegramChannel
from bot.chat import texts
from bot.chat.conversation import Conversation
from bot.webhook import bound_port, build_app, serve
from data.people import find_officer
from scheduler.clock import FakeClock
from tests.e2e.test_telegram import HUNG, MORNING
from tests.fake_telegram import FakeTelegram
from tests.fakes import chat_links
from tests.planning_helpers import seed_with_officers

pytestmark = pytest.mark.e2e

SECRET = "s3cret-token"


@dataclass
class Hook:
    fake: FakeTelegram
    url: str

    async def say(self, chat: int, text: str) -> list[int]:
        self.fake.push_message(chat, text)
        return await self.fake.post_pushed(self.url, SECRET)


@pytest.fixture
async def hook(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Hook]:
    await seed_with_officers(sessions)
    async with FakeTelegram() as fake:
        channel = TelegramChannel(
            fake.token, Conversation(sessions, FakeClock(MORNING)), base_url=fake.base_url
        )
        await channel.start_webhook("https://nhacviec.example", SECRET)
        runner = await serve(build_app([channel]), "127.0.0.1", 0)
        try:
            yield Hook(fake, f"http://127.0.0.1:{bound_port(runner)}{channel.webhook_path}")
        finally:
            await runner.cleanup()
            await channel.stop()


async def _link(sessions: async_sessionmaker[AsyncSession], name: str) -> int:
    async with sessions.begin() as session:
        officer = await find_officer(session, name)
        officer.links += chat_links(telegram=7000 + officer.id)
    return 7000 + officer.id


async def test_a_status_update_is_answered_in_the_webhook_response(
    hook: Hook, sessions: async_sessionmaker[AsyncSession]
) -> None:
    chat = await _link(sessions, HUNG)
    assert await hook.say(chat, "đang làm 50% BDT22-I.1") == [200]
    [reply] = hook.fake.sent_to(chat)
    assert reply.plain.startswith("Đã ghi nhận")
    assert [call.method for call in hook.fake.in_responses] == ["sendMessage"]
    assert [c for c in hook.fake.calls if c.method == "sendMessage"] == []  # no request of its own
    [call] = hook.fake.in_responses
    assert call.params["parse_mode"] == "HTML" and call.params["chat_id"] == chat


async def test_a_stranger_is_answered_in_the_response_with_the_same_text(hook: Hook) -> None:
    assert await hook.say(424242, "xin chào") == [200]
    assert [m.plain for m in hook.fake.sent_to(424242)] == [texts.UNKNOWN_CHAT]
    assert [c for c in hook.fake.calls if c.method == "sendMessage"] == []


async def test_a_button_press_is_still_answered_by_its_own_requests(hook: Hook) -> None:
    hook.fake.push_callback(424242, 1, "nonsense")
    assert await hook.fake.post_pushed(hook.url, SECRET) == [200]
    [answered] = [c for c in hook.fake.calls if c.method == "answerCallbackQuery"]
    assert answered.params["text"] == texts.NOT_LINKED_TOAST
    assert hook.fake.in_responses == []
