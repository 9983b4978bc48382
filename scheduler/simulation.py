"""Run the planner and the dispatcher over simulated days, in milliseconds per day.

Every morning of the window the planner runs at 07:00 and the dispatcher at the
policy's send time, then once more in the afternoon to pick up retries. Time
comes from a ``FakeClock``, so a year of reminders plays in seconds: the same
code paths as production, only the clock differs.

It sends and settles through the sessions it is given, so it must not be given
the live database's: ``nhacviec schedule simulate`` hands it a throw-away copy
(``data/scratch_copy.py``), leaving the real outbox as it was.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduler.clock import TZ, FakeClock
from scheduler.dispatcher import Dispatcher
from scheduler.planner import plan_reminders
from scheduler.settings import load_policy

PLANNING_TIME = time(7, 0)
AFTERNOON = time(15, 0)
DayHook = Callable[[date], Awaitable[None]]


@dataclass
class SimulationReport:
    """Counts of the simulated run, by day (only days on which something was sent)."""

    planned: int = 0
    messages_by_day: dict[date, int] = field(default_factory=dict)
    rows_sent: int = 0
    failed: int = 0

    @property
    def messages(self) -> int:
        return sum(self.messages_by_day.values())


async def _dispatch_until_idle(dispatcher: Dispatcher) -> tuple[int, int, int]:
    messages = sent = failed = 0
    while True:
        result = await dispatcher.dispatch_once()
        messages, sent, failed = (
            messages + result.messages,
            sent + result.sent,
            failed + result.failed,
        )
        if result.claimed == 0:
            return messages, sent, failed


async def simulate(
    sessions: async_sessionmaker[AsyncSession],
    dispatcher: Dispatcher,
    clock: FakeClock,
    first: date,
    last: date,
    *,
    after_day: DayHook | None = None,
) -> SimulationReport:
    """Plan and dispatch every day from ``first`` to ``last`` on ``clock``."""
    report = SimulationReport()
    async with sessions() as session:
        send_time = (await load_policy(session)).send_time
    day = first
    while day <= last:
        clock.set(datetime.combine(day, PLANNING_TIME, TZ))
        async with sessions() as session:
            report.planned += (await plan_reminders(session, clock.now())).created
            await session.commit()
        for moment in (send_time, AFTERNOON):
            clock.set(datetime.combine(day, moment, TZ))
            messages, sent, failed = await _dispatch_until_idle(dispatcher)
            if messages:
                report.messages_by_day[day] = report.messages_by_day.get(day, 0) + messages
            report.rows_sent += sent
            report.failed += failed
        if after_day is not None:
            await after_day(day)
        day += timedelta(days=1)
    return report
