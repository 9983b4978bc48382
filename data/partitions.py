"""Monthly partitions of the outbox and the inbound ledger on PostgreSQL (issue 16, goal 5).

Migration 0018 turns ``reminders`` (by ``created_at``) and ``inbound_updates`` (by
``month``) into tables partitioned by range, one partition a month plus a DEFAULT one
that takes any row no month partition covers, so nothing is ever refused. This module
keeps them: ``ensure_months`` creates the partitions of the months coming (the planner
tick calls it, idempotent), ``drop_months_before`` removes whole months past the
retention window. A month is dropped, not deleted row by row: no dead rows, no vacuum,
no index entries left behind for the claim to skip.

Why these columns (the unique keys of a partitioned table must hold its partition key):

- The outbox by ``created_at``, which no statement ever changes: a claim, a retry or
  the planner moving a row never moves it between partitions. Its UNIQUE ``key``
  cannot hold ``created_at`` (the planner meets the same key again months later), so
  the key lives in ``reminder_keys``, one unpartitioned column kept by triggers: an
  INSERT whose key is taken is skipped (what every writer's ``ON CONFLICT DO NOTHING``
  asked for), a DELETE frees its key. A concurrent insert of the same key waits on the
  key's unique index exactly as it waited on the outbox's own.
- The ledger by ``month``, the UTC month of arrival: its UNIQUE becomes (channel,
  update, month). An update redelivered across a month's first instant lands in another
  month, so the update arriving within ``REDELIVERY`` of a month's start also takes its
  key in the month before (``data/inbound.py``): two deliveries less than
  ``REDELIVERY`` apart always share a month, and the second meets the first's row.

SQLite has no partitions: its tables keep one UNIQUE each and retention there is a
DELETE (``data/retention.py``). Every function here is a no-op on a table that is not
partitioned, so a database before 0018 or on SQLite behaves as it always did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

REDELIVERY = timedelta(days=2)
"""How long after its first delivery a provider may deliver an update again (the chat
providers keep an unanswered update about a day); the ledger's retention is never shorter."""
AHEAD = 2
"""Months created ahead of the current one: the tick runs every few minutes, so a
month's partition exists long before its first row."""


@dataclass(frozen=True)
class Monthly:
    """A table partitioned by month and what keeping it needs."""

    table: str
    column: str
    """The partition key: a ``timestamptz`` (bounds at 00:00 UTC) or a ``date``."""
    timestamp: bool
    lookback: timedelta = timedelta(0)
    """How far back from now rows still arrive (the ledger's shadow keys)."""
    live: str | None = None
    """Rows that forbid dropping their month (the outbox's unsent ones)."""
    keys: str | None = None
    """The statement taking back, into their key table, the keys of rows moved to
    ``{name}`` (a DELETE from the DEFAULT partition freed them)."""
    freed: str | None = None
    """The statement freeing the keys of the rows of ``{name}`` before it is dropped."""


OUTBOX = Monthly(
    "reminders",
    "created_at",
    timestamp=True,
    live="state IN ('pending', 'sending')",
    keys="INSERT INTO reminder_keys (key) SELECT key FROM {name}",
    freed="DELETE FROM reminder_keys AS k USING {name} AS r WHERE k.key = r.key",
)
LEDGER = Monthly("inbound_updates", "month", timestamp=False, lookback=REDELIVERY)
TABLES = (OUTBOX, LEDGER)
LOCK = 18
"""The transaction lock (``pg_advisory_xact_lock``) under which partitions are created
and dropped: two instances' ticks would otherwise create one month twice."""


def month_of(moment: datetime | date) -> date:
    """The first day of ``moment``'s month (UTC for an aware datetime)."""
    if isinstance(moment, datetime):
        moment = (moment.astimezone(UTC) if moment.tzinfo else moment).date()
    return moment.replace(day=1)


