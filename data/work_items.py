"""Where the work stands: queries that return plain data, rendered elsewhere (chat, CLI).

A *work item* is one assignment (task × unit) on one due. Its state is the
``Progress`` row when one exists, else ``not_started`` (rows are created on the
first update). Its effective due date is the approved extension when there is
one, else the due date. Recurring dues are listed with their rule's first date
only: their per-occurrence progress is the planner's business (known gap).

Summaries count tasks ("16 nhiệm vụ, 24 lượt giao việc"): a task's state is
decided by its lead units (``DECIDING``) — done when every lead unit reported
it done — while coordinating units get their reminders and may report their
part but are neither counted nor listed as separately overdue. A unit that is
both lead and coordinator of a task is one assignment (``COUNTED``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any, TypeVarTuple

from dateutil.rrule import rrulestr
from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlalchemy.sql import Executable

from data.models import (
    PROGRESS_STATES,
    Assignment,
    Due,
    Officer,
    Plan,
    Progress,
    SummaryCount,
    Task,
    TaskCount,
    Unit,
)

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
    role: str = "lead"
    deciding: bool = True
    """Its unit's report decides the task (a lead unit, or any unit of a task without one)."""

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
    """How far one unit is: the items it leads, done and overdue (cancelled ones do not count)."""

    unit_name: str
    total: int
    done: int
    overdue: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


@dataclass(frozen=True)
class Summary:
    """Counts a leader reads first, then what is late, then who is behind."""

    plan_title: str | None
    unit_name: str | None
    tasks: int
    """Tasks in scope that a unit in scope decides (leads)."""
    assignments: int
    """Assignments × dues in scope, lead and coordinating; a lead+coordinator unit once."""
    by_state: dict[str, int]
    """Tasks by the state their lead units' reports give (``task_state``)."""
    done_on_time: int
    done_late: int
    overdue: tuple[WorkItem, ...]
    """Lead units' most overdue items, most overdue first: the ``shown`` top only."""
    units: tuple[UnitCompletion, ...]
    """Most overdue items first, then lowest completion."""
    plan_code: str | None = None
    overdue_total: int = 0
    """Every lead unit's overdue item, of which ``overdue`` is the top."""


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
    role: str
    deciding: bool


@dataclass(frozen=True)
class _Progress:
    id: int
    state: str
    percent: int | None
    late: bool
    done_at: datetime | None
    extended_to: date | None


_lead = aliased(Assignment)
DECIDING = or_(
    Assignment.role == "lead",
    Assignment.task_id.not_in(select(_lead.task_id).where(_lead.role == "lead")),
)
"""The assignment's report decides its task: it leads, or the task has no lead at all.

``NOT IN`` a subquery rather than ``NOT EXISTS``: inside an OR, PostgreSQL runs a
correlated ``NOT EXISTS`` once per row (100,000 index probes on a province's plan),
while it hashes an uncorrelated ``NOT IN`` once; the columns are never NULL, so both
say the same."""
COUNTED = or_(
    Assignment.role == "lead",
    tuple_(Assignment.task_id, Assignment.unit_id).not_in(
        select(_lead.task_id, _lead.unit_id).where(_lead.role == "lead")
    ),
)
"""An assignment counted once: a unit that leads and coordinates a task is one."""
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
    Assignment.role,
    DECIDING.label("deciding"),
)
_PROGRESS_COLUMNS = (
    Progress.id,
    Progress.state,
    Progress.percent,
    Progress.late,
    Progress.done_at,
    Progress.extended_to,
)


_PLAN_ORDER = (Task.plan_id, Task.position, Due.position, Assignment.position, Assignment.id)
"""Work items in plan order: task position, due position, assignment position."""


Columns = TypeVarTuple("Columns")
ONE_OFF = or_(Due.kind != "recurring", Due.rule.is_(None))
"""Dues with a single occurrence (a recurring one has an item per occurrence)."""
_STATE = func.coalesce(Progress.state, "not_started")
_OPEN = _STATE.not_in(CLOSED)


PlanScope = int | Collection[int] | None
"""One plan, the plans a leader leads, or every plan (None)."""


