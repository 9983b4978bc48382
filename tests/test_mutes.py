"""Muting a task silences its reminders for one officer or a unit, and only those."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.errors import UserError
from data.models import Assignment, Reminder, Task, Unit
from data.mutes import mute, unmute
from scheduler.clock import TZ
from scheduler.planner import plan_reminders
from tests.planning_helpers import seed_with_officers

Sessions = async_sessionmaker[AsyncSession]
NOW = datetime(2022, 3, 1, 7, 0, tzinfo=TZ)


async def _pending(sessions: Sessions, code: str, unit: str) -> int:
    async with sessions() as s:
        return int(
            await s.scalar(
                select(func.count())
                .select_from(Reminder)
                .join(Assignment, Assignment.id == Reminder.assignment_id)
                .join(Task, Task.id == Assignment.task_id)
                .join(Unit, Unit.id == Assignment.unit_id)
                .where(Task.code == code, Unit.name == unit, Reminder.state == "pending")
            )
            or 0
        )


async def _change(sessions: Sessions, action, **who: str | None) -> bool:  # type: ignore[no-untyped-def]
    async with sessions() as s:
        changed = await action(s, "bdt22-i.1", **who)
        await plan_reminders(s, NOW)
        await s.commit()
    return bool(changed)


async def test_it_silences_one_unit_and_brings_it_back(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    async with sessions() as s:
        await plan_reminders(s, NOW)
        await s.commit()
    district = "Cơ quan công tác dân tộc cấp huyện"
    assert await _pending(sessions, "BDT22-I.1", district) > 0
    assert await _change(sessions, mute, officer=None, unit=district)
    assert not await _change(sessions, mute, officer=None, unit=district)
    assert await _pending(sessions, "BDT22-I.1", district) == 0
    assert await _pending(sessions, "BDT22-I.1", "Ban Dân tộc") > 0
    assert await _change(sessions, unmute, officer=None, unit=district)
    assert await _pending(sessions, "BDT22-I.1", district) > 0


async def test_it_asks_for_exactly_one_of_officer_or_unit(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    async with sessions() as s:
        with pytest.raises(UserError, match="Chọn một"):
            await mute(s, "BDT22-I.1", officer=None, unit=None)
        with pytest.raises(UserError, match="Không tìm thấy việc"):
            await mute(s, "BDT22-X.9", officer="Lê Văn Hùng", unit=None)
