"""The policies and the calendar read in one statement equal their reads one by one."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import Plan
from scheduler.calendar import WorkCalendar
from scheduler.settings import (
    load_calendar,
    load_policies,
    load_policies_and_calendar,
    set_calendar_day,
    set_policy,
)
from tests.planning_helpers import seed_with_officers

DAYS = (date(2022, 4, 23), date(2022, 4, 25), date(2022, 9, 2))


def _days(calendar: WorkCalendar) -> list[tuple[bool, str | None]]:
    return [(calendar.is_working_day(day), calendar.holiday_name(day)) for day in DAYS]


async def test_one_read_gives_the_policies_and_the_calendar(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed_with_officers(sessions)
    async with sessions.begin() as s:
        assert await load_policies_and_calendar(s) is not None  # nothing stored yet
        plan = await s.scalar(select(Plan).order_by(Plan.id))
        assert plan is not None
        await set_policy(s, "horizon_days", "40")
        await set_policy(s, "horizon_days", "90", plan.id)
        await set_calendar_day(s, DAYS[0], working=True, label="làm bù")
        await set_calendar_day(s, DAYS[1], working=False, label="nghỉ bù")
        policies, calendar = await load_policies_and_calendar(s)
        assert policies == await load_policies(s)
        assert policies[0].horizon_days == 40 and policies[1][plan.id].horizon_days == 90
        assert _days(calendar) == _days(await load_calendar(s))
        assert _days(calendar)[:2] == [(True, None), (False, "nghỉ bù")]
