"""The dispatcher's pacing: each channel's own ``Pacing``, in fake time."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from scheduler.limits import Pacing, RateLimiter
from tests.fakes import FakeTimer

BOT_WIDE = Pacing(per_second=25.0, per_chat_seconds=1.0, pause_globally=True)
PER_CHAT = Pacing(per_second=25.0, per_chat_seconds=1.0, pause_globally=False)


def limiter(timer: FakeTimer, **paces: Pacing) -> RateLimiter:
    return RateLimiter(paces, monotonic=timer.monotonic, sleep=timer.sleep)


async def send(paced: RateLimiter, channel: str, address: str) -> None:
    """A send answered at once."""
    async with paced.slot(channel, address):
        pass


async def test_it_paces_one_chat_to_one_message_a_second() -> None:
    timer = FakeTimer()
    paced = limiter(timer, a=BOT_WIDE)
    stamps = []
    for _ in range(100):
        async with paced.slot("a", "42"):
            stamps.append(timer.now)

    assert all(b - a >= 1 - 1e-9 for a, b in itertools.pairwise(stamps))
    assert stamps[-1] == pytest.approx(99)


async def test_it_holds_the_global_rate_across_concurrent_chats() -> None:
    timer = FakeTimer()
    paced = limiter(timer, a=BOT_WIDE)
    stamps: list[float] = []

    async def send(chat: int) -> None:
        async with paced.slot("a", str(chat)):
            stamps.append(timer.now)

    await asyncio.gather(*(send(n % 40) for n in range(200)))

    stamps.sort()
    assert all(b - a >= 1 - 1e-9 for a, b in zip(stamps, stamps[25:], strict=False))
    assert stamps[-1] <= 200 / 25 + 1


async def test_a_429_pauses_the_whole_channel_only_where_its_pacing_says_so() -> None:
    timer = FakeTimer()
    paced = limiter(timer, bot_wide=BOT_WIDE, per_chat=PER_CHAT)
    paced.pause("per_chat", "z1", 30)
    await send(paced, "per_chat", "z2")
    assert timer.now == 0
    paced.pause("bot_wide", "1", 30)
    await send(paced, "bot_wide", "2")
    assert timer.now == 30


async def test_each_channel_gets_its_own_numbers_and_one_without_pacing_none() -> None:
    timer = FakeTimer()
    slow = Pacing(per_second=2.0, per_chat_seconds=5.0, pause_globally=False)
    paced = limiter(timer, slow=slow, fast=BOT_WIDE)
    for _ in range(3):
        await send(paced, "slow", "c")
    assert timer.now == pytest.approx(10)  # 5 s apart in one chat
    before = timer.now
    for chat in range(4):
        await send(paced, "fast", str(chat))
    assert timer.now - before == pytest.approx(3 / 25)
    for _ in range(50):
        await send(paced, "unpaced", "anyone")  # no Pacing: never waits
    assert timer.now - before == pytest.approx(3 / 25)


async def test_a_token_comes_back_a_window_after_its_answer_not_its_start() -> None:
    """The first sends arrive half a second late (a congested link): counted from the starts
    they would crowd the provider's window; counted from the answers they cannot."""
    timer = FakeTimer()
    paced = limiter(timer, a=BOT_WIDE)
    arrivals: list[float] = []

    async def send(n: int) -> None:
        async with paced.slot("a", str(n)):
            if n < 20:
                await timer.sleep(0.5)
            arrivals.append(timer.now)

    await asyncio.gather(*(send(n) for n in range(100)))

    arrivals.sort()
    assert all(b - a >= 1 - 1e-9 for a, b in zip(arrivals, arrivals[25:], strict=False))
    assert arrivals[-1] <= 100 / 25 + 1
