"""The leaders' weekly digest reads the database when it is sent."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.digest import digest_text, weekly_digest
from tests.planning_helpers import seed_with_officers


async def test_it_lists_overdue_and_this_weeks_work(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed_with_officers(sessions)
    monday = date(2022, 6, 27)
    async with sessions() as s:
        digest = await weekly_digest(s, monday)
    text = digest_text(digest, monday)
    assert {i.task_code for i in digest.overdue} == {"BDT22-I.1", "BDT22-V.1"}
    assert {i.task_code for i in digest.due_this_week} == {"BDT22-I.2", "BDT22-VI.1"}
    assert "Quá hạn: 4" in text
    assert "BDT22-I.1 · Ban Dân tộc — quá hạn 88 ngày" in text
    assert "Đến hạn tuần này: 3" in text
    assert "Hoàn thành 7 ngày qua: 0" in text
