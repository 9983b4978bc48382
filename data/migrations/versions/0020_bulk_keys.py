"""bulk keys: a bulk insert that took its keys itself passes the outbox's key trigger

Migration 0018 keeps the outbox's keys in ``reminder_keys`` with a BEFORE INSERT row
trigger: each row takes its key, or is skipped when the key is taken. A first planning
copies hundreds of thousands of rows, and running a PL/pgSQL function and a one-row
INSERT per row was about 40 % of the COPY. The bulk path (``outbox_copy.copy_insert``) now
takes every key in one set-based INSERT … ON CONFLICT DO NOTHING RETURNING and copies
only the rows whose key it got, with the transaction-local setting
``nhacviec.keys_taken`` on: the trigger's WHEN clause then skips the call altogether.
Every other writer leaves the setting unset and meets the trigger as before.

PostgreSQL only (SQLite keeps the key as a plain unique index); the downgrade puts
0018's trigger back.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 14:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGER = (
    "CREATE TRIGGER reminders_key_taken BEFORE INSERT ON reminders FOR EACH ROW{when}"
    " EXECUTE FUNCTION reminder_key_taken()"
)
KEYS_TAKEN = " WHEN (current_setting('nhacviec.keys_taken', true) IS DISTINCT FROM 'on')"
"""Unset (NULL), or reset at the end of the bulk insert: the trigger runs."""


def _replace_trigger(when: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER reminders_key_taken ON reminders")
    op.execute(TRIGGER.format(when=when))


def upgrade() -> None:
    _replace_trigger(KEYS_TAKEN)


def downgrade() -> None:
    _replace_trigger("")
