"""The planner turns the seed plan's dues into the outbox rows the policy asks for."""

from __future__ import annotations

from datetime import date, datetime

import holidays
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import Assignment, Due, Progress, Reminder, Task
from scheduler.clock import TZ
from scheduler.planner import plan_reminders
from scheduler.preview import PreviewMessage, preview
from tests.planning_helpers import seed_with_officers

Sessions = async_sessionmaker[AsyncSession]
JAN_3_2022 = datetime(2022, 1, 3, 7, 0, tzinfo=TZ)


async def _states(sessions: Sessions, code: str) -> dict[str, int]:
    async with sessions() as s:
        rows = await s.execute(
            select(Reminder.state, func.count())
            .join(Due, Due.id == Reminder.due_id)
            .join(Task, Task.id == Due.task_id)
            .where(Task.code == code)
            .group_by(Reminder.state)
        )
        return {state: count for state, count in rows}


async def _close(sessions: Sessions, code: str, **values: object) -> None:
    """Record progress on every assignment of ``code``'s first due, as the bot would."""
    async with sessions() as s:
        task = await s.scalar(select(Task).where(Task.code == code))
        assert task is not None
        due = await s.scalar(select(Due).where(Due.task_id == task.id, Due.position == 0))
        assignments = (
            await s.scalars(select(Assignment).where(Assignment.task_id == task.id))
        ).all()
        assert due is not None
        for assignment in assignments:
            s.add(Progress(assignment_id=assignment.id, due_id=due.id, **values))
        await s.commit()


async def _plan(sessions: Sessions, now: datetime = JAN_3_2022) -> tuple[int, int]:
    async with sessions() as s:
        result = await plan_reminders(s, now)
        await s.commit()
    return result.created, result.cancelled


async def test_it_plans_twice_without_creating_anything(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    created, _ = await _plan(sessions)
    assert created > 0
    assert await _plan(sessions) == (0, 0)


async def test_it_cancels_pending_reminders_when_work_is_done(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    await _plan(sessions)
    assert (await _states(sessions, "BDT22-I.1")).get("pending", 0) > 0
    await _close(sessions, "BDT22-I.1", state="done", percent=100)
    await _plan(sessions)
    states = await _states(sessions, "BDT22-I.1")
    assert states.get("pending", 0) == 0
    assert states["cancelled"] > 0
    assert (await _states(sessions, "BDT22-V.1")).get("pending", 0) > 0


async def test_it_moves_reminders_when_an_extension_is_approved(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    await _plan(sessions, datetime(2022, 3, 1, 7, tzinfo=TZ))
    await _close(sessions, "BDT22-I.1", state="in_progress", extended_to=date(2022, 4, 29))
    await _plan(sessions, datetime(2022, 3, 1, 7, tzinfo=TZ))
    async with sessions() as s:
        slots = (
            await s.scalars(
                select(Reminder.slot)
                .join(Due, Due.id == Reminder.due_id)
                .join(Task, Task.id == Due.task_id)
                .where(Task.code == "BDT22-I.1", Reminder.state == "pending")
            )
        ).all()
    assert slots and all(slot.endswith("@2022-04-29") for slot in slots)


async def _year(sessions: Sessions) -> list[PreviewMessage]:
    plan_id = await seed_with_officers(sessions)
    async with sessions() as s:
        return await preview(s, date(2022, 1, 1), date(2022, 12, 31), plan_id=plan_id)


def _days(messages: list[PreviewMessage], code: str, kinds: tuple[str, ...]) -> set[date]:
    return {
        m.at.astimezone(TZ).date()
        for m in messages
        for item in m.items
        if item.code == code and item.kind in kinds
    }


async def test_it_never_reminds_on_a_weekend_or_a_holiday(sessions: Sessions) -> None:
    messages = await _year(sessions)
    days_off = set(holidays.country_holidays("VN", years=2022))
    assert {date(2022, 2, 1), date(2022, 9, 2)} <= days_off
    assert messages
    for m in messages:
        local = m.at.astimezone(TZ)
        assert local.weekday() < 5, m
        assert local.date() not in days_off, m
        assert local.hour == 8 and local.minute == 0


async def test_it_reminds_quarter_one_tasks_14_7_3_1_0_working_days_before(
    sessions: Sessions,
) -> None:
    messages = await _year(sessions)
    expected = {date(2022, 3, d) for d in (11, 22, 28, 30, 31)}
    for code in ("BDT22-I.1", "BDT22-V.1"):
        assert _days(messages, code, ("before", "on_day")) == expected


async def test_it_reminds_both_dues_of_vi_1_and_nothing_of_section_iii(sessions: Sessions) -> None:
    messages = await _year(sessions)
    dues = {i.due for m in messages for i in m.items if i.code == "BDT22-VI.1"}
    assert {date(2022, 6, 30), date(2022, 12, 31)} <= dues
    assert not [i for m in messages for i in m.items if i.code == "BDT22-III.1"]


async def test_it_sends_one_message_per_recipient_per_slot(sessions: Sessions) -> None:
    messages = await _year(sessions)
    keys = [(m.at, m.recipient_id) for m in messages]
    assert len(keys) == len(set(keys))
    bundled = [m for m in messages if len({i.code for i in m.items}) > 1]
    assert bundled, "tasks due the same day reach a shared recipient in one message"


async def test_it_escalates_overdue_work_to_the_head_then_the_leader(sessions: Sessions) -> None:
    messages = await _year(sessions)
    escalations = [
        (m.recipient, i.slot)
        for m in messages
        for i in m.items
        if i.code == "BDT22-I.1" and i.kind == "escalation"
    ]
    assert ("Phạm Quốc Bảo", "escalation-leader") in escalations
    assert min(_days(messages, "BDT22-I.1", ("overdue",))) == date(2022, 4, 1)


async def test_it_leaves_a_row_waiting_out_a_retry_where_the_dispatcher_put_it(
    sessions: Sessions,
) -> None:
    await seed_with_officers(sessions)
    await _plan(sessions)
    later = datetime(2022, 3, 11, 9, 30, tzinfo=TZ)
    async with sessions() as s:
        row = await s.scalar(select(Reminder).where(Reminder.kind == "checkin").limit(1))
        assert row is not None
        row.attempts, row.scheduled_at = 2, later
        await s.commit()
        row_id = row.id
    await _plan(sessions)
    async with sessions() as s:
        again = await s.get(Reminder, row_id)
    assert again is not None
    assert (again.attempts, again.scheduled_at, again.state) == (2, later, "pending")
