"""A year of outbox history, with and without monthly partitions (issue 16, goal 5).

Two PostgreSQL databases built alike in one run: the agency, 1,000,000 pending rows
(5,000 due) and twelve months of sent history; one at revision 0017 (the outbox one
plain table with its UNIQUE key), one at the head (partitioned by month, keys in
``reminder_keys``). Timed on each: the dispatcher's claim (rolled back, as
``bench/claim.py`` does), the planner's insert of 20,000 new rows (COPY, rolled back:
the key trigger's cost) and of 500 (one INSERT), each the median of 5, and retention
of the oldest month (``forget_old_reminders`` keeping 11 months: a DROP of its
partition against a DELETE of its rows).

``python -m bench.partitions URL [--quick]``: URL's database name gets ``_plain`` and
``_monthly`` appended; both are recreated. Prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bench.claim import measure_claim
from bench.data import NOW, Sizes, admin_database, head_of, load_agency, load_pending
from data.db import create_engine, sessionmaker, upgrade
from data.outbox_retention import forget_old_reminders
from data.partitions import OUTBOX, add_months, create_month_sql, month_of
from scheduler import outbox

MONTHS = 12
HISTORY_SQL = """
INSERT INTO reminders (key, due_id, assignment_id, instance, recipient_id, kind, slot,
                       scheduled_at, state, attempts, urgent, created_at, sent_at, channel,
                       provider_message_id)
SELECT 'sent:' || :month || ':' || i, d, d, '-', :units_first + (d - 1) % :units, 'before',
       'before@history', at, 'sent', 1, false, at, at, 'telegram', CAST(i AS varchar)
FROM generate_series(1, :rows) AS i,
     LATERAL (SELECT (i - 1) % :assignments + 1 AS d,
                     CAST(:start AS timestamptz) + i * (interval '27 days' / :rows) AS at) AS t
"""
"""One month of sent rows, created and sent through its first 27 days."""


def _url(base: str, suffix: str) -> str:
    url = make_url(base)
    return url.set(database=f"{url.database}_{suffix}").render_as_string(hide_password=False)


async def _autocommit(engine: AsyncEngine, statement: str) -> None:
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(statement))


async def build(url: str, sizes: Sizes, per_month: int, *, partitioned: bool) -> AsyncEngine:
    """A fresh database: the agency, its pending rows and ``MONTHS`` months of history."""
    await admin_database(url, create=True)
    engine = create_engine(url)
    await upgrade(engine, "head" if partitioned else "0017")
    first = add_months(month_of(NOW), -MONTHS)
    if partitioned:  # the months the tick would have made as they came
        async with engine.begin() as conn:
            have = {str(n) for n in await conn.scalars(text("SELECT relname FROM pg_class"))}
            for n in range(MONTHS + 3):
                month = add_months(first, n)
                if f"reminders_p{month:%Y%m}" not in have:
                    for statement in create_month_sql(OUTBOX, month):
                        await conn.execute(text(statement))
    await load_agency(engine, sizes)
    await load_pending(engine, sizes, sizes.pending_rows, NOW)
    for n in range(MONTHS):
        start = datetime.combine(add_months(first, n), datetime.min.time(), tzinfo=UTC)
        params = {
            "month": f"{start:%Y%m}",
            "start": start,
            "rows": per_month,
            "units_first": head_of(1),
            "units": sizes.units,
            "assignments": sizes.assignments,
        }
        async with engine.begin() as conn:
            await conn.execute(text(HISTORY_SQL), params)
    await _autocommit(engine, "VACUUM ANALYZE")
    return engine


async def _timed(engine: AsyncEngine, work: Callable[[AsyncSession], Awaitable[Any]]) -> float:
    """Milliseconds ``work`` takes in a transaction that is then rolled back."""
    async with sessionmaker(engine)() as session:
        started = time.perf_counter()
        await work(session)
        elapsed = (time.perf_counter() - started) * 1000
        await session.rollback()
    return elapsed


def _planning(rows: list[outbox.NewReminder]) -> Callable[[AsyncSession], Awaitable[None]]:
    """The planner's write of ``rows`` (``outbox.plan_slots``), to time."""
    return lambda session: outbox.plan_slots(session, rows, NOW)


def _new_rows(count: int, tag: str) -> list[outbox.NewReminder]:
    at = NOW + timedelta(days=3)
    return [
        outbox.NewReminder(head_of(1 + n % 100), "manual", f"{tag}-{n}", at) for n in range(count)
    ]


async def _sizes(engine: AsyncEngine) -> dict[str, float]:
    """MiB of the outbox (every partition) and of its key table."""
    async with engine.connect() as conn:
        total = await conn.scalar(
            text(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class AS c"
                " WHERE c.relname = 'reminders' OR c.relname LIKE 'reminders\\_p%'"
                " OR c.relname = 'reminders_default'"
            )
        )
        keys = await conn.scalar(
            text("SELECT coalesce(pg_total_relation_size(to_regclass('reminder_keys')), 0)")
        )
    return {"outbox_mib": round(float(total) / 2**20, 1), "keys_mib": round(float(keys) / 2**20, 1)}


async def measure(engine: AsyncEngine, samples: int, *, inserts: bool) -> dict[str, Any]:
    """Claim, inserts (only at the head: the planner's COPY relies on the key trigger of
    0018 to skip a taken key, which the plain table of 0017 lacks) and the oldest month's
    retention on one database."""
    claim = await measure_claim(
        engine, lambda s: _count(outbox.claim(s, NOW, NOW + timedelta(minutes=5), 100)), samples
    )
    result: dict[str, Any] = {"claim": {k: v for k, v in asdict(claim).items() if k != "plan"}}
    result["claim"]["plan"] = claim.plan
    for rows in (20_000, 500) if inserts else ():  # COPY, then one INSERT … VALUES: median of 5
        timings = [await _timed(engine, _planning(_new_rows(rows, "new"))) for _ in range(5)]
        result[f"insert_{rows}_ms"] = statistics.median(timings)
    result.update(await _sizes(engine))
    started = time.perf_counter()
    forgotten = await forget_old_reminders(sessionmaker(engine), NOW, months=MONTHS - 1)
    result["retention_ms"] = (time.perf_counter() - started) * 1000
    result["retention"] = {"months": list(forgotten.months), "rows": forgotten.rows}
    return result


async def _count(claimed: Awaitable[list[outbox.ClaimedRow]]) -> int:
    return len(await claimed)


async def main(base: str, quick: bool) -> dict[str, Any]:
    """Both databases built first, then measured one after the other, under one load."""
    sizes = Sizes.quick() if quick else Sizes.full()
    per_month = sizes.pending_rows // 4
    results: dict[str, Any] = {"pending": sizes.pending_rows, "history_per_month": per_month}
    engines: dict[str, AsyncEngine] = {}
    try:
        for name, partitioned in (("plain", False), ("monthly", True)):
            started = time.perf_counter()
            engines[name] = await build(_url(base, name), sizes, per_month, partitioned=partitioned)
            results[name] = {"load_s": round(time.perf_counter() - started, 1)}
        for name, engine in engines.items():
            results[name].update(await measure(engine, 20, inserts=name == "monthly"))
    finally:
        for name, engine in engines.items():
            await engine.dispose()
            await admin_database(_url(base, name), create=False)
    return results


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1], "--quick" in sys.argv)), default=str))
