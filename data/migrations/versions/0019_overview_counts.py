"""overview counts: the audit indexed by item and by time, the report's states counted

The overview read every task's audit to give the report's states (seconds at
100,000 assignments). ``summary_counts`` now also keeps each task's report state
(measure ``report``, ``data/summary_counts.py``), recounted here for the rows
written before. The audit had no index: the latest updates of a plan (the
overview's "recent updates", newest first) walk ``ix_status_updates_created_at``
backwards, and one unit's or one task's audit (a unit head's overview, the task
page) finds its rows through ``ix_status_updates_progress_id``.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 12:10:00
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy.orm import Session

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_status_updates_progress_id", "status_updates", ["progress_id", "created_at"]
    )
    op.create_index("ix_status_updates_created_at", "status_updates", ["created_at"])
    from data.summary_counts import rebuild  # the same counting the writes keep

    rebuild(Session(bind=op.get_bind()))


def downgrade() -> None:
    op.drop_index("ix_status_updates_created_at", "status_updates")
    op.drop_index("ix_status_updates_progress_id", "status_updates")
