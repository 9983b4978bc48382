"""Migration 0017: claims lease people (``recipient_leases``), so no row stays ``sending``.

A database at 0016 holds a row a dispatcher of the previous release left ``sending``
(its lease still running) beside sent history. Upgraded, the row is ``pending`` with
no lease, so the next claim sends it (as the old one would once its lease passed,
and the new claim never looks at ``sending``); history is untouched.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from data.db import upgrade
from data.models import UTCDateTime
from tests.test_migration_links import _rows, empty

__all__ = ["empty"]  # the fixture: a database of the test's backend with nothing in it

AT = datetime(2022, 3, 28, 1, 0, tzinfo=UTC)


async def _fill_at_0016(engine: AsyncEngine) -> None:
    insert_reminder = text(
        "INSERT INTO reminders (key, instance, recipient_id, kind, slot, scheduled_at, state,"
        " attempts, lease_until, urgent, created_at)"
        " SELECT :key, '-', id, 'manual', :key, :at, :state, 0, :lease, false, :at FROM officers"
    ).bindparams(bindparam("at", type_=UTCDateTime()), bindparam("lease", type_=UTCDateTime()))
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO officers (name, role, language, active, created_at)"
                " VALUES ('Trần Thị Mai', 'officer', 'vi', true, :at)"
            ).bindparams(bindparam("at", type_=UTCDateTime())),
            {"at": AT},
        )
        await conn.execute(
            insert_reminder,
            [
                {"key": "in-flight", "at": AT, "state": "sending", "lease": AT + timedelta(1)},
                {"key": "history", "at": AT, "state": "sent", "lease": None},
            ],
        )


async def test_a_row_left_sending_is_pending_again_without_a_lease(empty: AsyncEngine) -> None:
    await upgrade(empty, "0016")
    await _fill_at_0016(empty)

    await upgrade(empty, "0017")

    rows = await _rows(empty, "SELECT key, state, lease_until FROM reminders ORDER BY key")
    assert rows == [("history", "sent", None), ("in-flight", "pending", None)]

    def tables_and_indexes(sync: object) -> tuple[list[str], list[str]]:
        inspector = inspect(sync)
        indexes = [index["name"] for index in inspector.get_indexes("reminders")]
        return inspector.get_table_names(), indexes

    async with empty.connect() as conn:
        tables, indexes = await conn.run_sync(tables_and_indexes)
    assert "recipient_leases" in tables
    assert "ix_reminders_leased" not in indexes
