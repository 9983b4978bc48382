"""Turn dues into reminder outbox rows: idempotent, re-run after any change.

The planner computes the *desired* outbox from the database (dues, progress,
officers, mutes, policy, calendar) for a window starting today, then reconciles:
new rows are inserted (the UNIQUE key makes a second run a no-op), pending rows
that are no longer wanted (done work, a changed policy, a muted task, a moved due)
are cancelled, and cancelled rows that are wanted again come back. Rows already
sent are history and never touched. Slots are keyed with the effective due date
(``before-3@2022-03-31``) so an approved extension plans fresh reminders for the
new date instead of reusing the old ones. Keys and inserts are the outbox's
(``outbox.reminder_key``, ``outbox.plan_slots``): the planner only decides what
is wanted and moves its own rows between ``pending`` and ``cancelled``.

Planning follows the work that changed, not the size of the database: a change
replans the dues it affects in its own transaction (``plan_reminders(due_ids=…)``,
``replan_tasks``, ``replan_plan``; people, the global policy and the calendar
replan all), and the periodic tick (``advance``) only plans the days that entered
the horizon since ``planner_state.planned_through``. ``tests/test_incremental_planning``
checks on random changes that a full replan then finds nothing to do.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import NamedTuple, Protocol

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    String,
    Update,
    and_,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute, aliased

from data.models import (
    Assignment,
    Due,
    Mute,
    Officer,
    Plan,
    PlannerState,
    Progress,
    Reminder,
    Task,
)
from scheduler.calendar import WorkCalendar
from scheduler.clock import TZ
from scheduler.collector import collector_paused
from scheduler.entering import Entering, entering
from scheduler.outbox import NewReminder, plan_slots
from scheduler.outbox_copy import ForeignKeysOnce
from scheduler.policy import (
    Policy,
    Role,
    Slot,
    continuous_checkins,
    digest_slots,
    occurrences_with_next,
    overdue_slots,
    reminder_slots,
    until_next_occurrence,
)
from scheduler.report_dues import plan_report_dues
from scheduler.settings import load_calendar, load_policies, load_policies_and_calendar

CLOSED_STATES = ("done", "cancelled")
MANAGED_KINDS = ("before", "on_day", "checkin", "overdue", "escalation", "digest")
FOLLOWING_KINDS = ("followup", "snooze")
"""Rows an officer's own words asked for (a promise, a snooze): never replanned, but
cancelled with the rest once the work is done."""
NOT_NEEDED = "không còn cần nhắc"
"""``last_error`` of rows the planner cancelled (and may restore)."""
PLANNED_DUE_KINDS = ("date", "period", "range", "recurring", "continuous")
RECURRING_LOOKBACK = timedelta(days=45)
"""How far back recurring instances are expanded, so their overdue reminders still come."""
CHUNK_DUES = 5000
"""Dues planned at a time by a full replan (``_plan_every_due``): its memory is a chunk's
rows, not the agency's: at 1,000,000 assignments 105 MB instead of 3.4 GB, in 66 s
instead of 98 s; at 100,000, 101 MB instead of 411 MB."""
FIRST_CHUNK_DUES: int | None = None
"""… and by the first planning (no ``planner_state`` mark yet): in one pass. In chunks it
took 101 MB instead of 306 MB at 100,000 assignments but 5-20 % longer (its rows are
copied chunk by chunk), and it runs once, when an agency starts (2.5 GB at 1,000,000)."""


@dataclass(frozen=True)
class PlanResult:
    """What one planning run changed."""

    created: int
    cancelled: int
    restored: int
    wanted: int

    def __add__(self, other: PlanResult) -> PlanResult:
        """Two parts of one run (the chunks of a full planning) as one."""
        return PlanResult(
            created=self.created + other.created,
            cancelled=self.cancelled + other.cancelled,
            restored=self.restored + other.restored,
            wanted=self.wanted + other.wanted,
        )


class Assignee(Protocol):
    """What deciding an assignment's recipients needs (an ``Assignment`` or a row of one)."""

    @property
    def officer_id(self) -> int | None: ...

    @property
    def unit_id(self) -> int: ...


class DueRow(NamedTuple):
    """The columns of a due the planner reads. Tuples: ORM objects cost 3× the time, and a
    frozen dataclass twice a tuple's, for each of the hundreds of thousands of rows a first
    planning reads (``_Work`` and ``_Planned`` alike)."""

    id: int
    kind: str
    due_on: date | None
    start_on: date | None
    rule: str | None


class AssignmentRow(NamedTuple):
    id: int
    task_id: int
    unit_id: int
    role: str
    officer_id: int | None


@dataclass
class People:
    """Who can be reminded: active officers by unit and role."""

    heads: dict[int, list[int]]
    members: dict[int, list[int]]
    leaders: list[int]

    def for_assignment(self, assignment: Assignee) -> list[int]:
        """The officer in charge, else the unit's heads, else everyone in the unit."""
        if assignment.officer_id is not None:
            return [assignment.officer_id]
        return self.heads.get(assignment.unit_id) or self.members.get(assignment.unit_id, [])


