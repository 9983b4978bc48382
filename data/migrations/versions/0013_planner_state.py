"""planner state: how far ahead the outbox is planned

The planner no longer re-reads every assignment each tick: a change replans the
dues it affects in its own transaction, and the periodic tick only plans the days
that entered the horizon since the last one. ``planner_state`` keeps that
high-water mark (one row; none yet means "plan everything once").

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from data.models import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "planner_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("planned_through", sa.Date(), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planner_state")),
    )


def downgrade() -> None:
    op.drop_table("planner_state")
