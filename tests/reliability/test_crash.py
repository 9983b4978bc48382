"""``kill -9`` of a dispatcher mid-dispatch, then a restart: nothing lost, few duplicates.

The first dispatcher is the real service (``nhacviec run --role dispatcher``) in a
subprocess, sending over Zalo to the fake Bot API, which answers slowly so that the
process dies with rows in ``sending`` and messages delivered but never confirmed.
The restart is a dispatcher in this process whose clock is past the dead one's
lease: it takes the stuck rows back and sends them. Each row that was ``sending``
at the kill may reach its officer twice; no other row may, and no row may be lost.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.channels.zalo.channel import ZaloSender
from bot.channels.zalo.client import ZaloClient
from data.db import create_engine, sessionmaker
from scheduler.clock import FakeClock
from scheduler.dispatcher import Dispatcher
from scheduler.limits import RateLimiter
from tests.fake_zalo_api import TOKEN, FakeZaloApi
from tests.reliability.conftest import delivered, seed_outbox, states

pytestmark = pytest.mark.reliability

OFFICERS, PER_OFFICER = 100, 3
SENT_BEFORE_KILL = 15
"""Messages the fake must have received before the kill: the process is mid-dispatch."""
LEASE = timedelta(minutes=5)
"""The service's lease (``Dispatcher`` default); the restart's clock is past it."""


def _service_env(db_url: str, zalo_url: str, tmp: Path) -> dict[str, str]:
    """The service's environment: only Zalo configured, pointing at the fake."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env |= {
        "DATABASE_URL": db_url,
        "ZALO_BOT_TOKEN": TOKEN,
        "ZALO_API_URL": zalo_url,
        "NHACVIEC_ERROR_LOG": str(tmp / "error.log"),
    }
    return env


async def _start_service(db_url: str, zalo_url: str, tmp: Path) -> asyncio.subprocess.Process:
    """``nhacviec run --role dispatcher`` in its own process (cwd without a ``.env``)."""
    log = (tmp / "service.log").open("wb")
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from bot.cli import main; main()",
        "run",
        "--role",
        "dispatcher",
        cwd=tmp,
        env=_service_env(db_url, zalo_url, tmp),
        stdout=log,
        stderr=log,
    )


async def _wait_for_sends(
    fake: FakeZaloApi, process: asyncio.subprocess.Process, n: int, log: Path
) -> None:
    """Until the fake has received ``n`` messages; fails if the service dies first."""
    deadline = time.monotonic() + 30
    while len(fake.sent) < n:
        if process.returncode is not None:
            pytest.fail(f"the service exited early:\n{log.read_text(errors='replace')[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {n} sends within 30 s:\n{log.read_text(errors='replace')[-3000:]}")
        await asyncio.sleep(0.02)


async def test_kill_9_mid_dispatch_then_restart_loses_nothing(
    db_url: str, tmp_path: Path, zalo: FakeZaloApi
) -> None:
    engine = create_engine(db_url)
    sessions = sessionmaker(engine)
    try:
        started = time.monotonic()
        keys = await seed_outbox(
            sessions,
            officers=OFFICERS,
            per_officer=PER_OFFICER,
            at=datetime.now(UTC) - timedelta(minutes=1),
        )
        zalo.delay = 0.4
        service = await _start_service(db_url, zalo.url, tmp_path)
        try:
            await _wait_for_sends(zalo, service, SENT_BEFORE_KILL, tmp_path / "service.log")
        finally:
            if service.returncode is None:
                service.kill()  # SIGKILL: no handler, no settling, no goodbye
            await service.wait()
        killed_at = time.monotonic()
        at_kill = await states(sessions)
        messages_at_kill = len(zalo.sent)
        assert at_kill.get("sending", 0) > 0, at_kill  # it really died mid-dispatch
        assert messages_at_kill < OFFICERS

        zalo.delay = 0.0
        clock = FakeClock(datetime.now(UTC) + LEASE + timedelta(minutes=1))
        client = ZaloClient(TOKEN, api_url=zalo.url)
        restarted = Dispatcher(
            sessions,
            {"zalo": ZaloSender(client)},
            clock,
            limiter=RateLimiter(),  # unpaced: the fake takes any rate
            worker_id="restarted",
        )
        try:
            for _ in range(5):
                if not (await restarted.dispatch_once()).claimed:
                    break
        finally:
            await client.aclose()

        assert await states(sessions) == {"sent": len(keys)}
        counts = delivered(m.text for m in zalo.sent)
        assert set(counts) == set(keys), "every reminder reached its officer"
        duplicates = sum(n - 1 for n in counts.values())
        assert duplicates <= at_kill["sending"] and max(counts.values()) <= 2
        print(
            f"\n[{engine.dialect.name}] {len(keys)} rows, {OFFICERS} officers: killed after "
            f"{messages_at_kill} messages with {at_kill['sending']} rows sending, "
            f"{at_kill.get('sent', 0)} sent; after restart all sent, {duplicates} duplicate "
            f"deliveries; kill→done {time.monotonic() - killed_at:.2f}s, "
            f"total {time.monotonic() - started:.2f}s"
        )
    finally:
        await engine.dispose()
