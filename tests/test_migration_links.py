"""Migration 0004 carries the per-provider link columns into ``officer_links`` rows.

A database is built at revision 0003 (the old schema, with links in columns), filled
the way the old code filled it, then upgraded to the newest revision: the links and
roster hints are rows, the columns are gone, and nothing that referred to an officer
was lost (on SQLite the officers table is rebuilt, which must not cascade deletes).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import bindparam, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from data.db import create_engine, downgrade, upgrade
from data.models import UTCDateTime

SCHEMA = "migration_0004"
CREATED = datetime(2022, 1, 3, 1, 0, tzinfo=UTC)
OLD_OFFICERS = [
    # name, telegram chat id, zalo user id, telegram username, zalo name
    ("Trần Thị Mai", -1001234567890, "zl-mai", "ttmai", "Mai Trần"),
    ("Lê Văn Hùng", 424242, None, None, None),
    ("Đỗ Văn Nam", None, "zl-nam", None, "Nam Đỗ"),
    ("Ngô Thanh Tùng", None, "", None, ""),  # empty strings were "not linked" too
]


@pytest.fixture
async def empty(db_url: str, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An engine on an empty database of the test's backend (PostgreSQL: its own schema)."""
    if db_url.startswith("sqlite"):
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
        yield engine
        await engine.dispose()
        return
    admin = create_engine(db_url)
    async with admin.begin() as conn:
        await conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        await conn.exec_driver_sql(f"CREATE SCHEMA {SCHEMA}")
    engine = create_async_engine(db_url, connect_args={"server_settings": {"search_path": SCHEMA}})
    try:
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as conn:
            await conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        await admin.dispose()


async def _fill_the_old_columns(engine: AsyncEngine) -> None:
    insert_officer = text(
        "INSERT INTO officers (name, role, language, active, created_at, telegram_chat_id,"
        " zalo_user_id, telegram_username, zalo_name)"
        " VALUES (:name, 'officer', 'vi', :active, :at, :chat, :zalo, :username, :zalo_name)"
    ).bindparams(bindparam("at", type_=UTCDateTime()))
    insert_invite = text(
        "INSERT INTO invites (officer_id, code_hash, expires_at, created_at)"
        " SELECT id, :hash, :at, :at FROM officers WHERE name = :name"
    ).bindparams(bindparam("at", type_=UTCDateTime()))
    async with engine.begin() as conn:
        for name, chat, zalo, username, zalo_name in OLD_OFFICERS:
            values = {"name": name, "active": True, "at": CREATED, "chat": chat, "zalo": zalo}
            await conn.execute(
                insert_officer, {**values, "username": username, "zalo_name": zalo_name}
            )
            await conn.execute(
                insert_invite, {"hash": name.encode().hex()[:64], "at": CREATED, "name": name}
            )


async def _rows(engine: AsyncEngine, sql: str) -> list[tuple[object, ...]]:
    async with engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(sql))]


async def test_upgrading_from_0003_carries_links_and_hints_into_rows(empty: AsyncEngine) -> None:
    await upgrade(empty, "0003")
    await _fill_the_old_columns(empty)
    await upgrade(empty)
    links = await _rows(
        empty,
        "SELECT o.name, l.channel, l.address FROM officer_links l"
        " JOIN officers o ON o.id = l.officer_id ORDER BY o.name, l.channel",
    )
    assert links == [
        ("Lê Văn Hùng", "telegram", "424242"),
        ("Trần Thị Mai", "telegram", "-1001234567890"),
        ("Trần Thị Mai", "zalo", "zl-mai"),
        ("Đỗ Văn Nam", "zalo", "zl-nam"),
    ]
    contacts = await _rows(
        empty,
        "SELECT o.name, c.channel, c.handle FROM officer_contacts c"
        " JOIN officers o ON o.id = c.officer_id ORDER BY o.name, c.channel",
    )
    assert contacts == [
        ("Trần Thị Mai", "telegram", "ttmai"),
        ("Trần Thị Mai", "zalo", "Mai Trần"),
        ("Đỗ Văn Nam", "zalo", "Nam Đỗ"),
    ]
    assert await _rows(empty, "SELECT count(*) FROM invites") == [(len(OLD_OFFICERS),)]
    async with empty.connect() as conn:
        columns = await conn.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("officers")}
        )
    assert not columns & {"telegram_chat_id", "zalo_user_id", "telegram_username", "zalo_name"}


async def test_downgrading_to_0003_puts_the_two_providers_links_back(empty: AsyncEngine) -> None:
    await upgrade(empty, "0003")
    await _fill_the_old_columns(empty)
    await upgrade(empty)
    await downgrade(empty, "0003")
    rows = await _rows(
        empty,
        "SELECT name, telegram_chat_id, zalo_user_id, telegram_username, zalo_name"
        " FROM officers ORDER BY name",
    )
    expected = sorted(
        (name, chat, zalo or None, username, zalo_name or None)
        for name, chat, zalo, username, zalo_name in OLD_OFFICERS
    )
    assert rows == expected
    assert await _rows(empty, "SELECT count(*) FROM invites") == [(len(OLD_OFFICERS),)]
