"""monthly partitions of the outbox and the inbound ledger (PostgreSQL)

A year of history should not weigh on today's work, and retention should drop a
month, not delete it row by row. Declarative partitioning asks that every unique key
hold the partition column; the two tables' de-duplication rests on unique keys, so
the columns are chosen for the keys to stay exact:

- ``reminders`` by ``created_at``: no statement changes it, so no claim, retry or
  move ever carries a row across partitions. The outbox's UNIQUE ``key`` cannot hold
  it (the planner meets a key again long after its row was created), so keys move to
  ``reminder_keys``, an unpartitioned table of the key alone, kept by triggers on the
  outbox: an INSERT takes its key or, the key being taken, is skipped (each writer
  said ``ON CONFLICT DO NOTHING``); a DELETE frees its key, a TRUNCATE all keys; a
  changed key moves. Two
  transactions inserting one key wait on ``reminder_keys``' unique index as they did
  on the outbox's. The planner's lookups by key get a plain index.
- ``inbound_updates`` by a new column ``month`` (the UTC month of arrival), with
  UNIQUE (channel, update_id, month) on both backends. A redelivery within
  ``data.partitions.REDELIVERY`` of a month's start may arrive in the next month, so
  such an update also takes its key in the month before (``data/inbound.py``).

On PostgreSQL each table is rebuilt partitioned: a DEFAULT partition (nothing is ever
refused), one partition per month holding rows and the months ahead, the rows copied,
the old table dropped, and its indexes and foreign keys recreated from the
catalogue as they stand (the claim's partial indexes included, whatever 0015 and 0017
made them). The service then creates months ahead and drops old ones
(``data/partitions.py``). SQLite is not partitioned: it only gains ``month``.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from data.partitions import (
    AHEAD,
    LEDGER,
    OUTBOX,
    Monthly,
    add_months,
    bound_sql,
    default_name,
    month_of,
    partition_name,
)

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEDGER_UNIQUE = "inbound_channel_update"
KEY_UNIQUE = "uq_reminders_key"
KEY_INDEX = "ix_reminders_key"
KEY_TRIGGERS = (
    # taken: the key is free, or the row is skipped as ON CONFLICT DO NOTHING skips it
    """CREATE FUNCTION reminder_key_taken() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO reminder_keys (key) VALUES (NEW.key) ON CONFLICT (key) DO NOTHING;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE FUNCTION reminder_key_freed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM reminder_keys WHERE key = OLD.key;
        RETURN OLD;
    END $$""",
    """CREATE FUNCTION reminder_key_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE reminder_keys SET key = NEW.key WHERE key = OLD.key;
        RETURN NEW;
    END $$""",
    """CREATE FUNCTION reminder_keys_cleared() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE reminder_keys;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER reminders_key_taken BEFORE INSERT ON reminders"
    " FOR EACH ROW EXECUTE FUNCTION reminder_key_taken()",
    "CREATE TRIGGER reminders_key_freed AFTER DELETE ON reminders"
    " FOR EACH ROW EXECUTE FUNCTION reminder_key_freed()",
    "CREATE TRIGGER reminders_key_moved BEFORE UPDATE OF key ON reminders FOR EACH ROW"
    " WHEN (OLD.key IS DISTINCT FROM NEW.key) EXECUTE FUNCTION reminder_key_moved()",
    # a TRUNCATE fires no DELETE trigger: emptying the outbox empties its keys
    "CREATE TRIGGER reminders_keys_cleared AFTER TRUNCATE ON reminders"
    " FOR EACH STATEMENT EXECUTE FUNCTION reminder_keys_cleared()",
)
KEY_FUNCTIONS = (
    "reminder_key_taken",
    "reminder_key_freed",
    "reminder_key_moved",
    "reminder_keys_cleared",
)


def _postgresql() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def _rows(sql: str, **params: object) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in op.get_bind().execute(sa.text(sql), params)]


def _catalogue(table: str, skip: set[str]) -> list[str]:
    """The statements recreating ``table``'s indexes, unique keys and foreign keys as they
    stand, but the primary key and ``skip``; read before the table is dropped."""
    constraints = _rows(
        "SELECT conname, contype::text, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = to_regclass(:t) AND contype IN ('p', 'u', 'f')",
        t=table,
    )
    owned = {str(name) for name, _, _ in constraints}
    statements = [
        str(definition).replace(" ON ONLY ", " ON ")
        for name, definition in _rows(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE schemaname = current_schema() AND tablename = :t",
            t=table,
        )
        if name not in owned and name not in skip
    ]
    statements += [
        f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
        for name, kind, definition in constraints
        if kind != "p" and name not in skip
    ]
    return statements


