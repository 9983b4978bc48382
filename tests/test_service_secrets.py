"""Secrets made at first start are stored once and read back by every instance."""

from __future__ import annotations

import asyncio
from itertools import count

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import ServiceSecret
from data.service_secrets import stored_secret


async def test_it_stores_the_first_made_value_and_returns_it_afterwards(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    made = count(1)
    async with sessions.begin() as s:
        first = await stored_secret(s, "WEBHOOK_SECRET", lambda: f"secret-{next(made)}")
    async with sessions.begin() as s:
        again = await stored_secret(s, "WEBHOOK_SECRET", lambda: f"secret-{next(made)}")
        other = await stored_secret(s, "OTHER_SECRET", lambda: f"secret-{next(made)}")
    assert (first, again, other) == ("secret-1", "secret-1", "secret-2")


async def test_two_instances_starting_together_agree_on_one_value(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async def start(instance: str) -> str:
        async with sessions.begin() as s:
            return await stored_secret(s, "WEBHOOK_SECRET", lambda: f"from-{instance}")

    values = await asyncio.gather(start("a"), start("b"))
    assert values[0] == values[1] in ("from-a", "from-b")
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(ServiceSecret)) == 1
