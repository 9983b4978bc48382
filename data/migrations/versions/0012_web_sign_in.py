"""web sign-in: one-time links and server-side sessions

The web pages sign people in without passwords: ``/web`` in chat (or ``nhacviec
web link``) makes a link valid 15 minutes that works once (``web_logins``); using
it opens a session (``web_sessions``) that the browser's cookie names. Only
SHA-256 hashes of both tokens are stored. ``web_uploads`` keeps a file uploaded on a
page between its preview and the confirmation.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from data.models import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _token_table(name: str, closed: str) -> None:
    """``web_logins`` and ``web_sessions`` share their shape but for the closing column."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column(closed, UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name=op.f(f"fk_{name}_officer_id_officers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("token_hash", name=op.f(f"uq_{name}_token_hash")),
    )
    op.create_index(op.f(f"ix_{name}_officer_id"), name, ["officer_id"], unique=False)


def upgrade() -> None:
    _token_table("web_logins", "used_at")
    _token_table("web_sessions", "revoked_at")
    op.create_table(
        "web_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name=op.f("fk_web_uploads_officer_id_officers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_uploads")),
    )


def downgrade() -> None:
    op.drop_table("web_uploads")
    for name in ("web_sessions", "web_logins"):
        op.drop_index(op.f(f"ix_{name}_officer_id"), table_name=name)
        op.drop_table(name)
