"""Which of a plan's tasks the plan page lists, and their states, without the plan's report.

The plan page's table showed the whole plan's report: every task's audit replayed and
every row rendered, 21.8 s for a leader at 100,000 assignments. The counts keep each
task's report state as of now (``data/report_counts``: a ``report`` row per task, whole
and per deciding unit), so the tasks a state filter keeps, and the figures above the
table, are read from them in the report's order; the report is built only for the tasks
the counts leave to it (a recurring due, a unit's part in a task it only coordinates, a
task not counted yet) and for the page shown (``build_report(tasks_of=...)``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, case, select
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import Assignment, Due, Plan, Progress, Section, Task, TaskCount
from data.report_counts import RECURRING, REPORT, WHOLE_TASK
from data.report_model import IN_PROGRESS_LATE, IN_PROGRESS_ON_TIME, StateCounts
from data.report_states import build_report


@dataclass(frozen=True)
class Listed:
    """A task of the table: its id and code, and its report state as of today."""

    task_id: int
    code: str
    state: str


def _in_scope(plan_id: int, unit_id: int | None) -> ColumnElement[bool]:
    """The plan's tasks (of the unit's, when given: the ones it leads or coordinates, as its
    report lists them), as a condition on ``Task``."""
    scope = Task.plan_id == plan_id
    if unit_id is not None:
        scope &= Task.id.in_(select(Assignment.task_id).where(Assignment.unit_id == unit_id))
    return scope


async def listed_tasks(
    session: AsyncSession, plan: Plan, today: date, unit_id: int | None
) -> list[Listed]:
    """Every task of the plan in force (of the unit's), in the report's order, with the
    state its report gives as of ``today`` (judged by the unit's own items with a unit)."""
    state = case(
        (
            and_(TaskCount.state == IN_PROGRESS_ON_TIME, TaskCount.due_on < today),
            IN_PROGRESS_LATE,
        ),
        else_=TaskCount.state,
    )
    counted = and_(
        TaskCount.task_id == Task.id,
        TaskCount.measure == REPORT,
        TaskCount.unit_id == (WHOLE_TASK if unit_id is None else unit_id),
    )
    query = (
        select(Task.id, Task.code, state)
        .join(Section, Section.id == Task.section_id)
        .outerjoin(TaskCount, counted)
        .where(_in_scope(plan.id, unit_id))
        .order_by(Section.position, Task.position, Task.id)
    )
    found = [(task_id, code, found) for task_id, code, found in await session.execute(query)]
    left = [task_id for task_id, _, found in found if found in (None, RECURRING)]
    replayed: dict[str, str] = {}
    if left:  # a few: recurring dues, a unit's coordinated tasks
        report = await build_report(session, plan, today, unit_id, tasks_of=Task.id.in_(left))
        replayed = {row.code: row.state for s in report.sections for row in s.rows}
    return [
        Listed(task_id, code, replayed[code] if found in (None, RECURRING) else found)
        for task_id, code, found in found
    ]


def figures(tasks: Sequence[Listed]) -> StateCounts:
    """The table's figures: its tasks by state (what the page shows of them: the total and
    the completion rate)."""
    return StateCounts(dict(Counter(task.state for task in tasks)))


async def due_months(session: AsyncSession, plan_id: int) -> list[str]:
    """The months (``2026-03``) with a stored due or an approved extension in the plan: the
    due-month filter's choices, read without the report's rows."""
    dues = select(Due.due_on).join(Task, Task.id == Due.task_id).where(Task.plan_id == plan_id)
    extended = (
        select(Progress.extended_to)
        .join(Assignment, Assignment.id == Progress.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        .where(Task.plan_id == plan_id, Progress.extended_to.is_not(None))
    )
    days = set(await session.scalars(dues.distinct())) | set(
        await session.scalars(extended.distinct())
    )
    return sorted({day.strftime("%Y-%m") for day in days if day is not None})
