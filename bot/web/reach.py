"""What a signed-in officer may see on the pages: the server's one reading of it.

The rule is the chat's (``bot/chat/commands_leader.scope``, ``data/leaders.py``,
``data/work_items.responsible``), so a page never shows more than a command would:

- an admin (the secretary) sees every plan and every unit;
- a leader sees the plans they lead (every plan when no scope was given), every unit;
- a unit head and an officer see only the tasks of their unit, and the ones assigned
  to them by name, each judged by their unit's own items.

Pages look tasks up through ``visible_task``: a task outside the reach is "not found"
(404), so a unit head who types another unit's task code learns nothing, not even
that it exists.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from data.leaders import led_plan_ids
from data.models import Assignment, Officer, Plan, Task
from data.report_model import Period, PlanReport
from data.report_states import build_report
from data.work_items import WorkItem, responsible

FULL_ROLES = ("admin", "leader")
UPDATING_ROLES = ("admin", "unit_head", "officer")
"""Who may record progress on the page: leaders decide, they do not report."""


@dataclass(frozen=True)
class Reach:
    """The plans (``None``: every plan) and, for unit heads and officers, whose work."""

    plans: frozenset[int] | None
    full: bool
    """Every unit's work (admins and leaders)."""
    unit_id: int | None = None
    officer_id: int | None = None

    def assignment_filter(self) -> ColumnElement[bool] | None:
        """The assignments within reach (``None``: every one)."""
        if self.full:
            return None
        mine = Assignment.officer_id == self.officer_id
        return or_(Assignment.unit_id == self.unit_id, mine) if self.unit_id else mine

    def plan_filter(self) -> ColumnElement[bool]:
        """The plans within reach, as a condition on ``Plan``."""
        conditions: list[ColumnElement[bool]] = []
        if self.plans is not None:
            conditions.append(Plan.id.in_(sorted(self.plans)))
        own = self.assignment_filter()
        if own is not None:
            owned = exists().where(Task.plan_id == Plan.id, Assignment.task_id == Task.id, own)
            conditions.append(owned)
        return and_(true(), *conditions)


async def reach_of(session: AsyncSession, officer: Officer) -> Reach:
    """What ``officer`` may see."""
    if officer.role == "admin":
        return Reach(None, True)
    if officer.role == "leader":
        return Reach(await led_plan_ids(session, officer.id), True)
    return Reach(None, False, officer.unit_id, officer.id)


async def plans_in_reach(
    session: AsyncSession, reach: Reach, *, archived: bool = False
) -> list[Plan]:
    """The plans within reach, newest first (in force only, unless ``archived``)."""
    query = select(Plan).where(reach.plan_filter()).order_by(Plan.id.desc())
    if not archived:
        query = query.where(Plan.archived_at.is_(None))
    return list((await session.scalars(query)).all())


async def visible_plan(session: AsyncSession, reach: Reach, code: str) -> Plan | None:
    """The plan with this code prefix, when within reach."""
    return await session.scalar(
        select(Plan).where(func.upper(Plan.code_prefix) == code.upper(), reach.plan_filter())
    )


async def visible_task(session: AsyncSession, reach: Reach, code: str) -> Task | None:
    """The task with this code, when within reach (else ``None``, shown as "not found")."""
    query = (
        select(Task)
        .join(Plan, Plan.id == Task.plan_id)
        .where(func.upper(Task.code) == code.upper(), reach.plan_filter())
    )
    own = reach.assignment_filter()
    if own is not None:
        query = query.where(exists().where(Assignment.task_id == Task.id, own))
    return await session.scalar(query)


def may_update(officer: Officer, item: WorkItem) -> bool:
    """The officer may record progress on ``item`` here: an admin on any, a unit head on
    their unit's, an officer on what they answer for (as in chat)."""
    if officer.role == "admin":
        return True
    if officer.role not in UPDATING_ROLES:
        return False
    return responsible(item, officer)


async def report_for(
    session: AsyncSession,
    reach: Reach,
    plan: Plan,
    today: date,
    unit_id: int | None = None,
    period: Period | None = None,
    tasks_of: ColumnElement[bool] | None = None,
) -> PlanReport:
    """The plan's report as of ``today`` as the reach sees it: one unit's (chosen, or the
    reach's own), and without a unit only the tasks assigned by name. ``period`` bounds
    its audit rows (default: the plan's year so far); ``tasks_of`` keeps some tasks (a
    task's page asks for its own row: only that task is read)."""
    if reach.full:
        return await build_report(session, plan, today, unit_id, period, tasks_of)
    if reach.unit_id is not None:
        return await build_report(session, plan, today, reach.unit_id, period, tasks_of)
    own = reach.assignment_filter()
    assert own is not None  # not full
    mine = Task.id.in_(select(Assignment.task_id).where(own))
    kept = mine if tasks_of is None else and_(mine, tasks_of)
    report = await build_report(session, plan, today, None, period, kept)
    return replace(report, by_unit=(), audit=())
