"""The leaders' summaries on one plan of 100,000 assignments, before and after issue 16.

One plan, one lead unit per task out of 1,000, 40% of the work items with a
progress row (done on time and late, in progress, blocked), asked on 15 April
2026 so the January–March dues are overdue. Both backends, each call timed
``samples`` times in a fresh session (median), today's code beside the code
before issue 16 (``bench/summary_before.py``) in the same run:

- ``/tonghop``: ``plan_summary`` then ``summary_text``;
- ``/quahan``: ``overdue`` (today: the count per unit and the top 20);
- ``/chuabaocao``: ``not_reported``;
- the overview's figures of one plan: ``build_report`` (unchanged), ``overdue`` and
  ``not_reported``, as ``bot/web/dashboard._plan_view`` calls them (the chart is
  drawn once per change and cached, so it is left out).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bench import summary_before as before
from bench.data import Sizes, fresh_database, load_agency, load_progress
from bot.chat.texts import summary_text
from bot.web.dashboard import recent_days
from data.db import sessionmaker
from data.models import Plan
from data.report_states import build_report
from data.reporting import not_reported
from data.summary_counts import rebuild, recount
from data.work_items import overdue, plan_summary

TODAY = date(2026, 4, 15)
PROGRESS_SHARE = 0.4
Call = Callable[[AsyncSession], Awaitable[object]]


@dataclass(frozen=True)
class SummarySizes:
    assignments: int
    samples: int

    @classmethod
    def full(cls) -> SummarySizes:
        return cls(100_000, 3)

    @classmethod
    def quick(cls) -> SummarySizes:
        return cls(10_000, 3)


def _calls(today: date) -> dict[str, tuple[Call, Call]]:
    """(today's, before issue 16) per measured call."""

    async def tonghop(session: AsyncSession) -> object:
        return summary_text(await plan_summary(session, 1, None, today), today)

    async def tonghop_before(session: AsyncSession) -> object:
        return summary_text(await before.plan_summary(session, 1, None, today), today)

    async def overview(session: AsyncSession) -> object:
        return await _overview(session, today, overdue, not_reported)

    async def overview_before(session: AsyncSession) -> object:
        return await _overview(session, today, before.overdue, before.not_reported)

    return {
        "/tonghop": (tonghop, tonghop_before),
        "/quahan": (
            lambda session: overdue(session, today, None, 1),
            lambda session: before.overdue(session, today, None, 1),
        ),
        "/chuabaocao": (
            lambda session: not_reported(session, 1, today),
            lambda session: before.not_reported(session, 1, today),
        ),
        "overview (one plan)": (overview, overview_before),
    }


async def _overview(
    session: AsyncSession, today: date, late: Any, silent: Any
) -> tuple[object, ...]:
    plan = await session.get(Plan, 1)
    assert plan is not None
    report = await build_report(session, plan, today, period=recent_days(today))
    return report, await late(session, today, None, 1), await silent(session, 1, today)


async def _median(engine: AsyncEngine, call: Call, samples: int) -> float:
    sessions = sessionmaker(engine)
    times = []
    for _ in range(samples):
        async with sessions() as session:
            started = time.perf_counter()
            await call(session)
            times.append(time.perf_counter() - started)
    return statistics.median(times)


async def _time(engine: AsyncEngine, samples: int) -> dict[str, Any]:
    timed = {}
    for name, (today_s, before_s) in _calls(TODAY).items():
        timed[name] = {
            "today_s": await _median(engine, today_s, samples),
            "before_s": await _median(engine, before_s, samples),
        }
    async with sessionmaker(engine)() as session:
        found = await overdue(session, TODAY, None, 1)
    return {"calls": timed, "overdue": found.total, "shown": len(found.top)}


async def _keep_counts(engine: AsyncEngine) -> dict[str, float]:
    """The counts of the bulk-loaded rows (loaded past the ORM, so recounted whole), and
    what keeping them adds to a write: one task's share recounted, as a status update's
    transaction does before it commits."""
    async with sessionmaker(engine).begin() as session:
        started = time.perf_counter()
        await session.run_sync(rebuild)
        everything = time.perf_counter() - started
    times = []
    for task_id in (1, 2, 3, 4, 5):
        async with sessionmaker(engine).begin() as session:
            started = time.perf_counter()
            await session.run_sync(recount, [task_id])
            times.append(time.perf_counter() - started)
    return {"recount_all_s": everything, "recount_one_s": statistics.median(times)}


async def _one(url: str, sizes: SummarySizes) -> dict[str, Any]:
    engine = await fresh_database(url)
    try:
        shape = replace(Sizes.full(), plans=1, tasks_per_plan=sizes.assignments)
        await load_agency(engine, shape)
        await load_progress(engine, sizes.assignments, PROGRESS_SHARE)
        kept = await _keep_counts(engine)
        if url.startswith("postgresql"):
            async with engine.connect() as conn:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(text("VACUUM ANALYZE"))
        return {**await _time(engine, sizes.samples), **kept}
    finally:
        await engine.dispose()


async def measure(postgres_url: str, sizes: SummarySizes) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        sqlite = await _one(f"sqlite+aiosqlite:///{folder}/summary.db", sizes)
    return {
        "assignments": sizes.assignments,
        "units": Sizes.full().units,
        "progress_share": PROGRESS_SHARE,
        "today": TODAY.isoformat(),
        "samples": sizes.samples,
        "backends": {"SQLite": sqlite, "PostgreSQL": await _one(postgres_url, sizes)},
    }
