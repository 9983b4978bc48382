"""Engine and session factory; the schema is upgraded by Alembic before first use.

SQLite (aiosqlite) is the embedded default so a secretary can try the service
with no server; PostgreSQL (asyncpg) is the shared store for several instances.
Both are configured here and nowhere else.
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, Dialect, make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from data import summary_counts  # noqa: F401  (keeps the summaries' counts at each commit)
from data.errors import UserError

DEFAULT_URL = "sqlite+aiosqlite:///nhacviec.db"
MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseURLError(UserError):
    """The configured DATABASE_URL cannot be used; the message is for a person."""


def database_url(explicit: str | None = None) -> str:
    """The URL to use: the argument, else ``DATABASE_URL``, else a SQLite file here.

    ``postgresql://`` and ``sqlite://`` without a driver are upgraded to the async
    drivers, since people copy URLs from other tools.
    """
    raw = explicit or os.environ.get("DATABASE_URL") or DEFAULT_URL
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise DatabaseURLError(f"DATABASE_URL không hợp lệ: {raw!r}") from exc
    drivers = {"postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg"}
    drivers["sqlite"] = "sqlite+aiosqlite"
    if url.drivername in drivers:
        url = url.set(drivername=drivers[url.drivername])
    if url.drivername not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        raise DatabaseURLError(f"Chỉ hỗ trợ SQLite và PostgreSQL, không hỗ trợ {url.drivername!r}")
    return url.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on, WAL so readers do not block the dispatcher, wait on locks."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_engine(url: str | None = None) -> AsyncEngine:
    """An engine for ``url`` (see ``database_url``), with backend-specific settings."""
    resolved = database_url(url)
    if resolved.startswith("sqlite"):
        engine = create_async_engine(resolved, connect_args={"timeout": 10})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_async_engine(resolved, pool_size=5, max_overflow=5)
    event.listen(engine.sync_engine.pool, "checkin", _checked_in)
    event.listen(engine.sync_engine.pool, "checkout", _ping_if_idle(engine.sync_engine.dialect))
    return engine


IDLE_PING = 5.0
"""Seconds a pooled connection may rest before it is pinged on checkout (see ``_ping_if_idle``)."""


def _checked_in(_dbapi_connection: Any, record: Any) -> None:
    record.info["checked_in"] = time.monotonic()


def _ping_if_idle(dialect: Dialect) -> Callable[[Any, Any, Any], None]:
    """A checkout hook pinging only a connection that rested ``IDLE_PING`` seconds.

    ``pool_pre_ping`` cost a round trip on every transaction (every status update).
    A connection in steady use needs none: if the server went away, its statement
    fails, SQLAlchemy invalidates the whole pool and the caller sees the outage
    (``data/outage.py``: a webhook answers 503, the update is redelivered). One that
    sat in the pool, maybe across a restart, is pinged as before, and a dead one is
    replaced by a fresh connection before anyone uses it.
    """

    def hook(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        rested = time.monotonic() - record.info.get("checked_in", time.monotonic())
        if rested < IDLE_PING:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as exc:  # any failure: the pool discards it and connects again
            raise DisconnectionError(str(exc)) from exc

    return hook


def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit (we render them after)."""
    return async_sessionmaker(engine, expire_on_commit=False)


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    command.upgrade(_alembic_config(connection), revision)


def _downgrade(connection: Connection, revision: str) -> None:
    command.downgrade(_alembic_config(connection), revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to ``revision``, the newest by default (idempotent; run on every start)."""
    await _migrate(engine, _upgrade, revision)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    """Take the schema back to ``revision`` (an operator's rollback of a release)."""
    await _migrate(engine, _downgrade, revision)


async def _migrate(
    engine: AsyncEngine, step: Callable[[Connection, str], None], revision: str
) -> None:
    """Run one Alembic command in one transaction.

    On SQLite, foreign keys are off while migrating: a batch migration recreates a
    table (copy, drop, rename), and dropping a table that others refer to would
    otherwise cascade its deletes into them. ``foreign_key_check`` then proves that
    nothing was left dangling. The pragma only takes effect outside a transaction.
    """
    async with engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            await connection.run_sync(step, revision)
            await connection.commit()
            return
        await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        await connection.commit()
        try:
            await connection.run_sync(step, revision)
            dangling = (await connection.exec_driver_sql("PRAGMA foreign_key_check")).first()
            if dangling is not None:
                raise RuntimeError(f"migration left a dangling foreign key: {tuple(dangling)}")
            await connection.commit()
        finally:
            await connection.rollback()
            await connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            await connection.commit()


@asynccontextmanager
async def open_database(url: str | None = None) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Engine + upgraded schema + session factory, disposed on exit."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
        yield sessionmaker(engine)
    finally:
        await engine.dispose()
