"""The outbox forgets finished history older than its retention, never an unsent row."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import load_settings
from data.errors import UserError
from data.models import Officer, Reminder
from data.outbox_retention import forget_old_reminders
from scheduler.clock import FakeClock
from scheduler.runtime import plan_tick

NOW = datetime(2022, 3, 28, 2, 0, tzinfo=UTC)
ROWS = {
    # key: (created, state)
    "old-sent": (datetime(2021, 1, 31, tzinfo=UTC), "sent"),
    "old-failed": (datetime(2021, 1, 5, tzinfo=UTC), "failed"),
    "old-cancelled": (datetime(2020, 12, 5, tzinfo=UTC), "cancelled"),
    "old-pending": (datetime(2020, 11, 5, tzinfo=UTC), "pending"),
    "old-sending": (datetime(2020, 11, 6, tzinfo=UTC), "sending"),
    "kept-sent": (datetime(2021, 2, 1, tzinfo=UTC), "sent"),
    "new-sent": (datetime(2022, 3, 1, tzinfo=UTC), "sent"),
}
"""With 13 months kept at NOW (March 2022), February 2021 is the oldest month kept."""


async def _outbox(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as s:
        officer = Officer(name="Trần Văn Bình")
        s.add(officer)
        await s.flush()
        for key, (created, state) in ROWS.items():
            s.add(
                Reminder(
                    key=key,
                    recipient_id=officer.id,
                    kind="manual",
                    slot=key,
                    scheduled_at=created,
                    state=state,
                    created_at=created,
                )
            )


async def _kept(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessions() as s:
        return sorted((await s.scalars(select(Reminder.key))).all())


async def test_finished_rows_older_than_the_kept_months_go_and_unsent_ones_stay(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _outbox(sessions)
    forgotten = await forget_old_reminders(sessions, NOW, months=13, batch=2)
    assert forgotten.rows == 3
    assert await _kept(sessions) == ["kept-sent", "new-sent", "old-pending", "old-sending"]
    assert not await forget_old_reminders(sessions, NOW, months=13)


async def test_the_planner_tick_keeps_the_configured_months(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _outbox(sessions)
    await plan_tick(sessions, FakeClock(NOW), outbox_months=1)
    assert await _kept(sessions) == ["new-sent", "old-pending", "old-sending"]


def test_the_retention_is_a_number_of_months_of_at_least_one() -> None:
    assert load_settings({}).outbox_retention_months == 13
    assert load_settings({"OUTBOX_RETENTION_MONTHS": "24"}).outbox_retention_months == 24
    for wrong in ("0", "một năm"):
        with pytest.raises(UserError, match="OUTBOX_RETENTION_MONTHS"):
            load_settings({"OUTBOX_RETENTION_MONTHS": wrong})
