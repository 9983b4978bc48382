"""Leader look-ups: who the leaders are, and which unit a leader means by a name typed in chat.

A leader types unit names the way people speak them ("van phong", "tư pháp"), so
a unit is found by the registry's fuzzy match first and, failing that, by a
unique fragment of its name without diacritics.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from data.errors import UserError
from data.models import Officer, Unit
from data.people import find_unit
from data.text import fold

MIN_FRAGMENT = 3
"""Shorter fragments ("va", "so") are in too many names to mean one unit."""


async def active_leader_ids(session: AsyncSession) -> list[int]:
    """The active leaders: who hears of an officer's request for an extension."""
    found = await session.scalars(
        select(Officer.id).where(Officer.role == "leader", Officer.active.is_(True))
    )
    return list(found)


async def unit_named(session: AsyncSession, name: str) -> Unit:
    """The unit ``name`` means; the registry's ``UserError`` (with suggestions) when none."""
    try:
        return await find_unit(session, name)
    except UserError:
        wanted = fold(name)
        units = (await session.scalars(select(Unit))).all()
        found = [unit for unit in units if wanted in fold(unit.name)]
        if len(found) == 1 and len(wanted) >= MIN_FRAGMENT:
            return found[0]
        raise
