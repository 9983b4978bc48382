"""The outbox has one writer: every kind of row, written twice in one instant, is one row.

Before, the planner, the extension flow, the leader's commands and the dispatcher
each built keys their own way; two ``/nhacngay`` in one second, or an officer
holding two assignments of one due, raised an IntegrityError and the user got the
apology. Now ``scheduler/outbox.py`` derives every key and inserts with ON
CONFLICT DO NOTHING on both backends.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat.commands_leader import remind_now
from data.models import Assignment, Reminder
from scheduler import outbox
from scheduler.clock import TZ
from scheduler.outbox import About, Escalation, NewReminder
from tests.fakes import World

NOW = datetime(2022, 3, 29, 10, 0, 0, tzinfo=TZ)  # a working Tuesday morning
ROOT = Path(__file__).resolve().parent.parent
SessionFactory = async_sessionmaker[AsyncSession]
Write = Callable[[AsyncSession, About, int, int], Awaitable[None]]


async def _planned(session: AsyncSession, about: About, officer: int, head: int) -> None:
    row = NewReminder(officer, "before", "before-3@2022-03-31", NOW, *_fields(about))
    await outbox.plan_slots(session, [row], NOW)


async def _extension_request(session: AsyncSession, about: About, officer: int, head: int) -> None:
    await outbox.notify_extension_request(session, [head], about, "xin gia hạn", NOW)


async def _decision(session: AsyncSession, about: About, officer: int, head: int) -> None:
    await outbox.notify_decision(
        session, officer, about, request_id=7, approved=True, body="đã duyệt", now=NOW
    )


async def _manual(session: AsyncSession, about: About, officer: int, head: int) -> None:
    await outbox.remind_manually(session, [officer], about, NOW)


async def _urgent(session: AsyncSession, about: About, officer: int, head: int) -> None:
    await outbox.remind_manually(session, [officer], about, NOW, urgent=True)


async def _unreachable(session: AsyncSession, about: About, officer: int, head: int) -> None:
    await outbox.escalate_unreachable(session, [Escalation(head, officer, about)], NOW)


def _fields(about: About) -> tuple[int | None, int | None, str]:
    return about.due_id, about.assignment_id, about.instance


async def _count(sessions: SessionFactory) -> int:
    async with sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(Reminder)) or 0)


@pytest.mark.parametrize(
    "write",
    [_planned, _extension_request, _decision, _manual, _urgent, _unreachable],
    ids=["planned", "extension-request", "decision", "manual", "urgent", "unreachable"],
)
async def test_each_kind_written_twice_in_one_instant_is_one_row(
    sessions: SessionFactory, write: Write
) -> None:
    w = World(sessions)
    unit = await w.unit("Ban Dân tộc")
    officer = await w.officer("Trần Thị Mai", unit)
    head = await w.officer("Lê Văn Hùng", unit, role="unit_head")
    due, assignment = await w.task(unit, NOW.date(), officer=officer)
    about = About(due.id, assignment.id)
    async with sessions.begin() as s:
        await write(s, about, officer.id, head.id)
        await write(s, about, officer.id, head.id)  # same transaction
    async with sessions.begin() as s:
        await write(s, about, officer.id, head.id)  # another transaction, same instant
    assert await _count(sessions) == 1


async def test_two_nhacngay_in_one_second_for_two_assignments_of_one_due(
    sessions: SessionFactory,
) -> None:
    """One officer in charge of two units' parts of one task: a row each, never an error."""
    w = World(sessions)
    first, second = await w.unit("Ban Dân tộc"), await w.unit("Văn phòng")
    officer = await w.officer("Trần Thị Mai", first)
    due, _ = await w.task(first, NOW.date(), officer=officer)
    async with sessions.begin() as s:
        s.add(
            Assignment(task_id=due.task_id, unit_id=second.id, role="lead", officer_id=officer.id)
        )
    for _ in range(2):
        async with sessions.begin() as s:
            recipients = await remind_now(s, "KH-I.1", NOW)
        assert recipients == [officer.id, officer.id]
    async with sessions() as s:
        rows = (await s.scalars(select(Reminder).order_by(Reminder.assignment_id))).all()
    assert [(r.kind, r.recipient_id, r.scheduled_at) for r in rows] == [
        ("manual", officer.id, NOW),
        ("manual", officer.id, NOW),
    ]
    assert len({r.assignment_id for r in rows}) == 2


def test_only_the_outbox_builds_reminder_rows() -> None:
    """No ``Reminder(...)`` and no ``insert(Reminder)`` outside ``scheduler/outbox.py``."""
    builds = re.compile(r"(?<!class )\bReminder\(|insert\(Reminder\b")
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("bot", "scheduler", "data")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != ROOT / "scheduler" / "outbox.py"
        and "migrations" not in path.parts
        and builds.search(path.read_text("utf-8"))
    ]
    assert offenders == []


async def test_a_snooze_holds_the_officers_earlier_reminders_of_the_item(
    sessions: SessionFactory,
) -> None:
    w = World(sessions)
    unit = await w.unit("Ban Dân tộc")
    officer = await w.officer("Trần Thị Mai", unit)
    head = await w.officer("Lê Văn Hùng", unit, role="unit_head")
    due, assignment = await w.task(unit, NOW.date() + timedelta(days=30), officer=officer)
    about = About(due.id, assignment.id)
    monday = NOW + timedelta(days=6)
    rows = [
        NewReminder(officer.id, "checkin", "checkin@a", NOW + timedelta(days=1), *_fields(about)),
        NewReminder(
            officer.id, "before", "before-7@b", monday + timedelta(days=1), *_fields(about)
        ),
        NewReminder(head.id, "checkin", "checkin@a", NOW + timedelta(days=1), *_fields(about)),
    ]
    async with sessions.begin() as s:
        await outbox.plan_slots(s, rows, NOW)
        await outbox.schedule_snooze(s, officer.id, about, monday, NOW)
    async with sessions() as s:
        found = (await s.scalars(select(Reminder).order_by(Reminder.id))).all()
    assert [(r.recipient_id, r.kind, r.state) for r in found] == [
        (officer.id, "checkin", "cancelled"),  # before Monday: held
        (officer.id, "before", "pending"),  # after Monday: still comes
        (head.id, "checkin", "pending"),  # someone else's: untouched
        (officer.id, "snooze", "pending"),
    ]
