"""SIGTERM to a dispatcher mid-send (a deploy), then a restart: nothing twice, nothing waits.

The service (``nhacviec run --role dispatcher``) sends over Zalo to a slow fake Bot
API; SIGTERM arrives while bundles are in a sender's hands and many more wait for a
concurrency slot. The service must stop claiming, let the sends in flight finish and
be recorded, and hand every row it never started back to ``pending``. A restart right
away (its clock *before* the old lease ends) then sends exactly what is left: no
officer stays leased, no reminder reaches its officer twice.
"""

from __future__ import annotations

import asyncio
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

OFFICERS, PER_OFFICER = 100, 2
SENT_BEFORE_TERM = 10
"""Messages the fake must have received before SIGTERM: the process is mid-dispatch."""
SEND_SECONDS = 1.0
"""The fake's answer time: every bundle in flight at SIGTERM is still waiting for it."""
EXIT_WITHIN = 90.0
"""Generous bound on the service's exit: the drain itself gives sends 5 seconds, and a
loaded CI machine (the whole suite on 2 cores) took over 30 s to wind the process down."""


async def test_sigterm_mid_dispatch_finishes_sends_and_releases_the_rest(
    db_url: str, tmp_path: Path, zalo: FakeZaloApi
) -> None:
    engine = create_engine(db_url)
    sessions = sessionmaker(engine)
    log = tmp_path / "service.log"
    try:
        keys = await seed_outbox(
            sessions,
            officers=OFFICERS,
            per_officer=PER_OFFICER,
            at=datetime.now(UTC) - timedelta(minutes=1),
        )
        zalo.delay = SEND_SECONDS
        service = await start_service(db_url, zalo.url, tmp_path)
        try:
            await wait_for_sends(zalo, service, SENT_BEFORE_TERM, log)
            service.terminate()  # SIGTERM, as docker stop / systemd send it
            await asyncio.wait_for(service.wait(), EXIT_WITHIN)
        finally:
            if service.returncode is None:
                service.kill()
                await service.wait()
        after_term = await states(sessions)
        delivered_before = delivered(m.text for m in zalo.sent)
        assert service.returncode == 0, log.read_text(errors="replace")[-3000:]
        assert await held(sessions) == 0, after_term  # nothing waits out a lease
        assert after_term.get("sent", 0) == sum(delivered_before.values())  # all recorded
        assert after_term.get("pending", 0) > 0  # it really stopped mid-dispatch

        zalo.delay = 0.0
        client = ZaloClient(TOKEN, api_url=zalo.url)
        restarted = Dispatcher(
            sessions,
            {"zalo": ZaloSender(client)},
            FakeClock(datetime.now(UTC)),  # within the old process's lease
            limiter=RateLimiter(),  # unpaced: the fake takes any rate
            worker_id="restarted",
        )
        try:
            while (await restarted.dispatch_once()).claimed:
                pass
        finally:
            await client.aclose()

        assert await states(sessions) == {"sent": len(keys)}
        counts = delivered(m.text for m in zalo.sent)
        assert set(counts) == set(keys), "every reminder reached its officer"
        assert max(counts.values()) == 1, "no reminder arrived twice"
        print(
            f"\n[{engine.dialect.name}] {len(keys)} rows: SIGTERM after "
            f"{SENT_BEFORE_TERM} messages; {after_term.get('sent', 0)} rows sent and "
            f"{after_term.get('pending', 0)} released by the stopping service, "
            "the rest sent at once by the next one, no duplicate"
        )
    finally:
        await engine.dispose()
