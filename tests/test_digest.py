"""The leaders' weekly digest reads the database when it is sent."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.digest import digest_of, digest_text, may_show, weekly_digest
from data.models import Progress
from data.work_items import work_items
from scheduler.clock import TZ
from tests.examples import through_storage
from tests.planning_helpers import seed_once_with_monthly, seed_with_officers


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


STATES = ("not_started", "in_progress", "done", "cancelled")


@through_storage(10)
@given(
    days=st.integers(min_value=0, max_value=300),
    changes=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10_000),
            st.sampled_from(STATES),
            st.integers(min_value=-20, max_value=20),
            st.booleans(),
        ),
        max_size=12,
    ),
)
async def test_it_reads_only_what_it_may_show_and_shows_the_same(
    sessions: async_sessionmaker[AsyncSession],
    tmp_path: Path,
    days: int,
    changes: list[tuple[int, str, int, bool]],
) -> None:
    """The database's pick (``may_show``) loses nothing the digest lists: the same digest as
    from every work item, for random progress (done days around the week, extensions)."""
    await seed_once_with_monthly(sessions, tmp_path)
    today = date(2022, 1, 3) + timedelta(days=days)
    async with sessions() as s:
        items = await work_items(s, today=today)
        for pick, state, shift, extend in changes:
            item = items[pick % len(items)]
            at = datetime.combine(today + timedelta(days=shift), time(9), TZ)
            s.add(
                Progress(
                    assignment_id=item.assignment_id,
                    due_id=item.due_id,
                    instance=item.instance,
                    state=state,
                    done_at=at if state == "done" else None,
                    extended_to=today + timedelta(days=shift) if extend else None,
                    updated_at=at,
                )
            )
            try:
                await s.flush()
            except IntegrityError:  # the same item picked twice
                await s.rollback()
                return
        everything = digest_of(await work_items(s, today=today), today)
        assert await weekly_digest(s, today) == everything
        await s.rollback()


async def test_it_reads_the_weeks_items_not_every_item(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """A leader's digest is built as the dispatcher sends it: it must not hold every item."""
    await seed_with_officers(sessions)
    monday = date(2022, 3, 28)
    async with sessions() as s:
        shown = await work_items(s, today=monday, where=may_show(monday))
        every = await work_items(s, today=monday)
    assert 0 < len(shown) < len(every)
