"""A plan's report as of a date: every task's state replayed from the audit.

The policy (what a signed report says, so it is written here once):

- "As of D" is the end of day D in Vietnam time. A work item's (assignment × due,
  or × occurrence of a recurring due) state at D is the ``state_after`` of its
  last ``StatusUpdate`` created by then; none means not started. ``Progress`` is
  never read: it is today's state, and a report for 30/6 printed on 31/7 must read
  the same as on 30/6.
- The due in force at D is the stored due (the importer already applied the
  strict "trước ngày D" reading) moved by the latest extension *approved* by D;
  one approved later does not count at D. A recurring due's occurrences are due
  on their own dates, from its start (1 January of the plan's year) to the end of
  the plan's year.
- A task's state comes from its deciding items (its lead units', or every unit's
  when it has no lead: ``data.work_items.DECIDING``), combined by
  ``data.work_items.task_state``: removed from the plan by D (the version that
  dropped it was imported by then), or every item cancelled → "không thực hiện /
  dừng" (a task removed after D is reported as it stood); every item done →
  done, late when any item was done after its due in force or the officer said
  so; started (some item in progress, blocked, asking for an extension, or done)
  → in progress, late when an open item's due in force is before D; otherwise
  not started, even past its due: nobody reported anything ("chưa thực hiện").
- Dues without a date (continuous, on request, unreadable) are never late: a
  continuous task is "đang thực hiện trong hạn" once started. A recurring task is
  late while an occurrence due before D is open, and done only once every
  occurrence of the year is.
- With a unit, the report keeps the tasks the unit leads or coordinates and
  judges each by the unit's own items (its lead ones when it also coordinates);
  its figures by unit are that unit's alone. Without one, the figures by unit are
  each deciding unit's tasks, judged by its own items.
- Products count when sent by D; the audit sheet lists the rows within the
  period (which ends at D at the latest).
- Known gaps: a deadline an amended version moved is read as amended (dues are
  rewritten in place), and a task an amended version added after D is listed.

Everything is read with a handful of set-based queries (no query per task): a
plan of 2,000 tasks builds in a fraction of a second.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from dateutil.rrule import rrulestr
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from data.errors import UserError
from data.models import (
    Assignment,
    Due,
    ExtensionRequest,
    Officer,
    Plan,
    PlanVersion,
    Product,
    Progress,
    Section,
    StatusUpdate,
    Task,
    Unit,
)
from data.report_model import (
    DONE_LATE,
    DONE_ON_TIME,
    DONE_STATES,
    IN_PROGRESS_LATE,
    IN_PROGRESS_ON_TIME,
    NOT_STARTED,
    STOPPED,
    AuditRow,
    MonthFigures,
    Period,
    PlanReport,
    ReportRow,
    ReportSection,
    StateCounts,
    UnitFigures,
)
from data.status import parse_reply
from data.text import fold
from data.vn_dates import VN_TZ, vn_date
from data.work_items import CLOSED, Tally, task_state

QUARTERS = ("I", "II", "III", "IV")
SHORT_WORDS = 3
"""A status message this short says nothing but its state (``_says_more``)."""
NOTE_KINDS = ("status", "note", "promise")
"""Audit rows whose note is the officer's word on the work (a "dạ" or a snooze is not)."""
PERIOD_SPECS = ("quy-1", "quy-2", "quy-3", "quy-4", "6-thang", "9-thang", "nam")


