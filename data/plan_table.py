"""Which of a plan's tasks one page of the plan page lists, counted and paged in SQL.

The plan page's table showed the whole plan's report: every task's audit replayed and
every row rendered, 21.8 s for a leader at 100,000 assignments; then every task's
(code, state) was read into Python to filter and page it, 0.9 s. The counts keep each
task's report state as of now (``data/report_counts``: a ``report`` row per task, whole
and per deciding unit, summed in ``summary_counts``), so:

- the figures above the table are the few ``summary_counts`` rows of the plan (or unit);
- the tasks the counts leave to the report (a recurring due, a unit's part in a task it
  only coordinates, a task not counted yet) are found (a count of the table's tasks
  tells whether any is uncounted) and replayed: a few;
- a page is ``ORDER BY`` the report's order with ``LIMIT``/``OFFSET``, the state filter
  a condition on the kept rows (an index, migration 0021), so only 50 tasks are read
  and the report is built for them (``build_report(tasks_of=...)``);
- a due month keeps the rows whose due (the report's: the earliest due in force of the
  open deciding items, else the latest) falls in it: each kept row carries it
  (``row_due``, a range of an index, migration 0024); a unit head's month choices are
  its rows'.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import Assignment, Due, Plan, Progress, Section, SummaryCount, Task, TaskCount
from data.report_counts import RECURRING, REPORT, WHOLE_TASK
from data.report_model import IN_PROGRESS_LATE, IN_PROGRESS_ON_TIME, ReportRow, StateCounts
from data.report_states import build_report


@dataclass(frozen=True)
class Counted:
    """The table's tasks by state (the figures above it), and the report rows of the tasks
    the counts leave to the report, replayed (by task id)."""

    figures: StateCounts
    replayed: dict[int, ReportRow]

    def kept(self, state: str | None) -> int:
        """How many tasks the state filter keeps (all without one)."""
        return self.figures.total if state is None else self.figures[state]


def _in_scope(plan_id: int, unit_id: int | None) -> ColumnElement[bool]:
    """The plan's tasks (of the unit's, when given: the ones it leads or coordinates, as its
    report lists them), as a condition on ``Task``."""
    scope = Task.plan_id == plan_id
    if unit_id is not None:
        unit_tasks = select(Assignment.task_id).where(Assignment.unit_id == unit_id)
        scope &= Task.id.in_(unit_tasks.correlate(None))
    return scope


def _kept_rows(plan_id: int, unit_id: int | None) -> ColumnElement[bool]:
    """The ``report`` rows of the plan's tasks judged whole (or on the unit's own items)."""
    return and_(
        TaskCount.plan_id == plan_id,
        TaskCount.measure == REPORT,
        TaskCount.unit_id == (WHOLE_TASK if unit_id is None else unit_id),
    )


def _as_of(state: str, due_on: date, today: date) -> str:
    """A kept state as of ``today``: in progress past its earliest open due is late."""
    return IN_PROGRESS_LATE if state == IN_PROGRESS_ON_TIME and due_on < today else state


def _state_is(state: str, today: date) -> ColumnElement[bool]:
    """``_as_of`` of a kept row equals ``state``, as a condition its index can serve: the
    states as a list, so ``ix_task_counts_report`` is searched by plan, unit and state
    (SQLite, without statistics, took an OR of two states for a reason to read every row
    of the plan along another index of the same plan and unit)."""
    if state == IN_PROGRESS_LATE:
        either = TaskCount.state.in_([IN_PROGRESS_LATE, IN_PROGRESS_ON_TIME])
        return and_(either, or_(TaskCount.state == IN_PROGRESS_LATE, TaskCount.due_on < today))
    if state == IN_PROGRESS_ON_TIME:
        return and_(TaskCount.state == state, TaskCount.due_on >= today)
    return TaskCount.state == state


async def counted_states(
    session: AsyncSession, plan: Plan, today: date, unit_id: int | None
) -> Counted:
    """The figures of the plan's table (of the unit's) as of ``today``, as its report gives
    them, from the counts and the few tasks they leave to the report."""
    unit = WHOLE_TASK if unit_id is None else unit_id
    kept = select(SummaryCount.state, SummaryCount.due_on, SummaryCount.n).where(
        SummaryCount.plan_id == plan.id,
        SummaryCount.measure == REPORT,
        SummaryCount.unit_id == unit,
    )
    figures: Counter[str] = Counter()
    rows = 0
    for state, due_on, n in await session.execute(kept):
        rows += n
        if state != RECURRING:
            figures[_as_of(state, due_on, today)] += n
    tasks = await session.scalar(select(func.count(Task.id)).where(_in_scope(plan.id, unit_id)))
    replayed = await _replayed(session, plan, today, unit_id, every_task_kept=tasks == rows)
    figures.update(row.state for row in replayed.values())
    return Counted(StateCounts({s: n for s, n in figures.items() if n}), replayed)


async def _replayed(
    session: AsyncSession, plan: Plan, today: date, unit_id: int | None, *, every_task_kept: bool
) -> dict[int, ReportRow]:
    """The states of the tasks the counts leave to the report, by replaying them. When every
    task of the table has its row (the usual case of a whole plan) they are the rows marked
    recurring, along an index; else the tasks without a row that decides them (a unit's
    coordinated tasks, a task not counted yet), over the table's tasks."""
    if every_task_kept:
        left = select(Task.id, Task.code).join(TaskCount, TaskCount.task_id == Task.id)
        left = left.where(_kept_rows(plan.id, unit_id), TaskCount.state == RECURRING)
    else:
        decided = exists().where(
            TaskCount.task_id == Task.id,
            _kept_rows(plan.id, unit_id),
            TaskCount.state != RECURRING,
        )
        left = select(Task.id, Task.code).where(_in_scope(plan.id, unit_id), ~decided)
    codes = {code: task_id for task_id, code in await session.execute(left)}
    if not codes:
        return {}
    report = await build_report(session, plan, today, unit_id, tasks_of=Task.id.in_(codes.values()))
    return {codes[row.code]: row for section in report.sections for row in section.rows}


