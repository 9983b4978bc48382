"""The due-scan and claim on a large PostgreSQL outbox, and the dispatcher's footprint.

Claims are timed inside a transaction that is rolled back, so every sample
sees the same table (the same due rows) rather than a queue being drained.
Two statements are timed: ``scheduler.outbox.claim`` as the dispatcher runs it
(the oldest ``batch`` due rows *plus every other due row of their recipients*,
so a recipient gets one message per tick) and the textbook single-level claim
of issue 4. Their plans come from EXPLAIN ANALYZE of the exact SQL sent.

``python -m bench.claim URL`` is the dispatcher process measured on its own:
from connecting to the due rows all sent (to /dev/null via the
console sender), with its memory before and after.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench import claim_before, peak_rss_mib, report, rss_mib
from bench.data import NOW
from bot.channels.console.sender import ConsoleSender
from data.db import create_engine, sessionmaker
from scheduler import outbox
from scheduler.clock import FakeClock
from scheduler.dispatcher import BATCH as DISPATCHER_BATCH
from scheduler.dispatcher import Dispatcher

BATCH = DISPATCHER_BATCH
"""The dispatcher's claim: 100 recipients, the next claim taken while these are sent."""
BATCH_BEFORE = 500
"""The dispatcher's claim before issue 16: 500 recipients, claimed between sends."""
LEASE = timedelta(minutes=5)
SIMPLE_CLAIM = """
UPDATE reminders SET state = 'sending', lease_until = :lease
WHERE id IN (SELECT id FROM reminders WHERE state = 'pending' AND scheduled_at <= :now
             ORDER BY scheduled_at LIMIT :batch FOR UPDATE SKIP LOCKED)
RETURNING id
"""
"""Issue 4's claim: one batch of the oldest due rows, nothing else."""
TODAY_INDEX = "CREATE INDEX ix_reminders_claim ON reminders (state, scheduled_at)"
TODAY_CLAIM = """
UPDATE reminders SET state = 'sending', lease_until = :lease
WHERE id IN (
  SELECT id FROM reminders
  WHERE ((state = 'pending' AND scheduled_at <= :now)
         OR (state = 'sending' AND lease_until < :now))
    AND recipient_id IN (
      SELECT recipient_id FROM reminders
      WHERE (state = 'pending' AND scheduled_at <= :now)
         OR (state = 'sending' AND lease_until < :now)
      ORDER BY scheduled_at, id LIMIT :batch FOR UPDATE SKIP LOCKED)
  FOR UPDATE SKIP LOCKED)
RETURNING id, recipient_id, due_id, assignment_id, instance, kind, slot, scheduled_at, attempts,
          lease_until
"""
"""``outbox.claim`` before issue 16 (one OR over due rows and expired leases, read through
``ix_reminders_claim (state, scheduled_at)`` that holds every row), kept to measure beside it."""


@dataclass(frozen=True)
class ClaimStats:
    """Timings of one claim statement over several samples, and what it claimed and how."""

    p50_ms: float
    p95_ms: float
    rows: int
    uses_index: bool
    plan: str


@dataclass(frozen=True)
class TableSize:
    rows: int
    due: int
    total_mib: float
    heap_mib: float
    index_mib: float


Claim = Callable[[AsyncSession], Awaitable[int]]


async def _outbox_claim(session: AsyncSession) -> int:
    return len(await outbox.claim(session, NOW, NOW + LEASE, BATCH))


async def _simple_claim(session: AsyncSession) -> int:
    params = {"lease": NOW + LEASE, "now": NOW, "batch": BATCH}
    return len((await session.execute(text(SIMPLE_CLAIM), params)).all())


async def _today_claim(session: AsyncSession) -> int:
    params = {"lease": NOW + LEASE, "now": NOW, "batch": BATCH_BEFORE}
    return len((await session.execute(text(TODAY_CLAIM), params)).all())


async def _claim_as_before(session: AsyncSession) -> int:
    return len(await outbox.claim(session, NOW, NOW + LEASE, BATCH_BEFORE))


async def _claim_at_start(session: AsyncSession) -> int:
    claimed = await claim_before.outbox().claim(session, NOW, NOW + LEASE, BATCH)
    return len(claimed)


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _explain(engine: AsyncEngine, claim: Claim) -> str:
    """EXPLAIN ANALYZE of the SQL ``claim`` sends about the outbox (the claim's own
    statements, not the policy's), captured on its way to the driver, in order."""
    sent: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        sent.append((statement, params))

    sessions = async_sessionmaker(engine)
    async with sessions() as session:
        event.listen(engine.sync_engine, "before_cursor_execute", capture)
        try:
            await claim(session)
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", capture)
        await session.rollback()
        # Through SQLAlchemy's connection, not the raw driver's: only then is it inside
        # a transaction, and the writes that EXPLAIN ANALYZE really runs are rolled back.
        connection = await session.connection()
        plans = []
        for statement, params in sent:
            if "reminders" in statement:
                explain = f"EXPLAIN (ANALYZE, BUFFERS) {statement}"
                plans.append(
                    "\n".join(row[0] for row in await connection.exec_driver_sql(explain, params))
                )
        await session.rollback()
    return "\n\n".join(plans)


