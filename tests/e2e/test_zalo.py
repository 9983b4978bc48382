"""Zalo end to end: the real channel, webhook server and dispatcher against a fake Bot API.

Everything talks real HTTP on 127.0.0.1: the fake Zalo server (``tests/fake_zalo_api.py``)
pushes to our aiohttp webhook or is long-polled, and records what the bot sends.
Each test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.zalo.channel import ZaloChannel
from bot.chat import texts
from bot.chat.conversation import Conversation
from bot.webhook import bound_port, build_app, serve
from data.invites import create_invite
from data.models import InboundUpdate, Officer, Progress, Reminder, StatusUpdate
from data.people import find_officer
from scheduler.clock import TZ, FakeClock
from scheduler.dispatcher import Dispatcher
from scheduler.limits import RateLimiter
from scheduler.planner import plan_reminders
from scheduler.sender import Sender
from tests.fake_zalo_api import TOKEN, FakeZaloApi, sticker_update, text_update
from tests.fakes import FakeSender, FakeTimer, chat_links
from tests.planning_helpers import seed_with_officers

pytestmark = pytest.mark.e2e

START = datetime(2022, 3, 28, 9, 0, tzinfo=TZ)  # Monday; "before" reminders are due at 8:00
SECRET = "bi-mat-webhook-123"
MAI, XUAN, HUNG, SON, TUNG = (
    "Trần Thị Mai",
    "Mai Thị Xuân",  # one open item: BDT22-V.1
    "Lê Văn Hùng",  # these three get a reminder at 8:00 on START's day
    "Lâm Văn Sơn",
    "Ngô Thanh Tùng",
)


@dataclass
class Zalo:
    sessions: async_sessionmaker[AsyncSession]
    clock: FakeClock
    fake: FakeZaloApi
    channel: ZaloChannel
    webhook: str

    async def new_channel(self) -> ZaloChannel:
        """Another instance of the bot on the same database (a second process)."""
        conversation = Conversation(self.sessions, self.clock)
        channel = ZaloChannel(
            TOKEN, conversation, api_url=self.fake.url, poll_timeout=1, request_timeout=0.5
        )
        await channel.start_webhook("https://nhacviec.example.gov.vn", SECRET)
        return channel

    async def link(
        self, name: str, *, telegram: int | None = None, preferred: str | None = None
    ) -> str:
        """Link ``name``'s Zalo chat directly (linking by code has its own test)."""
        async with self.sessions.begin() as s:
            officer = await find_officer(s, name)
            officer.links += chat_links(telegram=telegram, zalo=f"zc-{officer.id}")
            officer.preferred_channel = preferred or officer.preferred_channel
        return f"zc-{officer.id}"

    async def count(self, model: type[object]) -> int:
        async with self.sessions() as s:
            return int(await s.scalar(select(func.count()).select_from(model)) or 0)

    async def say(self, chat: str, text: str, message_id: str) -> list[str]:
        """Push ``text`` from ``chat`` to the webhook; the texts the bot sent back."""
        before = len(self.fake.texts(chat))
        status = await self.fake.push(text_update(chat, text, message_id), self.webhook, SECRET)
        assert status == 200
        return self.fake.texts(chat)[before:]


@pytest.fixture
async def zalo(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Zalo]:
    fake = FakeZaloApi(hang=1.0)
    await fake.start()
    harness = Zalo(sessions, FakeClock(START), fake, None, "")  # type: ignore[arg-type]
    harness.channel = await harness.new_channel()
    runner = await serve(build_app([harness.channel]), "127.0.0.1", 0)
    harness.webhook = f"http://127.0.0.1:{bound_port(runner)}/zalo"
    try:
        yield harness
    finally:
        await harness.channel.stop()
        await runner.cleanup()
        await fake.stop()


