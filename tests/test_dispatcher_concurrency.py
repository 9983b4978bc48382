"""Two dispatchers, each with its own engine, drain one PostgreSQL outbox: every row once."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.db import create_engine, sessionmaker
from data.models import Officer, Reminder
from scheduler.clock import FakeClock
from scheduler.dispatcher import Dispatcher
from scheduler.limits import RateLimiter
from tests.fakes import FakeSender, FakeTimer, World, chat_links

T0 = datetime(2022, 3, 28, 1, 0, tzinfo=UTC)
RECIPIENTS, PER_RECIPIENT, LOOPS = 200, 10, 3


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_it_sends_every_row_exactly_once_with_two_dispatchers(db_url: str) -> None:
    engines = [create_engine(db_url) for _ in range(3)]
    try:
        setup, *workers = (sessionmaker(e) for e in engines)
        async with setup.begin() as s:
            s.add_all(
                Officer(name=f"Cán bộ {n}", links=chat_links(telegram=n)) for n in range(RECIPIENTS)
            )
        async with setup() as s:
            officers = list(await s.scalars(select(Officer.id)))
        jitter = random.Random(3)
        await World(setup).bulk_reminders(
            [
                {
                    "key": f"load-{officer}-{k}",
                    "recipient_id": officer,
                    "kind": "manual",
                    "slot": f"load-{k}",
                    "scheduled_at": T0 - timedelta(minutes=jitter.randrange(600)),
                    "instance": "-",
                    "state": "pending",
                    "attempts": 0,
                    "created_at": T0,
                }
                for officer in officers
                for k in range(PER_RECIPIENT)
            ]
        )
        clock = FakeClock(T0)
        senders = [FakeSender("telegram") for _ in workers]
        dispatchers = []
        for n, (sessions, sender) in enumerate(zip(workers, senders, strict=True)):
            timer = FakeTimer()
            limiter = RateLimiter(monotonic=timer.monotonic, sleep=timer.sleep)
            dispatchers.append(
                Dispatcher(
                    sessions,
                    {"telegram": sender},
                    clock,
                    batch=50,
                    limiter=limiter,
                    worker_id=f"w{n}",
                )
            )

        async def drain(dispatcher: Dispatcher) -> int:
            """Claim until nothing is pending: an empty claim only means every due
            recipient is held by the other dispatcher's claim right now (a tick would
            come back), not that the outbox is empty."""
            claimed = 0
            for _ in range(10_000):  # a bound, so a stuck row fails the test, not hangs it
                result = (await dispatcher.dispatch_once()).claimed
                claimed += result
                if not result and not await _pending(setup):
                    break
                await asyncio.sleep(0)
            return claimed

        started = time.perf_counter()
        claimed = await asyncio.gather(*(drain(d) for d in dispatchers for _ in range(LOOPS)))
        elapsed = time.perf_counter() - started

        total = RECIPIENTS * PER_RECIPIENT
        delivered = Counter(rid for sender in senders for rid in sender.sent_ids())
        assert sum(delivered.values()) == total == sum(claimed)
        assert max(delivered.values()) == 1
        assert all(sender.sent for sender in senders), "both dispatchers took part"
        async with setup() as s:
            states = dict(
                (
                    await s.execute(select(Reminder.state, func.count()).group_by(Reminder.state))
                ).all()
            )
        assert states == {"sent": total}
        print(
            f"\n{total} rows in {elapsed:.2f}s = {total / elapsed:.0f} rows/s, "
            f"{sum(len(s.sent) for s in senders)} messages, "
            f"split {[len(s.sent_ids()) for s in senders]}"
        )
    finally:
        for engine in engines:
            await engine.dispose()


async def _pending(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as s:
        count = await s.scalar(
            select(func.count())
            .select_from(Reminder)
            .where(Reminder.state.in_(("pending", "sending")))
        )
    return count or 0
