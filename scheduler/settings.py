"""Policy and calendar as stored in the database, loaded for the pure scheduler code.

The pure modules (``policy``, ``calendar``) never touch the database; this module
is the only place that reads and writes their stored overrides, so the CLI, the
planner and the runtime see the same values.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, String, cast, literal, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import CalendarOverride, PolicySetting
from scheduler.calendar import WorkCalendar
from scheduler.policy import Policy, merged

Policies = tuple[Policy, dict[int, Policy]]
"""The global policy and each plan's own (those with settings): ``load_policies``."""

_OVERRIDES = select(CalendarOverride)
_POLICIES = select(PolicySetting)
"""The calendar's and policies' reads, built once: every replan runs both (issue 16)."""
_BOTH = union_all(
    select(
        literal(True).label("policy"),
        PolicySetting.plan_id,
        PolicySetting.settings,
        cast(null(), Date).label("day"),
        cast(null(), Boolean).label("working"),
        cast(null(), String).label("label"),
    ),
    select(
        literal(False),
        cast(null(), Integer),
        cast(null(), JSON),
        CalendarOverride.day,
        CalendarOverride.working,
        CalendarOverride.label,
    ),
)
"""``load_policies_and_calendar``' read: the policies' rows, then the calendar's."""


async def load_calendar(session: AsyncSession) -> WorkCalendar:
    """The working-day calendar with the government's swaps from the override table."""
    return _calendar((await session.scalars(_OVERRIDES)).all())


def _calendar(rows: Sequence[Any]) -> WorkCalendar:
    """The calendar of the override rows (each with ``day``, ``working`` and ``label``)."""
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


async def load_policies(session: AsyncSession) -> Policies:
    """The global policy and every plan's own (those with settings), in one query: the
    planner needs them all for the horizon, and one query per plan cost a round trip each."""
    rows = (await session.scalars(_POLICIES)).all()
    return _policies([(row.plan_id, row.settings) for row in rows])


async def load_policies_and_calendar(
    session: AsyncSession,
) -> tuple[Policies, WorkCalendar]:
    """``load_policies`` and ``load_calendar`` in one round trip: a status update's replan
    needs both, and read them in two statements (issue 16)."""
    rows: list[Any] = list(await session.execute(_BOTH))
    policies = _policies([(row.plan_id, row.settings) for row in rows if row.policy])
    return policies, _calendar([row for row in rows if not row.policy])


def _policies(rows: list[tuple[int | None, dict[str, Any]]]) -> Policies:
    """The policies from the stored settings, as (plan id or None for the global, settings)."""
    stored = next((settings for plan_id, settings in rows if plan_id is None), {})
    default = merged(Policy(), stored)
    plans = {
        plan_id: merged(default, settings) for plan_id, settings in rows if plan_id is not None
    }
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