def _rebuild(table: str, partition_by: str | None, primary: str, skip: set[str]) -> None:
    """Make ``table`` anew (partitioned by ``partition_by``, or plain), rows, indexes and
    foreign keys kept; its id sequence passes to the new table."""
    recreate = _catalogue(table, skip)
    sequence = str(_rows("SELECT pg_get_serial_sequence(:t, 'id')", t=table)[0][0])
    new = f"{table}_rebuilt"
    by = f" PARTITION BY RANGE ({partition_by})" if partition_by else ""
    op.execute(f"ALTER SEQUENCE {sequence} OWNED BY NONE")
    op.execute(f"CREATE TABLE {new} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS){by}")
    op.execute(f"ALTER TABLE {new} ADD CONSTRAINT {new}_pk PRIMARY KEY ({primary})")
    if partition_by:
        _first_partitions(new, table)
    op.execute(f"INSERT INTO {new} SELECT * FROM {table}")
    op.execute(f"DROP TABLE {table}")
    op.execute(f"ALTER TABLE {new} RENAME TO {table}")
    op.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {new}_pk TO pk_{table}")
    op.execute(f"ALTER SEQUENCE {sequence} OWNED BY {table}.id")
    for statement in recreate:
        op.execute(statement)


def _first_partitions(new: str, table: str) -> None:
    """The DEFAULT partition, every month holding rows, and this month and the next ones."""
    spec: Monthly = OUTBOX if table == OUTBOX.table else LEDGER
    column = spec.column
    if spec.timestamp:
        column = f"date_trunc('month', {column} AT TIME ZONE 'UTC')::date"
    found = _rows(f"SELECT DISTINCT {column} FROM {table}")
    months = {month_of(day) for (day,) in found if isinstance(day, date)}
    this = month_of(datetime.now(UTC))
    months |= {add_months(this, n) for n in range(-1, AHEAD + 1)}
    op.execute(f"CREATE TABLE {default_name(table)} PARTITION OF {new} DEFAULT")
    for month in sorted(months):
        low, high = bound_sql(spec, month), bound_sql(spec, add_months(month, 1))
        op.execute(
            f"CREATE TABLE {partition_name(table, month)} PARTITION OF {new}"
            f" FOR VALUES FROM ({low}) TO ({high})"
        )


def upgrade() -> None:
    with op.batch_alter_table("inbound_updates") as batch_op:
        batch_op.add_column(sa.Column("month", sa.Date(), nullable=True))
    op.execute(
        "UPDATE inbound_updates SET month = date_trunc('month', received_at AT TIME ZONE 'UTC')"
        if _postgresql()
        else "UPDATE inbound_updates SET month = date(received_at, 'start of month')"
    )
    with op.batch_alter_table("inbound_updates") as batch_op:
        batch_op.alter_column("month", existing_type=sa.Date(), nullable=False)
        batch_op.drop_constraint(LEDGER_UNIQUE, type_="unique")
        batch_op.create_unique_constraint(LEDGER_UNIQUE, ["channel", "update_id", "month"])
    if not _postgresql():
        return
    _rebuild("inbound_updates", "month", "id, month", set())
    op.execute("CREATE TABLE reminder_keys (key VARCHAR(200) PRIMARY KEY)")
    op.execute("INSERT INTO reminder_keys (key) SELECT key FROM reminders")
    _rebuild("reminders", "created_at", "id, created_at", {KEY_UNIQUE})
    op.execute(f"CREATE INDEX {KEY_INDEX} ON reminders (key)")
    for statement in KEY_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if _postgresql():
        for function in KEY_FUNCTIONS:
            op.execute(f"DROP FUNCTION {function}() CASCADE")
        _rebuild("reminders", None, "id", {KEY_INDEX})
        op.execute(f"ALTER TABLE reminders ADD CONSTRAINT {KEY_UNIQUE} UNIQUE (key)")
        op.execute("DROP TABLE reminder_keys")
        _rebuild("inbound_updates", None, "id", set())
    # an update recorded in two months (a shadow key) keeps its first row
    op.execute(
        "DELETE FROM inbound_updates WHERE id NOT IN (SELECT min(id) FROM inbound_updates"
        " GROUP BY channel, update_id)"
    )
    with op.batch_alter_table("inbound_updates") as batch_op:
        batch_op.drop_constraint(LEDGER_UNIQUE, type_="unique")
        batch_op.create_unique_constraint(LEDGER_UNIQUE, ["channel", "update_id"])
        batch_op.drop_column("month")
