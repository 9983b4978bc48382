"""reserved: bulk planning (issue 16); filled in, or removed, before this session's stop

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 14:40:00
"""

from collections.abc import Sequence

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: the number is held so parallel work keeps one chain."""


def downgrade() -> None:
    """Nothing yet."""
