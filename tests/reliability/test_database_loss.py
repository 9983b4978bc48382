"""PostgreSQL goes away during a dispatch and comes back: the service reconnects, loses nothing.

The dispatcher runs as in production, driven by APScheduler's interval job
(``scheduler/runtime.py``), with its own engine (``pool_pre_ping``). Mid-run the
database disappears: through a TCP proxy that resets every connection and refuses
new ones for two seconds, or (opt-in, it disturbs every local user of the server)
by stopping and starting the real PostgreSQL. Ticks fail meanwhile; APScheduler
logs them and keeps the job. Rows whose outcome could not be recorded stay
held (their officer leased) until the lease passes (the test's clock jumps past it), then go out
again: at most one duplicate each, and every row ends ``sent``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.db import create_engine, sessionmaker
from scheduler.clock import FakeClock
from scheduler.dispatcher import Dispatcher
from scheduler.limits import RateLimiter
from scheduler.runtime import build_scheduler
from scheduler.sender import Bundle
from tests.fakes import FakeSender, FakeTimer
from tests.reliability.conftest import held, seed_outbox, states
from tests.reliability.tcp_proxy import TcpProxy

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.postgres,
    pytest.mark.parametrize("db_url", ["postgres"], indirect=True),
]

T0 = datetime(2022, 3, 28, 1, 0, tzinfo=UTC)
OFFICERS, PER_OFFICER = 100, 3
LEASE = timedelta(minutes=5)
SENT_BEFORE_OUTAGE = 20
"""Bundles delivered before the database goes: the outage lands mid-run."""

Outage = Callable[[], Awaitable[None]]


async def _until(condition: Callable[[], Awaitable[bool]], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds}s waiting for {what}")
        await asyncio.sleep(0.05)


async def _slow_send(_bundle: Bundle) -> None:
    await asyncio.sleep(0.03)  # keeps the run long enough for the outage to land in it


async def _dispatch_through_outage(
    setup: async_sessionmaker[AsyncSession],
    sessions: async_sessionmaker[AsyncSession],
    outage: Outage,
    caplog: pytest.LogCaptureFixture,
) -> str:
    """Run the scheduler's dispatcher, call ``outage`` mid-run, check the end state."""
    keys = await seed_outbox(
        setup, officers=OFFICERS, per_officer=PER_OFFICER, at=T0, channel="telegram"
    )
    clock = FakeClock(T0)
    sender = FakeSender("telegram", before_send=_slow_send)
    timer = FakeTimer()
    dispatcher = Dispatcher(
        sessions,
        {"telegram": sender},
        clock,
        lease=LEASE,
        batch=10,
        concurrency=4,
        limiter=RateLimiter(monotonic=timer.monotonic, sleep=timer.sleep),
    )
    scheduler = build_scheduler(
        sessions, dispatcher, clock, plan=False, dispatch_every=timedelta(seconds=0.2)
    )
    started = time.monotonic()
    caplog.set_level(logging.ERROR, logger="apscheduler")
    caplog.set_level(logging.WARNING, logger="scheduler.runtime")  # "database unavailable"
    scheduler.start()
    try:

        async def some_sent() -> bool:
            return len(sender.sent) >= SENT_BEFORE_OUTAGE

        await _until(some_sent, 20, f"{SENT_BEFORE_OUTAGE} sends")
        sent_before = len(sender.sent)
        outage_started = time.monotonic()
        await outage()
        outage_seconds = time.monotonic() - outage_started
        stuck = await held(setup)
        clock.advance(LEASE + timedelta(minutes=1))  # the stuck rows' lease has passed

        async def all_sent() -> bool:
            return await states(setup) == {"sent": len(keys)}

        await _until(all_sent, 30, "every row sent")
        assert scheduler.get_job("dispatcher") is not None, "the job survived the failed ticks"
    finally:
        scheduler.shutdown(wait=False)
    failed_ticks = sum("database unavailable" in r.getMessage() for r in caplog.records)
    assert failed_ticks >= 1, "the outage was seen by at least one tick"
    counts = Counter(sender.sent_ids())
    assert len(counts) == len(keys), "every reminder delivered"
    duplicates = sum(n - 1 for n in counts.values())
    assert duplicates <= stuck and max(counts.values()) <= 2
    return (
        f"{len(keys)} rows, {OFFICERS} officers: outage of {outage_seconds:.1f}s after "
        f"{sent_before} messages; {failed_ticks} ticks failed; {stuck} rows left held, "
        f"re-claimed after the lease; {duplicates} duplicate deliveries; "
        f"total {time.monotonic() - started:.1f}s"
    )


async def test_dispatcher_reconnects_after_the_connections_drop(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = make_url(db_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    direct = create_engine(db_url)
    proxied = create_engine(
        url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    )

    async def cut_for_two_seconds() -> None:
        await proxy.cut()
        await asyncio.sleep(2)
        await proxy.restore()

    try:
        report = await _dispatch_through_outage(
            sessionmaker(direct), sessionmaker(proxied), cut_for_two_seconds, caplog
        )
        assert proxy.connections > 1, "the engine opened new connections after the cut"
        print(f"\n[proxy cut] {report}; {proxy.connections} connections through the proxy")
    finally:
        await proxied.dispose()
        await direct.dispose()
        await proxy.stop()


def _local_cluster() -> list[str] | None:
    """``pg_ctlcluster VERSION main`` of the local server, when there is exactly one."""
    if shutil.which("pg_ctlcluster") is None or not Path("/etc/postgresql").is_dir():
        return None
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    if len(versions) != 1:
        return None
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main"]


def _restart_enabled() -> bool:
    flag = os.environ.get("NHACVIEC_PG_RESTART_TEST") == "1"
    return flag or os.environ.get("CI", "").lower() == "true"


@pytest.mark.server_restart  # make test runs it alone: it cuts every other test's server
@pytest.mark.skipif(
    not _restart_enabled(), reason="restarts PostgreSQL: set NHACVIEC_PG_RESTART_TEST=1 (or CI)"
)
async def test_dispatcher_goes_on_after_a_real_server_restart(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    cluster = _local_cluster()
    host = make_url(db_url).host
    if cluster is None or host not in ("127.0.0.1", "localhost"):
        pytest.skip("no local PostgreSQL cluster managed by pg_ctlcluster")
    engine = create_engine(db_url)

    def ctl(action: str) -> None:
        subprocess.run([*cluster, action], check=True, capture_output=True, timeout=60)

    async def stop_then_start() -> None:
        try:
            await asyncio.to_thread(ctl, "stop")
            await asyncio.sleep(1)
        finally:
            await asyncio.to_thread(ctl, "start")

    try:
        report = await _dispatch_through_outage(
            sessionmaker(engine), sessionmaker(engine), stop_then_start, caplog
        )
        print(f"\n[server restart] {report}")
    finally:
        await engine.dispose()
        if subprocess.run([*cluster, "status"], capture_output=True).returncode != 0:
            ctl("start")  # whatever failed above, the server is left running