async def load_people(session: AsyncSession, unit_ids: Collection[int] | None = None) -> People:
    """Active officers by unit and role. Leaders are not unit members here: they get
    digests and escalations, not a unit's ordinary reminders. With ``unit_ids``, only
    those units' officers and the leaders (replanning one due must not read a country's
    officers)."""
    if unit_ids is None:
        rows = await session.execute(_officers(False))
    else:
        rows = await session.execute(_officers(True), {"unit_ids": list(unit_ids)})
    return _people(rows)


def _people(rows: Iterable[tuple[int, int | None, str | None]]) -> People:
    """``load_people``'s answer from its rows: (officer, unit, role)."""
    heads: dict[int, list[int]] = defaultdict(list)
    members: dict[int, list[int]] = defaultdict(list)
    leaders = []
    for officer_id, unit_id, role in rows:
        if role == "leader":
            leaders.append(officer_id)
        elif unit_id is not None:
            (heads if role == "unit_head" else members)[unit_id].append(officer_id)
    return People(heads=dict(heads), members=dict(members), leaders=leaders)


@cache
def _officers(of_units: bool) -> Select[int, int | None, str]:
    """``load_people``'s read, built once per process (with the other per-due reads below:
    building them anew took a good part of a status update's CPU, issue 16)."""
    query = select(Officer.id, Officer.unit_id, Officer.role).where(Officer.active.is_(True))
    if of_units:
        units: BindParameter[list[int]] = bindparam("unit_ids", expanding=True)
        query = query.where(or_(Officer.role == "leader", Officer.unit_id.in_(units)))
    return query


async def assignees(session: AsyncSession, assignment: Assignee) -> list[int]:
    """Who the reminders of ``assignment`` go to (the same rule the planner applies)."""
    return (await load_people(session)).for_assignment(assignment)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), TZ).astimezone(UTC)


@dataclass
class _Context:
    """Everything the pure slot functions need, loaded once per planning run."""

    policies: dict[int, Policy]
    default_policy: Policy
    calendar: WorkCalendar
    people: People
    progress: dict[tuple[int, int, str], Progress]
    muted_units: set[tuple[int, int]]
    muted_officers: set[tuple[int, int]]
    since: datetime
    until: datetime
    today: date
    last_day: date
    slots: dict[tuple[object, ...], list[_Planned]] = field(default_factory=dict)
    """Slots in the window by (policy, day, window start, role, next occurrence): thousands
    of assignments share a few due dates, so each date's working-day offsets, window and
    labels are worked out once per run, not once per assignment."""


class _Work(NamedTuple):
    """One assignment's work on one occurrence of a due; ``day`` is None for ongoing work."""

    due: DueRow
    assignment: AssignmentRow
    plan_id: int
    instance: str
    day: date | None
    progress: Progress | None
    next_day: date | None = None
    """A recurring occurrence's successor, which ends its overdue reminders."""
    leads: tuple[int, ...] = ()
    """For a coordinating assignment, the lead assignments whose reports close the work;
    empty when this assignment decides (it leads, or the task has no lead)."""


def _work_items(
    due: DueRow, assignment: AssignmentRow, plan_id: int, leads: tuple[int, ...], ctx: _Context
) -> list[_Work]:
    """The occurrences of ``due`` that matter in the window, with their progress."""
    if due.kind == "continuous":
        pairs: list[tuple[date | None, date | None]] = [(None, None)]
    elif due.kind == "recurring" and due.rule:
        pairs = list(
            occurrences_with_next(
                due.rule,
                due.start_on or date(ctx.today.year, 1, 1),
                ctx.today - RECURRING_LOOKBACK,
                ctx.last_day + timedelta(days=31),
            )
        )
    elif due.due_on is not None and due.kind in ("date", "period", "range"):
        pairs = [(due.due_on, None)]
    else:
        return []
    items = []
    for day, next_day in pairs:
        instance = day.isoformat() if due.kind == "recurring" and day is not None else "-"
        progress = ctx.progress.get((assignment.id, due.id, instance))
        if progress is not None and progress.extended_to is not None:
            day = progress.extended_to
        work = _Work(due, assignment, plan_id, instance, day, progress, next_day, leads)
        items.append(work)
    return items


class _Planned(NamedTuple):
    """A slot inside the run's window, with its outbox label (``before-3@2026-01-31``)."""

    slot: Slot
    label: str


def _slots(work: _Work, ctx: _Context) -> list[_Planned]:
    """The work's slots, computed once per policy, day and role in the run (``ctx.slots``).
    The policy is known by its identity: the run's policies live as long as ``ctx``, and
    hashing a policy's fields for each of 100,000 pieces of work cost 0.08 s."""
    policy = ctx.policies.get(work.plan_id, ctx.default_policy)
    role: Role = "coordinate" if work.leads else "lead"
    start = work.due.start_on if work.due.kind in ("period", "range") else None
    key = (id(policy), work.day, start, role, work.next_day)
    planned = ctx.slots.get(key)
    if planned is None:
        slots = _compute_slots(policy, work.day, start, role, work.next_day, ctx)
        day = "" if work.day is None else f"@{work.day.isoformat()}"
        planned = [_Planned(s, s.slot + day) for s in slots if ctx.since <= s.at <= ctx.until]
        ctx.slots[key] = planned
    return planned


