"""The keys of a bulk write into the outbox: which rows it may copy, and their keys taken.

``reminder_keys`` holds every outbox key (migration 0018) under a primary key: whoever
inserts a key first owns its row. A bulk write (``outbox_copy``) copies only the rows
whose key it got, so repeats and keys taken by another writer are skipped as
``ON CONFLICT DO NOTHING`` skips them. Two ways, the same rows:

- ``take_keys``: one INSERT … ON CONFLICT DO NOTHING of the keys as an array, before the
  rows are copied. Each key goes into the primary key's index one at a time: 2.1 s of a
  first planning's 6.3 s at 325,040 keys (1.3 s of it the server's, the rest the array on
  the wire), and every row must be made before the first is copied.
- ``Fresh``: when the keys' primary key is set aside with the outbox's indexes
  (``outbox_aside``: the outbox, hence its keys, is small beside the batch), both tables
  are locked until the transaction ends, so the keys held now are all there will be. They
  are read once, the rows with other keys are copied as they come (made while the server
  stores the ones before), and their keys copied after them, the index built once (0.5 s).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from scheduler.outbox import NewReminder

TAKE_KEYS = text(
    "WITH taken AS (INSERT INTO reminder_keys (key) SELECT unnest(CAST(:keys AS VARCHAR[]))"
    " ON CONFLICT (key) DO NOTHING RETURNING key)"
    " SELECT count(*), CASE WHEN count(*) < :count THEN array_agg(key) END FROM taken"
)
"""How many of the ``keys`` were free, now taken, and which, unless all were: a first
planning takes every key, and sending 325,040 back cost 0.3 s."""


async def take_keys(session: AsyncSession, keys: list[str]) -> list[str]:
    """Take ``keys`` (sorted, distinct); the ones that were free, in order."""
    taken = (await session.execute(TAKE_KEYS, {"keys": keys, "count": len(keys)})).one()
    return keys if taken[0] == len(keys) else sorted(taken[1] or ())


class Fresh:
    """The rows of a bulk write whose keys nobody holds, while ``reminder_keys`` is locked
    without its primary key; ``put_keys`` then takes their keys and puts the index back."""

    def __init__(self, held: frozenset[str]) -> None:
        self.held = held
        """The keys held before the write."""
        self.keys: list[str] = []
        """The keys of the rows let through, in order."""
        self.met: set[str] = set()
        """The keys held before that the rows asked for."""

    @classmethod
    async def read(cls, driver: Any) -> Fresh:
        """The keys held now (a small table: ``outbox_aside`` set it aside for that)."""
        return cls(frozenset(row[0] for row in await driver.fetch("SELECT key FROM reminder_keys")))

    @property
    def asked(self) -> int:
        """The rows' distinct keys, held before or not."""
        return len(self.keys) + len(self.met)

    def rows(self, rows: Iterable[NewReminder]) -> Iterator[NewReminder]:
        """``rows`` but a repeat or a key held, as ``rows`` are made."""
        held, keys, met = self.held, self.keys, self.met
        taken = set(held)
        for row in rows:
            key = row.key
            if key in taken:
                if key in held:
                    met.add(key)
                continue
            taken.add(key)
            keys.append(key)
            yield row

    async def put_keys(self, driver: Any, unique: str) -> None:
        """Take the copied rows' keys and build the primary key (``unique``) once."""
        records = [(key,) for key in self.keys]
        await driver.copy_records_to_table("reminder_keys", records=records, columns=("key",))
        await driver.execute(unique)