async def measure_claim(engine: AsyncEngine, claim: Claim, samples: int) -> ClaimStats:
    """``samples`` timed claims, each rolled back, and the plan of one more.

    One claim first, untimed: the first run of a statement compiles it (SQLAlchemy) and
    has the server prepare it (asyncpg), once per dispatcher connection; with 10 samples
    p95 is the slowest one, which measured that instead of the claims a dispatcher runs.
    """
    sessions = async_sessionmaker(engine)
    async with sessions() as session:
        await claim(session)
        await session.rollback()
    timings, claimed = [], 0
    for _ in range(samples):
        async with sessions() as session:
            started = time.perf_counter()
            claimed = await claim(session)
            timings.append((time.perf_counter() - started) * 1000)
            await session.rollback()
    plan = await _explain(engine, claim)
    return ClaimStats(
        p50_ms=statistics.median(timings),
        p95_ms=_percentile(timings, 0.95),
        rows=claimed,
        # The due scan read through an index on scheduled_at (the claim's own, or on a
        # partitioned outbox each partition's copy of it, named after its columns).
        uses_index=any("Index Cond" in ln and "scheduled_at" in ln for ln in plan.splitlines()),
        plan=plan,
    )


async def _vacuum(engine: AsyncEngine, statement: str = "VACUUM reminders") -> None:
    """Clear the dead row versions the rolled-back samples left, so each claim starts alike."""
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(statement))


async def _measure_with(
    engine: AsyncEngine, index: str | None, claim: Claim, samples: int
) -> ClaimStats:
    """``claim`` measured with ``index`` (``CREATE INDEX <name> …``), an index an older
    claim read and today's schema no longer has, there while it runs."""
    if index is not None:
        await _vacuum(engine, index)
    await _vacuum(engine)
    try:
        return await measure_claim(engine, claim, samples)
    finally:
        if index is not None:
            await _vacuum(engine, f"DROP INDEX {index.split()[2]}")


async def measure_claims(engine: AsyncEngine, samples: int) -> dict[str, ClaimStats]:
    """Today's claim beside the ones before it (each with its index), at the same batch,
    then ours at a fifth of the batch and issue 4's simple claim."""
    claims = {}
    for name, index, claim in (
        ("claim before issue 16", TODAY_INDEX, _today_claim),
        (f"outbox.claim at {claim_before.BEFORE}", claim_before.LEASED_INDEX, _claim_at_start),
        ("outbox.claim", None, _outbox_claim),
        (f"outbox.claim, batch {BATCH_BEFORE}", None, _claim_as_before),
        ("simple claim", None, _simple_claim),
    ):
        claims[name] = await _measure_with(engine, index, claim, samples)
    return claims


async def table_size(engine: AsyncEngine, now: datetime) -> TableSize:
    mib = 1024 * 1024
    async with engine.connect() as conn:
        rows = await conn.scalar(text("SELECT count(*) FROM reminders"))
        due = await conn.scalar(
            text("SELECT count(*) FROM reminders WHERE state = 'pending' AND scheduled_at <= :n"),
            {"n": now},
        )
        total, heap, indexes = (
            await conn.execute(
                text(
                    "SELECT sum(pg_total_relation_size(relid)), sum(pg_relation_size(relid)),"
                    " sum(pg_indexes_size(relid)) FROM pg_partition_tree('reminders')"
                )
            )
        ).one()
    sizes = (float(size) / mib for size in (total, heap, indexes))
    return TableSize(int(rows or 0), int(due or 0), *sizes)


async def dispatcher_run(url: str) -> dict[str, Any]:
    """Connect and run ticks until nothing is due; memory before and after.

    As in ``bench.naive``, the clock starts once the modules are imported.
    """
    before = rss_mib()
    started = time.perf_counter()
    engine = create_engine(url)
    with open(os.devnull, "w") as devnull:
        dispatcher = Dispatcher(
            sessionmaker(engine), {"console": ConsoleSender(devnull)}, FakeClock(NOW), batch=BATCH
        )
        first = await dispatcher.dispatch_once()
        first_tick = time.perf_counter() - started
        ticks, sent, messages = 1, first.sent, first.messages
        if (result := await dispatcher.dispatch_due()).claimed:
            ticks, sent, messages = ticks + 1, sent + result.sent, messages + result.messages
    drained = time.perf_counter() - started
    after = rss_mib()
    await engine.dispose()
    return {
        "first_tick_s": first_tick,
        "drain_s": drained,
        "ticks": ticks,
        "sent_rows": sent,
        "messages": messages,
        "rss_before_mib": before,
        "rss_delta_mib": after - before,
        "peak_rss_mib": peak_rss_mib(),
    }


if __name__ == "__main__":
    report(asyncio.run(dispatcher_run(sys.argv[1])))
