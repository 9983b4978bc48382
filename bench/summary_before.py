"""The summaries as they were before issue 16: every overdue or open item fetched whole.

Kept here, out of the product, for two readers: ``bench/summary.py`` times them beside
today's queries in the same run, and ``tests/test_summary_fast.py`` checks on random
data that the counted-in-SQL versions give exactly what these give.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.reports.content import percent
from bot.web.plans import PAGE_SIZE, TABLE_ID, Filters, Pager, kept_sections
from data.models import Assignment, Due, Plan, Progress, StatusUpdate, Task, Unit
from data.report_model import STATES
from data.report_states import build_report
from data.reporting import (
    NotReported,
    SilentUnit,
    _silent_officers,
    _start_of,
    reporting_period,
)
from data.work_items import (
    _OPEN,
    _STATE,
    COUNTED,
    DECIDING,
    HAS_RECURRING,
    Overdue,
    PlanScope,
    Summary,
    Tally,
    WorkItem,
    _joined,
    _overdue_order,
    _summarise,
    _tally,
    task_state,
    work_items,
)


async def _units_with_updates(session: AsyncSession, plan_id: int, since: datetime) -> set[int]:
    """Units whose work in the plan got any recorded update from ``since`` on: every update
    of the plan since then read."""
    rows = await session.scalars(
        select(Assignment.unit_id)
        .distinct()
        .join(Progress, Progress.assignment_id == Assignment.id)
        .join(StatusUpdate, StatusUpdate.progress_id == Progress.id)
        .join(Task, Task.id == Assignment.task_id)
        .where(Task.plan_id == plan_id, StatusUpdate.created_at >= since)
    )
    return set(rows)


def _everything(items: list[WorkItem], today: date) -> Overdue:
    ordered = tuple(sorted(items, key=lambda i: _overdue_order(i, today)))
    return Overdue(ordered, len(ordered), dict(Counter(i.unit_name for i in ordered)))


async def overdue(
    session: AsyncSession, today: date, unit_id: int | None = None, plan_id: PlanScope = None
) -> Overdue:
    """Every work item in scope fetched, the overdue ones kept and sorted in Python."""
    items = await work_items(session, plan_id=plan_id, unit_id=unit_id, today=today)
    return _everything([i for i in items if i.deciding and i.days_overdue(today) > 0], today)


async def plan_summary(
    session: AsyncSession, plan_id: PlanScope, unit_id: int | None, today: date
) -> Summary:
    """Counts by the database, but every overdue item fetched as a work item."""
    tallies = await _one_off_tallies(session, plan_id, unit_id)
    per_unit_query = _joined(select(Unit.name, _STATE, func.count()), plan_id, unit_id)
    per_unit_query = per_unit_query.where(DECIDING, ~HAS_RECURRING).group_by(Unit.name, _STATE)
    per_unit = [(name, state, int(n)) for name, state, n in await session.execute(per_unit_query)]
    recurring = await work_items(
        session, plan_id=plan_id, unit_id=unit_id, today=today, where=HAS_RECURRING
    )
    recurring = [i for i in recurring if i.deciding]
    by_task: dict[str, list[WorkItem]] = defaultdict(list)
    for item in recurring:
        by_task[item.task_code].append(item)
    tallies += [(_tally(items), 1) for items in by_task.values()]
    per_unit += [(i.unit_name, i.state, 1) for i in recurring]
    overdue_one_off = func.coalesce(Progress.extended_to, Due.due_on) < today
    late = await work_items(
        session,
        plan_id=plan_id,
        unit_id=unit_id,
        where=and_(~HAS_RECURRING, DECIDING, _OPEN, overdue_one_off),
    )
    late += [i for i in recurring if i.days_overdue(today) > 0]
    counted = _joined(select(func.count()), plan_id, unit_id).where(COUNTED)
    plan = await session.get(Plan, plan_id) if isinstance(plan_id, int) else None
    unit = await session.get(Unit, unit_id) if unit_id is not None else None
    return _summarise(
        [(task_state(tally), tally.late > 0, n) for tally, n in tallies],
        per_unit,
        _everything(late, today),
        assignments=int(await session.scalar(counted) or 0),
        plan=plan,
        unit_name=unit.name if unit else None,
    )


async def not_reported(
    session: AsyncSession,
    plan_id: int,
    today: date,
    unit_id: int | None = None,
    *,
    point: date | None = None,
) -> NotReported:
    """Every work item of the plan fetched to find the units with open work they lead."""
    plan = await session.get(Plan, plan_id)
    if plan is None:
        raise ValueError(f"no plan {plan_id}")
    since, point = await reporting_period(session, plan, today, point)
    since_at = _start_of(since + timedelta(days=1))
    items = [
        i
        for i in await work_items(session, plan_id=plan_id, unit_id=unit_id, today=today)
        if i.deciding and i.open
    ]
    open_by_unit: dict[int, list[int]] = defaultdict(list)
    names: dict[int, str] = {}
    for item in items:
        open_by_unit[item.unit_id].append(item.officer_id or 0)
        names[item.unit_id] = item.unit_name
    reported = await _units_with_updates(session, plan_id, since_at)
    silent = sorted((u for u in open_by_unit if u not in reported), key=lambda u: names[u])
    officers = await _silent_officers(session, plan_id, silent, open_by_unit, since_at)
    units = tuple(
        SilentUnit(names[u], len(open_by_unit[u]), tuple(officers.get(u, ()))) for u in silent
    )
    return NotReported(plan.code_prefix, plan.title, since, point, len(open_by_unit), units)


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


async def _one_off_tallies(
    session: AsyncSession, plan_id: PlanScope, unit_id: int | None
) -> list[tuple[Tally, int]]:
    """(tally, how many tasks have it) of tasks without recurring dues, counted by the database.

    Tasks are grouped per task first, then the per-task tallies are grouped again:
    a province's 100,000 items come back as a few dozen rows.
    """
    done = _STATE == "done"
    per_task = (
        _joined(
            select(
                func.count().label("items"),
                _count_if(done).label("done"),
                _count_if(_STATE == "cancelled").label("cancelled"),
                _count_if(_STATE == "blocked").label("blocked"),
                _count_if(_STATE == "extension_requested").label("asked"),
                _count_if(_STATE == "in_progress").label("started"),
                _count_if(and_(done, func.coalesce(Progress.late, False))).label("late"),
            ),
            plan_id,
            unit_id,
        )
        .where(DECIDING, ~HAS_RECURRING)
        .group_by(Task.id)
        .subquery()
    )
    columns = [per_task.c[name] for name in Tally.__dataclass_fields__]
    grouped = select(*columns, func.count()).group_by(*columns)
    rows: Sequence[Any] = (await session.execute(grouped)).all()
    return [(Tally(*(int(v) for v in row[:-1])), int(row[-1])) for row in rows]


async def plan_page_context(
    session: AsyncSession, today: date, plan: Plan, filters: Filters
) -> dict[str, Any]:
    """The plan page's table for a leader before it came in pages: the plan's whole report
    built, every task's latest update read, every row kept by the filters shown."""
    report = await build_report(session, plan, today)
    rows = [row for s in report.sections for row in s.rows if filters.keeps(row)]
    latest = func.max(StatusUpdate.created_at, type_=StatusUpdate.created_at.type)
    last = select(Task.code, latest).join(Assignment, Assignment.task_id == Task.id)
    last = last.join(Progress, Progress.assignment_id == Assignment.id)
    last = last.join(StatusUpdate, StatusUpdate.progress_id == Progress.id)
    found = await session.execute(last.where(Task.plan_id == plan.id).group_by(Task.code))
    return {
        "report": report,
        "figures": report.figures,
        "pager": Pager(Filters(page=1), min(len(rows), PAGE_SIZE)),  # one page: every row
        "sections": kept_sections(report.sections, {row.code for row in rows}),
        "last": dict(found.tuples().all()),
        "states": STATES,
        "months": sorted({r.due_on.strftime("%Y-%m") for r in rows if r.due_on}),
        "table_id": TABLE_ID,
        "percent": percent,
    }
