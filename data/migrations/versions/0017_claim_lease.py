"""claim lease: a claim leases recipients (``recipient_leases``) instead of writing their rows

The claim moved each due row of the people it picked to ``sending`` under a lease:
100 people, ~500 row versions with four index entries each, more than half of the
claim's time at 1,000,000 pending rows (``bench/claim.py``). Those rows cannot be
HOT-updated (``state`` is in the partial indexes' predicates, and the due rows of a
morning sit packed on the same pages). Now the claim writes one narrow row per
person, ``recipient_leases``, and the rows stay ``pending`` until their outcome is
recorded under that lease. ``ix_reminders_leased`` (``sending`` rows by lease) has
nothing left to find. Rows a dispatcher of the previous release left ``sending`` go
back to ``pending`` as their lease would have sent them; the service runs this at
its start, when no old dispatcher sends any more.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from data.models import UTCDateTime

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SENDING = sa.text("state = 'sending'")


def upgrade() -> None:
    op.create_table(
        "recipient_leases",
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("lease_until", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["officers.id"],
            name=op.f("fk_recipient_leases_recipient_id_officers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("recipient_id", name=op.f("pk_recipient_leases")),
    )
    op.execute("UPDATE reminders SET state = 'pending', lease_until = NULL WHERE state = 'sending'")
    with op.batch_alter_table("reminders") as batch_op:
        batch_op.drop_index("ix_reminders_leased")


def downgrade() -> None:
    with op.batch_alter_table("reminders") as batch_op:
        batch_op.create_index(
            "ix_reminders_leased", ["lease_until"], postgresql_where=SENDING, sqlite_where=SENDING
        )
    op.drop_table("recipient_leases")
