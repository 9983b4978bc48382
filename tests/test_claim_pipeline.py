"""A tick claims small batches, the next while the one before is sending; a claim never
splits a recipient with another dispatcher's claim."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram.channel import PACING
from data.models import RecipientLease, Reminder
from scheduler import outbox
from scheduler.clock import FakeClock
from scheduler.dispatcher import Dispatcher
from scheduler.limits import RateLimiter
from scheduler.sender import Bundle
from tests.fakes import FakeSender, FakeTimer, World
from tests.lock_waits import until_waiting_on_a_lock

T0 = datetime(2022, 3, 28, 1, 0, tzinfo=UTC)  # Monday 08:00 in Hà Nội
LEASE = T0 + timedelta(minutes=5)


async def test_a_tick_claims_the_next_batch_while_the_one_before_is_sending(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    w = World(sessions)
    expected = []
    for n in range(5):
        officer = await w.officer(f"Cán bộ {n}", telegram=8000 + n)
        for k in range(2):
            expected.append(await w.reminder(officer, T0 - timedelta(minutes=k), kind="manual"))
    claims: list[int] = []
    second_claim = asyncio.Event()

    async def first_waits_for_the_next_claim(_bundle: Bundle) -> None:
        if len(sender.attempts) == 1:
            await asyncio.wait_for(second_claim.wait(), timeout=10)

    sender = FakeSender("telegram", before_send=first_waits_for_the_next_claim)
    timer = FakeTimer()
    limiter = RateLimiter({"telegram": PACING}, monotonic=timer.monotonic, sleep=timer.sleep)
    dispatcher = Dispatcher(sessions, {"telegram": sender}, FakeClock(T0), limiter=limiter, batch=2)
    claim_due = dispatcher.claim_due

    async def counted_claim() -> list[outbox.ClaimedRow]:
        rows = await claim_due()
        claims.append(len(rows))
        if len(claims) == 2:
            second_claim.set()
        return rows

    dispatcher.claim_due = counted_claim  # type: ignore[method-assign]

    result = await dispatcher.dispatch_due()

    assert claims == [4, 4, 2, 0]  # two recipients (all their rows) a claim, then none due
    assert (result.claimed, result.sent, result.messages) == (10, 10, 5)
    assert sorted(sender.sent_ids()) == sorted(expected)
    assert len({bundle.address for bundle in sender.sent}) == 5  # one message each


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_a_recipient_another_claim_is_taking_is_skipped_whole(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Mid-claim, another dispatcher holds the recipient and the row it picked first; a claim
    then must not take that person's other rows (two messages), but wait for the next tick."""
    w = World(sessions)
    busy = await w.officer("Đang được gửi", telegram=9001)
    free = await w.officer("Rảnh", telegram=9002)
    first = await w.reminder(busy, T0 - timedelta(minutes=2), kind="manual")
    for minutes in (1, 0):
        await w.reminder(busy, T0 - timedelta(minutes=minutes), kind="manual")
    other = await w.reminder(free, T0, kind="manual")

    async with sessions.begin() as claiming:  # what a claim in progress holds
        lock = func.pg_try_advisory_xact_lock(outbox.CLAIM_LOCKS, busy.id)
        assert await claiming.scalar(select(lock))
        await claiming.execute(select(Reminder.id).where(Reminder.id == first).with_for_update())
        async with sessions.begin() as session:
            claimed = await outbox.claim(session, T0, LEASE, batch=10)

    assert [row.id for row in claimed] == [other]


ROUNDS = 3


async def test_two_claims_at_once_take_different_people_every_time(
    pg_sessions: async_sessionmaker[AsyncSession],
) -> None:
    """The second claim runs while the first still holds its people (not committed): it must
    take the next free people, not come back empty. Both run the generic plan PostgreSQL
    may choose for a statement asyncpg prepared, from its sixth run on a connection; it
    read every due row and the old claim tried its advisory lock on all of them."""
    w = World(pg_sessions)
    for n in range(4 * ROUNDS + 4):
        officer = await w.officer(f"Cán bộ {n}", telegram=8100 + n)
        for k in range(1 + n % 2):
            await w.reminder(officer, T0 - timedelta(seconds=10 * n + k), kind="manual")
    async with pg_sessions.begin() as session:
        await session.execute(text("ANALYZE reminders"))  # as autovacuum would
    taken: list[set[int]] = []

    for _ in range(ROUNDS):
        async with pg_sessions.begin() as first, pg_sessions.begin() as second:
            for session in (first, second):
                await session.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))
                rows = await outbox.claim(session, T0, LEASE, batch=2)
                taken.append({row.recipient_id for row in rows})

    assert all(taken), [len(people) for people in taken]  # nobody came back empty
    assert sum(map(len, taken)) == len(set().union(*taken))  # nobody taken twice


async def test_a_claim_that_lost_its_people_to_another_commit_takes_the_next(
    pg_sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Another claim leases the oldest due person and commits while this claim's statement,
    which could not see that lease yet, waits on its key: the lease is then live and this
    claim must take the next free person instead of coming back empty."""
    w = World(pg_sessions)
    taken_first = await w.officer("Được nhận trước", telegram=8201)
    next_free = await w.officer("Người kế tiếp", telegram=8202)
    await w.reminder(taken_first, T0 - timedelta(minutes=1), kind="manual")
    await w.reminder(next_free, T0, kind="manual")

    async with pg_sessions() as other:  # the other claim, its lease not committed yet
        await other.execute(
            pg_insert(RecipientLease).values(recipient_id=taken_first.id, lease_until=LEASE)
        )
        async with pg_sessions.begin() as session:
            pid = await session.scalar(text("SELECT pg_backend_pid()"))
            claiming = asyncio.create_task(outbox.claim(session, T0, LEASE, batch=1))
            waited = await until_waiting_on_a_lock(other, pid)
            await other.commit()  # even if it never waited: the claim must end before the session
            claimed = await claiming

    assert waited, "the claim never waited on the other's lease"
    assert [row.recipient_id for row in claimed] == [next_free.id]
