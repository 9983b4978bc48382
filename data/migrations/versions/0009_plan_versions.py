"""plan versions: an amended plan re-imported over the first keeps its history

``plan import NEW --update PLAN --apply`` replaces a plan's tasks in place: each
imported file becomes a row of ``plan_versions`` (number, file, checksum, when,
what changed), and a task the new version drops is not deleted but marked with
``tasks.removed_in`` (the version that dropped it), keeping its progress and audit.
Plans imported before this revision get their version 1 from their own row.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from data.models import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("imported_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_plan_versions_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_versions")),
        sa.UniqueConstraint("plan_id", "version", name="plan_version"),
    )
    op.execute(
        "INSERT INTO plan_versions (plan_id, version, source, checksum, imported_at, summary) "
        "SELECT id, 1, source, checksum, imported_at, '{}' FROM plans"
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("removed_in", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("removed_in")
    op.drop_table("plan_versions")
