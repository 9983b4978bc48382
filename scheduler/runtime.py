"""The periodic ticks of a running service, driven by APScheduler 3.11.

APScheduler only keeps time here: two interval jobs, one planning the outbox
(the days entering the horizon, with their weekly digests: every change replans
what it affects in its own transaction, so no separate digest or calendar job is
needed) and one dispatching it.
No job per reminder, no pickled job store: the outbox table is the source of
truth, so a restart loses nothing and several instances can share the database.
Jobs coalesce (a missed run is run once, not many times) and have no misfire
limit, so a late tick still does its work instead of being dropped.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.inbound_retention import RETENTION as INBOUND_RETENTION
from data.inbound_retention import forget_old_updates
from data.outbox_retention import RETENTION_MONTHS as OUTBOX_RETENTION_MONTHS
from data.outbox_retention import forget_old_reminders
from data.partitions import ensure_months
from scheduler.clock import TZ, Clock
from scheduler.dispatcher import Dispatcher
from scheduler.planner import advance

logger = logging.getLogger(__name__)

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}


DATABASE_DOWN = (OperationalError, InterfaceError, ConnectionError, OSError)
"""A tick that meets these waits for the next one: one warning line, not a traceback a tick."""


async def plan_tick(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    inbound_retention: timedelta = INBOUND_RETENTION,
    outbox_months: int = OUTBOX_RETENTION_MONTHS,
) -> None:
    """Plan the days entering the horizon (changes replanned their own dues already, see
    ``planner.advance``); create the months ahead of the partitioned tables; forget
    inbound updates older than ``inbound_retention`` and finished reminders older than
    ``outbox_months``."""
    try:
        async with sessions.begin() as session:
            if created := await ensure_months(session, clock.now()):
                logger.info("planner: created partitions %s", ", ".join(created))
        async with sessions() as session:
            result = await advance(session, clock.now())
            await session.commit()
        forgotten = await forget_old_updates(sessions, clock.now(), inbound_retention)
        history = await forget_old_reminders(sessions, clock.now(), outbox_months)
    except DATABASE_DOWN as exc:
        logger.warning("planner: database unavailable (%s)", str(exc).splitlines()[0])
        return
    logger.info("planner: %s", result)
    if forgotten:
        logger.info("planner: forgot %d inbound updates past the retention window", forgotten)
    if history:
        logger.info("planner: forgot old outbox history: %s", history)


async def dispatch_tick(dispatcher: Dispatcher) -> None:
    """Send what is due, claim after claim, so a burst drains in one tick."""
    try:
        if (result := await dispatcher.dispatch_due()).claimed:
            logger.info("dispatcher: %s", result)
    except DATABASE_DOWN as exc:
        logger.warning("dispatcher: database unavailable (%s)", str(exc).splitlines()[0])


def build_scheduler(
    sessions: async_sessionmaker[AsyncSession],
    dispatcher: Dispatcher | None,
    clock: Clock,
    *,
    plan_every: timedelta = timedelta(minutes=10),
    dispatch_every: timedelta = timedelta(seconds=10),
    plan: bool = True,
    inbound_retention: timedelta = INBOUND_RETENTION,
    outbox_months: int = OUTBOX_RETENTION_MONTHS,
) -> AsyncIOScheduler:
    """An unstarted scheduler with the planner and/or dispatcher ticks, first run at once."""
    scheduler = AsyncIOScheduler(timezone=TZ, job_defaults=JOB_DEFAULTS)
    # APScheduler keeps wall-clock time; the ticks themselves read ``clock``.
    now = datetime.now(TZ)
    if plan:
        scheduler.add_job(
            plan_tick,
            IntervalTrigger(seconds=plan_every.total_seconds()),
            args=(sessions, clock, inbound_retention, outbox_months),
            id="planner",
            next_run_time=now,
        )
    if dispatcher is not None:
        scheduler.add_job(
            dispatch_tick,
            IntervalTrigger(seconds=dispatch_every.total_seconds()),
            args=(dispatcher,),
            id="dispatcher",
            next_run_time=now,
        )
    return scheduler
