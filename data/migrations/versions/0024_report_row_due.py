"""plan page: each kept report row carries its task's row due, indexed by month

The due-month filter computed the due of every task with a due or an extension in
the month (a quarter of the plan: 25,000 tasks at 100,000 assignments, each task's
assignments, dues and progress joined and grouped) at each request: 430 ms on both
backends. A ``report`` row of ``task_counts`` now keeps the due its task's report row
shows (``row_due``, decided by the report's own function), so a month's tasks are a
range of ``ix_task_counts_row_due``. The rows written before are recounted here.

Revision ID: 0024
Revises: 0021
Create Date: 2026-12-07 17:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0024"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REPORT = sa.text("measure = 'report'")


def upgrade() -> None:
    op.add_column("task_counts", sa.Column("row_due", sa.Date(), nullable=True))
    op.create_index(
        "ix_task_counts_row_due",
        "task_counts",
        ["plan_id", "unit_id", "row_due", "task_id"],
        sqlite_where=REPORT,
        postgresql_where=REPORT,
    )
    from data.summary_counts import rebuild  # the same counting the writes keep

    rebuild(Session(bind=op.get_bind()))


def downgrade() -> None:
    op.drop_index("ix_task_counts_row_due", "task_counts")
    with op.batch_alter_table("task_counts") as batch:
        batch.drop_column("row_due")
