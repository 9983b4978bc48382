"""officer links as rows, chat options, service secrets

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from data.models import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "service_secrets",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=256), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_service_secrets")),
    )


def downgrade() -> None:
    op.drop_table("service_secrets")
