"""A channel's overall send rate as the provider counts it: at most N sends in any window.

The provider counts arrivals on its own clock, which we cannot see: a send leaves
at ``start`` and the answer comes back at ``done``, so it arrived somewhere in
between. Evenly spaced starts (one every 1/N s) are not enough: under load a
send that wakes late, or a request that waits in a busy event loop or network
stack, lands next to the following one, and at 29/s the whole margin for that
was 34 ms (the cluster bench saw 25-35 × 429 on a loaded machine). So the rate
is kept as ``N`` window tokens: a send takes one, and the token is free again
one window after the send's answer came back. Any ``N + 1`` sends then share a
token, and the later of the two started after the earlier one's answer plus a
window, so no window on the provider's clock holds more than ``N`` arrivals,
whatever the delays (a refused send counts too, conservatively). A send also
starts one interval (window / N) after the previous one, which keeps the sends
smooth instead of ``N`` at once. The cost is the answer time per token cycle:
N / (window + latency) sends a second, ~29.7/s at 10 ms.

A taken token is held ``IN_FLIGHT`` seconds until its release says when the
answer came; a process killed mid-send loses its tokens for that long only.

``LocalPace`` keeps the tokens in memory (one dispatcher, the tests); ``SharedPace``
keeps them in ``send_paces``, so every dispatcher on the database draws from the
same ``N``: the channel's row holds the next start instant (the spacing) and
rows ``<channel>#<i>`` the tokens. A reservation locks the channel's row first
(an upsert, which also takes SQLite's write lock), so reservations are serial and
never hand out one token twice. Instants are wall-clock seconds there
(``time.time``): processes on several machines share them, which needs the clocks
in step (NTP) as any lease does. Callers get back a delay and sleep on their own
clock.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import SendPace

Clock = Callable[[], float]

IN_FLIGHT = 60.0
"""Seconds a token stays taken when its release never comes (the sending process died):
far beyond a send's own timeout, so a slow answer never frees its token early."""


@dataclass(frozen=True)
class Window:
    """What a provider admits: ``sends`` messages in any ``seconds``-long window."""

    sends: int
    seconds: float = 1.0

    @property
    def interval(self) -> float:
        """The spacing between two starts: the window's sends spread evenly over it."""
        return self.seconds / self.sends


@dataclass(frozen=True)
class Slot:
    """A taken token: the send may start at ``at`` (the pace's clock); ``held`` is the
    token's value while the send is in flight, which its release must still find."""

    token: int
    at: float
    held: float


def take(
    now: float, hold: float, spacing: float, tokens: list[float], window: Window, count: int
) -> list[Slot]:
    """Up to ``count`` slots for sends asked at ``now``, in order, each on the token free
    soonest, not before ``now + hold`` nor one interval after the slot before; fewer when
    the tokens run out (a released token is free at most one window after now, a taken
    one only when its send is over, or ``IN_FLIGHT`` after its start when no release
    comes). ``tokens`` is updated in place: the taken ones hold their slots' ``held``."""
    slots: list[Slot] = []
    for _ in range(count):
        token = min(range(len(tokens)), key=tokens.__getitem__)
        if tokens[token] > now + window.seconds:
            break
        at = max(now + hold, spacing, tokens[token])
        slots.append(Slot(token, at, at + IN_FLIGHT))
        tokens[token], spacing = at + IN_FLIGHT, at + window.interval
    return slots


Reserved = list[tuple[Slot, float]]
"""Slots, each with the seconds from the reservation's return until it (negative when past)."""


class Pace(Protocol):
    """Where a limiter takes its send slots: this process's memory or the database."""

    async def reserve(self, channel: str, window: Window, hold: float, count: int) -> Reserved:
        """Up to ``count`` slots (none when every token is taken). Delays are read off the
        pace's clock as it returns, so the caller adds them to its own clock read then: a
        wait on the database in between must not move a send earlier than its slot."""

    async def release(self, channel: str, slot: Slot) -> None:
        """The send of ``slot`` got its answer now: its token is free one window later."""


@dataclass
class _Tokens:
    spacing: float
    tokens: list[float]


@dataclass
class LocalPace:
    """The window tokens of one process, in memory, on its own (monotonic) clock."""

    clock: Clock = time.monotonic
    _channels: dict[str, _Tokens] = field(default_factory=dict)
    _windows: dict[str, Window] = field(default_factory=dict)

    async def reserve(self, channel: str, window: Window, hold: float, count: int) -> Reserved:
        state = self._channels.setdefault(channel, _Tokens(-math.inf, [-math.inf] * window.sends))
        self._windows[channel] = window
        now = self.clock()
        slots = take(now, hold, state.spacing, state.tokens, window, count)
        if slots:
            state.spacing = slots[-1].at + window.interval
        return [(slot, slot.at - now) for slot in slots]

    async def release(self, channel: str, slot: Slot) -> None:
        state = self._channels[channel]
        if state.tokens[slot.token] == slot.held:
            state.tokens[slot.token] = self.clock() + self._windows[channel].seconds


def token_name(channel: str, token: int) -> str:
    """The ``send_paces`` row of one of ``channel``'s window tokens."""
    return f"{channel}#{token}"


class SharedPace:
    """The window tokens of every dispatcher, in ``send_paces`` (see the module's doc)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], wall: Clock = time.time) -> None:
        self._sessions, self._wall = sessions, wall
        self._windows: dict[str, Window] = {}

    async def reserve(self, channel: str, window: Window, hold: float, count: int) -> Reserved:
        self._windows[channel] = window
        names = [token_name(channel, n) for n in range(window.sends)]
        async with self._sessions.begin() as session:
            spacing = await self._lock(session, channel)
            now = self._wall()
            rows = select(SendPace.channel, SendPace.next_at).where(SendPace.channel.in_(names))
            found = {name: at for name, at in await session.execute(rows)}
            tokens = [found.get(name, -math.inf) for name in names]
            slots = take(now, hold, spacing, tokens, window, count)
            if not slots:
                return []
            moved = [(channel, slots[-1].at + window.interval)]
            moved += [(names[slot.token], slot.held) for slot in slots]
            await session.execute(
                _upsert(session), [{"channel": name, "next_at": at} for name, at in moved]
            )
        returned = self._wall()
        return [(slot, slot.at - returned) for slot in slots]

    async def release(self, channel: str, slot: Slot) -> None:
        free_at = self._wall() + self._windows[channel].seconds
        async with self._sessions.begin() as session:
            await session.execute(
                update(SendPace)
                .where(SendPace.channel == token_name(channel, slot.token))
                .where(SendPace.next_at == slot.held)
                .values(next_at=free_at)
            )

    @staticmethod
    async def _lock(session: AsyncSession, channel: str) -> float:
        """Lock the channel's row (created if new) and read its next start instant; the
        upsert takes SQLite's write lock too, so two reservations never read the same rows."""
        table = SendPace.__table__
        statement = (
            _insert(session)
            .values(channel=channel, next_at=0.0)
            .on_conflict_do_update(index_elements=["channel"], set_={"next_at": table.c.next_at})
            .returning(table.c.next_at)
        )
        return float((await session.execute(statement)).scalar_one())


def _insert(session: AsyncSession) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(SendPace)


def _upsert(session: AsyncSession) -> Any:
    """Rows of ``send_paces`` set to the values given, created where new (one statement)."""
    statement = _insert(session)
    return statement.on_conflict_do_update(
        index_elements=["channel"], set_={"next_at": statement.excluded.next_at}
    )
