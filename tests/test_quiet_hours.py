"""Quiet hours and days off hold for every kind of message, not only planned reminders.

At night, on a Saturday and on a holiday: the dispatcher catches up after downtime,
an officer asks for an extension (a notice to the leader), the leader approves it
(a notice to the officer) and runs ``/nhacngay`` (manual reminders), and an urgent
``/nhacngay … gấp`` meets a blocked officer (an escalation to the unit's head).
Only the urgent reminder goes out before the next working morning; the rest wait
for it and then go out.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta
from itertools import count

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat.conversation import Answer, Conversation, Incoming
from data.models import Due, ExtensionRequest, Officer, Reminder, Task
from data.people import find_officer
from scheduler.clock import TZ, FakeClock
from scheduler.dispatcher import Dispatcher
from scheduler.planner import plan_reminders
from scheduler.sender import SendError
from tests.fakes import FakeSender
from tests.planning_helpers import BAO, MAI, START, seed_with_officers

SessionFactory = async_sessionmaker[AsyncSession]


class EveryoneSender(FakeSender):
    """Reaches every officer, linked or not (like the console), and records what went out."""

    accepts_unlinked = True


class Office:
    """The seed plan, its officers talking over the console, and one dispatcher."""

    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions
        self.clock = FakeClock(START)
        self.conversation = Conversation(sessions, self.clock)
        self.sender = EveryoneSender("console")
        self.dispatcher = Dispatcher(
            sessions, {"console": self.sender}, self.clock, rng=random.Random(3)
        )
        self._updates = count(1)

    async def say(self, name: str, text: str | None = None, button: str | None = None) -> Answer:
        async with self.sessions() as s:
            officer = await find_officer(s, name)
        incoming = Incoming(
            "console", str(officer.id), text=text, button=button, update_id=str(next(self._updates))
        )
        [answer] = await self.conversation.handle(incoming)
        return answer

    async def dispatch(self) -> list[tuple[str, str | None]]:
        """Send what the dispatcher will send now: (kind, task code) of each item."""
        before = len(self.sender.sent)
        while (await self.dispatcher.dispatch_once()).claimed:
            pass
        return [
            (item.kind, item.task_code)
            for bundle in self.sender.sent[before:]
            for item in bundle.items
        ]

    async def manual_recipients(self, code: str) -> list[Officer]:
        async with self.sessions() as s:
            ids = await s.scalars(
                select(Reminder.recipient_id)
                .join(Due, Due.id == Reminder.due_id)
                .join(Task, Task.id == Due.task_id)
                .where(Reminder.kind == "manual", Task.code == code)
                .order_by(Reminder.recipient_id)
            )
            return [o for o in [await s.get(Officer, i) for i in ids] if o is not None]


@pytest.mark.parametrize(
    ("off", "morning"),
    [
        (datetime(2022, 3, 29, 22, 0), datetime(2022, 3, 30, 8, 0)),  # Tuesday night
        (datetime(2022, 4, 2, 10, 0), datetime(2022, 4, 4, 8, 0)),  # Saturday
        (datetime(2022, 4, 11, 10, 0), datetime(2022, 4, 12, 8, 0)),  # Giỗ Tổ (observed)
    ],
    ids=["night", "saturday", "holiday"],
)
async def test_only_an_urgent_reminder_goes_out_before_the_next_working_morning(
    sessions: SessionFactory, off: datetime, morning: datetime
) -> None:
    await seed_with_officers(sessions)
    office = Office(sessions)
    async with sessions.begin() as s:  # planned on Monday, then the service was down
        await plan_reminders(s, office.clock.now())
    office.clock.set(off.replace(tzinfo=TZ))

    asked = await office.say(MAI, "xin gia hạn BDT22-I.1 đến 30/6/2022 vì chờ số liệu")
    assert "chờ lãnh đạo duyệt" in asked.text
    async with sessions() as s:
        request = (await s.scalars(select(ExtensionRequest))).one()
    decided = await office.say(BAO, button=f"g:a:{request.id}")
    assert decided.toast == "Đã duyệt"
    later = await office.say(BAO, "/nhacngay BDT22-V.1")
    assert "08:00" in later.text and "gấp" in later.text  # the leader is told when, and how
    urgent = await office.say(BAO, "/nhacngay BDT22-I.1 gấp")
    assert urgent.text.startswith("Đã gửi nhắc BDT22-I.1")
    blocked = (await office.manual_recipients("BDT22-I.1"))[0]
    office.sender.fail_next(blocked.name, SendError("bot was blocked", permanent=True))

    at_night = await office.dispatch()
    assert at_night and set(at_night) == {("manual", "BDT22-I.1")}
    office.clock.advance(timedelta(hours=1))
    assert await office.dispatch() == []  # the escalation about the blocked officer waits too

    office.clock.set(morning.replace(tzinfo=TZ))
    kinds = Counter(kind for kind, _ in await office.dispatch())
    # the decision to the officer; the request's notice to the leader was cancelled when
    # the leader decided (issue 12: never asked to approve what is already decided)
    assert kinds["notice"] == 1
    assert kinds["manual"] >= 1 and kinds["escalation"] >= 1
    assert kinds["before"] + kinds["on_day"] + kinds["overdue"] >= 1  # the catch-up
    async with sessions() as s:
        left = await s.scalars(
            select(Reminder.kind).where(
                Reminder.state == "pending", Reminder.scheduled_at < office.clock.now()
            )
        )
        assert left.all() == []
        told = list(
            await s.scalars(
                select(Reminder.sent_at).where(Reminder.slot == f"unreachable-{blocked.id}")
            )
        )
        assert told and set(told) == {office.clock.now()}  # the head heard in the morning
