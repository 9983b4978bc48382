"""overview counts: the audit indexed by item and by time, the report's states counted

The overview read every task's audit to give the report's states (seconds at
100,000 assignments). ``summary_counts`` now also keeps each task's report state
(measure ``report``, ``data/summary_counts.py``), recounted by 0024 for the rows
written before. The audit had no index: the latest updates of a plan (the
overview's "recent updates", newest first) walk ``ix_status_updates_created_at``
backwards, and one unit's or one task's audit (a unit head's overview, the task
page) finds its rows through ``ix_status_updates_progress_id``. Three partial
indexes: one unit's most overdue items (a unit head's overview walked the plan's
overdue index to find twenty of its own), a plan's report tasks in the counts (its
recurring reporting points), and the tasks with a recurring due (every summary looks
for them: a scan of every due).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


ITEM = "measure = 'item'"
POINT = "measure = 'point'"
RECURRING = "kind = 'recurring' AND rule IS NOT NULL"
OVERDUE = ("due_on", "code", "unit_name")


def _partial(name: str, table: str, where: str, *columns: str) -> None:
    condition = sa.text(where)
    op.create_index(name, table, list(columns), sqlite_where=condition, postgresql_where=condition)


def upgrade() -> None:
    op.create_index(
        "ix_status_updates_progress_id", "status_updates", ["progress_id", "created_at"]
    )
    op.create_index("ix_status_updates_created_at", "status_updates", ["created_at"])
    _partial("ix_task_counts_unit_overdue", "task_counts", ITEM, "unit_id", "plan_id", *OVERDUE)
    _partial("ix_task_counts_points", "task_counts", POINT, "plan_id", "state")
    _partial("ix_dues_recurring", "dues", RECURRING, "task_id")
    # Recounted by 0024 with today's counting, which writes a column this table gets
    # only there: a recount here failed on a database with tasks.


def downgrade() -> None:
    op.drop_index("ix_dues_recurring", "dues")
    op.drop_index("ix_task_counts_points", "task_counts")
    op.drop_index("ix_task_counts_unit_overdue", "task_counts")
    op.drop_index("ix_status_updates_created_at", "status_updates")
    op.drop_index("ix_status_updates_progress_id", "status_updates")
