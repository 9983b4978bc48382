"""The schema comes from Alembic on both backends and matches the models."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import FlushError

from data.db import MIGRATIONS, DatabaseURLError, create_engine, database_url, upgrade
from data.models import Base, Officer, Reminder, Unit
from data.partitions import in_models


def test_it_upgrades_plain_urls_to_async_drivers() -> None:
    assert database_url("postgresql://u@h/db").startswith("postgresql+asyncpg://")
    assert database_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"


def test_it_refuses_other_backends_in_vietnamese() -> None:
    with pytest.raises(DatabaseURLError, match="Chỉ hỗ trợ"):
        database_url("mysql://root@localhost/x")
    with pytest.raises(DatabaseURLError, match="không hợp lệ"):
        database_url("::not a url::")


async def _schema(engine: AsyncEngine) -> tuple[tuple[str, ...], dict[str, list[str]]]:
    """The stamped Alembic revision(s), and every table's columns."""

    def read(sync: Connection) -> tuple[tuple[str, ...], dict[str, list[str]]]:
        inspector = inspect(sync)
        columns = {
            table: [column["name"] for column in inspector.get_columns(table)]
            for table in inspector.get_table_names()
        }
        return tuple(MigrationContext.configure(sync).get_current_heads()), columns

    async with engine.connect() as conn:
        return await conn.run_sync(read)


async def test_it_upgrades_twice_without_change(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        await upgrade(engine)
        first = await _schema(engine)
        await upgrade(engine)
        again = await _schema(engine)
    finally:
        await engine.dispose()
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert first == again
    assert first[0] == (head,) and "inbound_updates" in first[1]


async def test_it_keeps_times_aware_utc(sessions: async_sessionmaker[AsyncSession]) -> None:
    hanoi = timezone(timedelta(hours=7))
    async with sessions() as s:
        unit = Unit(name="Ban Dân tộc", key="ban dan toc")
        officer = Officer(name="Nguyễn Văn A", unit=unit)
        s.add(officer)
        await s.flush()
        s.add(
            Reminder(
                key="k1",
                recipient_id=officer.id,
                kind="before",
                slot="before-3",
                scheduled_at=datetime(2022, 3, 28, 8, 0, tzinfo=hanoi),
            )
        )
        await s.commit()
    async with sessions() as s:
        at = await s.scalar(select(Reminder.scheduled_at))
    assert at == datetime(2022, 3, 28, 1, 0, tzinfo=UTC)
    assert at is not None and at.tzinfo is not None


async def test_it_refuses_a_second_outbox_row_with_the_same_key(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = datetime(2022, 1, 3, 1, tzinfo=UTC)
    async with sessions() as s:
        officer = Officer(name="B")
        s.add(officer)
        await s.flush()
        for _ in range(2):
            s.add(
                Reminder(
                    key="same", recipient_id=officer.id, kind="digest", slot="w1", scheduled_at=now
                )
            )
        # PostgreSQL keeps the key in ``reminder_keys`` (migration 0018): the second row
        # is skipped, and the ORM, missing a row it inserted, refuses the flush
        with pytest.raises((IntegrityError, FlushError)):
            await s.commit()


async def test_it_refuses_an_unknown_state(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as s:
        s.add(Officer(name="C", role="boss"))
        with pytest.raises(IntegrityError):
            await s.commit()


async def test_the_migrations_build_exactly_the_models(db_url: str) -> None:
    """A model change without its Alembic revision fails here, not in production."""
    engine = create_engine(db_url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"include_object": in_models}),
                    Base.metadata,
                )
            )
    finally:
        await engine.dispose()
    assert diff == []
