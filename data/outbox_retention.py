"""Forgetting the outbox's old history: finished reminders older than a number of months.

A sent, cancelled or failed row is read by ``nhacviec outbox list``, the overdue
check (``outbox.overdue_topics``, which looks at a due's own rows) and whoever
investigates a complaint; after a year nobody does. ``OUTBOX_RETENTION_MONTHS``
(13 by default: a year and the month under way) says how many whole months are kept.

On PostgreSQL the outbox is partitioned by the month a row was created
(``data/partitions.py``): a month past the window goes as one DROP of its partition,
unless an unsent row is still in it (a retry, a failed row sent again), and then the
finished rows around that row go by DELETE. SQLite, and the DEFAULT partition, take
the same DELETE, in batches of one transaction each so no lock is held long. A row
waiting to be sent is never removed, however old.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import Reminder
from data.partitions import OUTBOX, add_months, drop_months_before, month_of

RETENTION_MONTHS = 13
FINISHED = ("sent", "cancelled", "failed")
BATCH = 5000


@dataclass(frozen=True)
class Forgotten:
    """What one run removed: whole months (partitions) and single rows."""

    months: tuple[str, ...] = ()
    rows: int = 0

    def __bool__(self) -> bool:
        return bool(self.months or self.rows)


async def forget_old_reminders(
    sessions: async_sessionmaker[AsyncSession],
    now: datetime,
    months: int = RETENTION_MONTHS,
    batch: int = BATCH,
) -> Forgotten:
    """Remove finished rows created before the first day of the month ``months`` back."""
    bound = add_months(month_of(now), -max(months, 1))
    dropped = await drop_months_before(sessions, OUTBOX, bound)
    cutoff = datetime.combine(bound, time(), tzinfo=UTC)
    oldest = (
        select(Reminder.id)
        .where(Reminder.created_at < cutoff, Reminder.state.in_(FINISHED))
        .limit(batch)
    )
    rows = 0
    while True:
        async with sessions.begin() as session:
            result = await session.execute(
                delete(Reminder)
                .where(Reminder.created_at < cutoff, Reminder.id.in_(oldest.scalar_subquery()))
                .execution_options(synchronize_session=False)
            )
        deleted = int(getattr(result, "rowcount", 0) or 0)
        rows += deleted
        if deleted < batch:
            return Forgotten(tuple(dropped), rows)
