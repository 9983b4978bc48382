"""Forgetting old rows of the inbound-update ledger (``data/inbound.py``).

Each row exists for two jobs: de-duplication (a provider redelivering an update
already handled) and the inbound rate limit (a chat's updates in the last
minutes). Both only look back a short way: Telegram keeps an undelivered update
for 24 hours and Zalo retries a webhook within minutes, so a row older than that
can never match again. Kept forever, the ledger grew to 2 million rows (434 MB)
and slowed every ``/metrics`` scrape; 30 days keeps a month for investigating a
complaint and still bounds the table by the traffic of one month.

The planner tick calls ``forget_old_updates``; rows go in batches, one
transaction each, so a large first clean-up never holds long locks, and a tick
with nothing to forget costs one indexed query (``ix_inbound_updates_received_at``).
On PostgreSQL the months wholly past the window are dropped first
(``data/partitions.py``): a backlog (the service was down, the window was shortened)
goes as a DROP, and the DELETE only meets the rows of the day crossing the line.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import InboundUpdate
from data.partitions import LEDGER, REDELIVERY, drop_months_before

RETENTION = timedelta(days=30)
MIN_RETENTION = REDELIVERY
"""Below this a redelivered Telegram update (kept 24 h) could be handled twice."""
BATCH = 5000


async def forget_old_updates(
    sessions: async_sessionmaker[AsyncSession],
    now: datetime,
    keep: timedelta = RETENTION,
    batch: int = BATCH,
) -> int:
    """Delete ledger rows received before ``now - keep``; how many went."""
    cutoff = now - max(keep, MIN_RETENTION)
    await drop_months_before(sessions, LEDGER, cutoff.date())
    oldest = select(InboundUpdate.id).where(InboundUpdate.received_at < cutoff).limit(batch)
    forgotten = 0
    while True:
        async with sessions.begin() as session:
            result = await session.execute(
                delete(InboundUpdate)
                .where(InboundUpdate.id.in_(oldest.scalar_subquery()))
                .execution_options(synchronize_session=False)
            )
        deleted = int(getattr(result, "rowcount", 0) or 0)
        forgotten += deleted
        if deleted < batch:
            return forgotten
