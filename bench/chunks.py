"""A full planning in chunks of dues beside one pass (issue 16, goal 1), peak memory too.

On one synthetic agency (``bench/data.py``) on PostgreSQL, loaded once at ``url`` and
reused: the first planning of an empty outbox (``advance``, no mark yet) and a full
replan with nothing changed (``plan_reminders``), each in a child process of its own so
its peak resident memory (``ru_maxrss``) is its own; with the planner's chunks as they
are (``CHUNK_DUES``; the first planning is in one pass, ``FIRST_CHUNK_DUES``) and with
every due in one chunk (the planner before the chunks), in the order ABBA so neither
always meets the other's dead rows.

    python -m bench.chunks postgresql+asyncpg://…/nv_bench [scaled]
"""

from __future__ import annotations

import asyncio
import json
import resource
import subprocess
import sys
import time

from sqlalchemy import delete, func, select, text

from bench.data import NOW, Sizes, admin_database, load_agency
from data.db import create_engine, sessionmaker, upgrade
from data.models import Assignment, PlannerState, Reminder
from scheduler import planner

MODES = ("one pass", "chunks")
"""Every due in one chunk (the planning before the chunks), and the planner as it is."""


async def _load(url: str, sizes: Sizes) -> None:
    """The agency at ``url``, loaded unless it is there already (a million takes minutes)."""
    engine = create_engine(url)
    try:
        async with sessionmaker(engine)() as session:
            found = await session.scalar(select(func.count()).select_from(Assignment))
    except Exception:  # no database, or not migrated: load it
        found = None
    finally:
        await engine.dispose()
    if found == sizes.assignments:
        return
    await admin_database(url, create=True)
    engine = create_engine(url)
    try:
        await upgrade(engine)
        await load_agency(engine, sizes)
    finally:
        await engine.dispose()


async def _child(url: str, what: str, mode: str) -> dict[str, float]:
    """One planning (``first`` of an empty outbox, or ``full``) in ``mode``."""
    if mode == "one pass":
        planner.CHUNK_DUES = planner.FIRST_CHUNK_DUES = None  # type: ignore[assignment]
    engine = create_engine(url)
    try:
        if what == "first":
            async with engine.begin() as conn:
                await conn.execute(delete(Reminder))
                await conn.execute(delete(PlannerState))
            async with engine.connect() as conn:  # no run meets the one before's dead rows
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(text("VACUUM ANALYZE"))
        started = time.perf_counter()
        async with sessionmaker(engine).begin() as session:
            if what == "first":
                result = await planner.advance(session, NOW)
            else:
                result = await planner.plan_reminders(session, NOW)
        seconds = time.perf_counter() - started
    finally:
        await engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "created": result.created}


def main() -> None:
    url = sys.argv[1]
    if sys.argv[2:3] == ["child"]:
        print(json.dumps(asyncio.run(_child(url, sys.argv[3], sys.argv[4]))))
        return
    sizes = Sizes.full().scaled() if sys.argv[2:3] == ["scaled"] else Sizes.full()
    asyncio.run(_load(url, sizes))
    for what in ("first", "full"):
        for mode in (*MODES, *reversed(MODES)):  # each second once: dead rows, caches
            out = subprocess.run(
                [sys.executable, "-m", "bench.chunks", url, "child", what, mode],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            found = json.loads(out.splitlines()[-1])
            print(f"{sizes.assignments:>9} {what:5} {mode:8} {found}", flush=True)


if __name__ == "__main__":
    main()