def _compute_slots(
    policy: Policy,
    day: date | None,
    start: date | None,
    role: Role,
    next_day: date | None,
    ctx: _Context,
) -> list[Slot]:
    """Coordinating units get the reminders before the due only: never chased as overdue."""
    if day is None:
        lead = role == "lead"
        return continuous_checkins(ctx.today, ctx.last_day, policy, ctx.calendar) if lead else []
    slots = reminder_slots(day, start, role, policy, ctx.calendar)
    if role == "lead":
        slots += overdue_slots(day, policy, ctx.calendar)
        if next_day is not None:
            slots = until_next_occurrence(slots, day, next_day, policy, ctx.calendar)
    return slots


def _answered(work: _Work) -> bool:
    """The officer said something about overdue work, so escalating would be unfair."""
    progress = work.progress
    if progress is None or work.day is None or progress.state == "not_started":
        return False
    return progress.updated_at >= _local_midnight(work.day + timedelta(days=1))


def _escalated_to(slot: Slot, work: _Work, assignees: list[int], ctx: _Context) -> list[int]:
    """An escalation's recipients: the unit's heads, then the leaders."""
    if _answered(work):
        return []
    if slot.slot.startswith("escalation-head"):
        heads = ctx.people.heads.get(work.assignment.unit_id, [])
        return [head for head in heads if head not in assignees]
    return ctx.people.leaders


def _closed(progress: Progress | None) -> bool:
    return progress is not None and progress.state in CLOSED_STATES


def _done(work: _Work, ctx: _Context) -> bool:
    """The work is reported done, or the lead units reported it done (for a coordinating
    assignment: the coordinating units are done too)."""
    if _closed(work.progress):
        return True
    due_id, instance = work.due.id, work.instance
    return bool(work.leads) and all(
        _closed(ctx.progress.get((lead, due_id, instance))) for lead in work.leads
    )


def _digests(ctx: _Context) -> Iterator[NewReminder]:
    """The weekly digest of every leader in the window."""
    for at in digest_slots(ctx.today, ctx.last_day, ctx.default_policy, ctx.calendar):
        if not ctx.since <= at <= ctx.until:
            continue
        label = f"digest@{at.astimezone(TZ).date().isoformat()}"
        for leader in ctx.people.leaders:
            yield NewReminder(leader, "digest", label, at)


def _last_day(today: date, default: Policy, plans: dict[int, Policy]) -> date:
    return today + timedelta(days=max(p.horizon_days for p in (default, *plans.values())))


async def horizon(session: AsyncSession, now: datetime) -> date:
    """The last day planned ahead: today plus the longest horizon of any policy. The same
    for every run whatever its scope, so a due replanned alone gets the rows a full run
    gives it (it once took the longest of the due's own plans and cut the others' rows)."""
    default, plans = await load_policies(session)
    return _last_day(now.astimezone(TZ).date(), default, plans)


def _entering_dues(window: Entering) -> ColumnElement[bool]:
    """The dues that may have a reminder in ``window`` (see ``scheduler/entering``)."""
    dates = sorted(window.due_dates)
    extended = select(Progress.due_id).where(Progress.extended_to.in_(dates))
    found: list[ColumnElement[bool]] = [
        Due.kind == "recurring",
        Due.start_on.between(window.first_start, window.last),
    ]
    if dates:
        found += [Due.due_on.in_(dates), Due.id.in_(extended)]
    if window.checkin:
        open_after = select(Progress.due_id).where(Progress.extended_to > window.after)
        found += [
            Due.kind == "continuous",
            and_(
                Due.start_on <= window.last,
                or_(Due.due_on > window.after, Due.id.in_(open_after)),
            ),
        ]
    return or_(*found)


_Row = tuple[DueRow, AssignmentRow, int]
"""A due, one assignment of its task, and the task's plan."""


class _Span(NamedTuple):
    """The dues with ids in ``(after, through]`` (None: unbounded): one chunk of a full
    planning. Ranges, not lists of ids: each chunk reads its rows through the indexes."""

    after: int | None
    through: int | None

    def of(
        self, due_id: QueryableAttribute[int] | QueryableAttribute[int | None]
    ) -> ColumnElement[bool]:
        """``due_id`` is in the span (the rows of no due, the digests, are in none)."""
        found: list[ColumnElement[bool]] = [due_id.is_not(None)]
        if self.after is not None:
            found.append(due_id > self.after)
        if self.through is not None:
            found.append(due_id <= self.through)
        return and_(*found)


