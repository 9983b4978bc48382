"""Incremental planning (issue 16, goal 1), beside the planner before it in the same run.

On one synthetic agency (``bench/data.py``) on PostgreSQL: the first planning of an
empty outbox; the periodic tick with nothing changed and the tick after the day
turned (``planner.advance``); one change replanned in its own transaction — a status
update (its due) and a task edit (its task's dues) — each timed with its commit.
With ``before``, the planner before issue 16 (``bench/planner_before.py``) runs the
same first planning on the same data, its tick (a full replan; with nothing changed),
and its replan of a status update's due; a task edit then replanned everything. At
both sizes, a full replan's cancel of closed work (``CLOSED`` dues reported done behind
the planner's back, rolled back after) is timed beside that planner's, which tested
every pending row.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bench.data import NOW, Sizes, admin_database, code_of, load_agency
from bench.markdown import n, table, x
from bench.planner_before import planner as planner_before
from data.db import create_engine, sessionmaker, upgrade
from data.models import Due, PlannerState, Progress, Reminder
from scheduler import planner
from scheduler.planner import PlanResult, advance, plan_reminders, replan_tasks

CHANGES = 10
"""Changes timed of each kind (the median is reported); ticks likewise."""
BEFORE_CHANGES = 3
CLOSED = 100
"""Dues reported done when a full replan's cancel of closed work is timed."""


@dataclass(frozen=True)
class IncrementalRun:
    """Seconds on one agency; ``before_*`` are the planner before issue 16 (None: not run)."""

    assignments: int
    load_s: float
    first_s: float
    first: PlanResult
    full_s: float
    """Today's full replan with nothing changed (what a global policy change runs)."""
    tick_s: float
    day_tick_s: float
    day_tick: PlanResult
    update_s: float
    edit_s: float
    cancel_s: float
    """A full replan's cancel of closed work (``CLOSED`` dues done), beside the old one's."""
    before_cancel_s: float
    pending: int
    before_first_s: float | None = None
    before_tick_s: float | None = None
    before_update_s: float | None = None

    def as_dict(self) -> dict[str, Any]:
        found = dict(self.__dict__)
        found["first"], found["day_tick"] = self.first.__dict__, self.day_tick.__dict__
        return found


Work = Callable[[AsyncSession], Awaitable[object]]


async def _timed(engine: AsyncEngine, work: Work) -> tuple[float, Any]:
    """``work`` in its own transaction, commit included."""
    started = time.perf_counter()
    async with sessionmaker(engine).begin() as session:
        result = await work(session)
    return time.perf_counter() - started, result


async def _median(engine: AsyncEngine, works: list[Work]) -> float:
    return statistics.median([(await _timed(engine, work))[0] for work in works])


def _status_update(due_id: int, replan: Callable[..., Awaitable[PlanResult]]) -> Work:
    """An officer says due ``due_id`` (its one assignment, same id) is under way."""

    async def work(session: AsyncSession) -> PlanResult:
        session.add(Progress(assignment_id=due_id, due_id=due_id, state="in_progress"))
        await session.flush()
        return await replan(session, NOW, due_ids={due_id})

    return work


def _task_edit(task_id: int, code: str) -> Work:
    """A secretary moves task ``task_id``'s deadline a week (``nhacviec task edit``)."""

    async def work(session: AsyncSession) -> PlanResult:
        for due in await session.scalars(select(Due).where(Due.task_id == task_id)):
            assert due.due_on is not None
            due.due_on += timedelta(days=7)  # through the ORM, as the edit does
        await session.flush()
        return await replan_tasks(session, NOW, [code])

    return work


