"""Monthly partitions on PostgreSQL: months made ahead, outbox keys exact across months,
finished months dropped whole (``data/partitions.py``, migration 0018)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import Officer
from data.outbox_retention import forget_old_reminders
from data.partitions import ensure_months

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("db_url", ["postgres"], indirect=True)]

JUNE = datetime(2020, 6, 15, 3, tzinfo=UTC)
INSERT = text(
    "INSERT INTO reminders (key, instance, recipient_id, kind, slot, scheduled_at, state,"
    " attempts, created_at) VALUES (:key, '-', :officer, 'manual', :key, :at, :state, 0, :at)"
    " ON CONFLICT DO NOTHING"
)


async def _officer(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions.begin() as s:
        officer = Officer(name="Nguyễn Thị Lan")
        s.add(officer)
    return officer.id


async def _write(
    session: AsyncSession, officer: int, key: str, created: datetime, state: str = "sent"
) -> int:
    """The rows the outbox's conflict-ignoring INSERT wrote: 1, or 0 for a taken key."""
    result = await session.execute(
        INSERT, {"key": key, "officer": officer, "at": created, "state": state}
    )
    return int(getattr(result, "rowcount", 0))


async def _homes(sessions: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    """Key → the partition holding its row."""
    async with sessions() as s:
        rows = await s.execute(text("SELECT key, tableoid::regclass::text FROM reminders"))
        return {key: home for key, home in rows}


async def _exists(sessions: async_sessionmaker[AsyncSession], name: str) -> bool:
    async with sessions() as s:
        return await s.scalar(text("SELECT to_regclass(:n)"), {"n": name}) is not None


async def test_the_tick_makes_the_months_ahead_once_and_takes_early_rows_out_of_the_default(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    officer = await _officer(sessions)
    async with sessions.begin() as s:  # July has no partition yet: the DEFAULT one takes it
        assert await _write(s, officer, "early", datetime(2020, 7, 3, tzinfo=UTC)) == 1
    async with sessions.begin() as s:
        await ensure_months(s, JUNE)
    for name in ("reminders_p202006", "reminders_p202008", "inbound_updates_p202008"):
        assert await _exists(sessions, name)
    assert await _homes(sessions) == {"early": "reminders_p202007"}
    async with sessions.begin() as s:  # the key moved with its row
        assert await _write(s, officer, "early", JUNE) == 0
        assert await ensure_months(s, JUNE) == []


async def test_a_key_is_written_once_whatever_month_it_comes_back_in(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    officer = await _officer(sessions)
    async with sessions.begin() as s:
        await ensure_months(s, JUNE)
        months = (JUNE, datetime(2020, 8, 1, tzinfo=UTC), datetime(2019, 1, 1, tzinfo=UTC))
        assert [await _write(s, officer, "k", at) for at in months] == [1, 0, 0]
    assert await _homes(sessions) == {"k": "reminders_p202006"}
    async with sessions.begin() as s:  # a deleted row frees its key
        await s.execute(text("DELETE FROM reminders WHERE key = 'k'"))
        assert await _write(s, officer, "k", months[1]) == 1
    assert await _homes(sessions) == {"k": "reminders_p202008"}
    async with sessions.begin() as s:  # so does emptying the outbox (a bench's TRUNCATE)
        await s.execute(text("TRUNCATE reminders"))
        assert await _write(s, officer, "k", months[0]) == 1


async def test_two_writers_of_one_key_in_two_months_leave_one_row(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    officer = await _officer(sessions)
    async with sessions.begin() as s:
        await ensure_months(s, JUNE)
    async with sessions() as first, sessions() as second:
        assert await _write(first, officer, "k", JUNE) == 1  # not committed yet
        racing = asyncio.create_task(_write(second, officer, "k", datetime(2020, 7, 9, tzinfo=UTC)))
        await first.commit()
        assert await racing == 0
        await second.commit()
    assert await _homes(sessions) == {"k": "reminders_p202006"}


async def test_a_finished_month_is_dropped_whole_and_a_month_with_an_unsent_row_is_kept(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    officer = await _officer(sessions)
    may, june, july_next_year = (datetime(2020, m, 10, tzinfo=UTC) for m in (5, 6, 7))
    july_next_year = july_next_year.replace(year=2021)
    async with sessions.begin() as s:
        await ensure_months(s, may, ahead=1)
        for key, at, state in [
            ("a", may, "sent"),
            ("b", may, "cancelled"),
            ("c", june, "failed"),
            ("d", june, "pending"),
            ("e", july_next_year, "sent"),
        ]:
            assert await _write(s, officer, key, at, state) == 1

    forgotten = await forget_old_reminders(sessions, datetime(2021, 8, 15, tzinfo=UTC), 13)

    # Months before May 2020 that earlier tests on this worker's database left (empty,
    # finished) go too: the database is emptied between tests, its partitions are not.
    ours = tuple(month for month in forgotten.months if month >= "reminders_p202005")
    assert (ours, forgotten.rows) == (("reminders_p202005",), 1)
    assert not await _exists(sessions, "reminders_p202005")
    assert await _homes(sessions) == {"d": "reminders_p202006", "e": "reminders_default"}
    async with sessions.begin() as s:  # the dropped month's keys are free again
        assert await _write(s, officer, "a", july_next_year) == 1
        assert await _write(s, officer, "d", july_next_year) == 0