async def _planned_work(
    session: AsyncSession,
    plan_id: int | None,
    due_ids: Collection[int] | None,
    window: Entering | None,
    span: _Span | None = None,
) -> list[_Row]:
    """Every (due, assignment) pair in scope that the planner plans, as plain rows."""
    query = _work() if due_ids is None else _work_of_dues()
    if plan_id is not None:
        query = query.where(Task.plan_id == plan_id)
    if window is not None:
        query = query.where(_entering_dues(window))
    if span is not None:
        query = query.where(span.of(Due.id))
    if due_ids is None:
        # through the connection: the ORM's handling of a first planning's 100,000 rows cost
        # 0.12 s of CPU more; flushed first, as the session's execute would
        await session.flush()
        result = list((await (await session.connection()).execute(query)).all())
    else:
        result = []
        for chunk in _chunks(sorted(due_ids), 1000):
            result += (await session.execute(query, {"due_ids": chunk})).all()
    return [(DueRow._make(row[:5]), AssignmentRow._make(row[5:10]), row[10]) for row in result]


_DUE_IDS: BindParameter[list[int]] = bindparam("due_ids", expanding=True)
"""The dues a narrow read is about, bound at each execution."""
_WorkQuery = Select[
    int, str, date | None, date | None, str | None, int, int, int, str, int | None, int
]


@cache
def _work() -> _WorkQuery:
    """``_planned_work``'s read of every due, built once per process."""
    return (
        select(
            Due.id,
            Due.kind,
            Due.due_on,
            Due.start_on,
            Due.rule,
            Assignment.id,
            Assignment.task_id,
            Assignment.unit_id,
            Assignment.role,
            Assignment.officer_id,
            Task.plan_id,
        )
        .join(Task, Task.id == Due.task_id)
        .join(Assignment, Assignment.task_id == Due.task_id)
        .join(Plan, Plan.id == Task.plan_id)
        .where(
            Due.kind.in_(PLANNED_DUE_KINDS),
            Plan.archived_at.is_(None),
            Task.removed_in.is_(None),  # dropped by an amended version of its plan
        )
    )


@cache
def _work_of_dues() -> _WorkQuery:
    """``_planned_work``'s read of a few dues (``_DUE_IDS``), built once per process."""
    return _work().where(Due.id.in_(_DUE_IDS))


async def _progress(
    session: AsyncSession, due_ids: list[int] | _Span | None
) -> dict[tuple[int, int, str], Progress]:
    """Progress by (assignment, due, instance): all of it, or only that of ``due_ids``
    (a status update replans one due: it must not read every progress row of the province)."""
    if due_ids is None or isinstance(due_ids, _Span):
        query = select(Progress)
        if due_ids is not None:
            query = query.where(due_ids.of(Progress.due_id))
        found = list((await session.scalars(query)).all())
    else:
        found = []
        for chunk in _chunks(due_ids, 1000):
            found += (await session.scalars(_progress_of_dues(), {"due_ids": chunk})).all()
    return {(row.assignment_id, row.due_id, row.instance): row for row in found}


@cache
def _progress_of_dues() -> Select[Progress]:
    """``_progress``'s read of a few dues, built once per process."""
    return select(Progress).where(Progress.due_id.in_(_DUE_IDS))


async def _mutes(
    session: AsyncSession, task_ids: list[int] | None
) -> list[tuple[int, int | None, int | None]]:
    """(task, unit, officer) of every mute, or of ``task_ids``'s."""
    chunks = [None] if task_ids is None else [{"task_ids": c} for c in _chunks(task_ids, 1000)]
    found = []
    for chunk in chunks:
        rows = await session.execute(_mutes_query(chunk is not None), chunk)
        found += [(task, unit, officer) for task, unit, officer in rows]
    return found


@cache
def _mutes_query(of_tasks: bool) -> Select[int, int | None, int | None]:
    """``_mutes``'s read, built once per process."""
    query = select(Mute.task_id, Mute.unit_id, Mute.officer_id)
    return (
        query.where(Mute.task_id.in_(bindparam("task_ids", expanding=True))) if of_tasks else query
    )


_Mute = tuple[int, int | None, int | None]


async def _mutes_and_people(
    session: AsyncSession, task_ids: list[int] | None, unit_ids: list[int] | None
) -> tuple[list[_Mute], People]:
    """``_mutes`` and ``load_people``: for a change's few tasks and units in one round trip
    (a status update's replan read them in two statements, issue 16)."""
    if task_ids is None or unit_ids is None or max(len(task_ids), len(unit_ids)) > 1000:
        return await _mutes(session, task_ids), await load_people(session, unit_ids)
    rows = await session.execute(
        _mutes_and_officers(), {"task_ids": task_ids, "unit_ids": unit_ids}
    )
    mutes: list[_Mute] = []
    officers: list[tuple[int, int | None, str | None]] = []
    for mute, first, unit, officer, role in rows:
        if mute:
            mutes.append((first, unit, officer))
        else:
            officers.append((first, unit, role))
    return mutes, _people(officers)


@cache
def _mutes_and_officers() -> CompoundSelect[bool, int, int | None, int | None, str | None]:
    """``_mutes_and_people``'s read: the tasks' mutes, then the units' officers and the
    leaders, as their own reads select them; built once per process."""
    return union_all(
        _mutes_query(True).with_only_columns(
            literal(True).label("mute"),
            Mute.task_id,
            Mute.unit_id,
            Mute.officer_id,
            cast(null(), String).label("role"),
        ),
        _officers(True).with_only_columns(
            literal(False), Officer.id, Officer.unit_id, cast(null(), Integer), Officer.role
        ),
    )


