"""When leaders hear who has not reported: one ``report_due`` row per leader and reporting point.

A plan's reporting points (``data/reporting.py``: its report tasks' dues and
its ``reporting_deadline`` setting) in the planning window each give every
leader of the plan (``data/leaders.active_leader_ids``: scoped leaders only
hear of their plans) one message on the first working morning after the point,
so the day of the deadline itself still counts. The outbox key makes replanning
a no-op; the message's text is computed when it is sent.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from data.leaders import active_leader_ids
from data.models import Plan
from data.reporting import reporting_points
from scheduler.clock import TZ
from scheduler.outbox import schedule_report_due
from scheduler.policy import move_out_of_quiet_hours
from scheduler.settings import load_calendar, load_policy


async def plan_report_dues(session: AsyncSession, now: datetime, last: date) -> int:
    """Queue the "who has not reported" messages of every plan's points from today to ``last``."""
    today = now.astimezone(TZ).date()
    calendar = await load_calendar(session)
    planned = 0
    for plan_id in list(await session.scalars(select(Plan.id))):
        points = await reporting_points(session, plan_id, today - timedelta(days=1), last)
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
