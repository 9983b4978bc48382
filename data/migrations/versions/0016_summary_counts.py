"""summary counts: what the leaders' summaries count, kept by the writes

/tonghop, /quahan, /chuabaocao and the overview counted every item of a plan per
call (seconds at 100,000 assignments). ``summary_counts`` holds those counts per
plan, unit, officer, state and due date, and ``task_counts`` each task's share of
them, so a change replaces one task's share (``data/summary_counts.py``); an
item's row carries its task's code and unit's name (code point order) so the most
overdue items are the first entries of ``ix_task_counts_overdue``. Filled here from
the existing rows by 0024 (the last migration to change what is counted).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(owner: str) -> list[sa.Column[object]]:
    return [
        sa.Column(owner, sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=8), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
    ]


def _code_points(length: int) -> sa.types.TypeEngine[str]:
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def upgrade() -> None:
    keys = ["measure", "unit_id", "officer_id", "state", "late", "due_on"]
    op.create_table(
        "summary_counts",
        *_key("plan_id"),
        sa.PrimaryKeyConstraint("plan_id", *keys, name=op.f("pk_summary_counts")),
    )
    op.create_table(
        "task_counts",
        *_key("task_id"),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("code", _code_points(40), nullable=False),
        sa.Column("unit_name", _code_points(300), nullable=False),
        sa.PrimaryKeyConstraint("task_id", *keys, name=op.f("pk_task_counts")),
    )
    op.create_index(
        "ix_task_counts_overdue",
        "task_counts",
        ["plan_id", "due_on", "code", "unit_name"],
        sqlite_where=sa.text("measure = 'item'"),
        postgresql_where=sa.text("measure = 'item'"),
    )
    # Recounted by 0024 with today's counting, which writes a column this table gets
    # only there: a recount here failed on a database with tasks.


def downgrade() -> None:
    op.drop_table("task_counts")
    op.drop_table("summary_counts")
