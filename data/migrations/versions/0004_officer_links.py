"""officer links as rows, contacts, chat options, service secrets

An officer's chats move from one column per provider to ``officer_links`` rows
(officer, channel, address), so adding a channel needs no migration; the roster's
contact hints move to ``officer_contacts`` the same way. The existing links and
hints are carried over, then the old columns are dropped (this file, like 0001,
names them: it describes the schema it leaves). ``chat_options`` keeps the
numbered options shown in a chat without buttons, ``service_secrets`` the secrets
the service makes for itself.

Downgrading copies the two old providers' links and hints back; links on any
other channel have no column to go to and are lost.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import data.models

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (channel, old link column, old contact column) of the schema before this revision
_OLD_COLUMNS = (
    ("telegram", "telegram_chat_id", "telegram_username"),
    ("zalo", "zalo_user_id", "zalo_name"),
)


def upgrade() -> None:
    op.create_table(
        "service_secrets",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=256), nullable=False),
        sa.Column("created_at", data.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_service_secrets")),
    )
    op.create_table(
        "chat_options",
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("payloads", sa.JSON(), nullable=False),
        sa.Column("expires_at", data.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel", "chat_id", name=op.f("pk_chat_options")),
    )
    op.create_table(
        "officer_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("linked_at", data.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name=op.f("fk_officer_links_officer_id_officers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officer_links")),
        sa.UniqueConstraint("channel", "address", name="link_channel_address"),
        sa.UniqueConstraint("officer_id", "channel", name="link_officer_channel"),
    )
    op.create_table(
        "officer_contacts",
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("handle", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name=op.f("fk_officer_contacts_officer_id_officers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("officer_id", "channel", name=op.f("pk_officer_contacts")),
    )
    for channel, link, contact in _OLD_COLUMNS:
        op.execute(
            "INSERT INTO officer_links (officer_id, channel, address, linked_at) "
            f"SELECT id, '{channel}', CAST({link} AS VARCHAR(64)), created_at FROM officers "
            f"WHERE {link} IS NOT NULL AND CAST({link} AS VARCHAR(64)) <> ''"
        )
        op.execute(
            "INSERT INTO officer_contacts (officer_id, channel, handle) "
            f"SELECT id, '{channel}', {contact} FROM officers "
            f"WHERE {contact} IS NOT NULL AND {contact} <> ''"
        )
    with op.batch_alter_table("officers", schema=None) as batch_op:
        for _, link, contact in _OLD_COLUMNS:
            batch_op.drop_constraint(f"uq_officers_{link}", type_="unique")
            batch_op.drop_column(link)
            batch_op.drop_column(contact)


def downgrade() -> None:
    with op.batch_alter_table("officers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("telegram_username", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("zalo_name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("telegram_chat_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("zalo_user_id", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_officers_telegram_chat_id", ["telegram_chat_id"])
        batch_op.create_unique_constraint("uq_officers_zalo_user_id", ["zalo_user_id"])
    types = {"telegram_chat_id": "BIGINT", "zalo_user_id": "VARCHAR(64)"}
    for channel, link, contact in _OLD_COLUMNS:
        op.execute(
            f"UPDATE officers SET {link} = (SELECT CAST(address AS {types[link]}) FROM officer_links "
            f"WHERE officer_links.officer_id = officers.id AND officer_links.channel = '{channel}')"
        )
        op.execute(
            f"UPDATE officers SET {contact} = (SELECT handle FROM officer_contacts "
            f"WHERE officer_contacts.officer_id = officers.id AND officer_contacts.channel = '{channel}')"
        )
    op.drop_table("officer_contacts")
    op.drop_table("officer_links")
    op.drop_table("chat_options")
    op.drop_table("service_secrets")
