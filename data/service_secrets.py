"""Secrets the service makes for itself once and then shares between its instances.

A webhook's secret token must be the same on every instance behind one URL and
after a restart, yet nobody should have to invent and copy one. The first
instance to need it stores ``make()``; a second one racing it loses the insert
(conflict ignored) and reads the winner's value, so all agree.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import ServiceSecret
from data.sql import insert

NAME_MAX = 64
VALUE_MAX = 256


async def stored_secret(session: AsyncSession, name: str, make: Callable[[], str]) -> str:
    """The value stored under ``name``, storing ``make()`` first when there is none."""
    if not 0 < len(name) <= NAME_MAX:
        raise ValueError(f"secret name must have 1 to {NAME_MAX} characters: {name!r}")
    found = await session.scalar(select(ServiceSecret.value).where(ServiceSecret.name == name))
    if found is not None:
        return found
    value = make()
    if not 0 < len(value) <= VALUE_MAX:
        raise ValueError(f"a made secret must have 1 to {VALUE_MAX} characters")
    await session.execute(
        insert(session, ServiceSecret)
        .values(name=name, value=value)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    stored = await session.scalar(select(ServiceSecret.value).where(ServiceSecret.name == name))
    assert stored is not None  # inserted above, or by the instance that won the race
    return stored
