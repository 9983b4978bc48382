"""Policy and calendar as stored in the database, loaded for the pure scheduler code.

The pure modules (``policy``, ``calendar``) never touch the database; this module
is the only place that reads and writes their stored overrides, so the CLI, the
planner and the runtime see the same values.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import CalendarOverride, PolicySetting
from scheduler.calendar import WorkCalendar
from scheduler.policy import Policy, merged

_OVERRIDES = select(CalendarOverride)
_POLICIES = select(PolicySetting)
"""The calendar's and policies' reads, built once: every replan runs both (issue 16)."""


async def load_calendar(session: AsyncSession) -> WorkCalendar:
    """The working-day calendar with the government's swaps from the override table."""
    rows = (await session.scalars(_OVERRIDES)).all()
    return WorkCalendar(
        {row.day: row.working for row in rows}, labels={row.day: row.label for row in rows}
    )


async def set_calendar_day(session: AsyncSession, day: date, *, working: bool, label: str) -> None:
    """Declare ``day`` a working day or a day off (replacing an earlier declaration)."""
    row = await session.get(CalendarOverride, day)
    if row is None:
        session.add(CalendarOverride(day=day, working=working, label=label))
    else:
        row.working, row.label = working, label
    await session.flush()


async def list_calendar(session: AsyncSession) -> list[CalendarOverride]:
    return list((await session.scalars(select(CalendarOverride).order_by("day"))).all())


async def _settings(session: AsyncSession, plan_id: int | None) -> PolicySetting | None:
    query = select(PolicySetting).where(
        PolicySetting.plan_id.is_(None) if plan_id is None else PolicySetting.plan_id == plan_id
    )
    return await session.scalar(query)


async def load_policy(session: AsyncSession, plan_id: int | None = None) -> Policy:
    """The global policy, with the plan's own settings on top when ``plan_id`` is given."""
    stored = await _settings(session, None)
    policy = merged(Policy(), stored.settings if stored else {})
    if plan_id is not None:
        own = await _settings(session, plan_id)
        policy = merged(policy, own.settings if own else {})
    return policy


async def load_policies(session: AsyncSession) -> tuple[Policy, dict[int, Policy]]:
    """The global policy and every plan's own (those with settings), in one query: the
    planner needs them all for the horizon, and one query per plan cost a round trip each."""
    rows = (await session.scalars(_POLICIES)).all()
    stored = next((row.settings for row in rows if row.plan_id is None), {})
    default = merged(Policy(), stored)
    plans = {row.plan_id: merged(default, row.settings) for row in rows if row.plan_id is not None}
    return default, plans


async def set_policy(
    session: AsyncSession, key: str, value: str, plan_id: int | None = None
) -> Policy:
    """Validate and store one setting (globally or for a plan); returns the new policy."""
    policy = merged(await load_policy(session, plan_id), {key: value})
    row = await _settings(session, plan_id)
    if row is None:
        row = PolicySetting(plan_id=plan_id, settings={})
        session.add(row)
    row.settings = {**row.settings, key: policy.to_dict()[key]}
    await session.flush()
    return policy
