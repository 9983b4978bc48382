"""What a large COPY into a (nearly) empty outbox sets aside: its indexes, its key trigger
and the unique index of its keys.

A first planning copies 325,040 rows (100,000 assignments) into an empty outbox. Each
row then went into four secondary indexes one entry at a time, and the outbox's BEFORE
INSERT key trigger, even skipped by its WHEN clause, keeps PostgreSQL's COPY from
writing the rows a page at a time (it copies row by row into a table with such a
trigger). Built after the COPY, sorted once, the indexes cost 1.4 s instead of about
2.5 s of the COPY's 3.8 s, which itself fell to 1.3 s (PostgreSQL 15, one session).

Only when the rows already in the outbox are at most ``REBUILD_SHARE`` times the new
ones: a rebuild reads every row of the table, the incremental insert only the new ones.
The outbox's primary key stays. The keys' table, ``reminder_keys``, holds as many rows as
the outbox (its triggers keep it so), and its primary key is set aside too: the keys held
are read once, the rows with other keys copied, and their keys copied in after them and
indexed once (``outbox_keys.Fresh``). The trigger and the indexes are back before the
COPY's caller goes on, so every later statement of the transaction meets the outbox as
it always is.
Setting them aside locks the outbox and its keys until the transaction ends, as dropping
its foreign keys does, with the same bounded wait (``outbox_copy.LOCK_WAIT``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asyncpg.exceptions import DeadlockDetectedError, LockNotAvailableError

REBUILD_SHARE = 1
"""Rows the outbox may already hold per new row for its indexes to be rebuilt."""
SAVEPOINT = "outbox_set_aside"
OUTBOX_ROWS = (
    "SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint FROM pg_inherits i"
    " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'reminders'::regclass"
)
"""The outbox's rows as the statistics estimate them (its partitions'; cheap; an index
built in this transaction updates them). Through the session: a bulk write's first
statement, which begins the transaction on the connection its driver calls then use."""
INDEXES = (
    "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
    " WHERE indrelid = 'reminders'::regclass AND NOT indisunique ORDER BY 1"
)
"""The outbox's indexes that enforce nothing (its primary key stays)."""
KEYS_UNIQUE = (
    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
    " WHERE conrelid = 'reminder_keys'::regclass AND contype = 'p'"
)
KEY_TRIGGER = (
    "SELECT pg_get_triggerdef(oid) FROM pg_trigger"
    " WHERE tgrelid = 'reminders'::regclass AND tgname = 'reminders_key_taken'"
)


@dataclass(frozen=True)
class SetAside:
    """What ``set_aside`` dropped: the statements putting it back."""

    indexes: str
    """The outbox's indexes and key trigger, after the COPY."""
    unique: str | None
    """``reminder_keys``' primary key, once the keys are copied (None: it stayed)."""


async def drop_waiting(driver: Any, statement: str, wait: str) -> bool:
    """Run ``statement`` (a DROP taking the outbox's locks) if its locks come within
    ``wait``; False, and nothing changed, if they do not, or if waiting for them would
    deadlock (another writer holding the keys waits for the outbox we hold)."""
    waited = await driver.fetchval("SELECT current_setting('lock_timeout')")
    await driver.execute(f"SAVEPOINT {SAVEPOINT}")
    try:
        await driver.execute(f"SET LOCAL lock_timeout = '{wait}'")
        await driver.execute(statement)
        dropped = True
    except (LockNotAvailableError, DeadlockDetectedError):
        await driver.execute(f"ROLLBACK TO SAVEPOINT {SAVEPOINT}")
        dropped = False
    await driver.execute(f"RELEASE SAVEPOINT {SAVEPOINT}")
    await driver.execute("SELECT set_config('lock_timeout', $1, true)", waited)
    return dropped


async def set_aside(driver: Any, rows: int, outbox: int, wait: str) -> SetAside | None:
    """Drop the indexes, the key trigger and the keys' primary key if ``rows`` new rows are
    to be copied into an outbox holding ``outbox`` rows, at most ``REBUILD_SHARE`` times
    as many; returns what puts them back.

    The copy must not rely on the trigger: its keys are taken (``outbox_copy``)."""
    if outbox > rows * REBUILD_SHARE:
        return None
    indexes = await driver.fetch(INDEXES)
    trigger = await driver.fetchval(KEY_TRIGGER)
    unique = await driver.fetchrow(KEYS_UNIQUE)
    drops = [f"DROP INDEX {name}" for name, _ in indexes]
    if trigger is not None:
        drops.append("DROP TRIGGER reminders_key_taken ON reminders")
    if unique is not None:  # locked after the outbox, as the key trigger locks them
        drops.append(f"ALTER TABLE reminder_keys DROP CONSTRAINT {unique[0]}")
    if not drops or not await drop_waiting(driver, "; ".join(drops), wait):
        return None
    # a partitioned table's index is printed ON ONLY the parent (how pg_dump attaches
    # its partitions' one by one): built on the parent, it is built on every partition
    back = [definition.replace(" ON ONLY ", " ON ", 1) for _, definition in indexes]
    return SetAside(
        indexes="; ".join([*back, *([trigger] if trigger is not None else [])]),
        unique=None
        if unique is None
        else f"ALTER TABLE reminder_keys ADD CONSTRAINT {unique[0]} {unique[1]}",
    )
