"""The inbound-update ledger: one ``InboundUpdate`` row per update a provider delivered.

The row is written first, in the transaction that handles the update, and the
``(channel, update_id)`` UNIQUE constraint makes a redelivery (webhook retry,
a second instance polling) a no-op: whoever inserts the row handles the update.
The key holds the month of arrival, PostgreSQL's partition (``data/partitions.py``).
The same rows are what the inbound rate limit counts, so the limit holds across
instances without any shared memory.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from data.models import InboundUpdate
from data.partitions import REDELIVERY, month_of
from data.sql import insert

ID_MAX = 64
"""The width of ``update_id`` and ``chat_id``: a longer provider id is cut, not refused."""


def _first(
    session: AsyncSession,
    channel: str,
    update_id: str,
    chat_id: str | None,
    received_at: datetime,
    month: date | None = None,
) -> postgresql.Insert | sqlite.Insert:
    """The ledger's INSERT of one update (in its month of arrival unless ``month`` says),
    doing nothing on a redelivery."""
    return (
        insert(session, InboundUpdate)
        .values(
            channel=channel,
            update_id=update_id[:ID_MAX],
            chat_id=None if chat_id is None else chat_id[:ID_MAX],
            received_at=received_at,
            month=month or month_of(received_at),
        )
        .on_conflict_do_nothing(index_elements=["channel", "update_id", "month"])
    )


async def _seen_the_month_before(
    session: AsyncSession, channel: str, update_id: str, received_at: datetime
) -> bool:
    """Take the update's key in the month before too, when it arrives within
    ``REDELIVERY`` of a month's start; True when that month already had it.

    The key holds the month (the partitions of ``data/partitions.py``), and a
    redelivery may cross a month's first instant. Two deliveries less than
    ``REDELIVERY`` apart always share one of the months each takes, so the second
    meets the first's row, on a unique index that also waits for a first delivery
    not yet committed. This second key has no chat: the rate limit does not count it.
    """
    earlier = month_of(received_at - REDELIVERY)
    if earlier == month_of(received_at):
        return False
    shadow = _first(session, channel, update_id, None, received_at, earlier)
    return not getattr(await session.execute(shadow), "rowcount", 0)


async def record_first_delivery(
    session: AsyncSession, channel: str, update_id: str, chat_id: str, received_at: datetime
) -> bool:
    """Record an update; False when it was already recorded (a redelivery to ignore).

    ``received_at`` is the caller's clock, not the database's, so the rate limit's
    window moves with a test's or the simulator's clock.
    """
    if await _seen_the_month_before(session, channel, update_id, received_at):
        return False
    result = await session.execute(_first(session, channel, update_id, chat_id, received_at))
    return bool(getattr(result, "rowcount", 0))


async def record_and_count(
    session: AsyncSession,
    channel: str,
    update_id: str,
    chat_id: str,
    received_at: datetime,
    since: datetime,
) -> int | None:
    """Record an update and count the chat's updates after ``since``, this one included;
    None for a redelivery. One statement: every update paid a second round trip for the
    count (``record_first_delivery`` then ``updates_since``).

    The count rides on the INSERT's RETURNING. SQLite's subquery there sees the row just
    inserted, PostgreSQL's sees the statement's snapshot, the rows before it: one more
    (the new row is always in the window, ``since`` being before ``received_at``).
    """
    if await _seen_the_month_before(session, channel, update_id, received_at):
        return None
    postgres = session.get_bind().dialect.name == "postgresql"
    values = {
        "channel": channel,
        "update_id": update_id[:ID_MAX],
        "chat_id": chat_id[:ID_MAX],
        "received_at": received_at,
        "month": month_of(received_at),
        "since": since,
    }
    recent = await session.scalar(_record_and_count(postgres), values)
    if recent is None:
        return None
    return int(recent) + postgres


@cache
def _record_and_count(postgres: bool) -> ReturningInsert[Any]:
    """``record_and_count``'s statement, built once per process: every inbound update runs
    it, and building the insert with its subquery anew cost more CPU than running it."""
    columns = ("channel", "update_id", "chat_id", "received_at", "month")
    named: dict[str, BindParameter[Any]] = {name: bindparam(name) for name in columns}
    statement = (postgresql.insert if postgres else sqlite.insert)(InboundUpdate)
    counted = (
        select(func.count())
        .select_from(InboundUpdate)
        .where(
            InboundUpdate.channel == bindparam("channel"),
            InboundUpdate.chat_id == bindparam("chat_id"),
            InboundUpdate.received_at > bindparam("since"),
        )
        .correlate(None)
        .scalar_subquery()
    )
    return (
        statement.values(**named)
        .on_conflict_do_nothing(index_elements=["channel", "update_id", "month"])
        .returning(counted)
    )
