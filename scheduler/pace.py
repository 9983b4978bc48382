"""A channel's overall send rate shared by every dispatcher, through the database.

Each process pacing itself to the provider's rate stays within it only while it
is alone: two dispatchers at 29/s make 58/s and Telegram answers 429. The
``send_paces`` row of a channel is the one token bucket they all draw from. It
holds a single token (no bursts, as ``scheduler/limits.py``), kept as the
instant that token is next free: a reservation moves ``next_at`` one interval on
and returns the instant it took, in one upsert with RETURNING, so the row lock
orders concurrent reservations and no two get the same instant. A pause (a 429
about the whole bot) is a reservation that starts later.

Instants are wall-clock seconds (``time.time``): processes on several machines
share them, which needs the clocks in step (NTP) as any lease does. The caller
gets back a delay, so it sleeps on its own clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import case
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import SendPace

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
