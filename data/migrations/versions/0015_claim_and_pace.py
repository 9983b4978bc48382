"""claim and pace: partial indexes for the claim, the shared send pace

The claim read ``ix_reminders_claim (state, scheduled_at)``, which holds every
row ever written, sent and cancelled history included, and found due rows and
expired leases through one OR. Three partial indexes replace it: due pending
rows in claim order (``scheduled_at, id``), so the claim reads the oldest rows
and stops at its limit; a recipient's pending rows (``recipient_id,
scheduled_at``), so the rest of a picked recipient's due rows is a lookup; and
``sending`` rows by lease, so taking back a crashed dispatcher's rows looks at
the handful in flight. A claimed row no longer matches the pending ones, so the
claim writes no entry into them. ``send_paces`` is the token
bucket every dispatcher takes its sends from (``scheduler/pace.py``).

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("state = 'pending'")
SENDING = sa.text("state = 'sending'")


def upgrade() -> None:
    op.create_table(
        "send_paces",
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("channel", name=op.f("pk_send_paces")),
    )
    with op.batch_alter_table("reminders") as batch_op:
        batch_op.drop_index("ix_reminders_claim")
        batch_op.create_index(
            "ix_reminders_due",
            ["scheduled_at", "id"],
            postgresql_where=PENDING,
            sqlite_where=PENDING,
        )
        batch_op.create_index(
            "ix_reminders_recipient_due",
            ["recipient_id", "scheduled_at"],
            postgresql_where=PENDING,
            sqlite_where=PENDING,
        )
        batch_op.create_index(
            "ix_reminders_leased",
            ["lease_until"],
            postgresql_where=SENDING,
            sqlite_where=SENDING,
        )


def downgrade() -> None:
    with op.batch_alter_table("reminders") as batch_op:
        batch_op.drop_index("ix_reminders_leased")
        batch_op.drop_index("ix_reminders_recipient_due")
        batch_op.drop_index("ix_reminders_due")
        batch_op.create_index("ix_reminders_claim", ["state", "scheduled_at"], unique=False)
    op.drop_table("send_paces")
