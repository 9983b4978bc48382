"""The inbound ledger's key holds the month of arrival (PostgreSQL partitions it by month):
a redelivery is still recognised across a month's first instant, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.inbound import record_and_count, record_first_delivery
from data.inbound_retention import forget_old_updates
from data.models import InboundUpdate
from data.partitions import ensure_months

MONTH_START = datetime(2022, 2, 1, tzinfo=UTC)


async def test_a_redelivery_across_the_start_of_a_month_is_recognised(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        assert await record_first_delivery(
            s, "telegram", "7", "42", MONTH_START - timedelta(minutes=1)
        )
    async with sessions.begin() as s:
        assert not await record_first_delivery(s, "telegram", "7", "42", MONTH_START)
        assert not await record_first_delivery(
            s, "telegram", "7", "42", MONTH_START + timedelta(hours=30)
        )
        assert await record_first_delivery(s, "telegram", "8", "42", MONTH_START)


async def test_an_update_recorded_in_two_months_is_counted_once_by_the_rate_limit(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    since = MONTH_START - timedelta(minutes=5)
    async with sessions.begin() as s:
        first = await record_and_count(s, "telegram", "7", "42", MONTH_START, since)
        again = await record_and_count(s, "telegram", "7", "42", MONTH_START, since)
        second = await record_and_count(s, "telegram", "8", "42", MONTH_START, since)
    assert (first, again, second) == (1, None, 2)
    async with sessions() as s:
        months = await s.scalars(select(InboundUpdate.month).where(InboundUpdate.update_id == "7"))
        assert sorted(m.isoformat() for m in months) == ["2022-01-01", "2022-02-01"]


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_months_past_the_window_are_dropped_whole(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        assert "inbound_updates_p201812" in await ensure_months(
            s, datetime(2018, 12, 20, tzinfo=UTC), ahead=1
        )
        for update_id, day in (
            ("dec", datetime(2018, 12, 31, tzinfo=UTC)),
            ("jan", datetime(2019, 1, 20, tzinfo=UTC)),
        ):
            assert await record_first_delivery(s, "zalo", update_id, "9", day)

    await forget_old_updates(sessions, datetime(2019, 2, 5, tzinfo=UTC), timedelta(days=30))

    async with sessions() as s:
        gone = await s.scalar(text("SELECT to_regclass('inbound_updates_p201812')"))
        kept = (await s.scalars(select(InboundUpdate.update_id))).all()
    assert gone is None and kept == ["jan"]