def _joined(
    query: Select[*Columns], plan_id: PlanScope, unit_id: int | None, *, removed: bool = False
) -> Select[*Columns]:
    """Assignments × dues with their task, unit and one-off progress, in scope (of the tasks
    an amended version removed when ``removed``: they count nothing, but the report still
    lists them)."""
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
    # an archived plan is gone from /viec and summaries; a join, not NOT IN (archived): the
    # planner then knows how many tasks are left and hash-joins instead of looping
    query = query.join(Plan, Plan.id == Task.plan_id).where(Plan.archived_at.is_(None))
    query = query.where(Task.removed_in.is_not(None) if removed else Task.removed_in.is_(None))
    if isinstance(plan_id, int):
        query = query.where(Task.plan_id == plan_id)
    elif plan_id is not None:
        query = query.where(Task.plan_id.in_(sorted(plan_id)))
    if unit_id is not None:
        query = query.where(Assignment.unit_id == unit_id)
    return query


async def work_items(
    session: AsyncSession,
    *,
    plan_id: PlanScope = None,
    unit_id: int | None = None,
    task_id: int | None = None,
    task_code: str | None = None,
    assignment_id: int | None = None,
    due_id: int | None = None,
    today: date | None = None,
    where: ColumnElement[bool] | None = None,
) -> list[WorkItem]:
    """Every work item in scope, ordered by plan order (task position, due position).

    ``task_code`` is matched whatever the case it was typed in, as ``find_task`` matches it:
    an answer naming a task reads its items in one statement, not the task first.

    With ``today``, a recurring due becomes one item per occurrence around today
    (the planner's window: 45 days back, 90 ahead), each with its own progress, so
    "xong" about a monthly report closes this month's, not every month's.
    """
    given = {
        "unit_id": unit_id,
        "task_id": task_id,
        "task_code": task_code.upper() if task_code is not None else None,
        "assignment_id": assignment_id,
        "due_id": due_id,
    }
    params: dict[str, Any] = {name: value for name, value in given.items() if value is not None}
    plans = "all" if plan_id is None else "one" if isinstance(plan_id, int) else "some"
    query = _items_query(tuple(params), plans)
    if plan_id is not None:
        params["plan_id"] = plan_id if isinstance(plan_id, int) else sorted(plan_id)
    if where is not None:
        query = query.where(where)
    rows = await _fetch(session, query, params)
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


_FILTERS = {
    "unit_id": Assignment.unit_id,
    "task_id": Task.id,
    "task_code": func.upper(Task.code),
    "assignment_id": Assignment.id,
    "due_id": Due.id,
}
"""``work_items``'s filters: each the column equal to the bound parameter of its name."""


@cache
def _items_query(filters: tuple[str, ...], plans: str) -> Select[*tuple[Any, ...]]:
    """``work_items``'s read with these ``_FILTERS`` and plans ("all", "one" or "some"),
    built once per process: every answer reads its task's items, and building the joins
    anew cost more CPU than running them (issue 16)."""
    query = _joined(select(*_ITEM_COLUMNS, *_PROGRESS_COLUMNS), None, None)
    if plans == "one":
        query = query.where(Task.plan_id == bindparam("plan_id"))
    elif plans == "some":
        query = query.where(Task.plan_id.in_(bindparam("plan_id", expanding=True)))
    for name in filters:
        query = query.where(_FILTERS[name] == bindparam(name))
    return query.order_by(*_PLAN_ORDER)


async def _fetch(
    session: AsyncSession, query: Executable, params: dict[str, Any] | None = None
) -> list[tuple[_Found, _Progress | None]]:
    """The rows of a query of ``_ITEM_COLUMNS`` then ``_PROGRESS_COLUMNS``, as plain objects."""
    width = len(_ITEM_COLUMNS)
    raw: Sequence[Any] = (await session.execute(query, params)).all()  # typed by the dataclasses
    return [
        (_Found(*row[:width]), _Progress(*row[width:]) if row[width] is not None else None)
        for row in raw
    ]


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
        role=found.role,
        deciding=bool(found.deciding),
    )


async def find_task(session: AsyncSession, code: str) -> Task | None:
    """The task with this code, whatever the case it was typed in."""
    return await session.scalar(_task_of_code(), {"code": code.upper()})


@cache
def _task_of_code() -> Select[Task]:
    """``find_task``'s read, built once per process (every answer naming a task runs it)."""
    return select(Task).where(func.upper(Task.code) == bindparam("code"))


def responsible(item: WorkItem, officer: Officer) -> bool:
    """The officer answers for this item: it is theirs, or their unit's."""
    return item.officer_id == officer.id or (
        officer.unit_id is not None and item.unit_id == officer.unit_id
    )


