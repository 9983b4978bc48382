"""plan page: the kept report states indexed by plan, unit and state; extensions by date

The plan page read every task's report state to filter and page the table (0.9 s at
100,000 assignments). It now pages in SQL: the tasks in one state are the ``report``
rows of the counts (``data/plan_table``) found along this partial index, by plan,
unit (0: the task whole) and state, with the earliest open due that splits "in
progress" into on time and late by today's date. The due-month filter's choices walk
the dues by date (``ix_dues_due_on``) and the approved extensions along a partial index
of the few progress rows that have one, a month at a time.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REPORT = sa.text("measure = 'report'")
EXTENDED = sa.text("extended_to IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_task_counts_report",
        "task_counts",
        ["plan_id", "unit_id", "state", "due_on", "task_id"],
        sqlite_where=REPORT,
        postgresql_where=REPORT,
    )
    op.create_index(
        "ix_progress_extended_to",
        "progress",
        ["extended_to"],
        sqlite_where=EXTENDED,
        postgresql_where=EXTENDED,
    )


def downgrade() -> None:
    op.drop_index("ix_progress_extended_to", "progress")
    op.drop_index("ix_task_counts_report", "task_counts")
