"""The sample plan and officers (``data/samples/``) on a test database, for the page tests."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import Officer, Unit
from scheduler.clock import FakeClock
from tests.planning_helpers import seed_with_officers
from tests.web.web_server import START

THU = "Hoàng Thị Thu"  # admin (the secretary), Văn phòng
TODAY = START + timedelta(days=8)
"""Tuesday 5/4/2022: BDT22-I.1 and V.1 (due 31/3) are 5 days overdue."""


async def seed(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Import the sample plan and roster; the officers' ids by name."""
    await seed_with_officers(sessions)
    async with sessions() as session:
        return {o.name: o.id for o in (await session.scalars(select(Officer))).all()}


async def unit_id(sessions: async_sessionmaker[AsyncSession], name: str) -> int:
    async with sessions() as session:
        found = await session.scalar(select(Unit.id).where(Unit.name == name))
    assert found is not None
    return found


def clock() -> FakeClock:
    return FakeClock(TODAY)
