"""The 08:00 burst: every reminder of the morning due at once, through the real Telegram sender.

Our side: ``officers`` unit heads, each linked on Telegram, with ``reminders``
rows due at 08:00 (``reminders / officers`` each) and four times as many pending
for later. The real ``Dispatcher`` (its ``RateLimiter``: 25/s, 1/s per chat) sends
through ``bot.channels.telegram.channel.TelegramSender`` on a real PTB bot whose ``base_url`` is
the fake Bot API of ``bench.fake_bot_api`` with Telegram's limits on. Ticks run
back to back as ``scheduler.runtime.dispatch_tick`` runs them, from the first
claim until nothing is due; the dispatcher's clock is fixed at 08:00, the
limiter's is the real one.

The naive side is ``bench.naive_burst`` (one PTB ``JobQueue`` job per reminder),
against the same fake, in a child process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from bench import run_child
from bench.data import NOW, Sizes, fresh_database, link_heads, load_agency, load_pending
from bench.fake_bot_api import TOKEN, FakeBotApi, fake_bot_api
from bench.naive_burst import VARIANTS
from bot.channels.telegram.channel import PACING, TelegramChannel
from bot.chat.conversation import Conversation
from data.db import sessionmaker
from scheduler.clock import FakeClock
from scheduler.dispatcher import Dispatcher
from scheduler.limits import RateLimiter

FUTURE_FACTOR = 4
"""Pending rows for later days per row due now: the claim must find the due ones among them."""


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


async def _ours(url: str, sizes: BurstSizes, fake: FakeBotApi) -> dict[str, Any]:
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
        limiter = RateLimiter({"telegram": PACING})
        dispatcher = Dispatcher(sessions, {"telegram": channel.sender}, clock, limiter=limiter)
        await fake.reset()
        started = time.perf_counter()
        ticks, sent, messages, retried = 0, 0, 0, 0
        while (result := await dispatcher.dispatch_once()).claimed:
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
    """Our burst, then each variant of the naive one (``bench.naive_burst.VARIANTS``)."""
    with fake_bot_api(limits=True) as fake:
        ours = await _ours(url, sizes, fake)
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
        "ours": ours,
        "naive": naive,
    }
