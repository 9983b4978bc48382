"""inbound updates: an index on received_at for the retention window

The planner tick deletes ``inbound_updates`` older than the retention window in
batches; without this index each tick would scan the whole ledger even when
nothing is old enough (the existing index leads with channel and chat).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_inbound_updates_received_at", "inbound_updates", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_inbound_updates_received_at", table_name="inbound_updates")
