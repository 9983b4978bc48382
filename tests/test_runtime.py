"""The running service: APScheduler drives the planner and dispatcher ticks, nothing else."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import Reminder
from scheduler.clock import TZ, FakeClock
from scheduler.dispatcher import Dispatcher
from scheduler.runtime import build_scheduler
from scheduler.sender import Bundle
from tests.planning_helpers import seed_with_officers
from tests.test_simulation import Everyone


class _Signalling(Everyone):
    """Sets ``delivered`` once a bundle is recorded, so the test waits on it, not on a sleep."""

    def __init__(self, channel: str) -> None:
        super().__init__(channel)
        self.delivered = asyncio.Event()

    async def send(self, bundle: Bundle) -> str:
        message_id = await super().send(bundle)
        self.delivered.set()
        return message_id


async def test_it_plans_and_dispatches_on_its_ticks_only(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed_with_officers(sessions)
    clock = FakeClock(datetime(2022, 3, 11, 8, 0, tzinfo=TZ))
    sender = _Signalling(channel="console")
    dispatcher = Dispatcher(sessions, {"console": sender}, clock)
    scheduler = build_scheduler(sessions, dispatcher, clock, dispatch_every=timedelta(seconds=0.05))
    assert {job.id for job in scheduler.get_jobs()} == {"planner", "dispatcher"}
    scheduler.start()
    try:
        async with asyncio.timeout(10):  # the planner's first tick, then a dispatcher tick
            await sender.delivered.wait()
        assert len(scheduler.get_jobs()) == 2, "no job per reminder"
    finally:
        scheduler.shutdown(wait=False)
    assert {(item.kind, item.task_code) for b in sender.sent for item in b.items} >= {
        ("before", "BDT22-I.1")
    }
    async with sessions() as s:
        pending = await s.scalar(select(func.count()).where(Reminder.state == "pending"))
    assert pending, "later reminders wait in the outbox, not in the scheduler"