async def test_an_officer_links_by_typing_the_invite_code_while_polling(zalo: Zalo) -> None:
    await seed_with_officers(zalo.sessions)
    async with zalo.sessions.begin() as s:
        mai = await find_officer(s, MAI)
        code = await create_invite(s, mai.id, START)
    zalo.fake.fail_next("getUpdates", "500")  # the poller shrugs off a server error
    await zalo.channel.start_polling()
    zalo.fake.queue(text_update("zc-new", f"Mã của tôi là {code.lower()}", "m-1"))
    [hello] = await zalo.fake.wait_sent("zc-new")
    assert hello.startswith(f"Xin chào {MAI}!")
    async with zalo.sessions() as s:
        assert (await s.get(Officer, mai.id)).addresses["zalo"] == "zc-new"  # type: ignore[union-attr]
    zalo.fake.queue(sticker_update("zc-new", "m-2"))
    assert (await zalo.fake.wait_sent("zc-new", 2))[1] == texts.NOT_TEXT


async def test_a_reminder_arrives_as_plain_text_with_the_commands_to_type(zalo: Zalo) -> None:
    await seed_with_officers(zalo.sessions)
    chat = await zalo.link(HUNG)
    async with zalo.sessions.begin() as s:
        await plan_reminders(s, START)
    dispatcher = Dispatcher(zalo.sessions, {"zalo": zalo.channel.sender}, zalo.clock)
    result = await dispatcher.dispatch_once()
    [message] = zalo.fake.texts(chat)
    assert result.messages >= 1
    assert message.startswith(f"Kính gửi {HUNG},\nNhắc việc Thứ Hai, 28/03/2022:")
    footer = next(line for line in message.splitlines() if line.startswith("Trả lời: XONG "))
    code = footer.split()[3]
    assert (
        footer
        == f"Trả lời: XONG {code} · DANG 50 {code} · VUONG {code} <lý do> · GIAHAN {code} 30/6"
    )
    async with zalo.sessions() as s:
        channels = set(await s.scalars(select(Reminder.channel).where(Reminder.state == "sent")))
    assert channels == {"zalo"}


async def test_zalo_faults_put_the_reminder_back_for_a_later_retry(zalo: Zalo) -> None:
    await seed_with_officers(zalo.sessions)
    chat = await zalo.link(HUNG)
    async with zalo.sessions.begin() as s:
        await plan_reminders(s, START)
        only_hung = await find_officer(s, HUNG)
        await s.execute(
            Reminder.__table__.delete().where(Reminder.recipient_id != only_hung.id)  # type: ignore[attr-defined]
        )
    timer = FakeTimer()  # the 429's pause and the per-chat pacing pass in virtual time
    limiter = RateLimiter(monotonic=timer.monotonic, sleep=timer.sleep)
    sender = {"zalo": zalo.channel.sender}
    dispatcher = Dispatcher(zalo.sessions, sender, zalo.clock, limiter=limiter)
    for fault in ("429", "timeout", "500", "malformed"):
        zalo.fake.fail_next("sendMessage", fault)
        result = await dispatcher.dispatch_once()
        assert (result.retried, result.sent, result.failed) == (result.claimed, 0, 0), fault
        zalo.clock.advance(timedelta(hours=1))
    assert zalo.fake.texts(chat) == []
    result = await dispatcher.dispatch_once()
    assert result.messages == 1 and len(zalo.fake.texts(chat)) == 1


async def test_xong_and_xong_with_a_code_are_recorded(zalo: Zalo) -> None:
    await seed_with_officers(zalo.sessions)
    xuan, mai = await zalo.link(XUAN), await zalo.link(MAI)
    assert await zalo.fake.push(text_update(xuan, "xong", "m-1"), zalo.webhook, SECRET) == 200
    assert (
        await zalo.fake.push(text_update(mai, "XONG BDT22-I.1", "m-2"), zalo.webhook, SECRET) == 200
    )
    assert zalo.fake.texts(xuan)[0].startswith("Đã ghi nhận: BDT22-V.1 — Hoàn thành")
    assert zalo.fake.texts(mai)[0].startswith("Đã ghi nhận: BDT22-I.1 — Hoàn thành")
    async with zalo.sessions() as s:
        states = list(await s.scalars(select(Progress.state)))
        audit = list(await s.scalars(select(StatusUpdate.channel)))
    assert states == ["done", "done"] and audit == ["zalo", "zalo"]