def period_for(spec: str | None, year: int, as_of: date) -> Period:
    """The period ``spec`` names in ``year``, ending at ``as_of`` at the latest.

    ``None`` is the year so far ("Năm 2022", 1 January to ``as_of``); the spec is
    read folded, so "Quý-1" and "quy 1" are "quy-1".
    """
    key = re.sub(r"[\s_]+", "-", fold(spec)) if spec is not None else "nam"
    if key.startswith("quy-") and key[4:] in ("1", "2", "3", "4"):
        quarter = int(key[4:])
        start, last = date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
        label = f"Quý {QUARTERS[quarter - 1]} năm {year}"
    elif key == "6-thang":
        start, last, label = date(year, 1, 1), date(year, 6, 30), f"6 tháng đầu năm {year}"
    elif key == "9-thang":
        start, last, label = date(year, 1, 1), date(year, 9, 30), f"9 tháng năm {year}"
    elif key == "nam":
        start, last, label = date(year, 1, 1), date(year, 12, 31), f"Năm {year}"
    else:
        raise UserError(f"Kỳ báo cáo '{spec}' không rõ; dùng một trong: {', '.join(PERIOD_SPECS)}.")
    if start > as_of:
        raise UserError(f"{label} chưa bắt đầu tại ngày {vn_date(as_of)}.")
    return Period(start, min(last, as_of), label)


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` in Vietnam: "as of D" means before this."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=VN_TZ)


Key = tuple[int, int, str]
"""A work item: (assignment id, due id, instance) as ``Progress`` keys it."""


@dataclass
class Trace:
    """One work item's audit replayed up to D."""

    state: str = "not_started"
    percent: int | None = None
    done_at: datetime | None = None
    said_late: bool = False
    note: tuple[datetime, str] | None = None
    extended_to: date | None = None


@dataclass(frozen=True)
class _Item:
    """A work item as it stood at D."""

    state: str
    percent: int | None
    due: date | None
    extended_to: date | None
    done_on: date | None
    late: bool
    """Done after its due in force (or said late)."""
    overdue: bool
    """Open with its due in force before D."""
    recurring: bool
    note: tuple[datetime, str] | None


@dataclass
class _Task:
    id: int
    code: str
    number: str
    content: str
    notes: str
    lead_text: str
    coordinate_text: str
    deadline_text: str
    removed_in: int | None
    section: tuple[int, str, str]
    assignments: list[tuple[int, int, str, str]] = field(default_factory=list)
    """(assignment id, unit id, role, unit name), in plan order."""
    dues: list[tuple[int, str, date | None, date | None, str | None]] = field(default_factory=list)
    """(due id, kind, due on, start on, rule), in plan order."""


async def build_report(
    session: AsyncSession,
    plan: Plan,
    as_of: date,
    unit_id: int | None = None,
    period: Period | None = None,
    tasks_of: ColumnElement[bool] | None = None,
) -> PlanReport:
    """The report of ``plan`` as of the end of ``as_of`` (see the module's policy).

    ``tasks_of`` (a condition on ``Task``) keeps some of its tasks: each row depends on
    its own task's rows only, so theirs are read and nothing else (a task's page, an
    officer's list). A unit's report reads its tasks only, too: a unit head's overview
    read the whole plan's audit to keep a hundredth of it."""
    year = plan.year or as_of.year
    period = period or period_for(None, year, as_of)
    until = end_of_day(as_of)
    scope = _scope(plan.id, unit_id, tasks_of)
    tasks = await _tasks(session, scope)
    traces, audit = await _replay(session, scope, until, period, unit_id)
    await _extensions(session, scope, until, traces)
    products = await _products(session, scope, until)
    removed_by_d = await _removed_versions(session, plan.id, until, tasks)
    occurrences = _Occurrences(year)

    def items_of(task: _Task, assignment_id: int) -> list[_Item]:
        return [
            _item_at(traces.get(key), due, recurring, as_of)
            for key, due, recurring in occurrences.keys(assignment_id, task.dues)
        ]

    rows: dict[int, ReportRow] = {}
    by_unit: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for task in tasks:
        removed = task.removed_in is not None and task.removed_in in removed_by_d
        per_unit: dict[str, list[_Item]] = defaultdict(list)
        for assignment_id, _, _, unit_name in _deciding(task.assignments, unit_id):
            per_unit[unit_name] += items_of(task, assignment_id)
        items = [item for found in per_unit.values() for item in found]
        sent = products.get(task.id, 0)
        rows[task.id] = _row(task, items, removed, sent)
        for unit_name, found in per_unit.items():
            by_unit[unit_name].append((_state(found, removed), sent > 0))
    unit = await session.get(Unit, unit_id) if unit_id is not None else None
    return PlanReport(
        plan_code=plan.code_prefix,
        plan_title=plan.title,
        plan_number=_plan_number(plan),
        plan_issuer=plan.issuer or "",
        plan_year=plan.year,
        as_of=as_of,
        period=period,
        unit=unit.name if unit else None,
        sections=_sections(tasks, rows),
        figures=_counts((r.state, r.products > 0) for r in rows.values()),
        by_unit=tuple(
            UnitFigures(name, _counts(states))
            for name, states in sorted(by_unit.items(), key=lambda kv: (fold(kv[0]), kv[0]))
        ),
        by_month=_months(rows.values(), year, as_of),
        audit=audit,
        plan_issued_on=plan.issued_on,
        plan_symbol=plan.symbol or "",
        plan_place=plan.place or "",
    )


async def report_as_asked(
    session: AsyncSession,
    plan: Plan,
    today: date,
    *,
    unit_id: int | None = None,
    as_of: date | None = None,
    period: str | None = None,
) -> PlanReport:
    """The report someone asked for (the command line, the chat, the page): as of
    ``as_of``, else today; a past period without a date is reported as of its last
    day ("quy-1" asked in July is the first quarter's report)."""
    day = as_of or today
    chosen = period_for(period, plan.year or day.year, day) if period else None
    if chosen is not None and as_of is None:
        day = chosen.end
    return await build_report(session, plan, day, unit_id, chosen)


def _scope(
    plan_id: int, unit_id: int | None, tasks_of: ColumnElement[bool] | None
) -> ColumnElement[bool]:
    """The tasks a report reads: the plan's, of which the unit's (it leads or coordinates
    them), of which ``tasks_of``."""
    scope = Task.plan_id == plan_id
    if unit_id is not None:
        scope &= Task.id.in_(select(Assignment.task_id).where(Assignment.unit_id == unit_id))
    return scope if tasks_of is None else scope & tasks_of


def _plan_number(plan: Plan) -> str:
    """ "45/KH-BDT", or "" when the plan left its number blank."""
    if not plan.number:
        return ""
    return f"{plan.number}/{plan.symbol}" if plan.symbol else plan.number


async def _tasks(session: AsyncSession, scope: ColumnElement[bool]) -> list[_Task]:
    """The plan's tasks in section and row order, with their assignments and dues."""
    query = (
        select(
            Task.id,
            Task.code,
            Task.number,
            Task.content,
            Task.notes,
            Task.lead_text,
            Task.coordinate_text,
            Task.deadline_text,
            Task.removed_in,
            Section.id,
            Section.number,
            Section.title,
        )
        .join(Section, Section.id == Task.section_id)
        .where(scope)
        .order_by(Section.position, Task.position, Task.id)
    )
    tasks: dict[int, _Task] = {}
    for row in await session.execute(query):
        tasks[row[0]] = _Task(
            *(row[0], row[1], row[2] or "", *row[3:9]), section=(row[9], row[10], row[11])
        )
    assignments = (
        select(Assignment.id, Assignment.task_id, Assignment.unit_id, Assignment.role, Unit.name)
        .join(Task, Task.id == Assignment.task_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(scope)
        .order_by(Assignment.task_id, Assignment.position, Assignment.id)
    )
    for a_id, task_id, unit_id, role, name in await session.execute(assignments):
        tasks[task_id].assignments.append((a_id, unit_id, role, name))
    dues = (
        select(Due.id, Due.task_id, Due.kind, Due.due_on, Due.start_on, Due.rule)
        .join(Task, Task.id == Due.task_id)
        .where(scope)
        .order_by(Due.task_id, Due.position)
    )
    for due_id, task_id, kind, due_on, start_on, rule in await session.execute(dues):
        tasks[task_id].dues.append((due_id, kind, due_on, start_on, rule))
    return list(tasks.values())


_AUDIT_COLUMNS = (
    Progress.assignment_id,
    Progress.due_id,
    Progress.instance,
    StatusUpdate.created_at,
    StatusUpdate.kind,
    StatusUpdate.state_before,
    StatusUpdate.state_after,
    StatusUpdate.percent,
    StatusUpdate.note,
    StatusUpdate.intent,
    StatusUpdate.channel,
    Officer.name,
    Task.code,
    Unit.name,
    Assignment.unit_id,
)


def _audit(scope: ColumnElement[bool]) -> Select[Any]:
    """The audit rows of the tasks in ``scope``, as ``_AUDIT_COLUMNS``."""
    return (
        select(*_AUDIT_COLUMNS)
        .join(Progress, Progress.id == StatusUpdate.progress_id)
        .join(Assignment, Assignment.id == Progress.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .outerjoin(Officer, Officer.id == StatusUpdate.officer_id)
        .where(scope)
    )


def _audit_row(row: Sequence[Any]) -> AuditRow:
    _, _, _, at, kind, before, after, percent, note, _, channel, officer, code, unit_name, _ = row
    shown = (at, code, unit_name, officer or "", channel, kind, before, after, percent)
    return AuditRow(*shown, note or "")


async def _replay(
    session: AsyncSession,
    scope: ColumnElement[bool],
    until: datetime,
    period: Period,
    unit_id: int | None,
) -> tuple[dict[Key, Trace], tuple[AuditRow, ...]]:
    """Each work item's audit up to ``until``, and the rows within ``period`` (of the unit's
    items only, with a unit), oldest first."""
    query = _audit(scope).where(StatusUpdate.created_at < until)
    rows: Sequence[Any] = (
        await session.execute(query.order_by(StatusUpdate.created_at, StatusUpdate.id))
    ).all()
    traces: dict[Key, Trace] = defaultdict(Trace)
    audit: list[AuditRow] = []
    start, end = _bounds(period)
    for row in rows:
        a_id, due_id, instance, at, kind, before, after, percent, note, intent = row[:10]
        trace = traces[(a_id, due_id, instance)]
        if after is not None:
            if after == "done" and before != "done":
                trace.done_at, trace.said_late = at, bool((intent or {}).get("late"))
            trace.state, trace.percent = after, percent
        if note and kind in NOTE_KINDS and _says_more(note, intent or {}):
            trace.note = (at, note)
        if start <= at < end and unit_id in (None, row[-1]):
            audit.append(_audit_row(row))
    return dict(traces), tuple(audit)


def _bounds(period: Period) -> tuple[datetime, datetime]:
    return datetime.combine(period.start, time(0), tzinfo=VN_TZ), end_of_day(period.end)


async def latest_audit(
    session: AsyncSession, plan_id: int, period: Period, limit: int
) -> tuple[AuditRow, ...]:
    """The plan's ``limit`` latest audit rows within ``period``, newest first: the last
    rows of its report's audit sheet, read backwards along ``ix_status_updates_created_at``
    instead of replaying the plan's whole audit."""
    start, end = _bounds(period)
    query = (
        _audit(Task.plan_id == plan_id)
        .where(StatusUpdate.created_at >= start, StatusUpdate.created_at < end)
        .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        .limit(limit)
    )
    return tuple(_audit_row(row) for row in await session.execute(query))


def _says_more(note: str, intent: dict[str, Any]) -> bool:
    """Whether an officer's words add to the state the row records: "xong", "dang lam
    50%" or "xong ạ" only repeat it (the cell already says "Hoàn thành ngày …"), while
    "đã gửi báo cáo sơ kết, xong" says what was done, and a reason always counts. Up to
    three words that the reply parser reads as a state are the repetition."""
    if intent.get("reason") or len(note.split()) > SHORT_WORDS:
        return True
    return parse_reply(note).state in ("unknown", "question")


async def _extensions(
    session: AsyncSession, scope: ColumnElement[bool], until: datetime, traces: dict[Key, Trace]
) -> None:
    """Set each item's due moved by the latest extension approved before ``until``."""
    query = (
        select(
            Progress.assignment_id,
            Progress.due_id,
            Progress.instance,
            ExtensionRequest.requested_due,
        )
        .join(Progress, Progress.id == ExtensionRequest.progress_id)
        .join(Assignment, Assignment.id == Progress.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        .where(
            scope,
            ExtensionRequest.state == "approved",
            ExtensionRequest.decided_at < until,
        )
        .order_by(ExtensionRequest.decided_at, ExtensionRequest.id)
    )
    for a_id, due_id, instance, requested in await session.execute(query):
        traces.setdefault((a_id, due_id, instance), Trace()).extended_to = requested


async def _products(
    session: AsyncSession, scope: ColumnElement[bool], until: datetime
) -> dict[int, int]:
    """Files sent for each task before ``until``."""
    query = (
        select(Product.task_id, func.count(Product.id))
        .join(Task, Task.id == Product.task_id)
        .where(scope, Product.created_at < until)
        .group_by(Product.task_id)
    )
    return {task_id: int(count) for task_id, count in await session.execute(query)}


async def _removed_versions(
    session: AsyncSession, plan_id: int, until: datetime, tasks: list[_Task]
) -> set[int]:
    """Versions a removal in which counts at D: imported by then, or of unknown date."""
    removed = {task.removed_in for task in tasks if task.removed_in is not None}
    if not removed:
        return set()
    query = select(PlanVersion.version, PlanVersion.imported_at).where(
        PlanVersion.plan_id == plan_id
    )
    known = {version: at for version, at in await session.execute(query)}
    return {v for v in removed if v not in known or known[v] < until}


class _Occurrences:
    """The work items of an assignment: one per one-off due, one per occurrence of a
    recurring due within the plan's year (the first one when none falls in it)."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.cache: dict[tuple[str, date], list[date]] = {}

    def keys(
        self, assignment_id: int, dues: list[tuple[int, str, date | None, date | None, str | None]]
    ) -> list[tuple[Key, date | None, bool]]:
        found: list[tuple[Key, date | None, bool]] = []
        for due_id, kind, due_on, start_on, rule in dues:
            if kind != "recurring" or not rule:
                found.append(((assignment_id, due_id, "-"), due_on, False))
                continue
            for day in self.dates(rule, start_on or date(self.year, 1, 1)):
                found.append(((assignment_id, due_id, day.isoformat()), day, True))
        return found

    def dates(self, rule: str, anchor: date) -> list[date]:
        if (rule, anchor) not in self.cache:
            start = datetime.combine(anchor, time(0))
            dates = rrulestr(rule, dtstart=start)
            last = datetime.combine(date(max(self.year, anchor.year), 12, 31), time(0))
            days = [moment.date() for moment in dates.between(start, last, inc=True)]
            first = dates.after(start, inc=True)
            self.cache[(rule, anchor)] = days or ([first.date()] if first else [])
        return self.cache[(rule, anchor)]


def _item_at(trace: Trace | None, due: date | None, recurring: bool, as_of: date) -> _Item:
    trace = trace or Trace()
    in_force = trace.extended_to or due
    done_on = trace.done_at.astimezone(VN_TZ).date() if trace.done_at else None
    done = trace.state == "done"
    return _Item(
        state=trace.state,
        percent=100 if done else trace.percent,
        due=in_force,
        extended_to=trace.extended_to,
        done_on=done_on if done else None,
        late=done and (trace.said_late or (in_force is not None and (done_on or as_of) > in_force)),
        overdue=trace.state not in CLOSED and in_force is not None and in_force < as_of,
        recurring=recurring,
        note=trace.note,
    )


def standing(traces: Iterable[tuple[Trace, date | None]]) -> tuple[str, date | None]:
    """The report state of a task (or of one unit's part) from the traces of its one-off
    items (each with its stored due), with no day to judge it on: an open task's state is
    ``IN_PROGRESS_ON_TIME`` and the earliest due in force of its open items, "in progress,
    late" as of any day after that due. ``data/summary_counts`` keeps it per task, so the
    overview's figures are the report's without replaying the audit."""
    items = [_item_at(trace, due, False, date.min) for trace, due in traces]
    state = _state(items, False)
    if state != IN_PROGRESS_ON_TIME:
        return state, None
    return state, min((i.due for i in items if i.state not in CLOSED and i.due), default=None)


def row_due(traces: Iterable[tuple[Trace, date | None]]) -> date | None:
    """The due a task's report row shows (or one unit's part's), from the traces of its
    one-off items: the plan page's due-month filter reads it from ``data/summary_counts``
    instead of computing it for a month's tasks at every request."""
    return _row_due([_item_at(trace, due, False, date.min) for trace, due in traces])


def _row_due(items: list[_Item]) -> date | None:
    """The earliest due in force of the open items, else the latest of them all."""
    open_dues = [i.due for i in items if i.state not in CLOSED and i.due is not None]
    all_dues = [i.due for i in items if i.due is not None]
    return min(open_dues) if open_dues else max(all_dues, default=None)


def _deciding(
    assignments: list[tuple[int, int, str, str]], unit_id: int | None
) -> list[tuple[int, int, str, str]]:
    """The assignments whose items decide the task: its leads (all when none leads), or
    with a unit, that unit's own (its lead ones when it also coordinates)."""
    chosen = [a for a in assignments if unit_id is None or a[1] == unit_id]
    leads = [a for a in chosen if a[2] == "lead"]
    return leads or chosen


def _state(items: list[_Item], removed: bool) -> str:
    """The report state of a task (or of one unit's part) from its items at D."""
    if removed:
        return STOPPED
    if not items:
        return NOT_STARTED
    states = Counter(i.state for i in items)
    tally = Tally(
        items=len(items),
        done=states["done"],
        cancelled=states["cancelled"],
        blocked=states["blocked"],
        asked=states["extension_requested"],
        started=states["in_progress"],
        late=sum(1 for i in items if i.late),
    )
    state = task_state(tally)
    if state == "cancelled":
        return STOPPED
    if state == "done":
        return DONE_LATE if tally.late else DONE_ON_TIME
    if state == "not_started":
        return NOT_STARTED
    return IN_PROGRESS_LATE if any(i.overdue for i in items) else IN_PROGRESS_ON_TIME


def _row(task: _Task, items: list[_Item], removed: bool, products: int) -> ReportRow:
    state = _state(items, removed)
    done_on = max((i.done_on for i in items if i.done_on), default=None)
    return ReportRow(
        code=task.code,
        number=task.number,
        content=task.content,
        lead=_names(task, "lead") or task.lead_text,
        coordinate=_names(task, "coordinate") or task.coordinate_text,
        deadline_text=task.deadline_text,
        due_on=_row_due(items),
        state=state,
        progress=_progress(state, items, removed, done_on),
        notes=task.notes,
        done_on=done_on if state in DONE_STATES else None,
        products=products,
    )


def _names(task: _Task, role: str) -> str:
    return "; ".join(dict.fromkeys(name for _, _, r, name in task.assignments if r == role))


def _progress(state: str, items: list[_Item], removed: bool, done_on: date | None) -> str:
    """The "Tình hình thực hiện" cell: the state in words, an extension, the last note."""
    if removed:
        return "Đã bỏ khỏi kế hoạch"
    if state == STOPPED:
        lines = ["Dừng thực hiện"]
    elif state in DONE_STATES and done_on is not None:
        lines = [f"Hoàn thành ngày {vn_date(done_on)}"]
    elif state == NOT_STARTED:
        lines = ["Chưa có báo cáo"]
    else:
        lines = [f"Đang thực hiện{_how_far(items)}"]
        if any(i.state == "blocked" for i in items):
            lines.append("Đang vướng mắc")
        if any(i.state == "extension_requested" for i in items):
            lines.append("Đang đề nghị gia hạn")
    extended = max((i.extended_to for i in items if i.extended_to), default=None)
    if extended is not None:
        lines.append(f"Gia hạn đến {vn_date(extended)}")
    note = max((i.note for i in items if i.note), default=None)
    if note is not None:
        lines.append(note[1])
    return "\n".join(lines)


def _how_far(items: list[_Item]) -> str:
    """ " (60%)" for dated work, " (đã xong 2/3 kỳ)" for a recurring one; the mean over units."""
    recurring = [i for i in items if i.recurring]
    if recurring:
        done = sum(1 for i in recurring if i.state == "done")
        return f" (đã xong {done}/{len(recurring)} kỳ)"
    known = [i.percent or 0 for i in items]
    mean = round(sum(known) / len(known)) if known else 0
    return f" ({mean}%)" if mean else ""


def _sections(tasks: list[_Task], rows: dict[int, ReportRow]) -> tuple[ReportSection, ...]:
    grouped: dict[tuple[int, str, str], list[ReportRow]] = {}
    for task in tasks:
        grouped.setdefault(task.section, []).append(rows[task.id])
    return tuple(
        ReportSection(number, title, tuple(found)) for (_, number, title), found in grouped.items()
    )


def _counts(states: Iterable[tuple[str, bool]]) -> StateCounts:
    counts: Counter[str] = Counter()
    with_products = 0
    for state, has_products in states:
        counts[state] += 1
        with_products += has_products
    return StateCounts(dict(counts), with_products)


def _months(rows: Iterable[ReportRow], year: int, as_of: date) -> tuple[MonthFigures, ...]:
    """Tasks done per month, on time and late, from January of the plan's year (or the
    first completion) to the month of ``as_of``."""
    done: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if row.state in DONE_STATES and row.done_on is not None:
            done[row.done_on.replace(day=1)][row.state == DONE_LATE] += 1
    month = min([date(year, 1, 1), *done])
    last = as_of.replace(day=1)
    figures: list[MonthFigures] = []
    while month <= last:
        on_time, late = done.get(month, (0, 0))
        figures.append(MonthFigures(month, on_time, late))
        month = (month + timedelta(days=32)).replace(day=1)
    return tuple(figures)
