"""A plan's report figures as of today, read from the kept counts: the overview's head.

The overview shows a whole plan's figures (tasks by the report's six states, and by
unit), its chart and its latest updates. Building the report for them replayed every
task's audit (4 s at 100,000 assignments); the counts keep each task's report state
as of now (``data/report_counts``), so the figures are a sum over a few rows per unit,
"in progress" split into on time and late by today's date. Tasks with a recurring due
are few and their occurrences are replayed by the report itself, restricted to them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from data.models import Assignment, Due, Plan, SummaryCount, Task, Unit
from data.report_counts import RECURRING, REPORT, WHOLE_TASK
from data.report_model import (
    IN_PROGRESS_LATE,
    IN_PROGRESS_ON_TIME,
    Period,
    PlanReport,
    StateCounts,
    UnitFigures,
)
from data.report_states import build_report, latest_audit
from data.text import fold

_assigned = aliased(Assignment)
RECURRING_TASKS = and_(
    Task.removed_in.is_(None),
    exists().where(_assigned.task_id == Task.id),
    Task.id.in_(
        select(Due.task_id).where(Due.kind == "recurring", Due.rule.is_not(None), Due.rule != "")
    ),
)
"""The tasks ``data/report_counts`` leaves to the report: items per occurrence of a rule."""


async def report_head(
    session: AsyncSession, plan: Plan, today: date, period: Period, recent: int = 0
) -> PlanReport:
    """The plan's report as of ``today`` without its table: its figures, by unit, and the
    ``recent`` last rows of its audit within ``period`` (oldest first, as the report's).
    The plan is in force: an archived plan counts nothing."""
    counted = await _counted(session, plan.id, today)
    figures: Counter[str] = Counter()
    by_unit: dict[str, Counter[str]] = defaultdict(Counter)
    recurring = 0
    for unit, name, state, n in counted:
        if unit == WHOLE_TASK and state == RECURRING:
            recurring += n
        elif unit == WHOLE_TASK:
            figures[state] += n
        elif name is not None:
            by_unit[name][state] += n
    if recurring:
        replayed = await build_report(session, plan, today, tasks_of=RECURRING_TASKS)
        figures.update(replayed.figures.counts)
        for found in replayed.by_unit:
            by_unit[found.unit].update(found.counts.counts)
    audit = await latest_audit(session, plan.id, period, recent) if recent else ()
    return PlanReport(
        plan_code=plan.code_prefix,
        plan_title=plan.title,
        plan_number="",
        plan_issuer=plan.issuer or "",
        plan_year=plan.year,
        as_of=today,
        period=period,
        unit=None,
        sections=(),
        figures=_state_counts(figures),
        by_unit=tuple(
            UnitFigures(name, _state_counts(counts))
            for name, counts in sorted(by_unit.items(), key=lambda kv: (fold(kv[0]), kv[0]))
        ),
        by_month=(),
        audit=tuple(reversed(audit)),
    )


def _state_counts(counts: Counter[str]) -> StateCounts:
    """The report's figures: the states with tasks (products sent are not counted here)."""
    return StateCounts({state: n for state, n in counts.items() if n})


async def _counted(
    session: AsyncSession, plan_id: int, today: date
) -> Iterable[tuple[int, str | None, str, int]]:
    """(unit id, unit name, report state as of ``today``, tasks) of the plan's counts."""
    state = case(
        (
            and_(SummaryCount.state == IN_PROGRESS_ON_TIME, SummaryCount.due_on < today),
            IN_PROGRESS_LATE,
        ),
        else_=SummaryCount.state,
    )
    rows = (
        select(SummaryCount.unit_id, state.label("state"), SummaryCount.n)
        .where(SummaryCount.plan_id == plan_id, SummaryCount.measure == REPORT)
        .subquery()
    )
    query = (
        select(rows.c.unit_id, Unit.name, rows.c.state, func.sum(rows.c.n))
        .outerjoin(Unit, Unit.id == rows.c.unit_id)
        .group_by(rows.c.unit_id, Unit.name, rows.c.state)
    )
    found = await session.execute(query)  # a count back to 0 keeps its row: left out
    return [(unit, name, state, int(n)) for unit, name, state, n in found if n]