def nearest_open(items: list[WorkItem]) -> list[WorkItem]:
    """Per assignment of a task, the open item with the earliest due (undated last);
    a unit's coordinating part of a task it also leads is left out.

    A task with several dues (``BDT22-VI.1``: 30/6 and 31/12) is reported on
    one due at a time: the nearest one still open, overdue ones first.
    """
    chosen: dict[int, WorkItem] = {}
    for item in sorted((i for i in items if i.open), key=_due_order):
        chosen.setdefault(item.assignment_id, item)
    leading = {(i.task_code, i.unit_id) for i in chosen.values() if i.role == "lead"}
    return [  # a unit that leads and coordinates one task answers for it once, as its lead
        i for i in chosen.values() if i.role == "lead" or (i.task_code, i.unit_id) not in leading
    ]


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


OVERDUE_SHOWN = 20
"""Overdue items a list shows (/quahan, /tonghop, the overview); the rest are only counted."""


@dataclass(frozen=True)
class Overdue:
    """Lead units' overdue items: how many in all and per unit, and the most overdue few.

    A province has tens of thousands of overdue items and a chat message or a page
    shows twenty: the database counts them and sends only the top.
    """

    top: tuple[WorkItem, ...]
    """The most overdue first (then task code, unit name, plan order)."""
    total: int
    by_unit: dict[str, int]
    """Overdue items per unit name."""


def _overdue_order(item: WorkItem, today: date) -> tuple[int, str, str]:
    return (-item.days_overdue(today), item.task_code, item.unit_name)


def _code_points(session: AsyncSession, column: InstrumentedAttribute[str]) -> ColumnElement[str]:
    """``column`` ordered by code point, as Python orders strings: PostgreSQL's default
    collation follows the locale (and sorts "Đ" and "D" together); SQLite's binary
    collation already compares UTF-8 bytes, which is code point order."""
    if session.get_bind().dialect.name == "postgresql":
        return column.collate("C")
    return column.expression


async def _recurring_deciding(
    session: AsyncSession, plan_id: PlanScope, unit_id: int | None, today: date
) -> list[WorkItem]:
    """The deciding items of tasks with a recurring due, one per occurrence around today."""
    items = await work_items(
        session, plan_id=plan_id, unit_id=unit_id, today=today, where=HAS_RECURRING
    )
    return [i for i in items if i.deciding]


async def _overdue(
    session: AsyncSession,
    today: date,
    plan_id: PlanScope,
    unit_id: int | None,
    recurring: list[WorkItem],
    limit: int | None,
) -> Overdue:
    """One-off items counted and the top fetched by the database; ``recurring`` (deciding
    items expanded per occurrence) merged in."""
    open_late = and_(
        _counts(plan_id, unit_id, "item"),
        SummaryCount.state.not_in(CLOSED),
        SummaryCount.due_on < today,
    )
    by_name = select(Unit.name, func.sum(SummaryCount.n)).join(
        Unit, Unit.id == SummaryCount.unit_id
    )
    by_unit = Counter(
        {
            name: int(n)
            for name, n in await session.execute(by_name.where(open_late).group_by(Unit.name))
            if n
        }
    )
    in_force = func.coalesce(Progress.extended_to, Due.due_on)
    one_off = and_(~HAS_RECURRING, DECIDING, _OPEN, in_force < today)
    if limit is not None:  # the items of the tasks and units the index puts first
        tasks, units = await _most_overdue(session, today, plan_id, unit_id, limit)
        one_off = and_(one_off, Task.id.in_(tasks), Assignment.unit_id.in_(units))
    top = (
        _joined(select(*_ITEM_COLUMNS, *_PROGRESS_COLUMNS), plan_id, unit_id)
        .where(one_off)
        .order_by(
            in_force,
            _code_points(session, Task.code),
            _code_points(session, Unit.name),
            *_PLAN_ORDER,
        )
        .limit(limit)
    )
    late = [i for i in recurring if i.days_overdue(today) > 0]
    by_unit.update(i.unit_name for i in late)
    found = [_item(*row) for row in await _fetch(session, top)] + late
    ordered = sorted(found, key=lambda i: _overdue_order(i, today))  # stable: plan order kept
    return Overdue(tuple(ordered[:limit]), sum(by_unit.values()), dict(by_unit))


