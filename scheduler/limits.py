"""Send pacing: each channel's own overall rate and spacing per chat, as its ``Pacing`` says.

Providers ask bots to stay under an overall rate and about one message a second
per chat, and answer 429 with ``retry_after`` beyond that; pacing ourselves is
cheaper than being told. The numbers are the channel's (``bot/channels/<name>/``
hands a ``Pacing``); a channel without one (the console) is never paced.
A send runs inside ``slot``: it waits for its chat's turn and for a window token
of the channel's overall rate (``scheduler/pace.py``), and hands both back when
the answer came, since the provider may have counted the send as late as that.
The chat's next send waits ``per_chat_seconds`` after that answer, the token one
window: delays on the way (a loaded machine, a slow network) then make us slower,
never the provider's count higher. A 429 pauses the chat, and the whole channel
when its ``pause_globally`` says "slow down" is about the bot.
Time comes from an injectable monotonic clock and sleep, so tests pace a
thousand sends in fake time without sleeping.

The window tokens live in memory (``LocalPace``) unless a ``SharedPace`` is given:
then every dispatcher on the database draws from the same ones. The per-chat
spacing stays here, since one recipient's bundle is sent by the one dispatcher
that claimed it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from scheduler.pace import LocalPace, Pace, SharedPace, Slot, Window

logger = logging.getLogger(__name__)

Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

_PRUNE_AT = 4096  # idle chats kept in memory before forgetting the ones that may send again


@dataclass(frozen=True)
class Pacing:
    """A provider's sending limits, as the limiter needs them."""

    per_second: float
    """Messages the provider admits in any one second over all chats."""
    per_chat_seconds: float
    """Seconds between two messages to one chat."""
    pause_globally: bool
    """Whether a "slow down" answer is about the whole bot (Telegram) or one chat."""

    @property
    def window(self) -> Window:
        return Window(max(1, int(self.per_second)))


@dataclass
class _Chat:
    """One chat's earliest next send; the lock keeps one send per chat in flight."""

    not_before: float = -math.inf
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class _Channel:
    """A channel's pause (set by a 429) and its sends waiting for a slot: whoever holds
    ``reserving`` reserves for every send waiting then, in one go (one transaction on a
    shared pace), so the database's cost is per batch of sends, not per send."""

    paused_until: float = -math.inf
    reserving: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: list[asyncio.Future[tuple[Slot, float]]] = field(default_factory=list)


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
        self._pace: Pace = shared or LocalPace(monotonic)
        self._channels: dict[str, _Channel] = {}
        self._chats: dict[tuple[str, str], _Chat] = {}

    @asynccontextmanager
    async def slot(self, channel: str, address: str) -> AsyncIterator[None]:
        """Hold a send to ``address`` on ``channel`` until it may go out; the block sends it.

        Leaving the block (answered, refused or interrupted) hands the chat and the
        token back as of now. Channels without a ``Pacing`` (the console) are never paced.
        """
        pacing = self._pacing.get(channel)
        if pacing is None:
            yield
            return
        chat = self._chat(channel, address)
        async with chat.lock:
            await self._sleep_until(lambda: chat.not_before)
            taken, at = await self._take(channel, pacing.window)
            state = self._channel(channel)
            try:
                await self._sleep_until(lambda: max(at, state.paused_until))
                yield
            finally:
                chat.not_before = self._monotonic() + pacing.per_chat_seconds
                await self._release(channel, taken)

    def pause(self, channel: str, address: str, seconds: float) -> None:
        """Hold sends to ``address`` (and the whole channel where 429 means so) for ``seconds``."""
        until = self._monotonic() + seconds
        chat = self._chat(channel, address)
        chat.not_before = max(chat.not_before, until)
        pacing = self._pacing.get(channel)
        if pacing is not None and pacing.pause_globally:
            state = self._channel(channel)
            state.paused_until = max(state.paused_until, until)

    async def _take(self, channel: str, window: Window) -> tuple[Slot, float]:
        """A token, reserved along with the other sends waiting, and its instant on our clock;
        a pause known here holds the shared pace too, so the other dispatchers wait."""
        state = self._channel(channel)
        ticket: asyncio.Future[tuple[Slot, float]] = asyncio.get_running_loop().create_future()
        state.waiting.append(ticket)
        try:
            async with state.reserving:
                while not ticket.done():
                    await self._reserve_waiting(channel, window, state)
        except BaseException:  # cancelled (a stopping dispatcher): no token kept for nothing
            if ticket in state.waiting:
                state.waiting.remove(ticket)
            elif ticket.done():
                await self._release(channel, ticket.result()[0])
            raise
        return ticket.result()

    async def _reserve_waiting(self, channel: str, window: Window, state: _Channel) -> None:
        """Slots for the sends waiting, oldest first; an interval's wait when none is free."""
        now = self._monotonic()
        hold = max(state.paused_until - now, 0.0)
        asked = list(state.waiting)
        reserved = await self._pace.reserve(channel, window, hold, len(asked))
        returned = self._monotonic()
        for ticket, (taken, delay) in zip(asked, reserved, strict=False):
            if ticket in state.waiting:
                state.waiting.remove(ticket)
                ticket.set_result((taken, returned + delay))
            else:  # its send was cancelled meanwhile
                await self._release(channel, taken)
        if not reserved:
            await self._sleep(window.interval)

    async def _release(self, channel: str, taken: Slot) -> None:
        """Hand the token back; a release that fails (the database away) only idles the
        token until ``IN_FLIGHT`` passes, and must not turn a delivered send into an error."""
        try:
            await self._pace.release(channel, taken)
        except Exception:
            logger.warning("%s: a send token was not handed back", channel, exc_info=True)

    async def _sleep_until(self, deadline: Callable[[], float]) -> None:
        """Sleep until ``deadline()``, read again on waking since a pause may move it."""
        while (delay := deadline() - self._monotonic()) > 0:
            await self._sleep(delay)

    def _channel(self, channel: str) -> _Channel:
        return self._channels.setdefault(channel, _Channel())

    def _chat(self, channel: str, address: str) -> _Chat:
        if len(self._chats) >= _PRUNE_AT:
            now = self._monotonic()
            idle = [
                k for k, c in self._chats.items() if c.not_before <= now and not c.lock.locked()
            ]
            for key in idle:
                del self._chats[key]
        return self._chats.setdefault((channel, address), _Chat())
