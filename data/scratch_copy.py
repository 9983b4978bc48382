"""A throw-away copy of the database, for work that must never touch the real one.

``nhacviec schedule simulate`` plays months of planning and sending on a fake
clock. Run on the live database it marked real reminders sent and cancelled
pending ones, so officers never got them. It now runs on a copy: a fresh SQLite
file in a temporary directory, given the same schema by the migrations and
filled table by table from the live database (SQLite or PostgreSQL), then
deleted. The live database is only read, in one transaction (on PostgreSQL a
REPEATABLE READ snapshot, so the copy is consistent while the service writes).

A copy rather than a transaction rolled back at the end: the dispatcher settles
bundles concurrently in sessions of their own, which cannot share one
connection's transaction, and a long write transaction would hold locks the
running service needs.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.db import open_database
from data.models import Base

BATCH = 1000
"""Rows read and written at a time: memory stays flat however large the outbox is."""


@asynccontextmanager
async def scratch_copy(
    live: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on a temporary SQLite copy of ``live``'s rows; the copy is deleted on exit."""
    with tempfile.TemporaryDirectory(prefix="nhacviec-copy-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'copy.db'}"
        async with open_database(url) as copy:
            await copy_rows(live, copy)
            yield copy


async def copy_rows(
    source: async_sessionmaker[AsyncSession], target: async_sessionmaker[AsyncSession]
) -> None:
    """Replace every model table's rows in ``target`` by ``source``'s (one commit)."""
    async with source() as reading, target() as writing:
        if reading.get_bind().dialect.name == "postgresql":
            await reading.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        # Off for the copy only: a unit may come before the parent it refers to.
        await writing.execute(text("PRAGMA foreign_keys=OFF"))
        for table in reversed(Base.metadata.sorted_tables):
            await writing.execute(delete(table))  # whatever a migration may have seeded
        for table in Base.metadata.sorted_tables:
            rows = await reading.stream(select(table))
            async for part in rows.mappings().partitions(BATCH):
                await writing.execute(table.insert(), [dict(row) for row in part])
        await writing.commit()
