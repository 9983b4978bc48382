"""The keys of a bulk write into the outbox, taken before its rows are copied.

``reminder_keys`` holds every outbox key (migration 0018) under a primary key: whoever
inserts a key first owns its row. A bulk write (``outbox_copy``) takes all its keys before
the COPY and copies only the rows whose key it got, so repeats and keys taken by another
writer are skipped as ``ON CONFLICT DO NOTHING`` skips them. Two ways, the same keys:

- ``take_keys``: one INSERT … ON CONFLICT DO NOTHING of the keys as an array. Each key
  goes into the primary key's index one at a time: 2.1 s of a first planning's 6.3 s at
  325,040 keys (1.3 s of it the server's, the rest the array on the wire).
- ``copy_keys``: when the primary key is set aside with the outbox's indexes
  (``outbox_aside``: the outbox, hence its keys, is small beside the batch), the keys are
  copied in and the index is built once after, sorted (0.6 s). A key taken before then
  appears twice and the build fails; the second copy of each is deleted, and its key is
  not the batch's.
"""

from __future__ import annotations

from typing import Any

from asyncpg.exceptions import UniqueViolationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

TAKE_KEYS = text(
    "WITH taken AS (INSERT INTO reminder_keys (key) SELECT unnest(CAST(:keys AS VARCHAR[]))"
    " ON CONFLICT (key) DO NOTHING RETURNING key)"
    " SELECT count(*), CASE WHEN count(*) < :count THEN array_agg(key) END FROM taken"
)
"""How many of the ``keys`` were free, now taken, and which, unless all were: a first
planning takes every key, and sending 325,040 back cost 0.3 s."""
SAVEPOINT = "outbox_keys_unique"
SECOND_COPIES = (
    "DELETE FROM reminder_keys AS a USING reminder_keys AS b"
    " WHERE a.key = b.key AND a.ctid > b.ctid RETURNING a.key"
)
"""One row of each key held twice, and its key: the batch's keys are distinct, the keys
taken before were unique, so a key held twice was taken before the batch came."""


async def take_keys(session: AsyncSession, keys: list[str]) -> list[str]:
    """Take ``keys`` (sorted, distinct); the ones that were free, in order."""
    taken = (await session.execute(TAKE_KEYS, {"keys": keys, "count": len(keys)})).one()
    return keys if taken[0] == len(keys) else sorted(taken[1] or ())


async def copy_keys(driver: Any, keys: list[str], unique: str) -> list[str]:
    """Take ``keys`` (sorted, distinct) while ``reminder_keys`` has no unique index and is
    locked (``outbox_aside``), and put the index back (``unique``); the ones that were free.

    The lock keeps every other writer out until the transaction ends, so nobody can take
    a key between the copy and the index."""
    await driver.copy_records_to_table(
        "reminder_keys", records=[(key,) for key in keys], columns=("key",)
    )
    await driver.execute(f"SAVEPOINT {SAVEPOINT}")
    try:
        await driver.execute(unique)
        taken: set[str] = set()
    except UniqueViolationError:
        await driver.execute(f"ROLLBACK TO SAVEPOINT {SAVEPOINT}")
        taken = {row[0] for row in await driver.fetch(SECOND_COPIES)}
        await driver.execute(unique)
    await driver.execute(f"RELEASE SAVEPOINT {SAVEPOINT}")
    return [key for key in keys if key not in taken] if taken else keys
