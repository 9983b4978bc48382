"""Leader look-ups: who the leaders are, what they lead, and which unit a name typed in chat means.

A leader may be given the plans, or the issuing bodies, they lead
(``leader_scopes``); a leader without any is a leader of everything, as before
scopes existed. ``led_plan_ids`` is the one reading of that rule.

A leader types unit names the way people speak them ("van phong", "bo khoa hoc",
"so khcn"), so a unit is found by the registry's match first and, failing that,
by the words typed appearing in that order in one unit's name, compared by
``unit_key`` (no diacritics, abbreviations written out).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from data.errors import UserError
from data.models import (
    Assignment,
    ExtensionRequest,
    LeaderScope,
    Officer,
    Plan,
    Progress,
    Task,
    Unit,
)
from data.people import find_unit
from data.text import fold
from data.units import unit_key

MIN_FRAGMENT = 3
"""Shorter fragments ("va", "so") are in too many names to mean one unit."""
LEADS_ALL = None
"""``led_plan_ids``'s answer for a leader without scopes: every plan."""


async def led_plan_ids(session: AsyncSession, officer_id: int) -> frozenset[int] | None:
    """The plans the officer leads; ``None`` (``LEADS_ALL``) when no scope was ever given."""
    rows = (
        await session.execute(
            select(LeaderScope.plan_id, LeaderScope.issuer).where(
                LeaderScope.officer_id == officer_id
            )
        )
    ).all()
    if not rows:
        return LEADS_ALL
    plans = {plan_id for plan_id, _ in rows if plan_id is not None}
    issuers = {fold(issuer) for _, issuer in rows if issuer}
    if issuers:
        every = await session.execute(select(Plan.id, Plan.issuer))
        plans |= {plan_id for plan_id, issuer in every if issuer and fold(issuer) in issuers}
    return frozenset(plans)


async def add_scope(
    session: AsyncSession, officer: Officer, *, plan: Plan | None = None, issuer: str | None = None
) -> None:
    """Let ``officer`` (a leader) lead ``plan``, or every plan of ``issuer``; once each."""
    if officer.role != "leader":
        raise UserError(f"«{officer.name}» không phải lãnh đạo; chỉ giao phạm vi cho lãnh đạo.")
    clean = " ".join((issuer or "").split()) or None
    if (plan is None) == (clean is None):
        raise UserError("Chọn một kế hoạch (--plan) hoặc một cơ quan ban hành (--issuer).")
    existing = await session.scalars(
        select(LeaderScope).where(LeaderScope.officer_id == officer.id)
    )
    for row in existing:
        same_issuer = clean is not None and row.issuer is not None
        if (plan is not None and row.plan_id == plan.id) or (
            same_issuer and fold(row.issuer or "") == fold(clean or "")
        ):
            return
    session.add(LeaderScope(officer_id=officer.id, plan_id=plan.id if plan else None, issuer=clean))
    await session.flush()


async def active_leader_ids(session: AsyncSession, plan_id: int | None = None) -> list[int]:
    """The active leaders (of ``plan_id`` when given): who hears of an officer's request."""
    if plan_id is None:
        return list(await session.scalars(_ACTIVE_LEADERS))
    return (await leaders_of_plans(session, [plan_id]))[plan_id]


_ACTIVE_LEADERS = select(Officer.id).where(Officer.role == "leader", Officer.active.is_(True))


async def leaders_of_plans(session: AsyncSession, plan_ids: Iterable[int]) -> dict[int, list[int]]:
    """``active_leader_ids`` of each of ``plan_ids``, each leader's scope read once: the
    planner asks it of every plan with a reporting point."""
    leaders = list(await session.scalars(_ACTIVE_LEADERS))
    scopes = [(leader, await led_plan_ids(session, leader)) for leader in leaders]
    return {
        plan_id: [leader for leader, plans in scopes if plans is LEADS_ALL or plan_id in plans]
        for plan_id in plan_ids
    }


async def request_plans(session: AsyncSession, request_ids: list[int]) -> dict[int, int]:
    """The plan of each extension request: a scoped leader decides on their plans only."""
    if not request_ids:
        return {}
    rows = await session.execute(
        select(ExtensionRequest.id, Task.plan_id)
        .join(Progress, Progress.id == ExtensionRequest.progress_id)
        .join(Assignment, Assignment.id == Progress.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        .where(ExtensionRequest.id.in_(request_ids))
    )
    return {request_id: plan_id for request_id, plan_id in rows}


def _in_order(wanted: list[str], words: list[str]) -> bool:
    """Every wanted word appears in ``words``, in this order (other words may come between)."""
    rest = iter(words)
    return all(any(word == have for have in rest) for word in wanted)


async def unit_named(session: AsyncSession, name: str) -> Unit:
    """The unit ``name`` means; the registry's ``UserError`` (with suggestions) when none."""
    try:
        return await find_unit(session, name)
    except UserError:
        wanted = unit_key(name).split()
        if len(" ".join(wanted)) < MIN_FRAGMENT:
            raise
        units = (await session.scalars(select(Unit))).all()
        found = [
            unit
            for unit in units
            if any(
                _in_order(wanted, unit_key(variant).split())
                for variant in (unit.name, *(a.alias for a in unit.aliases))
            )
        ]
        if len(found) == 1:
            return found[0]
        if found:
            names = ", ".join(sorted(unit.name for unit in found)[:5])
            raise UserError(f"«{name}» khớp nhiều đơn vị: {names}. Gõ rõ hơn.") from None
        raise
