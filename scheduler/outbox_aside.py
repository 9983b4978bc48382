"""What a large COPY into a (nearly) empty outbox sets aside: its indexes and key trigger.

A first planning copies 325,040 rows (100,000 assignments) into an empty outbox. Each
row then went into four secondary indexes one entry at a time, and the outbox's BEFORE
INSERT key trigger, even skipped by its WHEN clause, keeps PostgreSQL's COPY from
writing the rows a page at a time (it copies row by row into a table with such a
trigger). Built after the COPY, sorted once, the indexes cost 1.4 s instead of about
2.5 s of the COPY's 3.8 s, which itself fell to 1.3 s (PostgreSQL 15, one session).

Only when the rows already in the outbox are at most ``REBUILD_SHARE`` times the new
ones: a rebuild reads every row of the table, the incremental insert only the new ones.
Nothing unique is set aside: the keys' uniqueness is ``reminder_keys`` (taken before the
COPY) and the primary key stays. The trigger and the indexes are back before the COPY's
caller goes on (``put_back``), so every later statement of the transaction meets the
outbox as it always is. Setting them aside locks the outbox until the transaction ends,
as dropping its foreign keys does, with the same bounded wait (``outbox_copy.LOCK_WAIT``).
"""

from __future__ import annotations

from typing import Any

from asyncpg.exceptions import LockNotAvailableError

REBUILD_SHARE = 1
"""Rows the outbox may already hold per new row for its indexes to be rebuilt."""
SAVEPOINT = "outbox_set_aside"
OUTBOX_ROWS = (
    "SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint FROM pg_inherits i"
    " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'reminders'::regclass"
)
"""The outbox's rows as the statistics estimate them (its partitions'; cheap; an index
built in this transaction updates them)."""
INDEXES = (
    "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
    " WHERE indrelid = 'reminders'::regclass AND NOT indisunique ORDER BY 1"
)
"""The outbox's indexes that enforce nothing (its primary key stays)."""
KEY_TRIGGER = (
    "SELECT pg_get_triggerdef(oid) FROM pg_trigger"
    " WHERE tgrelid = 'reminders'::regclass AND tgname = 'reminders_key_taken'"
)


async def outbox_rows(driver: Any) -> int:
    """The outbox's rows, estimated."""
    return int(await driver.fetchval(OUTBOX_ROWS))


async def drop_waiting(driver: Any, statement: str, wait: str) -> bool:
    """Run ``statement`` (a DROP taking the outbox's locks) if its locks come within
    ``wait``; False, and nothing changed, if they do not."""
    waited = await driver.fetchval("SELECT current_setting('lock_timeout')")
    await driver.execute(f"SAVEPOINT {SAVEPOINT}")
    try:
        await driver.execute(f"SET LOCAL lock_timeout = '{wait}'")
        await driver.execute(statement)
        dropped = True
    except LockNotAvailableError:
        await driver.execute(f"ROLLBACK TO SAVEPOINT {SAVEPOINT}")
        dropped = False
    await driver.execute(f"RELEASE SAVEPOINT {SAVEPOINT}")
    await driver.execute("SELECT set_config('lock_timeout', $1, true)", waited)
    return dropped


async def set_aside(driver: Any, rows: int, wait: str) -> str | None:
    """Drop the indexes and the key trigger if ``rows`` new rows are to be copied into an
    outbox holding at most ``REBUILD_SHARE`` times as many; returns what puts them back.

    The copy must not rely on the trigger: its keys are taken (``outbox_copy``)."""
    if await outbox_rows(driver) > rows * REBUILD_SHARE:
        return None
    indexes = await driver.fetch(INDEXES)
    trigger = await driver.fetchval(KEY_TRIGGER)
    drops = [f"DROP INDEX {name}" for name, _ in indexes]
    if trigger is not None:
        drops.append("DROP TRIGGER reminders_key_taken ON reminders")
    if not drops or not await drop_waiting(driver, "; ".join(drops), wait):
        return None
    # a partitioned table's index is printed ON ONLY the parent (how pg_dump attaches
    # its partitions' one by one): built on the parent, it is built on every partition
    back = [definition.replace(" ON ONLY ", " ON ", 1) for _, definition in indexes]
    return "; ".join([*back, *([trigger] if trigger is not None else [])])
