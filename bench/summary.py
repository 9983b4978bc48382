"""``/tonghop`` on one plan of 100,000 assignments: ``plan_summary`` and ``summary_text``.

One plan, one lead unit per task out of 1,000, 40% of the work items with a
progress row (done on time and late, in progress, blocked), the summary asked on
15 April 2026 so the January–March dues are overdue. Both backends, each timed
``samples`` times in a fresh session (median), the same call ``/tonghop`` makes.

``data.work_items.plan_summary`` loads every work item as an object and counts in
Python; ``AGGREGATE`` is the SQL a replacement could send instead (proposed in
the README, not applied), timed here on the same data for comparison.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.data import Sizes, fresh_database, load_agency, load_progress
from bot.chat.texts import summary_text
from data.db import sessionmaker
from data.work_items import plan_summary

TODAY = date(2026, 4, 15)
PROGRESS_SHARE = 0.4
AGGREGATE = """
SELECT a.unit_id,
       coalesce(p.state, 'not_started') AS state,
       coalesce(p.late, false) AS late,
       coalesce(p.extended_to, d.due_on) < :today AS overdue,
       count(*) AS items
FROM assignments a
JOIN tasks t ON t.id = a.task_id
JOIN dues d ON d.task_id = t.id
LEFT JOIN progress p ON p.assignment_id = a.id AND p.due_id = d.id AND p.instance = '-'
WHERE t.plan_id = :plan
GROUP BY 1, 2, 3, 4
"""
"""Counts per (unit, state, late, overdue): every number of the summary but the overdue
list, which is the ``limit`` most overdue items (an ORDER BY … LIMIT of its own)."""


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


async def _time(engine: AsyncEngine, samples: int) -> dict[str, Any]:
    sessions = sessionmaker(engine)
    summary_s, text_s, sql_s = [], [], []
    rendered = ""
    total = 0
    for _ in range(samples):
        async with sessions() as session:
            started = time.perf_counter()
            summary = await plan_summary(session, 1, None, TODAY)
            summary_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            rendered = summary_text(summary, TODAY)
            text_s.append(time.perf_counter() - started)
            total = summary.assignments
        async with engine.connect() as conn:
            started = time.perf_counter()
            groups = (await conn.execute(text(AGGREGATE), {"plan": 1, "today": TODAY})).all()
            sql_s.append(time.perf_counter() - started)
    return {
        "items": total,
        "summary_s": statistics.median(summary_s),
        "text_s": statistics.median(text_s),
        "text_chars": len(rendered),
        "text_lines": rendered.count("\n") + 1,
        "aggregate_s": statistics.median(sql_s),
        "aggregate_rows": len(groups),
    }


async def _one(url: str, sizes: SummarySizes) -> dict[str, Any]:
    engine = await fresh_database(url)
    try:
        shape = replace(Sizes.full(), plans=1, tasks_per_plan=sizes.assignments)
        await load_agency(engine, shape)
        await load_progress(engine, sizes.assignments, PROGRESS_SHARE)
        if url.startswith("postgresql"):
            async with engine.connect() as conn:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(text("VACUUM ANALYZE"))
        return await _time(engine, sizes.samples)
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
