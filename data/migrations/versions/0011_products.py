"""products: the files officers send as the product of a task

An officer may send a signed page or a report file with (or as) their answer; it
is kept with the task in ``products`` — its bytes in the database or in a file
under a configured directory — and recorded in the audit as a ``status_updates``
row of the new kind ``product``.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from data.models import UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_UPDATE_KINDS = ("status", "note", "promise", "acknowledged", "snooze")
_NEW_UPDATE_KINDS = (*_OLD_UPDATE_KINDS, "product")


def _one_of(column: str, values: Sequence[str]) -> str:
    """The CHECK text the models write for ``column IN (...)``, frozen here."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _update_kinds(values: Sequence[str]) -> None:
    with op.batch_alter_table("status_updates", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_status_updates_kind_valid"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_status_updates_kind_valid"), _one_of("kind", values)
        )


def upgrade() -> None:
    _update_kinds(_NEW_UPDATE_KINDS)
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("progress_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("status_update_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("store", sa.String(length=10), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("path", sa.String(length=500), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("store IN ('db', 'fs')", name=op.f("ck_products_store_valid")),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_products_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["progress_id"],
            ["progress.id"],
            name=op.f("fk_products_progress_id_progress"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name=op.f("fk_products_officer_id_officers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["status_update_id"],
            ["status_updates.id"],
            name=op.f("fk_products_status_update_id_status_updates"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
    )
    op.create_index(op.f("ix_products_task_id"), "products", ["task_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_products_task_id"), table_name="products")
    op.drop_table("products")
    op.execute(sa.text("DELETE FROM status_updates WHERE kind = 'product'"))
    _update_kinds(_OLD_UPDATE_KINDS)
