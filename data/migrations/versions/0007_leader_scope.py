"""leader scopes: the plans, or issuing bodies, a leader leads

A leader used to see every plan. ``leader_scopes`` rows (officer, plan) or
(officer, issuer) limit a leader's summaries, lists and notices to those plans;
a leader without rows still sees everything.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "leader_scopes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("issuer", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name=op.f("fk_leader_scopes_officer_id_officers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_leader_scopes_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leader_scopes")),
    )
    op.create_index(
        op.f("ix_leader_scopes_officer_id"), "leader_scopes", ["officer_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_leader_scopes_officer_id"), table_name="leader_scopes")
    op.drop_table("leader_scopes")
