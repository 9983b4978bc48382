"""The 08:00 burst: every reminder of the morning due at once, through the real Telegram sender.

Our side: ``officers`` unit heads, each linked on Telegram, with ``reminders``
rows due at 08:00 (``reminders / officers`` each) and four times as many pending
for later. The real ``Dispatcher`` sends through
``bot.channels.telegram.channel.TelegramSender`` on a real PTB bot whose ``base_url`` is
the fake Bot API of ``bench.fake_bot_api`` with Telegram's limits on. Ticks run
back to back as ``scheduler.runtime.dispatch_tick`` runs them, from the first
claim until nothing is due; the dispatcher's clock is fixed at 08:00, the
limiter's is the real one. The run is made once per pacing (``PACINGS``): today's
window tokens shared through the database as the service runs them, and the even
spacing before them (``bench.limits_before``), in memory at 25/s as before issue 16
and shared at 29/s as commit 3f94b86 had it.

The naive side is ``bench.naive_burst`` (one PTB ``JobQueue`` job per reminder),
against the same fake, in a child process.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench import run_child
from bench.data import NOW, Sizes, fresh_database, link_heads, load_agency, load_pending
from bench.fake_bot_api import TOKEN, FakeBotApi, fake_bot_api
from bench.limits_before import RateLimiter as EvenLimiter
from bench.limits_before import SharedPace as EvenSharedPace
from bench.naive_burst import VARIANTS
from bot.channels.telegram.channel import PACING, TelegramChannel
from bot.chat.conversation import Conversation
from data.db import sessionmaker
from scheduler.clock import FakeClock
from scheduler.dispatcher import Dispatcher
from scheduler.limits import Pacing, RateLimiter
from scheduler.pace import SharedPace

FUTURE_FACTOR = 4
"""Pending rows for later days per row due now: the claim must find the due ones among them."""

Limiter = Callable[[async_sessionmaker[AsyncSession]], Any]
BATCH_BEFORE = 500
"""The dispatcher's claim before issue 16: 500 recipients' rows, claimed between sends."""


@dataclass(frozen=True)
class Sending:
    """One way of sending the burst: the limiter, and how the dispatcher claims."""

    limiter: Limiter
    pipelined: bool
    """``dispatch_due`` (small claims, the next while sending) or ``dispatch_once`` in a loop."""
    label: str


def _even(per_second: float, shared: bool) -> Limiter:
    pacing = Pacing(per_second, PACING.per_chat_seconds, PACING.pause_globally)
    return lambda sessions: EvenLimiter(
        {"telegram": pacing}, shared=EvenSharedPace(sessions) if shared else None
    )


def _now(sessions: async_sessionmaker[AsyncSession]) -> RateLimiter:
    return RateLimiter({"telegram": PACING}, shared=SharedPace(sessions))


PACINGS: dict[str, Sending] = {
    "now": Sending(_now, True, "window tokens (30), shared; claims overlapped"),
    "even-25": Sending(_even(25.0, shared=False), False, "even 25/s in memory (before issue 16)"),
    "even-shared-29": Sending(_even(29.0, shared=True), False, "even 29/s, shared (3f94b86)"),
}
"""Today's sending and the even spacing before it, claims of 500 between sends."""


@dataclass(frozen=True)
class BurstSizes:
    officers: int
    reminders: int
    naive_bound_s: float
    """The naive run is stopped after this long; what was delivered by then is reported."""

    @classmethod
    def full(cls) -> BurstSizes:
        return cls(5_000, 20_000, 120.0)

    @classmethod
    def quick(cls) -> BurstSizes:
        return cls(500, 2_000, 30.0)


def agency(sizes: BurstSizes) -> Sizes:
    """One plan, a task per reminder, dealt in turn to the officers' units."""
    base = Sizes.quick()
    return replace(
        base,
        plans=1,
        tasks_per_plan=sizes.reminders,
        units=sizes.officers,
        leaders=1,
        due_rows=sizes.reminders,
    )


async def _ours(url: str, sizes: BurstSizes, fake: FakeBotApi, how: Sending) -> dict[str, Any]:
    engine = await fresh_database(url)
    try:
        shape = agency(sizes)
        await load_agency(engine, shape)
        await link_heads(engine)
        await load_pending(engine, shape, sizes.reminders * (1 + FUTURE_FACTOR), NOW)
        sessions = sessionmaker(engine)
        clock = FakeClock(NOW)
        channel = TelegramChannel(TOKEN, Conversation(sessions, clock), base_url=fake.base_url)
        await channel.application.initialize()
        batch = {} if how.pipelined else {"batch": BATCH_BEFORE}
        dispatcher = Dispatcher(
            sessions, {"telegram": channel.sender}, clock, limiter=how.limiter(sessions), **batch
        )
        await fake.reset()
        started = time.perf_counter()
        ticks, sent, messages, retried = 0, 0, 0, 0
        tick = dispatcher.dispatch_due if how.pipelined else dispatcher.dispatch_once
        while (result := await tick()).claimed:
            ticks, sent = ticks + 1, sent + result.sent
            messages, retried = messages + result.messages, retried + result.retried
        elapsed = time.perf_counter() - started
        await channel.stop()
    finally:
        await engine.dispose()
    return {
        "elapsed_s": elapsed,
        "ticks": ticks,
        "sent_rows": sent,
        "messages": messages,
        "retried_rows": retried,
        "fake": await fake.stats(),
    }


def _naive(sizes: BurstSizes, fake: FakeBotApi, variant: str) -> dict[str, Any]:
    args = (fake.base_url, str(sizes.officers), str(sizes.reminders), variant)
    answer = run_child(
        "bench.naive_burst", *args, str(sizes.naive_bound_s), timeout=sizes.naive_bound_s + 300
    )
    return answer


async def measure(url: str, sizes: BurstSizes) -> dict[str, Any]:
    """Our burst once per pacing, then each variant of the naive one
    (``bench.naive_burst.VARIANTS``)."""
    with fake_bot_api(limits=True) as fake:
        pacings = {}
        for name, how in PACINGS.items():
            pacings[name] = await _ours(url, sizes, fake, how) | {"label": how.label}
        naive = {}
        for variant in VARIANTS:
            await fake.reset()
            naive[variant] = _naive(sizes, fake, variant)
            naive[variant]["fake"] = await fake.stats()
    return {
        "officers": sizes.officers,
        "reminders": sizes.reminders,
        "pending_later": sizes.reminders * FUTURE_FACTOR,
        "naive_bound_s": sizes.naive_bound_s,
        "ours": pacings["now"],
        "pacings": pacings,
        "naive": naive,
    }
