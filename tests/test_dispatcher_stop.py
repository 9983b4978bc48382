"""``Dispatcher.stop``: sends in flight finish, bundles not started go back to ``pending``.

The subprocess test (``tests/reliability/test_shutdown.py``) proves it through SIGTERM;
these pin each branch in one process, with a sender that answers only when told.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import Reminder
from scheduler.clock import FakeClock
from scheduler.dispatcher import SHUTDOWN, Dispatcher
from scheduler.sender import Bundle
from tests.fakes import FakeSender, World

T0 = datetime(2022, 3, 28, 1, 0, tzinfo=UTC)  # Monday 08:00 in Vietnam
IN_FLIGHT = 2
RECIPIENTS = 5
WAIT = 10.0  # a bound on waiting for the fake, never reached when the code is right
SessionFactory = async_sessionmaker[AsyncSession]


class HeldSender(FakeSender):
    """Reaches everyone; each send waits for ``answer`` and signals when IN_FLIGHT are waiting."""

    accepts_unlinked = True

    def __init__(self) -> None:
        super().__init__("console", before_send=self._hold)
        self.answer = asyncio.Event()
        self.busy = asyncio.Event()

    async def _hold(self, bundle: Bundle) -> None:
        if len(self.attempts) == IN_FLIGHT:
            self.busy.set()
        await self.answer.wait()


async def _setup(sessions: SessionFactory) -> tuple[Dispatcher, HeldSender]:
    w = World(sessions)
    for n in range(RECIPIENTS):
        await w.reminder(await w.officer(f"Cán bộ {n}"), T0, kind="manual")
    sender = HeldSender()
    dispatcher = Dispatcher(sessions, {"console": sender}, FakeClock(T0), concurrency=IN_FLIGHT)
    return dispatcher, sender


async def _rows(sessions: SessionFactory) -> list[tuple[str, int, str | None, object]]:
    async with sessions() as s:
        rows = await s.scalars(select(Reminder).order_by(Reminder.id))
        return [(r.state, r.attempts, r.last_error, r.lease_until) for r in rows]


async def _released(sessions: SessionFactory) -> None:
    while not any(state == "pending" for state, *_ in await _rows(sessions)):
        await asyncio.sleep(0)


async def test_sends_in_flight_finish_and_the_rest_is_released_at_once(
    sessions: SessionFactory,
) -> None:
    dispatcher, sender = await _setup(sessions)
    tick = asyncio.create_task(dispatcher.dispatch_once())
    await asyncio.wait_for(sender.busy.wait(), WAIT)
    stopping = asyncio.create_task(dispatcher.stop(grace=WAIT))
    await asyncio.wait_for(_released(sessions), WAIT)  # before any send in flight answers
    assert not stopping.done() and len(sender.attempts) == IN_FLIGHT
    sender.answer.set()
    await asyncio.wait_for(stopping, WAIT)
    result = await tick

    assert (result.sent, result.retried) == (IN_FLIGHT, RECIPIENTS - IN_FLIGHT)
    assert sorted(await _rows(sessions), key=str) == sorted(
        [("sent", 1, None, None)] * IN_FLIGHT
        + [("pending", 0, SHUTDOWN, None)] * (RECIPIENTS - IN_FLIGHT),
        key=str,
    )
    assert (await dispatcher.dispatch_once()).claimed == 0  # stopped: claims nothing more


async def test_a_send_past_the_grace_is_cancelled_and_released(sessions: SessionFactory) -> None:
    dispatcher, sender = await _setup(sessions)
    tick = asyncio.create_task(dispatcher.dispatch_once())
    await asyncio.wait_for(sender.busy.wait(), WAIT)
    await asyncio.wait_for(dispatcher.stop(grace=0.01), WAIT)  # the fake never answers
    result = await tick

    assert (result.sent, result.retried) == (0, RECIPIENTS)
    assert {row[0] for row in await _rows(sessions)} == {"pending"}
    assert sender.sent == []
