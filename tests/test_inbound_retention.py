"""The inbound-update ledger keeps a retention window: old rows go, in batches, on the tick."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.inbound import record_first_delivery
from data.inbound_retention import forget_old_updates
from data.models import InboundUpdate
from scheduler.clock import FakeClock
from scheduler.runtime import plan_tick

NOW = datetime(2022, 3, 28, 2, 0, tzinfo=UTC)
AGES = {"u1": 90, "u2": 45, "u3": 31, "u4": 29, "u5": 1, "u6": 0}
"""Update id -> days since it was received."""


async def _ledger(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as s:
        for update_id, days in AGES.items():
            received = NOW - timedelta(days=days)
            assert await record_first_delivery(s, "telegram", update_id, "42", received)


async def _kept(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessions() as s:
        return sorted((await s.scalars(select(InboundUpdate.update_id))).all())


async def test_rows_older_than_the_window_go_in_batches_and_a_second_run_is_a_no_op(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _ledger(sessions)
    assert await forget_old_updates(sessions, NOW, batch=2) == 3
    assert await _kept(sessions) == ["u4", "u5", "u6"]
    assert await forget_old_updates(sessions, NOW, batch=2) == 0
    async with sessions.begin() as s:  # a redelivery inside the window is still recognised
        assert not await record_first_delivery(s, "telegram", "u5", "42", NOW)


async def test_a_window_shorter_than_the_redelivery_horizon_is_raised_to_it(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _ledger(sessions)
    assert await forget_old_updates(sessions, NOW, keep=timedelta(hours=1)) == 4
    assert await _kept(sessions) == ["u5", "u6"]


async def test_the_planner_tick_forgets_old_updates(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _ledger(sessions)
    await plan_tick(sessions, FakeClock(NOW))
    assert await _kept(sessions) == ["u4", "u5", "u6"]
