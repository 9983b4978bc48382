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
  open deciding items, else the latest) falls in it, computed in SQL for the tasks with
  a due or an extension in that month only; a unit head's month choices are its rows'.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Date,
    Select,
    Subquery,
    and_,
    case,
    exists,
    func,
    or_,
    select,
    union,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from data.models import Assignment, Due, Plan, Progress, Section, SummaryCount, Task, TaskCount
from data.report_counts import RECURRING, REPORT, WHOLE_TASK
from data.report_model import IN_PROGRESS_LATE, IN_PROGRESS_ON_TIME, ReportRow, StateCounts
from data.report_states import build_report
from data.work_items import CLOSED

ONE_OFF = "-"
"""``Progress.instance`` of a one-off due's item."""
_other = aliased(Assignment)


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
    """``_as_of`` of a kept row equals ``state``, as a condition its index can serve."""
    if state == IN_PROGRESS_LATE:
        late = and_(TaskCount.state == IN_PROGRESS_ON_TIME, TaskCount.due_on < today)
        return or_(TaskCount.state == IN_PROGRESS_LATE, late)
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
    rows, a month from the rows' dues (``_row_dues``), either from the replayed rows."""
    plan_id, unit_id, replayed = asked.plan.id, asked.unit_id, counted.replayed
    kept = [_in_scope(plan_id, unit_id)]
    if asked.state is not None:
        state = asked.state
        rows = select(TaskCount.task_id).where(
            _kept_rows(plan_id, unit_id), _state_is(state, asked.today)
        )
        found = sorted(task for task, row in replayed.items() if row.state == state)
        kept.append(or_(Task.id.in_(rows), Task.id.in_(found)))
    if asked.month is not None:
        first, after = _month(asked.month)
        dues = _row_dues(plan_id, unit_id, _due_within(first, after), replayed)
        within = select(dues.c.task_id).where(dues.c.due_on >= first, dues.c.due_on < after)
        found = sorted(
            task for task, row in replayed.items() if row.due_on and first <= row.due_on < after
        )
        kept.append(or_(Task.id.in_(within), Task.id.in_(found)))
    return and_(*kept)


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


def _due_within(first: date, after: date) -> CompoundSelect[int]:
    """The tasks with a stored due or an approved extension in [first, after) (along the
    dues' and the extensions' indexes): a row's due in force is one of its items'."""
    extended = (
        select(Assignment.task_id)
        .join(Progress, Progress.assignment_id == Assignment.id)
        .where(Progress.extended_to >= first, Progress.extended_to < after)
    )
    stored = select(Due.task_id).where(Due.due_on >= first, Due.due_on < after)
    return union(stored, extended)


def _row_dues(
    plan_id: int,
    unit_id: int | None,
    tasks: Select[int] | CompoundSelect[int],
    replayed: Collection[int],
) -> Subquery:
    """(task id, due_on): the due of each task's report row (``report_states._row``: the
    earliest due in force of its open deciding items, else the latest of them all), for
    ``tasks`` whose state the counts hold (one-off dues: the replayed ones, with a
    recurring due, are left to their rows). The tasks drive the join: a month's are a
    quarter of the plan at most."""
    asked = tasks.subquery()
    task_id = asked.c[0]
    in_force = func.coalesce(Progress.extended_to, Due.due_on, type_=Date)
    open_item = or_(Progress.state.is_(None), Progress.state.not_in(CLOSED))
    leads = [_other.task_id == task_id, _other.role == "lead"]
    if unit_id is not None:
        leads.append(_other.unit_id == unit_id)
    due_on = func.coalesce(func.min(case((open_item, in_force))), func.max(in_force), type_=Date)
    item = and_(
        Progress.assignment_id == Assignment.id,
        Progress.due_id == Due.id,
        Progress.instance == ONE_OFF,
    )
    query = (
        select(task_id.label("task_id"), due_on.label("due_on"))
        .select_from(asked)
        .join(Assignment, Assignment.task_id == task_id)
        .join(Due, Due.task_id == task_id)
        .outerjoin(Progress, item)
        .where(exists().where(Task.id == task_id, Task.plan_id == plan_id))
        .where(task_id.not_in(sorted(replayed)))
        .where(or_(Assignment.role == "lead", ~exists().where(*leads)))
        .group_by(task_id)
    )
    if unit_id is not None:
        query = query.where(Assignment.unit_id == unit_id)
    return query.subquery()


async def row_months(session: AsyncSession, asked: Asked, counted: Counted) -> list[str]:
    """The months of the table's rows' dues (a unit head's due-month choices: their part's
    rows, as the report gives them)."""
    tasks = select(Task.id).where(_in_scope(asked.plan.id, asked.unit_id))
    dues = _row_dues(asked.plan.id, asked.unit_id, tasks, counted.replayed)
    days = set(await session.scalars(select(dues.c.due_on).distinct()))
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
