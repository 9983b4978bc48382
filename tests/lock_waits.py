"""Waiting, in a test, until another PostgreSQL backend waits on a lock."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

WAITING = text("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :pid")


async def until_waiting_on_a_lock(session: AsyncSession, pid: int | None) -> bool:
    """Whether backend ``pid`` came to wait on a lock within a minute; asked by ``pid``,
    since other tests' backends wait on their own locks on a shared server."""
    for _ in range(6000):
        if await session.scalar(WAITING, {"pid": pid}):
            return True
        await asyncio.sleep(0.01)
    return False
