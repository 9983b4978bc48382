"""Several dispatchers on one database share the channel's overall rate (``scheduler/pace.py``).

Two dispatchers, each with its own limiter as two processes would have, draw
their sends from the ``send_paces`` rows; the fake sender stamps each send with
the fake clock as the provider would see it arrive, and the stamps are counted
per one-second window.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram.channel import PACING
from scheduler.clock import FakeClock
from scheduler.dispatcher import Dispatcher
from scheduler.limits import RateLimiter
from scheduler.outbox import ClaimedRow
from scheduler.pace import SharedPace
from scheduler.sender import Bundle
from tests.fakes import FakeSender, FakeTimer, World

T0 = datetime(2022, 3, 28, 1, 0, tzinfo=UTC)  # Monday 08:00 in Hà Nội
OFFICERS = 90
GATE_WAIT = 60.0
"""Seconds a send waits at the gate: a test that cannot open it fails, it does not hang."""
SLOW = 20
"""Sends that take half a second to reach the provider in the slow-network test."""
PROVIDER_LIMIT = 30
"""Telegram's overall limit: about 30 messages in any second (``PACING`` keeps one spare for
a send that wakes late)."""


class Gate:
    """Holds every send until each dispatcher has claimed people once. Without it a loaded
    machine may let one dispatcher drain the outbox before the other's first claim, and the
    test would check one process's pacing instead of the shared one."""

    def __init__(self, dispatchers: int) -> None:
        self._waiting = dispatchers
        self.open = asyncio.Event()

    def claimed(self) -> None:
        self._waiting -= 1
        if self._waiting == 0:
            self.open.set()


class GatedDispatcher(Dispatcher):
    """A dispatcher that tells the gate of its first claim that leased anyone."""

    gate: Gate | None = None

    async def claim_due(self) -> list[ClaimedRow]:
        rows = await super().claim_due()
        if rows and self.gate is not None:
            self.gate.claimed()
            self.gate = None
        return rows


def dispatcher(
    sessions: async_sessionmaker[AsyncSession],
    sender: FakeSender,
    timer: FakeTimer,
    seed: int,
    batch: int = 15,
) -> GatedDispatcher:
    shared = SharedPace(sessions, wall=timer.monotonic)
    limiter = RateLimiter(
        {"telegram": PACING}, monotonic=timer.monotonic, sleep=timer.sleep, shared=shared
    )
    return GatedDispatcher(
        sessions,
        {"telegram": sender},
        FakeClock(T0),
        limiter=limiter,
        rng=random.Random(seed),
        batch=batch,
        concurrency=batch,
        worker_id=f"dispatcher-{seed}",
    )


def crowded(stamps: list[float]) -> list[tuple[float, float]]:
    """Pairs of arrivals ``PROVIDER_LIMIT`` apart within one second: the provider's 429s."""
    stamps = sorted(stamps)
    later = stamps[PROVIDER_LIMIT:]
    return [(a, b) for a, b in zip(stamps, later, strict=False) if b - a < 1 - 1e-9]


async def drain(worker: Dispatcher) -> int:
    """Ticks back to back until nothing is due; the messages this dispatcher sent."""
    messages = 0
    while (result := await worker.dispatch_once()).claimed:
        messages += result.messages
    return messages


async def test_two_dispatchers_together_stay_within_the_rate_and_send_each_row_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    w = World(sessions)
    expected = []
    for n in range(OFFICERS):
        officer = await w.officer(f"Cán bộ {n}", telegram=7000 + n)
        for _ in range(1 + n % 3):
            expected.append(await w.reminder(officer, T0, kind="manual"))
    timer = FakeTimer()
    stamps: list[float] = []
    gate = Gate(2)

    async def arrive(_bundle: Bundle) -> None:
        await asyncio.wait_for(gate.open.wait(), GATE_WAIT)
        stamps.append(timer.now)

    sender = FakeSender("telegram", before_send=arrive)
    workers = [dispatcher(sessions, sender, timer, seed) for seed in (1, 2)]
    for worker in workers:
        worker.gate = gate

    first, second = await asyncio.gather(*(drain(worker) for worker in workers))

    assert first > 0 and second > 0 and first + second == OFFICERS
    assert sorted(sender.sent_ids()) == sorted(expected)  # every row once, none twice
    assert Counter(b.address for b in sender.sent).most_common(1)[0][1] == 1
    assert crowded(stamps) == []  # no one-second window holds more than the provider's limit
    assert max(stamps) >= (OFFICERS - 1) / PACING.per_second - 1e-9


async def test_a_slow_network_does_not_crowd_the_providers_window(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """The first sends take half a second to arrive (a congested link), the rest none: sends
    evenly spaced on our side would land 50 in one second on the provider's. Each
    dispatcher claims all it can, so its sends overlap as in a morning burst."""
    w = World(sessions)
    for n in range(OFFICERS):
        await w.reminder(await w.officer(f"Cán bộ {n}", telegram=7000 + n), T0, kind="manual")
    timer = FakeTimer()
    arrivals: list[float] = []

    async def network(_bundle: Bundle) -> None:
        if len(sender.attempts) <= SLOW:
            await timer.sleep(0.5)
        arrivals.append(timer.now)

    sender = FakeSender("telegram", before_send=network)

    first, second = await asyncio.gather(
        drain(dispatcher(sessions, sender, timer, 1, batch=OFFICERS)),
        drain(dispatcher(sessions, sender, timer, 2, batch=OFFICERS)),
    )

    assert first + second == OFFICERS
    assert crowded(arrivals) == []
