"""A full replan's cancel of closed work finds its rows from the work done.

Every status update cancels its own due's rows; a full replan (the first tick, a
global policy or calendar change) cancels whatever closed work still has pending
rows, wherever they are scheduled. It once tested every pending row of the outbox
(13 s at 1,000,000 rows); now it reads the dues with closed progress and only their
rows, which must be the very rows the per-due cancel of those dues takes. And the
replan of one status update, cancel included, reads only that due's rows.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from data.models import Assignment, Due, Progress, Reminder, Task, Unit
from scheduler import planner
from scheduler.planner import plan_reminders
from tests.planning_helpers import START, seed_with_officers

Sessions = async_sessionmaker[AsyncSession]


async def _cancelled(s: AsyncSession, due_ids: set[int] | None) -> set[str]:
    """The keys the closed-work cancel takes, scoped to ``due_ids`` or not (rolled back)."""
    pending = select(Reminder.key).where(Reminder.state == "pending")
    before = set(await s.scalars(pending))
    undo = await s.begin_nested()
    await planner._cancel_closed_work(s, due_ids)
    after = set(await s.scalars(pending))
    await undo.rollback()
    return before - after


async def _first_due(s: AsyncSession, code: str) -> tuple[int, list[Assignment]]:
    task = await s.scalar(select(Task).where(Task.code == code))
    assert task is not None
    due = await s.scalar(select(Due.id).where(Due.task_id == task.id, Due.position == 0))
    assignments = await s.scalars(select(Assignment).where(Assignment.task_id == task.id))
    assert due is not None
    return due, list(assignments)


async def test_a_full_replan_cancels_what_each_closed_due_alone_cancels(sessions: Sessions) -> None:
    """Work reported done behind the planner's back — a lead unit's, whose coordinating
    unit is done with it, and an ordinary assignment's — loses the same rows either way."""
    await seed_with_officers(sessions)
    async with sessions() as s:
        led, leads = await _first_due(s, "BDT22-I.1")
        other = await s.scalar(select(Unit.id).where(Unit.id.not_in([a.unit_id for a in leads])))
        assert other is not None
        coordinating = Assignment(
            task_id=leads[0].task_id, unit_id=other, role="coordinate", position=9
        )
        s.add(coordinating)
        await s.flush()
        await plan_reminders(s, START)
        done, assignments = await _first_due(s, "BDT22-V.1")
        for due, closed in ((led, [a for a in leads if a.role == "lead"]), (done, assignments)):
            for assignment in closed:
                s.add(Progress(assignment_id=assignment.id, due_id=due, state="done"))
        await s.flush()
        scoped = await _cancelled(s, {led, done})
        assert await _cancelled(s, None) == scoped
        coordinators = select(Reminder.key).where(Reminder.assignment_id == coordinating.id)
        assert scoped & set(await s.scalars(coordinators))
        assert {key.split(":")[0] for key in scoped} == {str(led), str(done)}
        await s.rollback()


async def test_a_full_replans_cancel_names_only_the_closed_dues(sessions: Sessions) -> None:
    """No closed work, no cancel statement at all; closed work, statements naming its dues
    (it once ran one statement over every pending row, whatever had closed)."""
    await seed_with_officers(sessions)
    async with sessions() as s:
        await plan_reminders(s, START)
        assert await _cancel_statements(s) == []
        done, assignments = await _first_due(s, "BDT22-V.1")
        s.add(Progress(assignment_id=assignments[0].id, due_id=done, state="cancelled"))
        await s.flush()
        named = await _cancel_statements(s)
        assert named == [{done}]
        await s.rollback()


async def _cancel_statements(s: AsyncSession) -> list[set[int]]:
    """The ids each UPDATE of the outbox names while a full replan cancels closed work."""
    issued = await _issued(s, _cancelled(s, None))
    return [
        {value for value in parameters if isinstance(value, int)}
        for sql, parameters in issued
        if sql.startswith("UPDATE reminders")
    ]


async def _issued(s: AsyncSession, work: Awaitable[object]) -> list[tuple[str, Any]]:
    """The statements (one line each) and parameters sent to the database while ``work`` runs."""
    issued: list[tuple[str, Any]] = []

    def note(*args: Any) -> None:
        issued.append((" ".join(args[2].split()), args[3]))

    engine = s.bind.sync_engine if isinstance(s.bind, AsyncEngine) else None
    assert engine is not None
    event.listen(engine, "before_cursor_execute", note)
    try:
        await work
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return issued


async def test_a_status_updates_replan_reads_only_its_dues_rows(sessions: Sessions) -> None:
    """Replanning one due after a status update names its ids in every read but the policy
    and the calendar (a few rows each): nothing it reads grows with the agency."""
    await seed_with_officers(sessions)
    async with sessions() as s:
        await plan_reminders(s, START)
        due, assignments = await _first_due(s, "BDT22-V.1")
        s.add(Progress(assignment_id=assignments[0].id, due_id=due, state="done"))
        await s.flush()
        issued = await _issued(s, plan_reminders(s, START, due_ids={due}))
        settings = ("FROM policy_settings", "FROM calendar_overrides")
        unscoped = [sql for sql, _ in issued if " IN (" not in sql and not sql.endswith(settings)]
        assert unscoped == []
        assert any(sql.startswith("UPDATE reminders") for sql, _ in issued)
        await s.rollback()