async def _most_overdue(
    session: AsyncSession, today: date, plan_id: PlanScope, unit_id: int | None, limit: int
) -> tuple[set[int], set[int]]:
    """The tasks and units of the ``limit`` first overdue rows of ``task_counts`` in list
    order (due, code, unit name: ``ix_task_counts_overdue``). Their items hold the
    ``limit`` most overdue ones: an item of another task or unit comes after them all."""
    query = select(TaskCount.task_id, TaskCount.unit_id).where(
        TaskCount.measure == "item", TaskCount.due_on < today
    )
    if isinstance(plan_id, int):
        query = query.where(TaskCount.plan_id == plan_id)
    elif plan_id is not None:
        query = query.where(TaskCount.plan_id.in_(sorted(plan_id)))
    if unit_id is not None:
        query = query.where(TaskCount.unit_id == unit_id)
    order = (TaskCount.due_on, TaskCount.code, TaskCount.unit_name)
    rows = (await session.execute(query.order_by(*order).limit(limit))).all()
    return {task for task, _ in rows}, {unit for _, unit in rows}


def _counts(plan_id: PlanScope, unit_id: int | None, measure: str) -> ColumnElement[bool]:
    """``summary_counts`` rows of one measure in scope (``data/summary_counts.py``)."""
    wanted = [SummaryCount.measure == measure]
    if isinstance(plan_id, int):
        wanted.append(SummaryCount.plan_id == plan_id)
    elif plan_id is not None:
        wanted.append(SummaryCount.plan_id.in_(sorted(plan_id)))
    if measure == "task":  # unit 0: tasks judged on all their deciding units
        wanted.append(SummaryCount.unit_id == (unit_id or 0))
    elif unit_id is not None:
        wanted.append(SummaryCount.unit_id == unit_id)
    return and_(*wanted)


async def overdue(
    session: AsyncSession,
    today: date,
    unit_id: int | None = None,
    plan_id: PlanScope = None,
    limit: int | None = OVERDUE_SHOWN,
) -> Overdue:
    """Lead units' open items past their effective due date: the ``limit`` most overdue
    (every one with None) and how many there are.

    A coordinating unit's part is not separately overdue: the task is its lead's.
    """
    recurring = await _recurring_deciding(session, plan_id, unit_id, today)
    return await _overdue(session, today, plan_id, unit_id, recurring, limit)


@dataclass(frozen=True)
class OpenWork:
    """A unit's open items that decide their tasks: how many, and the officers in charge."""

    unit_name: str
    items: int
    officers: frozenset[int]


async def open_work(
    session: AsyncSession, plan_id: PlanScope, unit_id: int | None, today: date
) -> dict[int, OpenWork]:
    """Per unit id, its open deciding items (recurring ones per occurrence around today),
    counted by the database: "who has not reported" needs the counts, not the items."""
    open_now = and_(_counts(plan_id, unit_id, "item"), SummaryCount.state.not_in(CLOSED))
    query = (
        select(SummaryCount.unit_id, Unit.name, SummaryCount.officer_id, func.sum(SummaryCount.n))
        .join(Unit, Unit.id == SummaryCount.unit_id)
        .where(open_now, SummaryCount.n > 0)
        .group_by(SummaryCount.unit_id, Unit.name, SummaryCount.officer_id)
    )
    rows = [
        (u, name, officer or None, int(n))
        for u, name, officer, n in await session.execute(query)
        if n
    ]
    rows += [
        (i.unit_id, i.unit_name, i.officer_id, 1)
        for i in await _recurring_deciding(session, plan_id, unit_id, today)
        if i.open
    ]
    counts: Counter[int] = Counter()
    names: dict[int, str] = {}
    officers: dict[int, set[int]] = defaultdict(set)
    for unit, name, officer, n in rows:
        counts[unit] += n
        names[unit] = name
        if officer is not None:
            officers[unit].add(officer)
    return {u: OpenWork(names[u], n, frozenset(officers[u])) for u, n in counts.items()}


@dataclass(frozen=True)
class Tally:
    """One task's deciding items, counted by what its state depends on."""

    items: int = 0
    done: int = 0
    cancelled: int = 0
    blocked: int = 0
    asked: int = 0
    started: int = 0
    late: int = 0


def task_state(tally: Tally) -> str:
    """A task's state from its lead units' items: done once every one is done (or cancelled);
    otherwise the most pressing open state, so a blocked part shows at the top."""
    if tally.cancelled == tally.items:
        return "cancelled"
    if tally.done + tally.cancelled == tally.items:
        return "done"
    if tally.blocked:
        return "blocked"
    if tally.asked:
        return "extension_requested"
    return "in_progress" if tally.started or tally.done else "not_started"


