"""Many planned rows into the outbox at once on PostgreSQL: the keys, the COPY, the checks.

``outbox.plan_slots`` sends here a batch that a row-by-row INSERT would make slow (a
first planning: 325,040 rows at 100,000 assignments). The rows and the skipped conflicts
are exactly the batched INSERT's; only the server's work per row is less:

- the rows' keys are taken (``outbox_keys``): before the rows are copied, or, into a small
  outbox, while they are and all at once after; the outbox's key trigger skips the rows
  copied meanwhile (``nhacviec.keys_taken``, migration 0020);
- when the batch is large beside the outbox (a first planning, an outbox emptied), the
  outbox's foreign keys are dropped for the COPY and put back after: one set-based check
  of the table instead of three lookups per row (7.3 s of the COPY's 12 s at 325,040
  rows; putting them back checked the same rows in 0.44 s). Dropping them locks the
  outbox and the officers, dues and assignments until the planning commits (seconds);
  if the locks do not come within ``LOCK_WAIT`` the rows are checked one by one as
  before. A row naming what is gone fails the planning either way. A planning written in
  chunks (``planner.plan_reminders``) decides once for all of them (``ForeignKeysOnce``):
  dropped at its first copy if the whole planning is expected to add enough rows, put
  back once at its end; each chunk alone is below the threshold, and putting them back
  after each would check the whole table each time.
- when the batch is at least as large as the outbox (a first planning), its indexes, key
  trigger and the keys' unique index are set aside and rebuilt at once (``outbox_aside``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.outbox_aside import OUTBOX_ROWS, drop_waiting, set_aside
from scheduler.outbox_keys import Fresh, take_keys

if TYPE_CHECKING:
    from scheduler.outbox import NewReminder

COPIED = (
    "key",
    "due_id",
    "assignment_id",
    "instance",
    "recipient_id",
    "kind",
    "slot",
    "scheduled_at",
    "body",
    "urgent",
    "state",
    "attempts",
    "created_at",
)
KEYS_TAKEN = "SELECT set_config('nhacviec.keys_taken', $1, true)"
"""While on (in this transaction), the outbox's key trigger is skipped (migration 0020)."""
RECHECK_FROM = 20_000
"""New rows from which the foreign keys may be checked once for the table, not per row."""
RECHECK_SHARE = 4
"""… if the outbox holds at most this many times the new rows (its check reads them all)."""
LOCK_WAIT = "2s"
"""How long dropping the foreign keys, or what ``outbox_aside`` sets aside, waits for its
locks before giving up."""
FOREIGN_KEYS = (
    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
    " WHERE conrelid = 'reminders'::regclass AND contype = 'f' ORDER BY conname"
)


@dataclass
class ForeignKeysOnce:
    """The foreign keys over the batches of one planning written in chunks: whether to drop
    them is decided at its first copy, and they stay dropped until ``put_back``."""

    scale: float = 1.0
    """Rows the planning is expected to add per row of the batch being copied (the chunks
    still to come, this one included, per chunk): what the decision counts."""
    decided: bool = False
    restore: str | None = None
    """The statement putting the dropped keys back (None: none dropped)."""

    async def put_back(self, session: AsyncSession) -> None:
        """Check every row at once: the planning's last batch is written."""
        if self.restore:
            await session.execute(text(self.restore))
        self.restore = None


class Copied(NamedTuple):
    """What a write of planned rows did."""

    rows: int
    """Rows written (a plain INSERT cannot tell the conflicts it skipped: its keys asked)."""
    asked: int
    """The distinct keys it was given."""


async def copy_insert(
    session: AsyncSession,
    rows: Iterable[NewReminder],
    expected: int,
    now: datetime,
    keys: ForeignKeysOnce | None = None,
) -> Copied:
    """``outbox._insert`` for many rows on asyncpg: the same rows, the same conflicts skipped.

    ``expected``: how many rows to count on before they are made (what decides what is set
    aside). Into a small outbox the rows are copied as ``rows`` makes them (``Fresh``):
    a planning's making of its rows overlaps the server storing them. Else every row is
    made first, its key taken (``take_keys``), and the rows copied in key order: the keys'
    indexes fill their pages in turn. A key taken before, or by a concurrent writer (who
    then holds it), is skipped as the trigger skips it. With ``keys``, one batch of a
    planning in chunks: its caller puts the foreign keys back."""
    outbox = int(await session.scalar(text(OUTBOX_ROWS)) or 0)
    driver: Any = (await (await session.connection()).get_raw_connection()).driver_connection
    put_back = None
    if keys is None:
        put_back = await _drop_foreign_keys(driver, expected, outbox)
    elif not keys.decided:
        keys.decided = True
        keys.restore = await _drop_foreign_keys(driver, int(expected * keys.scale), outbox)
    aside = None
    if expected >= RECHECK_FROM:
        aside = await set_aside(driver, expected, outbox, LOCK_WAIT)
    if aside is not None and aside.unique is not None:
        fresh = await Fresh.read(driver)
        await _copy(driver, fresh.rows(rows), now)
        await fresh.put_keys(driver, aside.unique)
        copied = Copied(len(fresh.keys), fresh.asked)
    else:
        by_key = {row.key: row for row in rows}
        free = await take_keys(session, sorted(by_key))
        await _copy(driver, (by_key[key] for key in free), now)
        copied = Copied(len(free), len(by_key))
    if aside is not None:
        await driver.execute(aside.indexes)
    if put_back:
        await session.execute(text(put_back))
    return copied


async def _copy(driver: Any, rows: Iterable[NewReminder], now: datetime) -> None:
    """COPY ``rows``, their keys taken: the key trigger stands aside meanwhile."""
    await driver.execute(KEYS_TAKEN, "on")
    records = _records(rows, now)
    await driver.copy_records_to_table("reminders", records=records, columns=COPIED)
    await driver.execute(KEYS_TAKEN, "off")


async def _drop_foreign_keys(driver: Any, rows: int, outbox: int) -> str | None:
    """Drop the outbox's foreign keys when checking ``rows`` new rows one by one costs more
    than checking the outbox's ``outbox`` rows once; returns the statement putting them back."""
    if rows < RECHECK_FROM or outbox > rows * RECHECK_SHARE:
        return None
    keys = await driver.fetch(FOREIGN_KEYS)
    drop = "ALTER TABLE reminders " + ", ".join(f"DROP CONSTRAINT {name}" for name, _ in keys)
    if not keys or not await drop_waiting(driver, drop, LOCK_WAIT):
        return None
    return "ALTER TABLE reminders " + ", ".join(
        f"ADD CONSTRAINT {name} {definition}" for name, definition in keys
    )


def _records(rows: Iterable[NewReminder], now: datetime) -> Iterator[tuple[object, ...]]:
    """The COPY's rows, made as it reads them: a million-assignment planning held them all
    (half a gigabyte) beside the reminders they came from."""
    for r in rows:
        yield (
            *(r.key, r.due_id, r.assignment_id, r.instance, r.recipient_id, r.kind, r.slot, r.at),
            *(r.body, r.urgent, "pending", 0, now),
        )
