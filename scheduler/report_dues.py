"""When leaders hear who has not reported: one ``report_due`` row per leader and reporting point.

A plan's reporting points (``data/reporting.py``: its report tasks' dues and
its ``reporting_deadline`` setting) in the planning window each give every
leader of the plan (``data/leaders.leaders_of_plans``: scoped leaders only
hear of their plans) one message on the first working morning after the point,
so the day of the deadline itself still counts. The outbox key makes replanning
a no-op; the message's text is computed when it is sent.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from data.leaders import leaders_of_plans
from data.models import Due, Plan, PolicySetting, Task
from data.reporting import POINT_DUE_KINDS, SETTING, reporting_points_of
from scheduler.clock import TZ
from scheduler.outbox import ReportDue, schedule_report_dues
from scheduler.policy import move_out_of_quiet_hours
from scheduler.settings import load_policies_and_calendar


async def _plans_with_points(session: AsyncSession, first: date, last: date) -> list[int]:
    """The plans that may have a reporting point from ``first`` to ``last``: all of them when
    the global policy sets a reporting deadline, else those with their own, a recurring due
    or a due in the window (a day's tick must not ask every plan of the country)."""
    settings = (await session.execute(select(PolicySetting.plan_id, PolicySetting.settings))).all()
    if any(plan is None and (values or {}).get(SETTING) for plan, values in settings):
        return list(await session.scalars(select(Plan.id).order_by(Plan.id)))
    own = {plan for plan, values in settings if plan is not None and (values or {}).get(SETTING)}
    dated = (
        select(Task.plan_id)
        .join(Due, Due.task_id == Task.id)
        .where(
            Due.kind.in_(POINT_DUE_KINDS),
            or_(Due.kind == "recurring", Due.due_on.between(first, last)),
        )
        .distinct()
    )
    return sorted(own | set(await session.scalars(dated)))


async def plan_report_dues(
    session: AsyncSession,
    now: datetime,
    last: date,
    first: date | None = None,
    plan_ids: Collection[int] | None = None,
) -> int:
    """Queue the "who has not reported" messages of every plan's points (or ``plan_ids``'s,
    after an edit of their tasks) from yesterday (or ``first``, the first day a tick adds
    to the horizon) to ``last``.

    Every plan's points, leaders and policy are read at once, and the rows written in one
    statement: per plan, they were eight statements (0.3 s of a first planning at 100,000
    assignments, seconds at a million)."""
    today = now.astimezone(TZ).date()
    since = today - timedelta(days=1) if first is None else max(first, today - timedelta(days=1))
    plans = await _plans_with_points(session, since, last) if plan_ids is None else plan_ids
    points = {
        p: found
        for p, found in (await reporting_points_of(session, plans, since, last)).items()
        if found
    }
    if not points:
        return 0
    leaders = await leaders_of_plans(session, points)
    (default, own), calendar = await load_policies_and_calendar(session)
    dues = []
    for plan_id, found in sorted(points.items()):
        policy = own.get(plan_id, default)
        for point in found:
            morning = datetime.combine(point + timedelta(days=1), time(0), TZ)
            at = move_out_of_quiet_hours(morning, policy, calendar)
            dues.append(ReportDue(leaders[plan_id], (plan_id, point), at))
    return await schedule_report_dues(session, dues, now)