async def _load_context(
    session: AsyncSession,
    days: tuple[date, date, datetime],
    rows: list[_Row],
    policies: tuple[Policy, dict[int, Policy]],
    calendar: WorkCalendar,
    *,
    narrow: bool,
    every_due: bool,
) -> _Context:
    """What planning ``rows`` needs, read once: with ``narrow`` (a few dues replanned after
    a change) only their units' officers and their tasks' mutes; unless ``every_due``,
    only their dues' progress."""
    first, last, since = days
    default_policy, policies_by_plan = policies
    tasks = sorted({a.task_id for _, a, _ in rows}) if narrow else None
    units = sorted({a.unit_id for _, a, _ in rows}) if narrow else None
    due_ids = None if every_due else sorted({due.id for due, _, _ in rows})
    mutes, people = await _mutes_and_people(session, tasks, units)
    return _Context(
        policies=policies_by_plan,
        default_policy=default_policy,
        calendar=calendar,
        people=people,
        progress=await _progress(session, due_ids),
        muted_units={(task, unit) for task, unit, _ in mutes if unit is not None},
        muted_officers={(task, officer) for task, _, officer in mutes if officer is not None},
        since=since,
        until=_local_midnight(last + timedelta(days=1)),
        today=first,
        last_day=last,
    )


async def desired_reminders(
    session: AsyncSession,
    first: date,
    last: date,
    *,
    plan_id: int | None = None,
    due_ids: Collection[int] | None = None,
    entering_after: date | None = None,
    policies: tuple[Policy, dict[int, Policy]] | None = None,
    calendar: WorkCalendar | None = None,
) -> dict[str, NewReminder]:
    """Every reminder that should be in the outbox on days ``first``..``last``, by key.

    With ``due_ids``, only those dues' reminders (and no digests): what a status
    update or an extension needs replanned at once. With ``entering_after``, only
    the reminders after that day (the days a tick adds to the horizon), read from
    the dues that can have one there. ``policies`` and ``calendar``: when the caller read
    them already (``load_policies_and_calendar``: a status update's replan read the
    policies twice, and the calendar in a statement of its own).
    """
    policies = policies or await load_policies(session)
    calendar = calendar or await load_calendar(session)
    window = None
    since = _local_midnight(first)
    if entering_after is not None:
        window = entering(entering_after, last, (policies[0], *policies[1].values()), calendar)
        since = max(since, _local_midnight(entering_after + timedelta(days=1)))
    rows = await _planned_work(session, plan_id, due_ids, window)
    ctx = await _load_context(
        session,
        (first, last, since),
        rows,
        policies,
        calendar,
        narrow=due_ids is not None,
        every_due=due_ids is None and window is None,
    )
    wanted = _wanted_of(rows, ctx)
    if due_ids is None:
        wanted.update((w.key, w) for w in _digests(ctx))
    return wanted


def _wanted_of(rows: list[_Row], ctx: _Context) -> dict[str, NewReminder]:
    """The reminders of ``rows`` (every assignment of each of their dues), by key."""
    return {reminder.key: reminder for reminder in _wanted_rows(rows, ctx)}


def _wanted_rows(rows: list[_Row], ctx: _Context) -> Iterator[NewReminder]:
    """``_wanted_of``'s reminders one by one, as they are made (a key may come twice).

    Run for every row of a first planning (325,040 at 100,000 assignments): one generator
    for all of them (one per piece of work cost 0.3 s more), what is the same for all of
    an assignment's rows taken out of the loops, and ordinary reminders sent to the
    assignees without a call."""
    leads = _leads([assignment for _, assignment, _ in rows])
    muted_units, muted = ctx.muted_units, ctx.muted_officers
    for due, assignment, plan in rows:
        task_id, unit_id = assignment.task_id, assignment.unit_id
        if assignment.role != "lead" and unit_id in leads.units.get(task_id, ()):
            continue  # a unit leading and coordinating one task gets the lead's reminders once
        if (task_id, unit_id) in muted_units:
            continue
        deciding = assignment.role == "lead" or not leads.ids.get(task_id)
        by = () if deciding else leads.ids[task_id]
        assignees = ctx.people.for_assignment(assignment)
        for work in _work_items(due, assignment, plan, by, ctx):
            if _done(work, ctx):
                continue
            for planned in _slots(work, ctx):
                slot = planned.slot
                kind = slot.kind
                recipients = (
                    assignees if kind != "escalation" else _escalated_to(slot, work, assignees, ctx)
                )
                for recipient in recipients:
                    if muted and (task_id, recipient) in muted:
                        continue
                    yield NewReminder(
                        recipient,
                        kind,
                        planned.label,
                        slot.at,
                        due.id,
                        assignment.id,
                        work.instance,
                    )


@dataclass(frozen=True)
class _Leads:
    """Each task's lead assignments and their units."""

    ids: dict[int, tuple[int, ...]]
    units: dict[int, frozenset[int]]


