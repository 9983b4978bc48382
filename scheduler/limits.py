"""Send pacing: a global rate per channel and at most one message a second per chat.

Telegram asks bots for about 30 messages/s overall and 1/s per chat and answers
429 with ``retry_after`` beyond that; pacing ourselves is cheaper than being told.
Both limits are token buckets holding a single token (no bursts): a send
reserves the next free instant, so any one-second window holds at most
``global_rate`` sends however many tasks ask at once. A 429 pauses the chat, and
on channels listed in ``pause_globally`` (Telegram: "slow down" is about the bot)
the whole channel. Time comes from an injectable monotonic clock and sleep, so
tests pace a thousand sends in fake time without sleeping.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field

Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

_PRUNE_AT = 4096  # idle chats kept in memory before forgetting the ones that may send again


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
        *,
        global_rate: float = 25.0,
        per_chat_rate: float = 1.0,
        channels: Collection[str] = ("telegram", "zalo"),
        pause_globally: Collection[str] = ("telegram",),
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._global_interval = 1.0 / global_rate
        self._chat_interval = 1.0 / per_chat_rate
        self._channels = frozenset(channels)
        self._pause_globally = frozenset(pause_globally)
        self._monotonic, self._sleep = monotonic, sleep
        self._paces: dict[str, _Pace] = {}
        self._chats: dict[tuple[str, str], _Chat] = {}

    async def acquire(self, channel: str, address: str) -> None:
        """Return when a message to ``address`` on ``channel`` may go out now.

        Channels not listed in ``channels`` (the console) are never paced.
        """
        if channel not in self._channels:
            return
        chat = self._chat(channel, address)
        async with chat.lock:
            await self._sleep_until(lambda: chat.not_before)
            pace = self._pace(channel)
            at = pace.reserve(self._monotonic())
            await self._sleep_until(lambda: max(at, pace.paused_until))
            chat.not_before = self._monotonic() + self._chat_interval

    def pause(self, channel: str, address: str, seconds: float) -> None:
        """Hold sends to ``address`` (and the whole channel where 429 means so) for ``seconds``."""
        until = self._monotonic() + seconds
        chat = self._chat(channel, address)
        chat.not_before = max(chat.not_before, until)
        if channel in self._pause_globally:
            pace = self._pace(channel)
            pace.paused_until = max(pace.paused_until, until)

    async def _sleep_until(self, deadline: Callable[[], float]) -> None:
        """Sleep until ``deadline()``, read again on waking since a pause may move it."""
        while (delay := deadline() - self._monotonic()) > 0:
            await self._sleep(delay)

    def _pace(self, channel: str) -> _Pace:
        return self._paces.setdefault(channel, _Pace(self._global_interval))

    def _chat(self, channel: str, address: str) -> _Chat:
        if len(self._chats) >= _PRUNE_AT:
            now = self._monotonic()
            idle = [
                k for k, c in self._chats.items() if c.not_before <= now and not c.lock.locked()
            ]
            for key in idle:
                del self._chats[key]
        return self._chats.setdefault((channel, address), _Chat())
