"""Migration 0018 partitions the outbox and the ledger on PostgreSQL and takes them back.

A database at 0017 holds an outbox and a ledger; upgraded, every row is where it was
(on PostgreSQL in its month), keys still refuse a second row; downgraded, the tables are
plain again with their unique keys, and upgrading once more works.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from data.db import downgrade, upgrade
from data.models import UTCDateTime
from tests.test_migration_links import empty  # noqa: F401  (the fixture)

CREATED = [datetime(2021, m, 3, tzinfo=UTC) for m in (1, 2, 2, 5)]
REMINDER = text(
    "INSERT INTO reminders (key, instance, recipient_id, kind, slot, scheduled_at, state,"
    " attempts, created_at, urgent) SELECT :key, '-', id, 'manual', 's', :at, 'sent', 0, :at,"
    " false FROM officers"
).bindparams(bindparam("at", type_=UTCDateTime()))
UPDATE = text(
    "INSERT INTO inbound_updates (channel, update_id, chat_id, received_at)"
    " VALUES ('telegram', :id, '42', :at)"
).bindparams(bindparam("at", type_=UTCDateTime()))


async def _fill(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO officers (name, role, language, active, created_at)"
                " VALUES ('Phạm Văn Đức', 'officer', 'vi', true, '2021-01-01')"
            )
        )
        for n, at in enumerate(CREATED):
            await conn.execute(REMINDER, {"key": f"k{n}", "at": at})
            await conn.execute(UPDATE, {"id": str(n), "at": at})


async def _scalars(engine: AsyncEngine, sql: str) -> list[object]:
    async with engine.connect() as conn:
        return list((await conn.execute(text(sql))).scalars())


async def _kinds(engine: AsyncEngine) -> list[object]:
    if engine.dialect.name != "postgresql":
        return []
    return await _scalars(
        engine,
        "SELECT relkind::text FROM pg_class WHERE oid IN"
        " (to_regclass('reminders'), to_regclass('inbound_updates')) ORDER BY relname",
    )


async def _a_second_row_of_key_k0_is_refused(engine: AsyncEngine) -> bool:
    at = {"key": "k0", "at": datetime(2021, 9, 1, tzinfo=UTC)}
    try:
        async with engine.begin() as conn:
            return (await conn.execute(REMINDER, at)).rowcount == 0  # skipped
    except IntegrityError:
        return True


async def test_upgrading_keeps_every_row_in_its_month_and_downgrading_takes_it_back(
    empty: AsyncEngine,  # noqa: F811
) -> None:
    await upgrade(empty, "0017")
    await _fill(empty)

    await upgrade(empty)
    assert await _kinds(empty) in ([], ["p", "p"])
    assert await _scalars(empty, "SELECT count(*) FROM reminders") == [4]
    months = await _scalars(empty, "SELECT month FROM inbound_updates ORDER BY id")
    assert [str(m)[:7] for m in months] == ["2021-01", "2021-02", "2021-02", "2021-05"]
    assert await _a_second_row_of_key_k0_is_refused(empty)
    if empty.dialect.name == "postgresql":
        homes = await _scalars(empty, "SELECT tableoid::regclass::text FROM reminders ORDER BY id")
        assert homes == ["reminders_p202101", *["reminders_p202102"] * 2, "reminders_p202105"]

    await downgrade(empty, "0017")
    assert await _kinds(empty) in ([], ["r", "r"])
    assert await _scalars(empty, "SELECT count(*) FROM reminders") == [4]
    assert await _scalars(empty, "SELECT count(*) FROM inbound_updates") == [4]
    with pytest.raises(IntegrityError):
        async with empty.begin() as conn:
            await conn.execute(UPDATE, {"id": "0", "at": CREATED[0]})
    assert await _a_second_row_of_key_k0_is_refused(empty)

    await upgrade(empty)
    assert await _kinds(empty) in ([], ["p", "p"])
