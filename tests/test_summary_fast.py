"""/tonghop, /quahan and "who has not reported" counted by the database give exactly what
fetching every work item gave (``bench/summary_before.py``), on random progress."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench import summary_before
from data.models import Plan, Progress, Unit
from data.reporting import not_reported
from data.work_items import overdue, plan_summary, work_items
from tests.examples import through_storage
from tests.planning_helpers import seed_once_with_monthly

Sessions = async_sessionmaker[AsyncSession]
YEAR_START = date(2022, 1, 1)
STATES = ("not_started", "in_progress", "blocked", "extension_requested", "done", "cancelled")
SAME = through_storage(25)
CHANGE = st.tuples(
    st.integers(min_value=0, max_value=10_000),  # which work item
    st.sampled_from(STATES),
    st.booleans(),  # said late
    st.none() | st.integers(min_value=-60, max_value=60),  # extension, days from the due
)
"""One work item's progress: state, late, an approved extension."""


async def _progress(
    sessions: Sessions, today: date, changes: list[tuple[int, str, bool, int | None]]
) -> None:
    """Replace every progress row by ``changes`` on the work items around ``today``."""
    async with sessions.begin() as s:
        await s.execute(delete(Progress))
        items = await work_items(s, today=today)
        chosen = {}
        for index, state, late, extension in changes:
            item = items[index % len(items)]
            chosen[(item.assignment_id, item.due_id, item.instance)] = (
                item,
                state,
                late,
                extension,
            )
        for (assignment_id, due_id, instance), (item, state, late, extension) in chosen.items():
            moved = None
            if extension is not None and item.due_on is not None:
                moved = item.due_on + timedelta(days=extension)
            done = state == "done"
            s.add(
                Progress(
                    assignment_id=assignment_id,
                    due_id=due_id,
                    instance=instance,
                    state=state,
                    late=done and late,
                    done_at=datetime(2022, 3, 1, tzinfo=UTC) if done else None,
                    extended_to=moved,
                )
            )


@SAME
@given(
    day=st.integers(min_value=0, max_value=400),
    changes=st.lists(CHANGE, max_size=30),
    shown=st.integers(min_value=0, max_value=6),
    by_plan=st.booleans(),
    unit_index=st.none() | st.integers(min_value=0, max_value=10),
)
async def test_the_counted_summaries_equal_the_item_by_item_ones(
    sessions: Sessions,
    tmp_path: Path,
    day: int,
    changes: list[tuple[int, str, bool, int | None]],
    shown: int,
    by_plan: bool,
    unit_index: int | None,
) -> None:
    today = YEAR_START + timedelta(days=day)
    await seed_once_with_monthly(sessions, tmp_path)
    await _progress(sessions, today, changes)
    async with sessions() as s:
        plans = list(await s.scalars(select(Plan.id).order_by(Plan.id)))
        units = list(await s.scalars(select(Unit.id).order_by(Unit.id)))
        unit_id = None if unit_index is None else units[unit_index % len(units)]
        scope = plans[0] if by_plan else None
        before = await summary_before.plan_summary(s, scope, unit_id, today)
        after = await plan_summary(s, scope, unit_id, today, shown)
        assert after == replace(before, overdue=before.overdue[:shown])
        assert after.overdue_total == before.overdue_total == len(before.overdue)
        everything = await summary_before.overdue(s, today, unit_id, scope)
        assert await overdue(s, today, unit_id, scope, limit=None) == everything
        top = await overdue(s, today, unit_id, scope, limit=shown)
        assert top == replace(everything, top=everything.top[:shown])
        for plan_id in plans:
            expected = await summary_before.not_reported(s, plan_id, today, unit_id)
            assert await not_reported(s, plan_id, today, unit_id) == expected
