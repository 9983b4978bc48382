"""A change's replan reads the mutes of its tasks and the officers of its units in one
statement (``planner._mutes_and_people``): the same answer as the two reads it replaced."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import Assignment, Task
from data.mutes import mute
from scheduler.planner import _mutes, _mutes_and_people, load_people
from tests.planning_helpers import MAI, seed_with_officers


async def test_the_one_read_answers_as_the_two(sessions: async_sessionmaker[AsyncSession]) -> None:
    await seed_with_officers(sessions)
    async with sessions() as s:
        await mute(s, "BDT22-I.1", officer=MAI, unit=None)
        await mute(s, "BDT22-I.2", officer=None, unit="Ban Dân tộc")
        await mute(s, "BDT22-V.1", officer=None, unit="UBND các huyện, thị, thành phố")
        rows = (await s.execute(select(Task.id, Assignment.unit_id).join(Assignment))).all()
        tasks = sorted({task for task, _ in rows})[:6]
        units = sorted({unit for _, unit in rows})[:2]
        mutes, people = await _mutes_and_people(s, tasks, units)
        assert sorted(mutes, key=str) == sorted(await _mutes(s, tasks), key=str)
        assert len(mutes) >= 2
        assert people == await load_people(s, units)
        assert people.leaders and any(people.heads.values())
        await s.rollback()
