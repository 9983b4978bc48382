"""When leaders hear who has not reported: one ``report_due`` row per leader and reporting point.

A plan's reporting points (``data/reporting.py``: its report tasks' dues and
its ``reporting_deadline`` setting) in the planning window each give every
leader of the plan (``data/leaders.active_leader_ids``: scoped leaders only
hear of their plans) one message on the first working morning after the point,
so the day of the deadline itself still counts. The outbox key makes replanning
a no-op; the message's text is computed when it is sent.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from data.leaders import active_leader_ids
from data.models import Due, Plan, PolicySetting, Task
from data.reporting import POINT_DUE_KINDS, SETTING, reporting_points
from scheduler.clock import TZ
from scheduler.outbox import schedule_report_due
from scheduler.policy import move_out_of_quiet_hours
from scheduler.settings import load_calendar, load_policy


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
    to the horizon) to ``last``."""
    today = now.astimezone(TZ).date()
    since = today - timedelta(days=1) if first is None else max(first, today - timedelta(days=1))
    calendar = await load_calendar(session)
    planned = 0
    plans = await _plans_with_points(session, since, last) if plan_ids is None else plan_ids
    for plan_id in sorted(plans):
        points = await reporting_points(session, plan_id, since, last)
        leaders = await active_leader_ids(session, plan_id) if points else []
        if not leaders:
            continue
        policy = await load_policy(session, plan_id)
        for point in points:
            morning = datetime.combine(point + timedelta(days=1), time(0), TZ)
            at = move_out_of_quiet_hours(morning, policy, calendar)
            await schedule_report_due(session, leaders, (plan_id, point), at, now)
            planned += len(leaders)
    return planned
