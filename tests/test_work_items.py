"""Summaries from the seed plan: counts, on time / late, overdue, per unit, open items."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import Progress
from data.people import find_officer
from data.work_items import open_items, overdue, plan_summary, work_items
from tests.planning_helpers import seed_with_officers

TODAY = date(2022, 4, 5)


async def _progress(
    sessions: async_sessionmaker[AsyncSession], code: str, unit: str, **values: object
) -> None:
    async with sessions.begin() as s:
        [item] = [
            i
            for i in await work_items(s)
            if i.task_code == code and i.unit_name == unit and i.due_on is not None
        ][:1]
        s.add(Progress(assignment_id=item.assignment_id, due_id=item.due_id, **values))


async def test_summary_counts_states_lateness_overdue_and_units(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    plan_id = await seed_with_officers(sessions)
    done_at = datetime(2022, 3, 30, tzinfo=UTC)
    await _progress(sessions, "BDT22-I.1", "Ban Dân tộc", state="done", done_at=done_at)
    await _progress(
        sessions, "BDT22-V.1", "UBND các huyện, thị, thành phố", state="done", late=True
    )
    await _progress(sessions, "BDT22-I.2", "Ban Dân tộc", state="in_progress", percent=30)
    async with sessions() as s:
        summary = await plan_summary(s, plan_id, None, TODAY)
    assert (summary.tasks, summary.assignments) == (16, 24)
    # I.1 and V.1 have a second lead unit that has not finished: the tasks are in progress.
    assert {k: v for k, v in summary.by_state.items() if v} == {
        "not_started": 13,
        "in_progress": 3,
    }
    assert (summary.done_on_time, summary.done_late) == (0, 0)
    assert [(i.task_code, i.unit_name, i.days_overdue(TODAY)) for i in summary.overdue] == [
        ("BDT22-I.1", "Cơ quan công tác dân tộc cấp huyện", 5),
        ("BDT22-V.1", "Hội đồng Thi đua - Khen thưởng cơ sở", 5),
    ]
    units = {u.unit_name: (u.done, u.total, u.percent) for u in summary.units}
    assert units["Ban Dân tộc"] == (1, 7, 14)
    assert units["UBND các huyện, thị, thành phố"] == (1, 1, 100)


async def test_overdue_uses_the_approved_extension(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed_with_officers(sessions)
    await _progress(
        sessions, "BDT22-I.1", "Ban Dân tộc", state="in_progress", extended_to=date(2022, 6, 30)
    )
    async with sessions() as s:
        unit = (await find_officer(s, "Trần Thị Mai")).unit_id
        assert (await overdue(s, TODAY, unit)).top == ()
        assert (await overdue(s, TODAY)).total == 3


async def test_open_items_take_the_nearest_open_due_of_a_task(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed_with_officers(sessions)
    async with sessions() as s:
        phuong = await find_officer(s, "Lý Thị Phương")
        before = await open_items(s, phuong, TODAY)
    assert [(i.task_code, str(i.due_on)) for i in before] == [
        ("BDT22-VI.1", "2022-06-30"),
        ("BDT22-IV.1", "2022-12-31"),
        ("BDT22-VII.1", "2022-12-31"),
    ]
    await _progress(
        sessions, "BDT22-VI.1", "Thường trực Hội đồng Thi đua - Khen thưởng cơ sở", state="done"
    )
    async with sessions() as s:
        after = await open_items(s, phuong, TODAY)
    assert ("BDT22-VI.1", "2022-12-31") in [(i.task_code, str(i.due_on)) for i in after]