def _leads(assignments: Collection[AssignmentRow]) -> _Leads:
    """Of the tasks with a coordinating assignment only: nothing asks about the others, and
    a first planning of 100,000 one-unit tasks built 200,000 sets for nothing (0.15 s)."""
    coordinated = {a.task_id for a in assignments if a.role != "lead"}
    ids: dict[int, set[int]] = defaultdict(set)
    units: dict[int, set[int]] = defaultdict(set)
    for a in assignments:
        if a.role == "lead" and a.task_id in coordinated:
            ids[a.task_id].add(a.id)
            units[a.task_id].add(a.unit_id)
    return _Leads(
        ids={task: tuple(sorted(found)) for task, found in ids.items()},
        units={task: frozenset(found) for task, found in units.items()},
    )


async def plan_reminders(
    session: AsyncSession, now: datetime, *, due_ids: Collection[int] | None = None
) -> PlanResult:
    """Reconcile the outbox with what is wanted now (idempotent; safe to run concurrently).

    ``due_ids`` limits the work to those dues: what a change replans in its own
    transaction (``dues_of``). Without it every due is read, and the horizon's
    high-water mark is set for ``advance``.
    """
    today = now.astimezone(TZ).date()
    policies, calendar = await load_policies_and_calendar(session)
    last = _last_day(today, *policies)
    with collector_paused():
        if due_ids is None:
            result = await _plan_every_due(session, now, (today, last), policies, calendar)
        else:
            wanted = await desired_reminders(
                session, today, last, due_ids=due_ids, policies=policies, calendar=calendar
            )
            result = await _reconcile(session, now, wanted, (_local_midnight(today), None), due_ids)
    if due_ids is None:  # a full run also queues each plan's "who has not reported" messages
        await plan_report_dues(session, now, last)
        await _set_planned_through(session, last, now)
    cancelled_past = await _cancel_closed_work(session, due_ids)
    await session.flush()
    return replace(result, cancelled=result.cancelled + cancelled_past)


async def _plan_every_due(
    session: AsyncSession,
    now: datetime,
    days: tuple[date, date],
    policies: tuple[Policy, dict[int, Policy]],
    calendar: WorkCalendar,
) -> PlanResult:
    """Plan every due ``CHUNK_DUES`` at a time by id (``FIRST_CHUNK_DUES`` if nothing was
    planned yet), then the leaders' digests (the rows of no due), in the caller's
    transaction: as atomic as one pass, the same rows (each due's rows depend on its own
    assignments, progress and dates only), a chunk's memory.

    The outbox's foreign keys are decided once (``ForeignKeysOnce``): a replan adding many
    rows copies them chunk by chunk with the keys dropped, checked once at the end.
    """
    today, last = days
    since = _local_midnight(today)
    mark = select(PlannerState.planned_through).where(PlannerState.id == 1)
    size = CHUNK_DUES if await session.scalar(mark) is not None else FIRST_CHUNK_DUES
    ctx = await _load_context(
        session, (today, last, since), [], policies, calendar, narrow=False, every_due=False
    )
    keys = ForeignKeysOnce()
    left = int(await session.scalar(select(func.count()).select_from(Due)) or 0)
    per_chunk = size or max(left, 1)
    result = PlanResult(created=0, cancelled=0, restored=0, wanted=0)
    span = _Span(None, None)
    while True:
        span = _Span(span.through, await _chunk_end(session, span.through, size))
        rows = await _planned_work(session, None, None, None, span)
        ctx.progress = await _progress(session, span)
        keys.scale = max(left / per_chunk, 1.0)
        among = span.of(Reminder.due_id)
        if await session.scalar(_managed().where(Reminder.scheduled_at >= since, among).limit(1)):
            wanted = _wanted_of(rows, ctx)
            result += await _reconcile(session, now, wanted, (since, None), None, among, keys)
        else:  # nothing planned here yet (a first planning): each row written as it is made
            made = _wanted_rows(rows, ctx)
            new = await plan_slots(session, made, now, keys, expected=len(rows))
            result += PlanResult(created=new.rows, cancelled=0, restored=0, wanted=new.asked)
        left -= per_chunk
        if span.through is None:
            break
    digests = {w.key: w for w in _digests(ctx)}
    no_due = Reminder.due_id.is_(None)
    result += await _reconcile(session, now, digests, (since, None), None, no_due, keys)
    await keys.put_back(session)
    return result


async def _chunk_end(session: AsyncSession, after: int | None, size: int | None) -> int | None:
    """The last due of the chunk of ``size`` dues after ``after`` (None: the dues left fit
    in it; ``size`` None: one chunk)."""
    if size is None:
        return None
    query = select(Due.id).order_by(Due.id).offset(size - 1).limit(1)
    return await session.scalar(query if after is None else query.where(Due.id > after))


async def dues_of(
    session: AsyncSession, *, task_codes: Collection[str] = (), plan_id: int | None = None
) -> list[int]:
    """The dues a change affects: those of the tasks it edited or muted (by code, as
    typed), or of the plan it imported, amended or gave its own policy, dropped tasks
    included (their rows must go)."""
    query = select(Due.id).join(Task, Task.id == Due.task_id)
    if plan_id is not None:
        query = query.where(Task.plan_id == plan_id)
    else:
        query = query.where(Task.code.in_([code.strip().upper() for code in task_codes]))
    return list((await session.scalars(query)).all())


