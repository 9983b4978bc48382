"""``kill -9`` of a dispatcher mid-dispatch, then a restart: nothing lost, few duplicates.

The first dispatcher is the real service (``nhacviec run --role dispatcher``) in a
subprocess, sending over Zalo to the fake Bot API, which answers slowly so that the
process dies holding rows (its officers leased) and messages delivered but never
confirmed. The restart is a dispatcher in this process whose clock is past the dead
one's lease: it takes those officers over and sends their rows. Each row held at the
kill may reach its officer twice; no other row may, and no row may be lost.
"""

from __future__ import annotations

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
from tests.reliability.conftest import delivered, held, seed_outbox, states
from tests.reliability.service import start_service, wait_for_sends

pytestmark = pytest.mark.reliability

OFFICERS, PER_OFFICER = 100, 3
SENT_BEFORE_KILL = 15
"""Messages the fake must have received before the kill: the process is mid-dispatch."""
LEASE = timedelta(minutes=5)
"""The service's lease (``Dispatcher`` default); the restart's clock is past it."""


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
        service = await start_service(db_url, zalo.url, tmp_path)
        try:
            await wait_for_sends(zalo, service, SENT_BEFORE_KILL, tmp_path / "service.log")
        finally:
            if service.returncode is None:
                service.kill()  # SIGKILL: no handler, no settling, no goodbye
            await service.wait()
        killed_at = time.monotonic()
        at_kill, held_at_kill = await states(sessions), await held(sessions)
        messages_at_kill = len(zalo.sent)
        assert held_at_kill > 0, at_kill  # it really died mid-dispatch
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
        assert duplicates <= held_at_kill and max(counts.values()) <= 2
        print(
            f"\n[{engine.dialect.name}] {len(keys)} rows, {OFFICERS} officers: killed after "
            f"{messages_at_kill} messages with {held_at_kill} rows held, "
            f"{at_kill.get('sent', 0)} sent; after restart all sent, {duplicates} duplicate "
            f"deliveries; kill→done {time.monotonic() - killed_at:.2f}s, "
            f"total {time.monotonic() - started:.2f}s"
        )
    finally:
        await engine.dispose()