async def _empty_outbox(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(delete(Reminder))
        await conn.execute(delete(PlannerState))


async def _analyze(engine: AsyncEngine) -> None:
    """What autovacuum does after a bulk write, done now so both planners meet it done: on
    every table (without statistics of the loaded dues, PostgreSQL walked a million tasks
    to find the few dues a day's tick reads, 6 s instead of 0.9 s at 1,000,000)."""
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE"))


async def _cancel_closed(engine: AsyncEngine, sizes: Sizes) -> tuple[float, float, int]:
    """Seconds of today's cancel of closed work and the old planner's, and the pending rows
    they faced: ``CLOSED`` dues done (one statement, no replan), each cancel in a savepoint."""
    cancels = (planner._cancel_closed_work, planner_before()._cancel_closed_work)
    async with sessionmaker(engine)() as session:
        pending = select(func.count()).select_from(Reminder).where(Reminder.state == "pending")
        rows = int(await session.scalar(pending) or 0)
        done = [
            {"assignment_id": d, "due_id": d, "instance": "-", "state": "done", "updated_at": NOW}
            for d in _picks(sizes, CLOSED, 3)
        ]
        await session.execute(insert(Progress), done)
        seconds = []
        for cancel in cancels:
            undo = await session.begin_nested()
            started = time.perf_counter()
            await cancel(session, None)
            seconds.append(time.perf_counter() - started)
            await undo.rollback()
        await session.rollback()
    return seconds[0], seconds[1], rows


def _picks(sizes: Sizes, count: int, offset: int) -> list[int]:
    """``count`` task (= due = assignment) ids spread over the agency."""
    step = sizes.assignments // count
    return [1 + offset + k * step for k in range(count)]


async def measure_incremental(engine: AsyncEngine, sizes: Sizes, *, before: bool) -> IncrementalRun:
    """Migrate, load, and time every kind of planning; ``engine`` points at an empty database."""
    old = planner_before() if before else None
    await upgrade(engine)
    started = time.perf_counter()
    await load_agency(engine, sizes)
    load_s = time.perf_counter() - started
    await _analyze(engine)
    before_first_s = None
    if old is not None:
        before_first_s, _ = await _timed(engine, lambda s: old.plan_reminders(s, NOW))
        await _empty_outbox(engine)
        await _analyze(engine)
    first_s, first = await _timed(engine, lambda s: advance(s, NOW))  # no mark yet: plans all
    await _analyze(engine)
    full_s, _ = await _timed(engine, lambda s: plan_reminders(s, NOW))
    later = [NOW + timedelta(minutes=10 * k) for k in range(1, CHANGES + 1)]
    tick_s = await _median(engine, [_tick(at) for at in later])
    before_tick_s = None
    if old is not None:
        before_tick_s, _ = await _timed(engine, lambda s: old.plan_reminders(s, NOW))
    update_s = await _median(
        engine, [_status_update(d, plan_reminders) for d in _picks(sizes, CHANGES, 0)]
    )
    before_update_s = None
    if old is not None:
        picks = _picks(sizes, BEFORE_CHANGES, 1)
        before_update_s = await _median(
            engine, [_status_update(d, old.plan_reminders) for d in picks]
        )
    edits = _picks(sizes, CHANGES, 2)
    edit_s = await _median(engine, [_task_edit(t, code_of(t, sizes.tasks_per_plan)) for t in edits])
    day_tick_s, day_tick = await _timed(engine, _tick(NOW + timedelta(days=1)))
    cancel_s, before_cancel_s, pending = await _cancel_closed(engine, sizes)
    return IncrementalRun(
        assignments=sizes.assignments,
        load_s=load_s,
        first_s=first_s,
        first=first,
        full_s=full_s,
        tick_s=tick_s,
        day_tick_s=day_tick_s,
        day_tick=day_tick,
        update_s=update_s,
        edit_s=edit_s,
        cancel_s=cancel_s,
        before_cancel_s=before_cancel_s,
        pending=pending,
        before_first_s=before_first_s,
        before_tick_s=before_tick_s,
        before_update_s=before_update_s,
    )


def _tick(at: datetime) -> Work:
    async def work(session: AsyncSession) -> PlanResult:
        return await advance(session, at)

    return work


async def measure(url: str, sizes: Sizes) -> list[IncrementalRun]:
    """``sizes`` beside the planner before issue 16, then ``sizes.scaled()`` (ten times the
    assignments) with today's only; each on a fresh database at ``url``, dropped after."""
    runs = []
    for scale, before in ((sizes, True), (sizes.scaled(), False)):
        await admin_database(url, create=True)
        engine = create_engine(url)
        try:
            runs.append(await measure_incremental(engine, scale, before=before))
        finally:
            await engine.dispose()
            await admin_database(url, create=False)
    return runs


def _time(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def _beside(ours: float, before: float | None) -> list[str]:
    if before is None:
        return [_time(ours), "", ""]
    return [_time(ours), _time(before), x(before / ours)]


ROWS = (
    ("first planning ({created} rows)", "first_s", "before_first_s"),
    ("tick, nothing changed (before: a full replan)", "tick_s", "before_tick_s"),
    ("status update: the row and its due replanned, commit", "update_s", "before_update_s"),
    ("task edit: its dues replanned (before: everything)", "edit_s", "before_tick_s"),
    ("tick after the day turned ({entered} rows entered)", "day_tick_s", "before_tick_s"),
    ("full replan, nothing changed (a global policy or calendar change)", "full_s", None),
    (
        "its cancel of closed work ({closed} dues done, {pending} rows pending)",
        "cancel_s",
        "before_cancel_s",
    ),
)
"""Each line of the table: what was timed, today's key, the old planner's key."""


def incremental_section(runs: list[dict[str, Any]]) -> str:
    """The table of goal 1: each size's numbers beside the planner before issue 16."""
    rows = []
    for run in runs:
        words = {
            "created": n(run["first"]["created"]),
            "entered": n(run["day_tick"]["created"]),
            "closed": n(CLOSED),
            "pending": n(run["pending"]),
        }
        for label, ours, before in ROWS:
            old = run[before] if before else None
            rows.append([n(run["assignments"]), label.format(**words), *_beside(run[ours], old)])
    header = ["assignments", "planning", "today", "before issue 16", "before / today"]
    return table(header, rows)