@dataclass(frozen=True)
class Asked:
    """The table asked for: the plan's tasks (the unit's), in a state, due in a month."""

    plan: Plan
    today: date
    unit_id: int | None
    state: str | None = None
    month: str | None = None
    """``2026-03``: tasks whose row's due (in force) falls in that month."""


def _kept_tasks(asked: Asked, counted: Counted) -> ColumnElement[bool]:
    """The tasks the filters keep, as a condition on ``Task``: a state read from the kept
    rows, a month from their rows' dues (``TaskCount.row_due``), either from the replayed
    rows. Those are the table's tasks already, so a filter leaves the table's scope out:
    its rows drive the read by task id (with the plan's condition beside it, SQLite went
    through the plan's every task and tested each against them)."""
    plan_id, unit_id, replayed = asked.plan.id, asked.unit_id, counted.replayed
    kept = []
    if asked.state is not None:
        state = asked.state
        rows = select(TaskCount.task_id).where(
            _kept_rows(plan_id, unit_id), _state_is(state, asked.today)
        )
        kept.append(_either(rows, [task for task, row in replayed.items() if row.state == state]))
    if asked.month is not None:
        first, after = _month(asked.month)
        rows = select(TaskCount.task_id).where(
            _kept_rows(plan_id, unit_id), TaskCount.row_due >= first, TaskCount.row_due < after
        )
        found = [
            task for task, row in replayed.items() if row.due_on and first <= row.due_on < after
        ]
        kept.append(_either(rows, found))
    return and_(*kept) if kept else _in_scope(plan_id, unit_id)


def _either(rows: Select[int], replayed: list[int]) -> ColumnElement[bool]:
    """A task of the kept ``rows`` or one of the ``replayed`` (none, most often)."""
    kept = Task.id.in_(rows)
    return or_(kept, Task.id.in_(sorted(replayed))) if replayed else kept


async def page_of(
    session: AsyncSession, asked: Asked, counted: Counted, offset: int, limit: int
) -> tuple[list[int], int]:
    """The ids of one page of the tasks the filters keep, in the report's order, and how
    many they keep: the figures say it without a month; with one, a window count over
    the same rows (a month's rows' dues are computed once, not once more to count them),
    or a count of its own when the page is past the last."""
    query = (
        select(Task.id, func.count().over())
        .join(Section, Section.id == Task.section_id)
        .where(_kept_tasks(asked, counted))
        .order_by(Section.position, Task.position, Task.id)
        .offset(offset)
        .limit(limit)
    )
    if asked.month is None:
        shown = list(await session.scalars(query.with_only_columns(Task.id)))
        return shown, counted.kept(asked.state)
    rows = (await session.execute(query)).all()
    if rows:
        return [task for task, _ in rows], rows[0][1]
    kept = await session.scalar(select(func.count(Task.id)).where(_kept_tasks(asked, counted)))
    return [], kept or 0


def _month(month: str) -> tuple[date, date]:
    """The first day of ``2026-03`` and of the month after."""
    first = date(int(month[:4]), int(month[5:]), 1)
    return first, _next_month(first)


async def row_months(session: AsyncSession, asked: Asked, counted: Counted) -> list[str]:
    """The months of the table's rows' dues (a unit head's due-month choices: their part's
    rows, as the report gives them)."""
    kept = select(TaskCount.row_due).where(_kept_rows(asked.plan.id, asked.unit_id)).distinct()
    days = set(await session.scalars(kept))
    days.update(row.due_on for row in counted.replayed.values())
    return sorted({day.strftime("%Y-%m") for day in days if day is not None})


async def due_months(session: AsyncSession, plan_id: int) -> list[str]:
    """The months (``2026-03``) with a stored due or an approved extension in the plan: the
    due-month filter's choices, read without the report's rows. Each month is the first
    day found from the start of the next one along an index (a dozen short reads: the
    distinct days of 100,000 dues took 200 ms on SQLite). The plan is a correlated
    EXISTS, not a join: joined, SQLite without statistics (it gathers none by itself)
    started from the plan's 100,000 tasks and sorted their dues for each month, 70 ms a
    read; the EXISTS leaves it the date index to walk, on either backend."""
    in_plan = Task.plan_id == plan_id
    dues = select(Due.due_on).where(exists().where(Task.id == Due.task_id, in_plan))
    extended_in_plan = exists().where(
        Assignment.id == Progress.assignment_id, Task.id == Assignment.task_id, in_plan
    )
    extended = select(Progress.extended_to).where(extended_in_plan)
    months: set[str] = set()
    for query, day in ((dues, Due.due_on), (extended, Progress.extended_to)):
        query = query.order_by(day).limit(1)
        found = await session.scalar(query.where(day.is_not(None)))
        while found is not None:
            months.add(found.strftime("%Y-%m"))
            found = await session.scalar(query.where(day >= _next_month(found)))
    return sorted(months)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)