async def replan_tasks(session: AsyncSession, now: datetime, codes: Collection[str]) -> PlanResult:
    """Tasks edited (a deadline, a unit, the officer): their dues, and the reporting points,
    which a report task's deadline sets."""
    result = await plan_reminders(session, now, due_ids=await dues_of(session, task_codes=codes))
    codes = [code.strip().upper() for code in codes]
    plans = await session.scalars(select(Task.plan_id).where(Task.code.in_(codes)).distinct())
    await replan_report_dues(session, now, list(plans))
    return result


async def replan_plan(session: AsyncSession, now: datetime, plan_id: int) -> PlanResult:
    """A plan imported, amended or given its own policy: its dues, and its "who has not
    reported" messages (its reporting points may have moved). Its horizon
    may have become the longest or stopped being it: ``advance`` then plans every due's
    days entering it, or replans all when it shrank."""
    result = await plan_reminders(session, now, due_ids=await dues_of(session, plan_id=plan_id))
    await replan_report_dues(session, now, [plan_id])
    await advance(session, now)
    return result


async def replan_report_dues(
    session: AsyncSession, now: datetime, plan_ids: Collection[int] | None = None
) -> int:
    """Every plan's (or ``plan_ids``'s) "who has not reported" messages in the horizon: after
    a change of who leads what or of a report task (the tick only plans the days entering)."""
    return await plan_report_dues(session, now, await horizon(session, now), plan_ids=plan_ids)


async def advance(session: AsyncSession, now: datetime) -> PlanResult:
    """The periodic tick: plan only the days that entered the horizon since the last run.

    Every change replans the dues it affects in its own transaction, so what is planned
    up to ``planner_state.planned_through`` is current; a tick with the day unchanged
    reads one row. The first tick (no mark yet), or one after a shorter horizon or a
    clock set back, replans everything. Concurrent ticks queue on the mark's row lock.
    """
    today = now.astimezone(TZ).date()
    last = await horizon(session, now)
    through = await session.scalar(
        select(PlannerState.planned_through).where(PlannerState.id == 1).with_for_update()
    )
    if through is None or through > last:
        return await plan_reminders(session, now)
    if through == last:
        return PlanResult(created=0, cancelled=0, restored=0, wanted=0)
    wanted = await desired_reminders(session, today, last, entering_after=through)
    since = max(_local_midnight(today), _local_midnight(through + timedelta(days=1)))
    until = _local_midnight(last + timedelta(days=1))
    result = await _reconcile(
        session, now, wanted, (since, until), None, outside_from=_local_midnight(today)
    )
    await plan_report_dues(session, now, last, first=through + timedelta(days=1))
    await _set_planned_through(session, last, now)
    await session.flush()
    return result


async def _set_planned_through(session: AsyncSession, last: date, now: datetime) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(PlannerState).values(id=1, planned_through=last, updated_at=now)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["id"], set_={"planned_through": last, "updated_at": now}
        )
    )


async def _reconcile(
    session: AsyncSession,
    now: datetime,
    wanted: dict[str, NewReminder],
    window: tuple[datetime, datetime | None],
    due_ids: Collection[int] | None,
    among: ColumnElement[bool] | None = None,
    foreign_keys: ForeignKeysOnce | None = None,
    *,
    outside_from: datetime | None = None,
) -> PlanResult:
    """Make the planner's rows scheduled in ``window`` (of ``due_ids``, else of every due;
    ``among``: only the rows it selects, one chunk of a full planning) what ``wanted``
    says: insert the missing, cancel the unwanted, restore and move."""
    since, until = window
    managed = _managed()
    query = managed.where(Reminder.scheduled_at >= since)
    if until is not None:
        query = query.where(Reminder.scheduled_at <= until)
    if among is not None:
        query = query.where(among)
    if due_ids is None:
        existing = list((await session.execute(query)).all())
    elif until is None:  # a change's replan
        existing = []
        for chunk in _chunks(sorted(due_ids), 1000):
            params = {"since": since, "due_ids": chunk}
            existing += (await session.execute(_managed_of_dues(), params)).all()
    else:
        existing = []
        for chunk in _chunks(sorted(due_ids), 1000):
            existing += (await session.execute(query.where(Reminder.due_id.in_(chunk)))).all()
    if outside_from is not None:  # a wanted row may be outside the window, at an old time
        inside = {row.id for row in existing}
        later = managed.where(Reminder.scheduled_at >= outside_from)
        keys = sorted(wanted)
        for start in range(0, len(keys), 1000):
            found = await session.execute(later.where(Reminder.key.in_(keys[start : start + 1000])))
            existing += [row for row in found if row.id not in inside]
    known = {row.key for row in existing}
    cancel = [r.id for r in existing if r.state == "pending" and r.key not in wanted]
    # Only rows the planner itself cancelled come back; the dispatcher's "superseded"
    # rows stay cancelled. A row waiting out a retry backoff keeps its time.
    restore = [
        r
        for r in existing
        if r.key in wanted and r.state == "cancelled" and r.last_error == NOT_NEEDED
    ]
    moved = [
        r
        for r in existing
        if r.key in wanted
        and r.state == "pending"
        and r.attempts == 0
        and r.scheduled_at != wanted[r.key].at
    ]
    new = [w for key, w in wanted.items() if key not in known]
    await plan_slots(session, new, now, foreign_keys)
    for row in (*restore, *moved):
        await session.execute(
            update(Reminder)
            .where(Reminder.id == row.id, Reminder.state == row.state)
            .values(state="pending", scheduled_at=wanted[row.key].at, attempts=0, last_error=None)
        )
    for chunk in _chunks(cancel, 500):
        await session.execute(
            update(Reminder)
            .where(Reminder.id.in_(chunk), Reminder.state == "pending")
            .values(state="cancelled", last_error=NOT_NEEDED)
        )
    return PlanResult(
        created=len(new), cancelled=len(cancel), restored=len(restore), wanted=len(wanted)
    )


