"""Memory of the whole running service (``nhacviec run --role all``) over a 1,000,000-row outbox.

The service is started as operators start it (``python -m bot run --role all``,
console sender since no token is set, JSON logs, /healthz on a free port) in a
fresh working directory against a PostgreSQL database holding an agency whose
dues fall in the months ahead of the real clock (which the service runs on), its
reminders already planned by the planner (``planner.advance``, as the service's
own tick would at its first start): about a million ``pending`` rows of the
planner's own kinds, which the service's ticks must leave where they are, and
``due`` rows a leader sent now (``manual``, urgent, so a start at night or on a
Sunday still sends them) for the dispatcher to drain.

Resident memory (``VmRSS`` of the child) is read when /healthz first answers,
when the due rows are all sent, and after ``watch_s`` (a few 10-second dispatch
ticks); ``VmHWM`` is the peak.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.data import Sizes, fresh_database, load_agency, load_pending, periods_from
from data.db import sessionmaker
from scheduler.clock import TZ
from scheduler.planner import advance

START_TIMEOUT = 180.0
TOKENS = ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET")


@dataclass(frozen=True)
class ServiceSizes:
    assignments: int
    """The agency's: the planner writes 3 to 6 pending rows for each, as the calendar
    falls (5.5 on 7 December 2026), so a million near 180,000."""
    due: int
    watch_s: float

    @classmethod
    def full(cls) -> ServiceSizes:
        return cls(182_000, 5_000, 35.0)

    @classmethod
    def quick(cls) -> ServiceSizes:
        return cls(18_200, 500, 25.0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _memory_mib(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


async def _due_left(engine: AsyncEngine) -> int:
    """The leader's rows not sent yet (the planner's of today wait for working hours)."""
    async with engine.connect() as conn:
        left = await conn.scalar(
            text(
                "SELECT count(*) FROM reminders"
                " WHERE kind = 'manual' AND state <> 'sent' AND scheduled_at <= now()"
            )
        )
    return int(left or 0)


async def _pending(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        left = await conn.scalar(text("SELECT count(*) FROM reminders WHERE state = 'pending'"))
    return int(left or 0)


async def _until_healthy(port: int, process: subprocess.Popen[bytes]) -> float:
    started = time.perf_counter()
    async with httpx.AsyncClient() as client:
        while time.perf_counter() - started < START_TIMEOUT:
            if process.poll() is not None:
                raise RuntimeError(f"nhacviec run exited with {process.returncode}")
            try:
                if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise TimeoutError("nhacviec run did not answer /healthz")


async def _watch(engine: AsyncEngine, url: str, sizes: ServiceSizes) -> dict[str, Any]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in TOKENS}
    env.update(DATABASE_URL=url, LOG_FORMAT="json", PYTHONPATH=str(Path.cwd()))
    args = [sys.executable, "-m", "bot", "run", "--console", "--role", "all", "--port", str(port)]
    with tempfile.TemporaryDirectory() as folder, open(Path(folder) / "log", "wb") as log:
        process = subprocess.Popen(args, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=log)
        try:
            ready_s = await _until_healthy(port, process)
            ready_mib = _memory_mib(process.pid, "VmRSS")
            started = time.perf_counter()
            drained_s, drained_mib = None, None
            while (elapsed := time.perf_counter() - started) < sizes.watch_s:
                if drained_s is None and await _due_left(engine) == 0:
                    drained_s, drained_mib = elapsed, _memory_mib(process.pid, "VmRSS")
                await asyncio.sleep(0.5)
            return {
                "ready_s": ready_s,
                "rss_ready_mib": ready_mib,
                "drained_s": drained_s,
                "rss_drained_mib": drained_mib,
                "rss_end_mib": _memory_mib(process.pid, "VmRSS"),
                "peak_mib": _memory_mib(process.pid, "VmHWM"),
                "pending_end": await _pending(engine),
            }
        finally:
            process.terminate()
            process.wait(30)


async def _planned(engine: AsyncEngine, now: datetime) -> None:
    """The planner's rows of the agency, planned from ``now`` as the service's tick plans them."""
    async with sessionmaker(engine).begin() as session:
        await advance(session, now)
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE reminders"))


async def measure(url: str, sizes: ServiceSizes) -> dict[str, Any]:
    engine = await fresh_database(url)
    try:
        now = datetime.now(UTC)
        shape = replace(Sizes.full(), plans=1, tasks_per_plan=sizes.assignments, due_rows=sizes.due)
        await load_agency(engine, shape, periods_from(now.astimezone(TZ).date()))
        await load_pending(engine, shape, sizes.due, now, kind="manual")
        await _planned(engine, now)
        pending = await _pending(engine)
        watched = await _watch(engine, url, sizes)
    finally:
        await engine.dispose()
    return {
        "pending": pending,
        "due": sizes.due,
        "assignments": sizes.assignments,
        "watch_s": sizes.watch_s,
        **watched,
    }
