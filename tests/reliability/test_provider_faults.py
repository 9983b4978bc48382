"""The Zalo Bot API misbehaves for a minute: reminders are delayed, never lost or doubled.

For one simulated minute every ``sendMessage`` fails, cycling through the fake's
faults: 429 with ``retry_after``, 500, a timeout (the fake hangs past the client's
timeout) and a 200 whose body is not JSON. The dispatcher ticks every 10 simulated
seconds on a ``FakeClock`` (its pacing on a ``FakeTimer``), so the minute takes a
few real seconds; the HTTP is real. Each tick gets exactly as many faults as it
makes sends, so the provider heals exactly when the minute ends. Afterwards the
ticks go on every 30 simulated seconds until the outbox is drained. A chat that
never recovers fails after ``MAX_ATTEMPTS`` sends, and only then.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import cycle, islice

import pytest
from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.zalo.channel import ZaloSender
from bot.channels.zalo.client import ZaloClient
from data.db import create_engine, sessionmaker
from data.models import OfficerLink, Reminder
from scheduler.clock import FakeClock
from scheduler.dispatcher import Dispatcher
from scheduler.limits import RateLimiter
from scheduler.policy import MAX_ATTEMPTS
from tests.fake_zalo_api import FAULTS, TOKEN, FakeZaloApi
from tests.fakes import FakeTimer
from tests.reliability.conftest import delivered, seed_outbox, states

pytestmark = pytest.mark.reliability

T0 = datetime(2022, 3, 28, 1, 0, tzinfo=UTC)
OFFICERS, PER_OFFICER = 50, 3
WINDOW, TICK, AFTER_TICK = timedelta(minutes=1), timedelta(seconds=10), timedelta(seconds=30)
CLIENT_TIMEOUT = 1.5
"""Seconds the Zalo client waits for an answer in the minute of faults."""


async def _due_recipients(sessions: async_sessionmaker[AsyncSession], now: datetime) -> int:
    """Recipients the next tick will send to: one send each (one channel, no fallback)."""
    async with sessions() as s:
        query = select(func.count(distinct(Reminder.recipient_id))).where(
            Reminder.state == "pending", Reminder.scheduled_at <= now
        )
        return int(await s.scalar(query) or 0)


def _dispatcher(
    sessions: async_sessionmaker[AsyncSession], client: ZaloClient, clock: FakeClock
) -> Dispatcher:
    """The real dispatcher on the fake Zalo; the limiter's time is fake, so faults are fast."""
    timer = FakeTimer()
    return Dispatcher(
        sessions,
        {"zalo": ZaloSender(client)},
        clock,
        limiter=RateLimiter(monotonic=timer.monotonic, sleep=timer.sleep),
        rng=random.Random(7),
    )


async def test_a_minute_of_provider_faults_delays_but_loses_nothing(
    db_url: str, zalo: FakeZaloApi
) -> None:
    engine = create_engine(db_url)
    sessions = sessionmaker(engine)
    # A "timeout" fault answers after the client gave up. The client waits long enough that a
    # send the fake did deliver is never given up on, even on a loaded machine: at 0.4 s a
    # slow answer under load was taken for a failure, retried, and delivered twice.
    zalo.hang = CLIENT_TIMEOUT + 0.2
    client = ZaloClient(TOKEN, api_url=zalo.url, timeout=CLIENT_TIMEOUT)
    clock = FakeClock(T0)
    dispatcher = _dispatcher(sessions, client, clock)
    try:
        started = time.monotonic()
        keys = await seed_outbox(sessions, officers=OFFICERS, per_officer=PER_OFFICER, at=T0)
        faults = cycle(FAULTS)
        injected = Counter[str]()
        while clock.now() < T0 + WINDOW:
            sends = await _due_recipients(sessions, clock.now())
            batch = list(islice(faults, sends))
            zalo.fail_next("sendMessage", *batch)
            injected.update(batch)
            await dispatcher.dispatch_once()
            clock.advance(TICK)
        during = await states(sessions)
        for _ in range(60):
            if await states(sessions) == {"sent": len(keys)}:
                break
            await dispatcher.dispatch_once()
            clock.advance(AFTER_TICK)

        assert await states(sessions) == {"sent": len(keys)}
        counts = delivered(m.text for m in zalo.sent)
        assert set(counts) == set(keys) and set(counts.values()) == {1}, "each exactly once"
        attempts = [c for c in zalo.calls if c[0] == "sendMessage"]
        assert len(attempts) - len(zalo.sent) == sum(injected.values()), "all faults consumed"
        calls_per_chat = Counter(str(payload["chat_id"]) for _, payload in attempts)
        async with sessions() as s:
            rows = (
                await s.execute(
                    select(OfficerLink.address, Reminder.attempts, Reminder.sent_at).join(
                        OfficerLink, OfficerLink.officer_id == Reminder.recipient_id
                    )
                )
            ).all()
        for chat, tries, _ in rows:
            # Every call that reached the provider is counted; a call that timed out before
            # reaching it counts too (the client cannot tell), hence <= rather than ==.
            assert calls_per_chat[chat] <= tries, "every attempt recorded on the row"
            assert 2 <= tries <= MAX_ATTEMPTS
        unseen = sum(tries - calls_per_chat[chat] for chat, tries, _ in rows)
        last = max(sent_at for _, _, sent_at in rows)
        assert last > T0 + WINDOW
        print(
            f"\n[{engine.dialect.name}] {len(keys)} rows, {OFFICERS} officers; faults for "
            f"{WINDOW.seconds}s simulated: {dict(injected)}; at the window's end {during}; "
            f"attempts per row {min(r[1] for r in rows)}–{max(r[1] for r in rows)} "
            f"({unseen} never reached the fake); "
            f"all sent once by T0+{(last - T0).seconds}s simulated; "
            f"{time.monotonic() - started:.1f}s real"
        )
    finally:
        await client.aclose()
        await engine.dispose()


async def test_a_chat_that_never_recovers_fails_after_max_attempts(
    db_url: str, zalo: FakeZaloApi
) -> None:
    engine = create_engine(db_url)
    sessions = sessionmaker(engine)
    client = ZaloClient(TOKEN, api_url=zalo.url, timeout=0.4)
    clock = FakeClock(T0)
    dispatcher = _dispatcher(sessions, client, clock)
    try:
        await seed_outbox(sessions, officers=1, per_officer=1, at=T0)
        zalo.fail_next("sendMessage", *islice(cycle(("500", "429", "malformed")), 3 * MAX_ATTEMPTS))
        for _ in range(2 * MAX_ATTEMPTS):
            await dispatcher.dispatch_once()
            clock.advance(timedelta(hours=2))  # past any backoff (capped at one hour)
        async with sessions() as s:
            row = (await s.scalars(select(Reminder))).one()
        assert (row.state, row.attempts) == ("failed", MAX_ATTEMPTS)
        assert len(zalo.calls) == MAX_ATTEMPTS and zalo.sent == []
    finally:
        await client.aclose()
        await engine.dispose()
