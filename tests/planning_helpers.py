"""Shared set-up for tests that need the seed plan and the sample officers in a database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.people import import_roster
from data.plans.importer import import_plan, read_plan_file

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
SEED = SAMPLES / "ke-hoach-thi-dua-khen-thuong-2022.txt"


async def seed_with_officers(sessions: async_sessionmaker[AsyncSession]) -> int:
    """Import the seed plan and the sample roster; returns the plan id."""
    async with sessions() as session:
        report = await import_plan(session, read_plan_file(SEED))
        await import_roster(session, (SAMPLES / "officers.csv").read_text("utf-8"))
        await session.commit()
    assert report.plan_id is not None
    return report.plan_id
