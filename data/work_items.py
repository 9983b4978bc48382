"""Where the work stands: queries that return plain data, rendered elsewhere (chat, CLI).

A *work item* is one assignment (task × unit) on one due. Its state is the
``Progress`` row when one exists, else ``not_started`` (rows are created on the
first update). Its effective due date is the approved extension when there is
one, else the due date. Recurring dues are listed with their rule's first date
only: their per-occurrence progress is the planner's business (known gap).

Summaries count work items, not tasks: a task led by two units counts twice,
because each unit answers for its own part.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVarTuple

from dateutil.rrule import rrulestr
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import PROGRESS_STATES, Assignment, Due, Officer, Plan, Progress, Task, Unit

CLOSED = ("done", "cancelled")


@dataclass(frozen=True)
class WorkItem:
    """One assignment on one due, as a person reads it."""

    assignment_id: int
    due_id: int
    instance: str
    task_code: str
    content: str
    plan_id: int
    unit_id: int
    unit_name: str
    officer_id: int | None
    due_on: date | None
    due_kind: str
    state: str
    percent: int | None
    late: bool
    done_at: datetime | None
    progress_id: int | None

    @property
    def open(self) -> bool:
        """Still to be done (not done, not cancelled)."""
        return self.state not in CLOSED

    def days_overdue(self, today: date) -> int:
        """Days past the effective due date while open; 0 when not overdue."""
        if not self.open or self.due_on is None:
            return 0
        return max(0, (today - self.due_on).days)


@dataclass(frozen=True)
class UnitCompletion:
    """How far one unit is: items done of its items (cancelled ones do not count)."""

    unit_name: str
    total: int
    done: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


@dataclass(frozen=True)
class Summary:
    """Counts a leader reads first, then what is late, then who is behind."""

    plan_title: str | None
    unit_name: str | None
    total: int
    by_state: dict[str, int]
    done_on_time: int
    done_late: int
    overdue: tuple[WorkItem, ...]
    units: tuple[UnitCompletion, ...]


@dataclass(frozen=True)
class _Found:
    """The columns of one (assignment, due) row; plain rows: ORM objects cost 3× the time."""

    assignment_id: int
    unit_id: int
    officer_id: int | None
    due_id: int
    due_kind: str
    due_on: date | None
    start_on: date | None
    rule: str | None
    task_code: str
    content: str
    plan_id: int
    unit_name: str


@dataclass(frozen=True)
class _Progress:
    id: int
    state: str
    percent: int | None
    late: bool
    done_at: datetime | None
    extended_to: date | None


_ITEM_COLUMNS = (
    Assignment.id,
    Assignment.unit_id,
    Assignment.officer_id,
    Due.id,
    Due.kind,
    Due.due_on,
    Due.start_on,
    Due.rule,
    Task.code,
    Task.content,
    Task.plan_id,
    Unit.name,
)
_PROGRESS_COLUMNS = (
    Progress.id,
    Progress.state,
    Progress.percent,
    Progress.late,
    Progress.done_at,
    Progress.extended_to,
)


Columns = TypeVarTuple("Columns")
ONE_OFF = or_(Due.kind != "recurring", Due.rule.is_(None))
"""Dues with a single occurrence (a recurring one has an item per occurrence)."""
_STATE = func.coalesce(Progress.state, "not_started")
_OPEN = _STATE.not_in(CLOSED)


def _joined(query: Select[*Columns], plan_id: int | None, unit_id: int | None) -> Select[*Columns]:
    """Assignments × dues with their task, unit and one-off progress, in scope."""
    query = (
        query.select_from(Assignment)
        .join(Task, Task.id == Assignment.task_id)
        .join(Due, Due.task_id == Task.id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .outerjoin(
            Progress,
            and_(
                Progress.assignment_id == Assignment.id,
                Progress.due_id == Due.id,
                Progress.instance == "-",
            ),
        )
    )
    if plan_id is not None:
        query = query.where(Task.plan_id == plan_id)
    if unit_id is not None:
        query = query.where(Assignment.unit_id == unit_id)
    return query


async def work_items(
    session: AsyncSession,
    *,
    plan_id: int | None = None,
    unit_id: int | None = None,
    task_id: int | None = None,
    assignment_id: int | None = None,
    due_id: int | None = None,
    today: date | None = None,
    where: ColumnElement[bool] | None = None,
) -> list[WorkItem]:
    """Every work item in scope, ordered by plan order (task position, due position).

    With ``today``, a recurring due becomes one item per occurrence around today
    (the planner's window: 45 days back, 90 ahead), each with its own progress, so
    "xong" about a monthly report closes this month's, not every month's.
    """
    query = _joined(select(*_ITEM_COLUMNS, *_PROGRESS_COLUMNS), plan_id, unit_id).order_by(
        Task.plan_id, Task.position, Due.position, Assignment.position, Assignment.id
    )
    if task_id is not None:
        query = query.where(Task.id == task_id)
    if assignment_id is not None:
        query = query.where(Assignment.id == assignment_id)
    if due_id is not None:
        query = query.where(Due.id == due_id)
    if where is not None:
        query = query.where(where)
    width = len(_ITEM_COLUMNS)
    raw: Sequence[Any] = (await session.execute(query)).all()  # typed by the dataclasses
    rows = [
        (_Found(*row[:width]), _Progress(*row[width:]) if row[width] is not None else None)
        for row in raw
    ]
    if today is None:
        return [_item(found, progress) for found, progress in rows]
    recurring = {f.due_id for f, _ in rows if f.due_kind == "recurring" and f.rule}
    progress_of = await _occurrence_progress(session, recurring)
    items: list[WorkItem] = []
    for found, progress in rows:
        if found.due_id not in recurring:
            items.append(_item(found, progress))
            continue
        for day in occurrences(found.rule or "", found.start_on, today):
            key = (found.assignment_id, found.due_id, day.isoformat())
            items.append(_item(found, progress_of.get(key), occurrence=day))
    return items


def occurrences(rule: str, start_on: date | None, today: date) -> list[date]:
    """The dates of a recurring due from 45 days before ``today`` to 90 days after."""
    anchor = start_on or date(today.year, 1, 1)  # as the planner anchors it
    dates = rrulestr(rule, dtstart=datetime.combine(anchor, time(0)))
    window = (
        datetime.combine(today - timedelta(days=45), time(0)),
        datetime.combine(today + timedelta(days=90), time(0)),
    )
    return [moment.date() for moment in dates.between(*window, inc=True)]


async def _occurrence_progress(
    session: AsyncSession, due_ids: set[int]
) -> dict[tuple[int, int, str], _Progress]:
    if not due_ids:
        return {}
    query = select(
        Progress.assignment_id, Progress.due_id, Progress.instance, *_PROGRESS_COLUMNS
    ).where(Progress.due_id.in_(due_ids), Progress.instance != "-")
    rows: Sequence[Any] = (await session.execute(query)).all()
    return {(row[0], row[1], row[2]): _Progress(*row[3:]) for row in rows}


def _item(found: _Found, progress: _Progress | None, occurrence: date | None = None) -> WorkItem:
    extended = progress.extended_to if progress is not None else None
    return WorkItem(
        assignment_id=found.assignment_id,
        due_id=found.due_id,
        instance=occurrence.isoformat() if occurrence else "-",
        task_code=found.task_code,
        content=found.content,
        plan_id=found.plan_id,
        unit_id=found.unit_id,
        unit_name=found.unit_name,
        officer_id=found.officer_id,
        due_on=extended or occurrence or found.due_on,
        due_kind=found.due_kind,
        state=progress.state if progress is not None else "not_started",
        percent=progress.percent if progress is not None else None,
        late=progress.late if progress is not None else False,
        done_at=progress.done_at if progress is not None else None,
        progress_id=progress.id if progress is not None else None,
    )


async def find_task(session: AsyncSession, code: str) -> Task | None:
    """The task with this code, whatever the case it was typed in."""
    return await session.scalar(select(Task).where(func.upper(Task.code) == code.upper()))


def responsible(item: WorkItem, officer: Officer) -> bool:
    """The officer answers for this item: it is theirs, or their unit's."""
    return item.officer_id == officer.id or (
        officer.unit_id is not None and item.unit_id == officer.unit_id
    )


def nearest_open(items: list[WorkItem]) -> list[WorkItem]:
    """Per assignment of a task, the open item with the earliest due (undated last).

    A task with several dues (``BDT22-VI.1``: 30/6 and 31/12) is reported on
    one due at a time: the nearest one still open, overdue ones first.
    """
    chosen: dict[int, WorkItem] = {}
    for item in sorted((i for i in items if i.open), key=_due_order):
        chosen.setdefault(item.assignment_id, item)
    return list(chosen.values())


def _due_order(item: WorkItem) -> tuple[bool, date]:
    return (item.due_on is None, item.due_on or date.max)


async def open_items(session: AsyncSession, officer: Officer, today: date) -> list[WorkItem]:
    """The officer's open items, nearest due first (one per assignment and task)."""
    if officer.unit_id is None:
        items = [i for i in await work_items(session, today=today) if i.officer_id == officer.id]
    else:
        items = await work_items(session, unit_id=officer.unit_id, today=today)
        items += [
            i
            for i in await work_items(session, today=today)
            if i.officer_id == officer.id and i.unit_id != officer.unit_id
        ]
    return sorted(nearest_open(items), key=lambda i: (_due_order(i), i.task_code))


async def overdue(session: AsyncSession, today: date, unit_id: int | None = None) -> list[WorkItem]:
    """Open items past their effective due date, most overdue first."""
    items = await work_items(session, unit_id=unit_id, today=today)
    items = [i for i in items if i.days_overdue(today) > 0]
    return sorted(items, key=lambda i: (-i.days_overdue(today), i.task_code, i.unit_name))


async def plan_summary(
    session: AsyncSession, plan_id: int | None, unit_id: int | None, today: date
) -> Summary:
    """Counts by state, on time / late, the overdue list and completion per unit.

    One-off dues are counted by the database (a province's plan has 100,000 of
    them: fetching them all took seconds); recurring ones are expanded per
    occurrence here, as everywhere else; only overdue items are fetched whole.
    """
    late_flag = func.coalesce(Progress.late, False)
    counted = _joined(select(Unit.name, _STATE, late_flag, func.count()), plan_id, unit_id)
    counted = counted.where(ONE_OFF).group_by(Unit.name, _STATE, late_flag)
    groups: list[tuple[str, str, bool, int]] = [
        (name, state, bool(late), int(n)) for name, state, late, n in await session.execute(counted)
    ]
    recurring = await work_items(
        session, plan_id=plan_id, unit_id=unit_id, today=today, where=~ONE_OFF
    )
    groups += [(i.unit_name, i.state, i.late, 1) for i in recurring]
    overdue_one_off = func.coalesce(Progress.extended_to, Due.due_on) < today
    late = await work_items(
        session, plan_id=plan_id, unit_id=unit_id, where=and_(ONE_OFF, _OPEN, overdue_one_off)
    )
    late += [i for i in recurring if i.days_overdue(today) > 0]
    plan = await session.get(Plan, plan_id) if plan_id is not None else None
    unit = await session.get(Unit, unit_id) if unit_id is not None else None
    return _summarise(
        groups,
        sorted(late, key=lambda i: (-i.days_overdue(today), i.task_code)),
        plan_title=plan.title if plan else None,
        unit_name=unit.name if unit else None,
    )


def _summarise(
    groups: list[tuple[str, str, bool, int]],
    late: list[WorkItem],
    *,
    plan_title: str | None,
    unit_name: str | None,
) -> Summary:
    """The summary of (unit, state, late, count) groups."""
    by_state = Counter({state: 0 for state in PROGRESS_STATES})
    per_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    done_on_time = done_late = 0
    for name, state, is_late, count in groups:
        by_state[state] += count
        if state == "done":
            done_late += count if is_late else 0
            done_on_time += 0 if is_late else count
        if state != "cancelled":
            per_unit[name][0] += count
            per_unit[name][1] += count if state == "done" else 0
    units = sorted(
        (UnitCompletion(name, total, done) for name, (total, done) in per_unit.items()),
        key=lambda u: (u.percent, u.unit_name),
    )
    return Summary(
        plan_title=plan_title,
        unit_name=unit_name,
        total=sum(count for *_, count in groups),
        by_state=dict(by_state),
        done_on_time=done_on_time,
        done_late=done_late,
        overdue=tuple(late),
        units=tuple(units),
    )
