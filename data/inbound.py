"""The inbound-update ledger: one ``InboundUpdate`` row per update a provider delivered.

The row is written first, in the transaction that handles the update, and the
``(channel, update_id)`` UNIQUE constraint makes a redelivery (webhook retry,
a second instance polling) a no-op: whoever inserts the row handles the update.
The same rows are what the inbound rate limit counts, so the limit holds across
instances without any shared memory.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import InboundUpdate

ID_MAX = 64
"""The width of ``update_id`` and ``chat_id``: a longer provider id is cut, not refused."""


async def record_first_delivery(
    session: AsyncSession, channel: str, update_id: str, chat_id: str, received_at: datetime
) -> bool:
    """Record an update; False when it was already recorded (a redelivery to ignore).

    ``received_at`` is the caller's clock, not the database's, so the rate limit's
    window moves with a test's or the simulator's clock.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    result = await session.execute(
        insert(InboundUpdate)
        .values(
            channel=channel,
            update_id=update_id[:ID_MAX],
            chat_id=chat_id[:ID_MAX],
            received_at=received_at,
        )
        .on_conflict_do_nothing(index_elements=["channel", "update_id"])
    )
    return bool(getattr(result, "rowcount", 0))


async def updates_since(session: AsyncSession, channel: str, chat_id: str, since: datetime) -> int:
    """How many updates one chat sent after ``since`` (refused ones included)."""
    count = await session.scalar(
        select(func.count())
        .select_from(InboundUpdate)
        .where(
            InboundUpdate.channel == channel,
            InboundUpdate.chat_id == chat_id[:ID_MAX],
            InboundUpdate.received_at > since,
        )
    )
    return int(count or 0)