async def test_numbered_options_stand_in_for_buttons(zalo: Zalo) -> None:
    await seed_with_officers(zalo.sessions)
    mai = await zalo.link(MAI)
    await zalo.fake.push(text_update(mai, "BDT22-I.1 thế nào rồi", "m-1"), zalo.webhook, SECRET)
    [question] = zalo.fake.texts(mai)
    assert "1. Hoàn thành" in question and "5. ⏰ Nhắc lại sau" in question
    assert "Trả lời 1–5 để chọn." in question
    await zalo.fake.push(text_update(mai, "1", "m-2"), zalo.webhook, SECRET)
    assert zalo.fake.texts(mai)[1].startswith("Đã ghi nhận: BDT22-I.1 — Hoàn thành")


async def test_a_duplicate_delivery_is_recorded_once_even_on_another_instance(zalo: Zalo) -> None:
    await seed_with_officers(zalo.sessions)
    mai = await zalo.link(MAI)
    update = text_update(mai, "XONG BDT22-I.1", "m-dup")
    assert await zalo.fake.push(update, zalo.webhook, SECRET) == 200
    assert await zalo.fake.push(update, zalo.webhook, SECRET) == 200
    other = await zalo.new_channel()
    try:
        await other.process_webhook({"ok": True, "result": update})
    finally:
        await other.stop()
    assert len(zalo.fake.texts(mai)) == 1
    assert await zalo.count(StatusUpdate) == 1 and await zalo.count(InboundUpdate) == 1


async def test_an_officer_on_both_channels_gets_one_reminder_and_falls_back_when_blocked(
    zalo: Zalo,
) -> None:
    await seed_with_officers(zalo.sessions)
    hung = await zalo.link(HUNG, telegram=7001, preferred="zalo")
    son = await zalo.link(SON, telegram=7002, preferred="zalo")
    tung = await zalo.link(TUNG, telegram=7003, preferred="telegram")
    zalo.fake.block(son)
    telegram = FakeSender("telegram")
    async with zalo.sessions.begin() as s:
        await plan_reminders(s, START)
    senders: dict[str, Sender] = {"telegram": telegram, "zalo": zalo.channel.sender}
    await Dispatcher(zalo.sessions, senders, zalo.clock).dispatch_once()
    on_telegram = [bundle.address for bundle in telegram.sent]
    assert len(zalo.fake.texts(hung)) == 1 and "7001" not in on_telegram
    assert zalo.fake.texts(son) == [] and on_telegram.count("7002") == 1
    assert ("sendMessage", son) in [(m, p.get("chat_id")) for m, p in zalo.fake.calls]
    assert zalo.fake.texts(tung) == [] and on_telegram.count("7003") == 1
    async with zalo.sessions() as s:
        unreachable = await s.scalar(select(Officer.unreachable_at).where(Officer.name == SON))
    assert unreachable is None


async def test_a_forged_or_missing_secret_is_refused_and_changes_nothing(zalo: Zalo) -> None:
    await seed_with_officers(zalo.sessions)
    mai = await zalo.link(MAI)
    update = text_update(mai, "XONG BDT22-I.1", "m-1")
    assert await zalo.fake.push(update, zalo.webhook, "doan-bua") == 403
    assert await zalo.fake.push(update, zalo.webhook, None) == 403
    assert await zalo.fake.push(update, zalo.webhook, SECRET[:-1]) == 403
    assert zalo.fake.sent == []
    assert await zalo.count(InboundUpdate) == 0 and await zalo.count(StatusUpdate) == 0


async def test_oversized_and_malformed_bodies_are_refused(zalo: Zalo) -> None:
    huge = b'{"ok": true, "pad": "' + b"x" * zalo.channel.max_body + b'"}'
    assert await zalo.fake.push({}, zalo.webhook, SECRET, raw=huge) == 413
    assert await zalo.fake.push({}, zalo.webhook, SECRET, raw=b'{"ok": tru') == 400
    assert await zalo.fake.push({}, zalo.webhook, SECRET, raw=b"[1, 2]") == 400
    assert zalo.fake.sent == [] and await zalo.count(InboundUpdate) == 0
