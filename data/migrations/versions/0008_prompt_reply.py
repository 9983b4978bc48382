"""a pending "which task?" keeps what the officer said

When a message is clear about its state but not about its task ("vướng do chưa có
kinh phí" with several open items), the bot shows a pick menu. ``pending_prompts``
gains ``reply``: the parsed reply and the officer's words, applied to the item they
pick, so the reason (or percent, new date, promise) is not asked a second time.
The same row lists every candidate in ``task_ids``, which the menu pages through.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-09 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pending_prompts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pending_prompts", schema=None) as batch_op:
        batch_op.drop_column("reply")
