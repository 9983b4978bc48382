"""Many planned rows at once (PostgreSQL copies them) are written as the batched insert
writes a few: one row per key, repeats and existing keys skipped, nothing else touched."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import Officer, Reminder
from scheduler.outbox import NewReminder, plan_slots
from tests.planning_helpers import START

Sessions = async_sessionmaker[AsyncSession]


async def test_a_large_batch_keeps_one_row_per_key(sessions: Sessions) -> None:
    async with sessions() as s:
        officer = Officer(name="Nguyễn Văn A", role="officer")
        s.add(officer)
        await s.flush()
        rows = [
            NewReminder(officer.id, "before", f"before-{n}", START + timedelta(minutes=n))
            for n in range(3000)
        ]
        await plan_slots(s, rows[:10], START)
        await s.execute(update(Reminder).where(Reminder.slot == "before-3").values(state="sent"))
        await plan_slots(s, [*rows, rows[5]], START + timedelta(days=1))
        await s.commit()
    async with sessions() as s:
        assert await s.scalar(select(func.count(Reminder.id))) == 3000
        states = dict(
            (await s.execute(select(Reminder.state, func.count()).group_by(Reminder.state))).all()
        )
        assert states == {"pending": 2999, "sent": 1}
        last = await s.scalar(select(Reminder).where(Reminder.slot == "before-2999"))
        assert last is not None and last.key == rows[-1].key
        assert last.scheduled_at == rows[-1].at and last.urgent is False and last.attempts == 0
        assert last.created_at == START + timedelta(days=1)
