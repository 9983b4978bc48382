"""A database outage while receiving: nothing is acknowledged that was not recorded.

The conversation raises ``StorageUnavailable`` while the database is away. Polling
keeps the update (Telegram: the offset stays put; Zalo: the fetched update is
held) and tries again; a webhook raises, so the server answers 503 and the
provider redelivers. The fakes speak real HTTP; each test runs on both databases.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram.channel import TelegramChannel
from bot.channels.zalo.channel import ZaloChannel
from bot.chat import texts
from bot.chat.conversation import Conversation
from bot.chat.messages import Answer, Incoming
from data.errors import StorageUnavailable
from scheduler.clock import TZ, FakeClock
from tests.fake_telegram import FakeTelegram
from tests.fake_zalo_api import TOKEN, FakeZaloApi, text_update

pytestmark = pytest.mark.e2e
Sessions = async_sessionmaker[AsyncSession]
NOW = datetime(2022, 3, 28, 9, 0, tzinfo=TZ)
CHAT = 424242
RETRY = 0.01  # seconds between attempts: the tests wait on what was sent, not on time


class Outage:
    """The conversation, with the database away for the first ``failures`` attempts."""

    def __init__(self, conversation: Conversation, failures: int) -> None:
        self.conversation, self.failures, self.attempts = conversation, failures, 0

    async def handle(self, incoming: Incoming) -> list[Answer]:
        self.attempts += 1
        if self.attempts <= self.failures:
            raise StorageUnavailable("database unreachable")
        return await self.conversation.handle(incoming)

    def __getattr__(self, name: str) -> object:
        return getattr(self.conversation, name)  # what else a channel reads (clock, sessions)


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZaloApi]:
    fake = FakeZaloApi(hang=0.5)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


def _telegram_channel(fake: FakeTelegram, conversation: object) -> TelegramChannel:
    return TelegramChannel(
        fake.token,
        conversation,  # type: ignore[arg-type]
        base_url=fake.base_url,
        retry_delay=RETRY,
    )


def _zalo_channel(fake: FakeZaloApi, conversation: object) -> ZaloChannel:
    return ZaloChannel(
        TOKEN,
        conversation,  # type: ignore[arg-type]
        api_url=fake.url,
        poll_timeout=1,
        request_timeout=0.5,
        retry_delay=RETRY,
    )


async def test_telegram_polling_answers_an_update_once_the_database_is_back(
    sessions: Sessions, telegram: FakeTelegram
) -> None:
    outage = Outage(Conversation(sessions, FakeClock(NOW)), failures=3)
    channel = _telegram_channel(telegram, outage)
    await channel.start_polling(timedelta(seconds=1))
    try:
        update_id = telegram.push_message(CHAT, "xin chào")
        await telegram.wait_for(lambda: bool(telegram.sent_to(CHAT)))
        acknowledged = update_id + 1
        await telegram.wait_for(
            lambda: any(
                c.method == "getUpdates" and int(c.params.get("offset") or 0) == acknowledged
                for c in telegram.calls
            )
        )
    finally:
        await channel.stop()
    assert outage.attempts == 4
    [answer] = telegram.sent_to(CHAT)
    assert answer.plain == texts.UNKNOWN_CHAT


async def test_telegram_polling_that_dies_during_an_outage_leaves_the_update_for_the_next(
    sessions: Sessions, telegram: FakeTelegram
) -> None:
    down = Outage(Conversation(sessions, FakeClock(NOW)), failures=1_000_000)
    first = _telegram_channel(telegram, down)
    await first.start_polling(timedelta(seconds=1))
    try:
        telegram.push_message(CHAT, "xin chào")
        await telegram.wait_for(lambda: down.attempts >= 2)  # held, tried again
    finally:
        await first.stop()  # the process dies with the database still away
    second = _telegram_channel(telegram, Conversation(sessions, FakeClock(NOW)))
    await second.start_polling(timedelta(seconds=1))
    try:
        await telegram.wait_for(lambda: bool(telegram.sent_to(CHAT)))
    finally:
        await second.stop()
    assert [m.plain for m in telegram.sent_to(CHAT)] == [texts.UNKNOWN_CHAT]


async def test_a_telegram_webhook_update_met_by_an_outage_raises_and_is_answered_on_redelivery(
    sessions: Sessions, telegram: FakeTelegram
) -> None:
    outage = Outage(Conversation(sessions, FakeClock(NOW)), failures=1)
    channel = _telegram_channel(telegram, outage)
    await channel.start_webhook("https://nhacviec.example", "s3cret-token")
    payload = {
        "update_id": 77,
        "message": {
            "message_id": 1,
            "date": 1_650_000_000,
            "chat": {"id": CHAT, "type": "private"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "A"},
            "text": "xin chào",
        },
    }
    try:
        with pytest.raises(StorageUnavailable):
            await channel.process_webhook(payload)
        assert telegram.sent_to(CHAT) == []
        await channel.process_webhook(payload)  # Telegram redelivers after the 503
    finally:
        await channel.stop()
    assert [m.plain for m in telegram.sent_to(CHAT)] == [texts.UNKNOWN_CHAT]


async def test_zalo_polling_holds_the_fetched_update_until_the_database_is_back(
    sessions: Sessions, zalo: FakeZaloApi
) -> None:
    outage = Outage(Conversation(sessions, FakeClock(NOW)), failures=3)
    channel = _zalo_channel(zalo, outage)
    await channel.start_polling()
    try:
        zalo.queue(text_update("zc-1", "xin chào", "m-1"))
        [answer] = await zalo.wait_sent("zc-1")
    finally:
        await channel.stop()
    assert outage.attempts == 4
    assert answer == texts.UNKNOWN_CHAT


async def test_a_zalo_webhook_update_met_by_an_outage_is_not_taken_for_a_duplicate(
    sessions: Sessions, zalo: FakeZaloApi
) -> None:
    outage = Outage(Conversation(sessions, FakeClock(NOW)), failures=1)
    channel = _zalo_channel(zalo, outage)
    update = {"ok": True, "result": text_update("zc-2", "xin chào", "m-2")}
    try:
        with pytest.raises(StorageUnavailable):
            await channel.process_webhook(update)
        await channel.process_webhook(update)  # the redelivery is handled, not dropped
    finally:
        await channel.stop()
    assert zalo.texts("zc-2") == [texts.UNKNOWN_CHAT]


async def test_telegram_polling_skips_a_malformed_update_and_answers_the_next(
    sessions: Sessions, telegram: FakeTelegram
) -> None:
    channel = _telegram_channel(telegram, Conversation(sessions, FakeClock(NOW)))
    telegram.push_raw(
        {
            "message": {
                "message_id": 1,
                "date": 10**20,  # PTB cannot make a datetime of it
                "chat": {"id": CHAT, "type": "private"},
                "from": {"id": CHAT, "is_bot": False, "first_name": "A"},
                "text": "ngày không thể có",
            }
        }
    )
    telegram.push_message(CHAT, "xin chào")
    await channel.start_polling(timedelta(seconds=1))
    try:
        await telegram.wait_for(lambda: bool(telegram.sent_to(CHAT)))
    finally:
        await channel.stop()
    assert [m.plain for m in telegram.sent_to(CHAT)] == [texts.UNKNOWN_CHAT]
