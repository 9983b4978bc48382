"""keep the whole meaning of a reply: notes, promises, acknowledgements, snoozes

An officer's reply used to keep only its state: a reason, a note or a promise
("mai nộp") survived only as raw text. ``status_updates`` now says what kind of
reply it was (a state change, a note, a promise, a plain "dạ", a snooze) and
keeps the note, the promised date and the snooze time; ``progress.expected_on``
holds the promise standing on an item, which its follow-up hangs on.

The outbox gains three kinds: ``followup`` (the morning after a promised date
passed), ``snooze`` (an item coming back at the time the officer chose) and
``report_due`` (the "who has not reported" message). Existing audit rows are
state changes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import data.models

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_REMINDER_KINDS = (
    "before",
    "on_day",
    "checkin",
    "overdue",
    "escalation",
    "digest",
    "manual",
    "notice",
)
_NEW_REMINDER_KINDS = (*_OLD_REMINDER_KINDS, "followup", "snooze", "report_due")
_UPDATE_KINDS = ("status", "note", "promise", "acknowledged", "snooze")


def _one_of(column: str, values: Sequence[str]) -> str:
    """The CHECK text the models write for ``column IN (...)``, frozen here."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _reminder_kinds(values: Sequence[str]) -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_reminders_kind_valid"), type_="check")
        batch_op.create_check_constraint(op.f("ck_reminders_kind_valid"), _one_of("kind", values))


def upgrade() -> None:
    _reminder_kinds(_NEW_REMINDER_KINDS)
    with op.batch_alter_table("progress", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expected_on", sa.Date(), nullable=True))
    with op.batch_alter_table("status_updates", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="status")
        )
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("expected_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("snoozed_until", data.models.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_check_constraint(
            op.f("ck_status_updates_kind_valid"), _one_of("kind", _UPDATE_KINDS)
        )


def downgrade() -> None:
    with op.batch_alter_table("status_updates", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_status_updates_kind_valid"), type_="check")
        batch_op.drop_column("snoozed_until")
        batch_op.drop_column("expected_on")
        batch_op.drop_column("note")
        batch_op.drop_column("kind")
    with op.batch_alter_table("progress", schema=None) as batch_op:
        batch_op.drop_column("expected_on")
    op.execute(sa.text("DELETE FROM reminders WHERE kind IN ('followup', 'snooze', 'report_due')"))
    _reminder_kinds(_OLD_REMINDER_KINDS)
