"""Planning the outbox of a large agency with ``scheduler.planner.plan_reminders``.

Each backend gets a fresh migrated schema (Alembic, as the app does), the
synthetic agency, and two planning runs from the same ``NOW``: the first
creates every row, the second must change nothing (the idempotence every
status update and policy change relies on), so its time is the floor of any replan.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.data import NOW, Sizes, load_agency
from data.db import sessionmaker, upgrade
from data.models import Reminder
from scheduler.planner import PlanResult, plan_reminders


@dataclass(frozen=True)
class PlanningRun:
    """What planning one agency cost on one backend."""

    backend: str
    assignments: int
    load_s: float
    first_s: float
    first: PlanResult
    second_s: float
    second: PlanResult
    rows: int

    @property
    def rows_per_s(self) -> float:
        return self.first.created / self.first_s


async def _plan(engine: AsyncEngine) -> tuple[float, PlanResult]:
    started = time.perf_counter()
    async with sessionmaker(engine).begin() as session:
        result = await plan_reminders(session, NOW)
    return time.perf_counter() - started, result


async def measure_planning(engine: AsyncEngine, backend: str, sizes: Sizes) -> PlanningRun:
    """Migrate, load the agency, plan twice; ``engine`` must point at an empty database."""
    await upgrade(engine)
    started = time.perf_counter()
    await load_agency(engine, sizes)
    loaded = time.perf_counter() - started
    first_s, first = await _plan(engine)
    second_s, second = await _plan(engine)
    async with engine.connect() as conn:
        rows = int(await conn.scalar(select(func.count()).select_from(Reminder)) or 0)
    return PlanningRun(backend, sizes.assignments, loaded, first_s, first, second_s, second, rows)