def _tally(items: Sequence[WorkItem]) -> Tally:
    states = Counter(i.state for i in items)
    return Tally(
        items=len(items),
        done=states["done"],
        cancelled=states["cancelled"],
        blocked=states["blocked"],
        asked=states["extension_requested"],
        started=states["in_progress"],
        late=sum(1 for i in items if i.state == "done" and i.late),
    )


_recurring_due = aliased(Due)
HAS_RECURRING = Task.id.in_(
    select(_recurring_due.task_id).where(
        _recurring_due.kind == "recurring", _recurring_due.rule.is_not(None)
    )
)
"""The task has a recurring due: its items are expanded per occurrence, in Python."""


async def plan_summary(
    session: AsyncSession,
    plan_id: PlanScope,
    unit_id: int | None,
    today: date,
    shown: int = OVERDUE_SHOWN,
) -> Summary:
    """Tasks by state, on time / late, lead units' ``shown`` most overdue items (and how
    many), completion per unit.

    Tasks without recurring dues are read from the counts the writes keep
    (``data/summary_counts.py``: a province's plan has 100,000 items, and counting
    them per call took seconds); tasks with a recurring
    due are expanded per occurrence here, as everywhere else; of the overdue items
    only the shown top is fetched.
    """
    by_state = select(SummaryCount.state, SummaryCount.late, func.sum(SummaryCount.n))
    task_rows = _counts(plan_id, unit_id, "task")
    grouped = by_state.where(task_rows).group_by(SummaryCount.state, SummaryCount.late)
    states = [(state, bool(late), int(n)) for state, late, n in await session.execute(grouped) if n]
    per_unit_query = (
        select(Unit.name, SummaryCount.state, func.sum(SummaryCount.n))
        .join(Unit, Unit.id == SummaryCount.unit_id)
        .where(_counts(plan_id, unit_id, "item"))
        .group_by(Unit.name, SummaryCount.state)
    )
    per_unit: list[tuple[str, str, int]] = [
        (name, state, int(n)) for name, state, n in await session.execute(per_unit_query) if n
    ]
    recurring = await _recurring_deciding(session, plan_id, unit_id, today)
    by_task: dict[str, list[WorkItem]] = defaultdict(list)
    for item in recurring:
        by_task[item.task_code].append(item)
    for tally in map(_tally, by_task.values()):
        states.append((task_state(tally), tally.late > 0, 1))
    per_unit += [(i.unit_name, i.state, 1) for i in recurring]
    late = await _overdue(session, today, plan_id, unit_id, recurring, shown)
    counted = select(func.sum(SummaryCount.n)).where(_counts(plan_id, unit_id, "counted"))
    plan = await session.get(Plan, plan_id) if isinstance(plan_id, int) else None
    unit = await session.get(Unit, unit_id) if unit_id is not None else None
    return _summarise(
        states,
        per_unit,
        late,
        assignments=int(await session.scalar(counted) or 0),
        plan=plan,
        unit_name=unit.name if unit else None,
    )


def _summarise(
    tallies: list[tuple[str, bool, int]],
    per_unit: list[tuple[str, str, int]],
    late: Overdue,
    *,
    assignments: int,
    plan: Plan | None,
    unit_name: str | None,
) -> Summary:
    """The summary of (task state, done late, how many tasks) and (unit, state, count) groups."""
    by_state = Counter({state: 0 for state in PROGRESS_STATES})
    done_on_time = done_late = 0
    for state, was_late, count in tallies:
        by_state[state] += count
        if state == "done":
            done_late += count if was_late else 0
            done_on_time += 0 if was_late else count
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name, state, count in per_unit:
        if state != "cancelled":
            counts[name][0] += count
            counts[name][1] += count if state == "done" else 0
    overdue_by_unit = Counter(late.by_unit)
    units = sorted(
        (
            UnitCompletion(name, total, done, overdue_by_unit[name])
            for name, (total, done) in counts.items()
        ),
        key=lambda u: (-u.overdue, u.percent, u.unit_name),
    )
    return Summary(
        plan_title=plan.title if plan else None,
        unit_name=unit_name,
        tasks=sum(count for _, _, count in tallies),
        assignments=assignments,
        by_state=dict(by_state),
        done_on_time=done_on_time,
        done_late=done_late,
        overdue=late.top,
        units=tuple(units),
        plan_code=plan.code_prefix if plan else None,
        overdue_total=late.total,
    )