_ManagedQuery = Select[int, str, str, datetime, int, str | None]


@cache
def _managed() -> _ManagedQuery:
    """The planner's own rows (``_reconcile``'s read), built once per process."""
    return select(
        Reminder.id,
        Reminder.key,
        Reminder.state,
        Reminder.scheduled_at,
        Reminder.attempts,
        Reminder.last_error,
    ).where(Reminder.kind.in_(MANAGED_KINDS), ~Reminder.slot.startswith("unreachable-"))


@cache
def _managed_of_dues() -> _ManagedQuery:
    """``_reconcile``'s read of a few dues' rows from ``since`` on, built once per process."""
    return _managed().where(
        Reminder.scheduled_at >= bindparam("since"), Reminder.due_id.in_(_DUE_IDS)
    )


def _closed_progress(assignment_id: QueryableAttribute[int | None]) -> ColumnElement[bool]:
    """``assignment_id`` reported the reminder's occurrence done (or it was cancelled)."""
    return (
        select(Progress.id)
        .where(
            Progress.assignment_id == assignment_id,
            Progress.due_id == Reminder.due_id,
            Progress.instance == Reminder.instance,
            Progress.state.in_(CLOSED_STATES),
        )
        .correlate_except(Progress)  # two levels down, the reminder is still the outer row
        .exists()
    )


def _closed_by_leads() -> ColumnElement[bool]:
    """The reminder is a coordinating unit's, and every lead unit of its task reported done."""
    own, lead = aliased(Assignment), aliased(Assignment)
    leads = select(lead.id).where(lead.task_id == own.task_id, lead.role == "lead")
    return (
        select(own.id)
        .where(
            own.id == Reminder.assignment_id,
            own.role != "lead",
            leads.exists(),
            ~leads.where(~_closed_progress(lead.id)).exists(),
        )
        .exists()
    )


@cache
def _cancel_closed() -> Update:
    """The statement of ``_cancel_closed_work``, built once per process: building its
    correlated subqueries (aliases adapted column by column) took more CPU than running
    it, and every status update runs it (a fifth of an answer's CPU, issue 16)."""
    return (
        update(Reminder)
        .where(
            Reminder.state == "pending",
            Reminder.kind.in_((*MANAGED_KINDS, *FOLLOWING_KINDS)),
            Reminder.due_id.in_(bindparam("due_ids", expanding=True)),
            or_(_closed_progress(Reminder.assignment_id), _closed_by_leads()),
        )
        .values(state="cancelled", last_error="công việc đã xong")
        .execution_options(synchronize_session=False)
    )


async def _cancel_closed_work(session: AsyncSession, due_ids: Collection[int] | None) -> int:
    """Pending rows of work that is done or cancelled go, whenever they were scheduled;
    so do a coordinating unit's once the lead units reported done.

    Unscoped (a full replan), the dues with closed progress are read first and only their
    rows are looked at: every row of closed work has closed progress on its due (its own
    assignment's, or every lead's). Testing every pending row took 13 s at 1,000,000; one
    statement joining the two still let PostgreSQL test each pending row before the join.
    """
    if due_ids is None:
        closed = select(Progress.due_id).where(Progress.state.in_(CLOSED_STATES)).distinct()
        due_ids = list(await session.scalars(closed))
    ids = sorted(due_ids)
    many = len(ids) > 1 and session.get_bind().dialect.name == "postgresql"
    was = await _jit(session, "off") if many else None
    cancelled = 0
    for chunk in _chunks(ids, 1000):
        result = await session.execute(_cancel_closed(), {"due_ids": chunk})
        cancelled += int(getattr(result, "rowcount", 0) or 0)
    if was is not None:
        await _jit(session, was)
    return cancelled


async def _jit(session: AsyncSession, value: str) -> str:
    """Set PostgreSQL's ``jit`` for the rest of the transaction; returns what it was. Its
    correlated tests make the cancel of many dues look costly, so PostgreSQL compiled it
    first: 0.5 s a statement of 1,000 dues that then ran in milliseconds."""
    was = await session.scalar(text("SELECT current_setting('jit')"))
    await session.execute(text("SELECT set_config('jit', :value, true)"), {"value": value})
    return str(was)


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
