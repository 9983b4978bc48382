"""Send pacing: each channel's own overall rate and spacing per chat, as its ``Pacing`` says.

Providers ask bots to stay under an overall rate and about one message a second
per chat, and answer 429 with ``retry_after`` beyond that; pacing ourselves is
cheaper than being told. The numbers are the channel's (``bot/channels/<name>/``
hands a ``Pacing``); a channel without one (the console) is never paced.
Both limits are token buckets holding a single token (no bursts): a send
reserves the next free instant, so any one-second window holds at most
``per_second`` sends however many tasks ask at once (one more when a send wakes
late; a send that missed its slot by a whole interval reserves a new one). A 429
pauses the chat, and the whole channel when its ``pause_globally`` says "slow
down" is about the bot.
Time comes from an injectable monotonic clock and sleep, so tests pace a
thousand sends in fake time without sleeping.

With a ``SharedPace`` the overall rate is taken from the database instead, so
any number of dispatchers together stay within it (``scheduler/pace.py``); the
per-chat spacing stays here, since one recipient's bundle is sent by the one
dispatcher that claimed it.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from scheduler.pace import SharedPace

Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

_PRUNE_AT = 4096  # idle chats kept in memory before forgetting the ones that may send again


@dataclass(frozen=True)
class Pacing:
    """A provider's sending limits, as the limiter needs them."""

    per_second: float
    """Messages per second over all chats."""
    per_chat_seconds: float
    """Seconds between two messages to one chat."""
    pause_globally: bool
    """Whether a "slow down" answer is about the whole bot (Telegram) or one chat."""


@dataclass
class _Pace:
    """Evenly spaced instants for one channel, plus a pause set by a 429."""

    interval: float
    next_at: float = -math.inf
    paused_until: float = -math.inf

    def reserve(self, now: float) -> float:
        """Take the next free instant; the following caller gets one interval later."""
        at = max(now, self.next_at, self.paused_until)
        self.next_at = at + self.interval
        return at


@dataclass
class _Chat:
    """One chat's earliest next send; the lock keeps one send per chat in flight."""

    not_before: float = -math.inf
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class RateLimiter:
    """Waits before each send so the dispatcher stays within the providers' limits."""

    def __init__(
        self,
        paces: Mapping[str, Pacing] | None = None,
        *,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        shared: SharedPace | None = None,
    ) -> None:
        self._pacing = dict(paces or {})
        self._monotonic, self._sleep = monotonic, sleep
        self._shared = shared
        self._paces: dict[str, _Pace] = {}
        self._chats: dict[tuple[str, str], _Chat] = {}

    async def acquire(self, channel: str, address: str) -> None:
        """Return when a message to ``address`` on ``channel`` may go out now.

        Channels without a ``Pacing`` (the console) are never paced.
        """
        pacing = self._pacing.get(channel)
        if pacing is None:
            return
        chat = self._chat(channel, address)
        async with chat.lock:
            await self._sleep_until(lambda: chat.not_before)
            pace = self._pace(channel, pacing)
            while not await self._take_slot(channel, pace):
                pass
            chat.not_before = self._monotonic() + pacing.per_chat_seconds

    def pause(self, channel: str, address: str, seconds: float) -> None:
        """Hold sends to ``address`` (and the whole channel where 429 means so) for ``seconds``."""
        until = self._monotonic() + seconds
        chat = self._chat(channel, address)
        chat.not_before = max(chat.not_before, until)
        pacing = self._pacing.get(channel)
        if pacing is not None and pacing.pause_globally:
            pace = self._pace(channel, pacing)
            pace.paused_until = max(pace.paused_until, until)

    async def _take_slot(self, channel: str, pace: _Pace) -> bool:
        """Wait for a reserved slot; False when woken a whole interval late (a pause, a
        stalled process): sending then would crowd the slots others hold."""
        at = await self._reserve(channel, pace)
        await self._sleep_until(lambda: max(at, pace.paused_until))
        return self._monotonic() - at < pace.interval

    async def _reserve(self, channel: str, pace: _Pace) -> float:
        """The instant (on our clock) of this send's slot in the channel's overall rate;
        a pause known here holds the shared pace too, so the other dispatchers wait."""
        now = self._monotonic()
        if self._shared is None:
            return pace.reserve(now)
        hold = pace.paused_until - now
        return now + await self._shared.reserve(channel, pace.interval, hold)

    async def _sleep_until(self, deadline: Callable[[], float]) -> None:
        """Sleep until ``deadline()``, read again on waking since a pause may move it."""
        while (delay := deadline() - self._monotonic()) > 0:
            await self._sleep(delay)

    def _pace(self, channel: str, pacing: Pacing) -> _Pace:
        return self._paces.setdefault(channel, _Pace(1.0 / pacing.per_second))

    def _chat(self, channel: str, address: str) -> _Chat:
        if len(self._chats) >= _PRUNE_AT:
            now = self._monotonic()
            idle = [
                k for k, c in self._chats.items() if c.not_before <= now and not c.lock.locked()
            ]
            for key in idle:
                del self._chats[key]
        return self._chats.setdefault((channel, address), _Chat())
