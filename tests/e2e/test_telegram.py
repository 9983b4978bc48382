"""The Telegram channel end to end: the real PTB ``Application`` and ``Dispatcher`` over HTTP.

A fake Bot API server (``tests/fake_telegram.py``) runs on 127.0.0.1; the bot
long-polls it through ``base_url`` exactly as it would a self-hosted Bot API
server. Reminders go out through ``TelegramSender``; officers' messages and
button presses are pushed into the fake and come back as PTB updates. Each test
runs on SQLite and PostgreSQL (the ``sessions`` fixture).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import ContextTypes, ExtBot, TypeHandler
from telegram.request import HTTPXRequest

from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.sender import TelegramSender
from bot.chat import texts
from bot.chat.conversation import Conversation
from data.invites import create_invite
from data.models import (
    Assignment,
    ExtensionRequest,
    Progress,
    Reminder,
    StatusUpdate,
    Task,
)
from data.people import find_officer
from scheduler.clock import TZ, FakeClock
from scheduler.dispatcher import Dispatcher
from scheduler.limits import RateLimiter
from scheduler.planner import plan_reminders
from scheduler.sender import Bundle, ReminderItem, SendError
from tests.fake_telegram import FakeTelegram, Stored
from tests.fakes import chat_links
from tests.planning_helpers import seed_with_officers

pytestmark = [
    pytest.mark.e2e,
    # PTB's own RetryAfter warns about its int/timedelta migration when the fake says 429
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

PLANNED = datetime(2022, 3, 28, 7, 0, tzinfo=TZ)  # before the first reminders of the seed
MORNING = datetime(2022, 3, 28, 8, 0, tzinfo=TZ)  # Hùng: "BDT22-I.1 còn 3 ngày"
APRIL_1 = datetime(2022, 4, 1, 8, 0, tzinfo=TZ)  # Khoa: check-ins on IV.3 and VI.2
BAO, HUNG, MAI, KHOA = "Phạm Quốc Bảo", "Lê Văn Hùng", "Trần Thị Mai", "Vũ Đình Khoa"
STRANGER = 999_001


class World:
    """The seeded database, the bot polling the fake server, and a dispatcher sending to it."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], fake: FakeTelegram) -> None:
        self.sessions, self.fake = sessions, fake
        self.clock = FakeClock(PLANNED)
        self.channel = TelegramChannel(
            fake.token,
            Conversation(sessions, self.clock),
            base_url=fake.base_url,
            base_file_url=fake.base_file_url,
        )
        self.channel.application.add_handler(TypeHandler(Update, self._done), group=1)
        self.done: set[int] = set()
        senders = {"telegram": self.channel.sender}
        self.dispatcher = Dispatcher(sessions, senders, self.clock, limiter=RateLimiter())

    async def _done(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Runs after the bot's own handler (group 1): the update is fully answered."""
        self.done.add(update.update_id)

    async def processed(self, update_id: int) -> list[Stored]:
        """Wait for ``update_id`` to be handled; the messages sent meanwhile."""
        before = len(self.fake.sent)
        await self.fake.wait_for(lambda: update_id in self.done)
        return self.fake.sent[before:]

    async def link(self, name: str) -> int:
        async with self.sessions.begin() as s:
            officer = await find_officer(s, name)
            officer.links += chat_links(telegram=7000 + officer.id)
        return 7000 + officer.id

    async def say(self, chat: int, text: str, reply_to: int | None = None) -> list[Stored]:
        return await self.processed(self.fake.push_message(chat, text, reply_to=reply_to))

    async def press(
        self, chat: int, message_id: int, data: str
    ) -> tuple[dict[str, Any], list[Stored]]:
        answered = len(self.fake.callback_answers)
        update = self.fake.push_callback(chat, message_id, data)
        sent = await self.processed(update)
        assert len(self.fake.callback_answers) == answered + 1  # every press is answered
        return self.fake.callback_answers[-1], sent

    async def remind(self, at: datetime) -> None:
        """Plan from ``PLANNED`` and dispatch what is due at ``at``."""
        async with self.sessions.begin() as s:
            await plan_reminders(s, PLANNED)
        self.clock.set(at)
        await self.dispatcher.dispatch_once()

    async def count(self, model: type[Any], *where: Any) -> int:
        async with self.sessions() as s:
            query = select(func.count()).select_from(model).where(*where)
            return int(await s.scalar(query) or 0)

    async def progress(self, code: str, unit_of: str) -> Progress:
        async with self.sessions() as s:
            officer = await find_officer(s, unit_of)
            found = await s.scalar(
                select(Progress)
                .join(Assignment, Assignment.id == Progress.assignment_id)
                .join(Task, Task.id == Assignment.task_id)
                .where(Task.code == code, Assignment.unit_id == officer.unit_id)
            )
        assert found is not None
        return found


@pytest.fixture
async def world(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[World]:
    await seed_with_officers(sessions)
    async with FakeTelegram() as fake:
        world = World(sessions, fake)
        await world.channel.start_polling(timedelta(seconds=1))
        try:
            yield world
        finally:
            await world.channel.stop()


def payloads(message: Stored) -> list[str]:
    return [button["callback_data"] for button in message.buttons]


async def hung_reminder(world: World) -> tuple[int, Stored]:
    """Hùng linked and reminded of BDT22-I.1 on Monday morning: (chat, the message)."""
    chat = await world.link(HUNG)
    await world.remind(MORNING)
    [message] = world.fake.sent_to(chat)
    return chat, message


# --- the scenarios of the issue -------------------------------------------------------------


async def test_it_links_a_chat_with_an_invite(world: World) -> None:
    async with world.sessions.begin() as s:
        code = await create_invite(s, (await find_officer(s, MAI)).id, world.clock.now())
    [welcome] = await world.say(5001, f"/start {code}")
    assert "Xin chào Trần Thị Mai" in welcome.text and "liên kết" in welcome.text
    async with world.sessions() as s:
        assert (await find_officer(s, MAI)).addresses["telegram"] == "5001"
    [items] = await world.say(5001, "/viec")
    assert "BDT22-I.1" in items.text


async def test_it_sends_a_bundled_reminder_as_html_with_five_buttons_per_item(
    world: World,
) -> None:
    chat = await world.link(KHOA)
    await world.remind(APRIL_1)
    [message] = world.fake.sent_to(chat)
    call = next(c for c in world.fake.calls if c.method == "sendMessage")
    assert call.params["parse_mode"] == "HTML"
    assert "Kính gửi Vũ Đình Khoa" in message.text and "<b>" in message.text
    assert "BDT22-IV.3" in message.text and "BDT22-VI.2" in message.text
    data = payloads(message)
    starts = ("s:d:r", "s:p:r", "s:b:r", "s:x:r", "z:r")
    assert len(data) == 10 and all(d.startswith(starts) for d in data)
    labels = [button["text"] for button in message.buttons]
    actions = ("Hoàn thành", "Đang thực hiện", "Vướng mắc", "Xin gia hạn", "⏰ Nhắc lại sau")
    assert labels[:5] == [f"IV.3: {action}" for action in actions]
    async with world.sessions() as s:
        ids = await s.scalars(select(Reminder.provider_message_id).where(Reminder.state == "sent"))
        assert set(ids.all()) == {str(message.message_id)}


async def test_done_button_records_edits_and_cancels_that_dues_reminders(world: World) -> None:
    chat, message = await hung_reminder(world)
    done = payloads(message)[0]
    toast, sent = await world.press(chat, message.message_id, done)
    assert toast.get("text") == "Đã ghi nhận" and sent == []
    edited = world.fake.messages[(chat, message.message_id)]
    assert "BDT22-I.1 — Hoàn thành" in edited.text and edited.buttons == []
    progress = await world.progress("BDT22-I.1", HUNG)
    assert progress.state == "done"
    mine = Reminder.due_id == progress.due_id, Reminder.assignment_id == progress.assignment_id
    assert await world.count(Reminder, *mine, Reminder.state == "pending") == 0
    assert await world.count(Reminder, *mine, Reminder.state == "cancelled") > 0

    replay_toast, _ = await world.press(chat, message.message_id, done)
    assert "hoàn thành" in replay_toast.get("text", "")
    forged_toast, _ = await world.press(chat, message.message_id, "s:d:w999.999")
    assert forged_toast.get("text")
    assert await world.count(StatusUpdate) == 1


async def test_a_reply_to_a_reminder_records_the_percent(world: World) -> None:
    chat, message = await hung_reminder(world)
    [answer] = await world.say(chat, "đang làm 60%", reply_to=message.message_id)
    assert "BDT22-I.1 — Đang thực hiện 60%" in answer.text
    progress = await world.progress("BDT22-I.1", HUNG)
    assert (progress.state, progress.percent) == ("in_progress", 60)


async def test_an_extension_is_approved_by_the_leader_and_the_officer_is_told(
    world: World,
) -> None:
    chat, message = await hung_reminder(world)
    leader = await world.link(BAO)
    [asked] = await world.say(chat, "xin gia hạn đến 30/6", reply_to=message.message_id)
    assert "chờ lãnh đạo duyệt" in asked.text
    await world.dispatcher.dispatch_once()  # the leaders' notice
    assert any("xin gia hạn" in m.text for m in world.fake.sent_to(leader))

    [listing] = await world.say(leader, "/giahan")
    approve = next(d for d in payloads(listing) if d.startswith("g:a:"))
    toast, _ = await world.press(leader, listing.message_id, approve)
    assert toast.get("text") == "Đã duyệt"
    before = len(world.fake.sent_to(chat))
    await world.dispatcher.dispatch_once()  # the decision, to the officer
    [decision] = world.fake.sent_to(chat)[before:]
    assert "đã được duyệt" in decision.text and decision.buttons == []
    progress = await world.progress("BDT22-I.1", HUNG)
    assert progress.extended_to is not None and progress.extended_to.isoformat() == "2022-06-30"
    async with world.sessions() as s:
        assert (await s.scalars(select(ExtensionRequest.state))).one() == "approved"


async def test_an_unknown_user_is_refused_briefly(world: World) -> None:
    [answer] = await world.say(STRANGER, "cho tôi xem /tonghop")
    assert answer.plain == texts.UNKNOWN_CHAT
    [command] = await world.say(STRANGER, "/tonghop")
    assert command.plain == texts.UNKNOWN_CHAT
    toast, sent = await world.press(STRANGER, 1, "s:d:r1")
    assert toast.get("text") == "Tài khoản chưa được liên kết." and sent == []


async def test_tonghop_reflects_the_updates(world: World) -> None:
    chat, message = await hung_reminder(world)
    leader = await world.link(BAO)
    [before] = await world.say(leader, "/tonghop")
    assert "Hoàn thành:" not in before.text
    await world.press(chat, message.message_id, payloads(message)[0])
    [after] = await world.say(leader, "/tonghop")
    # BDT22-I.1 has a second lead unit (the district): the task is in progress until it reports
    assert "Đang thực hiện: 1" in after.text and "• Ban Dân tộc: 1/7 (14%)" in after.text


@pytest.mark.parametrize(
    ("fault", "unreachable"),
    [("blocked", True), ("flood", False)],  # every other fault: the sender test below
)
async def test_a_refused_send_is_permanent_or_retried(
    world: World, fault: str, unreachable: bool
) -> None:
    chat = await world.link(HUNG)
    world.fake.fail(fault, chat_id=chat, retry_after=3)
    await world.remind(MORNING)
    async with world.sessions() as s:
        hung = await find_officer(s, HUNG)
        mine = (await s.scalars(select(Reminder).where(Reminder.recipient_id == hung.id))).all()
        escalations = (
            await s.scalars(select(Reminder).where(Reminder.slot.like("unreachable-%")))
        ).all()
    first = next(r for r in mine if r.scheduled_at == min(m.scheduled_at for m in mine))
    assert (hung.unreachable_at is not None) is unreachable
    if unreachable:
        assert first.state == "failed" and "telegram" in (first.last_error or "")
        assert [e.recipient_id for e in escalations] == [await _id(world, BAO)]
    else:
        assert first.state == "pending" and first.attempts == 1 and escalations == []
        if fault == "flood":
            assert first.scheduled_at >= world.clock.now() + timedelta(seconds=3)


async def _id(world: World, name: str) -> int:
    async with world.sessions() as s:
        return (await find_officer(s, name)).id


# --- odd input ------------------------------------------------------------------------------


async def test_long_text_emoji_and_stickers_get_sensible_answers(world: World) -> None:
    chat = await world.link(HUNG)
    [long] = await world.say(chat, "x" * 10_000)
    [thumbs] = await world.say(chat, "👍")
    [sticker] = await world.processed(world.fake.push_sticker(chat))
    assert len(long.text) < 4096 and thumbs.plain == texts.THANKS
    assert sticker.plain == texts.NOT_TEXT
    assert await world.count(StatusUpdate) == 1  # the 👍, recorded as seen (issue 12)


async def test_a_webhook_update_needs_the_secret_and_counts_once(world: World) -> None:
    chat = await world.link(HUNG)
    payload = {
        "update_id": 5000,
        "message": {
            "message_id": 1,
            "date": 1_650_000_000,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "Hùng"},
            "text": "/huongdan",
            "entities": [{"type": "bot_command", "offset": 0, "length": 9}],
        },
    }
    assert not world.channel.secret_ok("s3cret-token")  # no webhook registered yet
    await world.channel.start_webhook("https://nhacviec.example", "s3cret-token")
    assert not world.channel.secret_ok("wrong") and not world.channel.secret_ok(None)
    assert world.channel.secret_ok("s3cret-token")
    await world.channel.process_webhook(payload)
    await world.channel.process_webhook(payload)  # Telegram's retry
    [help_text] = world.fake.sent_to(chat)  # a redelivered update is answered once
    assert "Hướng dẫn" in help_text.text
    await world.channel.process_webhook({"not": "an update"})  # logged and acknowledged
    assert len(world.fake.sent) == 1


async def test_webhook_mode_registers_the_url_with_its_secret() -> None:
    clock = FakeClock(MORNING)
    async with FakeTelegram() as fake:
        channel = TelegramChannel(
            fake.token,
            Conversation(None, clock),  # type: ignore[arg-type]
            base_url=fake.base_url,
        )
        await channel.start_webhook("https://nhacviec.example/", "s3cret-token")
        await channel.stop()
    [call] = [c for c in fake.calls if c.method == "setWebhook"]
    assert call.params["url"] == "https://nhacviec.example/telegram"
    assert call.params["secret_token"] == "s3cret-token"
    assert call.params["allowed_updates"] == ["message", "callback_query"]


async def test_the_command_menu_is_registered_in_two_languages(world: World) -> None:
    await world.channel.register_commands()
    vietnamese = {c["command"]: c["description"] for c in world.fake.commands[""]}
    english = {c["command"]: c["description"] for c in world.fake.commands["en"]}
    assert vietnamese["viec"] == "Việc của tôi" and english["viec"] == "My open tasks"
    assert set(vietnamese) == set(english)


@pytest.mark.parametrize(
    ("fault", "permanent"),
    [
        ("blocked", True),
        ("chat_not_found", True),
        ("server", False),
        ("garbage", False),
        ("timeout", False),
    ],
)
async def test_the_sender_turns_http_faults_into_send_errors(fault: str, permanent: bool) -> None:
    one = (ReminderItem(1, "before", "KH-I.1", "Nội dung", "Văn phòng", None),)
    bundle = Bundle(1, "Trần Thị Mai", "telegram", "4242", MORNING.date(), one)
    async with FakeTelegram() as fake:
        fake.fail(fault, chat_id=4242, delay=0.3)
        request = HTTPXRequest(read_timeout=0.1)
        async with ExtBot(fake.token, base_url=fake.base_url, request=request) as bot:
            with pytest.raises(SendError) as failed:
                await TelegramSender(bot).send(bundle)
    assert failed.value.permanent is permanent and failed.value.retry_after is None


async def test_a_long_bundle_is_split_and_the_first_message_id_returned() -> None:
    items = tuple(
        ReminderItem(n, "before", f"KH-I.{n}", "Nội dung rất dài " * 40, "Văn phòng", None)
        for n in range(1, 25)
    )
    bundle = Bundle(1, "Trần Thị Mai", "telegram", "4242", MORNING.date(), items)
    async with FakeTelegram() as fake, ExtBot(fake.token, base_url=fake.base_url) as bot:
        first = await TelegramSender(bot).send(bundle)
    assert len(fake.sent) > 1 and first == str(fake.sent[0].message_id)
    assert all(len(m.text) <= 4096 for m in fake.sent)
    assert sum(len(m.buttons) for m in fake.sent) == 5 * len(items)  # 4 states, snooze
