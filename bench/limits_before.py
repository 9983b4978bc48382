"""Send pacing before the window tokens, kept for the burst bench to run beside today's.

Even spacing: each send reserves the next instant one interval (1/rate) after
the previous one, in memory (the pacing before issue 16, at 25/s) or from one
``send_paces`` row shared by every dispatcher (commit 3f94b86, at 29/s). Nothing
is handed back after the answer, so a send that wakes late or waits on the way
lands next to the following one on the provider's clock; ``scheduler/limits.py``
and ``scheduler/pace.py`` say what replaced it. ``slot`` adapts ``acquire`` to
the dispatcher's interface of today. Bench only: not imported by the service.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy import case
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import SendPace
from scheduler.limits import Pacing

Wall = Callable[[], float]


class SharedPace:
    """Reserves send instants from the channel's row in ``send_paces``."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], wall: Wall = time.time) -> None:
        self._sessions, self._wall = sessions, wall

    async def reserve(self, channel: str, interval: float, hold: float = 0.0) -> float:
        """Take the channel's next free instant, not earlier than ``hold`` seconds from now;
        return the seconds to wait for it (0 when it is free now)."""
        now = self._wall()
        start = now + max(hold, 0.0)
        table = SendPace.__table__
        async with self._sessions.begin() as session:
            dialect = session.get_bind().dialect.name
            insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
            later = case((table.c.next_at > start, table.c.next_at), else_=start) + interval
            statement = (
                insert(SendPace)
                .values(channel=channel, next_at=start + interval)
                .on_conflict_do_update(index_elements=["channel"], set_={"next_at": later})
                .returning(table.c.next_at)
            )
            next_at = float((await session.execute(statement)).scalar_one())
        return next_at - interval - now


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

    @asynccontextmanager
    async def slot(self, channel: str, address: str) -> AsyncIterator[None]:
        """Today's interface: wait as ``acquire`` did; nothing is handed back after the send."""
        await self.acquire(channel, address)
        yield

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