def add_months(month: date, count: int) -> date:
    """The first day of the month ``count`` months after ``month`` (before, if negative)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def partition_name(table: str, month: date) -> str:
    return f"{table}_p{month:%Y%m}"


def default_name(table: str) -> str:
    return f"{table}_default"


def bound_sql(spec: Monthly, month: date) -> str:
    """``month``'s first instant as a literal of the partition key's type."""
    return f"'{month.isoformat()} 00:00:00+00'" if spec.timestamp else f"'{month.isoformat()}'"


def create_month_sql(spec: Monthly, month: date) -> list[str]:
    """The statements adding ``month``'s partition to ``spec.table``.

    Rows of that month already in the DEFAULT partition (the tick did not run for a
    while, a clock far from today) move into it first: attaching a partition whose rows
    the DEFAULT one still holds is refused. The partition is attached, not created as a
    ``PARTITION OF``, so the move happens before the DEFAULT's constraint changes.
    """
    name, table = partition_name(spec.table, month), spec.table
    low, high = bound_sql(spec, month), bound_sql(spec, add_months(month, 1))
    statements = [
        f"CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)",
        f"WITH moved AS (DELETE FROM {default_name(table)} WHERE {spec.column} >= {low}"
        f" AND {spec.column} < {high} RETURNING *) INSERT INTO {name} SELECT * FROM moved",
    ]
    if spec.keys is not None:
        statements.append(spec.keys.format(name=name))
    statements.append(
        f"ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES FROM ({low}) TO ({high})"
    )
    return statements


async def is_partitioned(session: AsyncSession, table: str) -> bool:
    """True on PostgreSQL once migration 0018 partitioned ``table``."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    kind = await session.scalar(
        text("SELECT relkind::text FROM pg_class WHERE oid = to_regclass(:table)"), {"table": table}
    )
    return bool(kind == "p")


async def months(session: AsyncSession, spec: Monthly) -> list[date]:
    """The months ``spec.table`` has a partition for, oldest first."""
    names = await session.scalars(
        text(
            "SELECT c.relname FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = to_regclass(:table)"
        ),
        {"table": spec.table},
    )
    prefix = f"{spec.table}_p"
    found = (n.removeprefix(prefix) for n in names if n.startswith(prefix))
    return sorted(date(int(s[:4]), int(s[4:]), 1) for s in found)


async def ensure_months(session: AsyncSession, now: datetime, ahead: int = AHEAD) -> list[str]:
    """Create the partitions rows will arrive in (this month, the ``ahead`` next and,
    for the ledger, the month its shadow keys still reach); the names created."""
    created: list[str] = []
    for spec in TABLES:
        if not await is_partitioned(session, spec.table):
            continue
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK})
        have = set(await months(session, spec))
        month, last = month_of(now - spec.lookback), add_months(month_of(now), ahead)
        while month <= last:
            if month not in have:
                for statement in create_month_sql(spec, month):
                    await session.execute(text(statement))
                created.append(partition_name(spec.table, month))
            month = add_months(month, 1)
    return created


class _Live(Exception):
    """A month about to be dropped still holds a live row: its transaction rolls back."""


async def drop_months_before(
    sessions: async_sessionmaker[AsyncSession], spec: Monthly, bound: date
) -> list[str]:
    """Drop the partitions of months ending on or before ``bound``; the names dropped.

    One transaction a month. A month still holding a live row (an unsent reminder: a
    retry, a failed row sent again) is kept whole; the next run looks again. Its keys
    are freed first, outside any lock on the outbox, so claims go on meanwhile; the
    outbox is locked only to look for live rows and drop, and a live row found then
    rolls the freeing back. An insert of a key being freed waits for the outcome.
    """
    async with sessions() as session:
        if not await is_partitioned(session, spec.table):
            return []
        candidates = [m for m in await months(session, spec) if add_months(m, 1) <= bound]
    dropped: list[str] = []
    for month in candidates:
        name = partition_name(spec.table, month)
        try:
            async with sessions.begin() as session:
                await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK})
                if await session.scalar(text("SELECT to_regclass(:n)"), {"n": name}) is None:
                    continue  # another instance dropped it
                if spec.freed is not None:
                    await session.execute(text(spec.freed.format(name=name)))
                await session.execute(text(f"LOCK TABLE {spec.table} IN ACCESS EXCLUSIVE MODE"))
                live = f"SELECT 1 FROM {name} WHERE {spec.live} LIMIT 1" if spec.live else None
                if live is not None and await session.scalar(text(live)) is not None:
                    raise _Live(name)
                await session.execute(text(f"DROP TABLE {name}"))
        except _Live:
            continue
        dropped.append(name)
    return dropped


_PARTITION = re.compile(rf"^({'|'.join(spec.table for spec in TABLES)})_(p\d{{6}}|default)$")
KEY_TABLE, KEY_INDEX, KEY_UNIQUE = "reminder_keys", "ix_reminders_key", "uq_reminders_key"


def in_models(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object | None
) -> bool:
    """Alembic's ``include_object``: what partitioning adds on PostgreSQL is no model's.

    The partitions, ``reminder_keys`` and the plain index on the outbox's key exist on
    PostgreSQL only; there the outbox's UNIQUE key is ``reminder_keys``' primary key.
    """
    if reflected and type_ == "table":
        return not (name == KEY_TABLE or (name is not None and _PARTITION.match(name)))
    if reflected and type_ == "index":
        return name != KEY_INDEX
    return not (type_ == "unique_constraint" and name == KEY_UNIQUE and compare_to is None)
