"""The plan page's table, paged and read from the counts, lists what the report lists.

After random changes through the product's writers (the overview comparison's steps,
unit merges included), every page of the counted table (``bot/web/plans.counted_table``),
for every state filter and due month (each month of the report's rows), the whole plan,
one unit chosen by a leader and the same unit as its head sees it, joined end to end,
must be the report's rows that the filters keep, in the report's order and with its
states; its figures the report's, and a unit head's month choices its rows' months.
Pages of 4 rows, so a plan of 16 tasks spans several.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Result, event, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState

from bot.web import plans
from bot.web.plans import Filters, counted_table, plan_units
from bot.web.reach import Reach
from data.models import Assignment, Plan, Task, Unit
from data.plan_table import due_months
from data.report_model import STATES
from data.report_states import build_report
from tests.examples import through_storage
from tests.planning_helpers import seed_once_with_monthly
from tests.test_overview_figures import OWN_STEP, apply_steps
from tests.test_summary_counts import PICK, STEP, TODAY, Sessions


async def _paged(
    s: AsyncSession, plan: Plan, day: date, filters: Filters, own: int | None
) -> list[tuple[str, str]]:
    """Every page's (code, state) rows, first to last; a page past the last (a link kept
    from a wider filter) is the last one."""
    found: list[tuple[str, str]] = []
    page = 1
    while True:
        table = await counted_table(s, day, plan, replace(filters, page=page), own)
        rows = [(r.code, r.state) for section in table.report.sections for r in section.rows]
        found += rows
        if table.pager.page == table.pager.pages:
            break
        page += 1
    if filters.month is not None:  # the count of a month's rows has a path of its own there
        past = await counted_table(s, day, plan, replace(filters, page=page + 1), own)
        assert past.pager.page == page
        assert [(r.code, r.state) for x in past.report.sections for r in x.rows] == rows
    return found


async def _same_rows(s: AsyncSession, unit_pick: int) -> None:
    for plan in (await s.scalars(select(Plan).where(Plan.archived_at.is_(None)))).all():
        units = await plan_units(s, plan.id)
        assigned = select(Unit.id, Unit.name).join(Assignment).join(Task)
        assert set(units) == set(await s.execute(assigned.where(Task.plan_id == plan.id)))
        chosen = (None, units[unit_pick % len(units)][0]) if units else (None,)
        for day in (TODAY, TODAY + timedelta(days=45)):
            for unit in chosen:
                report = await build_report(s, plan, day, unit)
                rows = [r for section in report.sections for r in section.rows]
                months = sorted({r.due_on.strftime("%Y-%m") for r in rows if r.due_on})
                # a leader's choice of the unit, and the unit head's own part
                for filters, own in ((Filters(unit), None), (Filters(), unit)):
                    whole = await counted_table(s, day, plan, filters, own)
                    assert whole.figures.counts == report.figures.counts
                    if own is not None:
                        assert whole.months == months
                    for state in (None, *STATES):
                        for month in (None, *months):
                            asked = replace(filters, state=state, month=month)
                            expected = [(r.code, r.state) for r in rows if asked.keeps(r)]
                            assert await _paged(s, plan, day, asked, own) == expected


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plans, "PAGE_SIZE", 4)


@through_storage(20)
@given(
    steps=st.lists(st.one_of(STEP, OWN_STEP), min_size=0, max_size=6),
    unit_pick=PICK,
)
async def test_the_paged_table_lists_the_reports_rows(
    sessions: Sessions,
    tmp_path: Path,
    small_pages: None,
    steps: list[tuple[Any, ...]],
    unit_pick: int,
) -> None:
    await seed_once_with_monthly(sessions, tmp_path)
    await apply_steps(sessions, steps)
    async with sessions() as s:
        await _same_rows(s, unit_pick)


async def test_a_filtered_page_reads_a_page_of_tasks_not_the_plans(
    sessions: Sessions, tmp_path: Path, small_pages: None
) -> None:
    """The table's tasks are counted and paged in SQL, filtered by state or by due month:
    no read returns a row per task of the plan (the state filter read every task's code
    and state before, the month filter built the whole plan's report)."""
    await seed_once_with_monthly(sessions, tmp_path)
    async with sessions() as s:
        plan = await s.scalar(select(Plan).where(Plan.code_prefix == "BDT22"))
        assert plan is not None
        tasks = await s.scalar(select(func.count(Task.id)).where(Task.plan_id == plan.id))
        assert tasks is not None and tasks > 3 * plans.PAGE_SIZE
        fetched: list[int] = []

        def counted(execution: ORMExecuteState) -> Result[Any]:
            rows = execution.invoke_statement().freeze()
            fetched.append(len(rows().all()))
            return rows()

        months = await due_months(s, plan.id)
        asked = [Filters(None, state, None, 2) for state in (None, *STATES)]
        asked += [Filters(None, None, month, 2) for month in months]
        event.listen(s.sync_session, "do_orm_execute", counted)
        for filters in asked:
            table = await plans.table_context(s, TODAY, Reach(None, True), plan, filters)
            assert len(table["sections"]) <= plans.PAGE_SIZE
        event.remove(s.sync_session, "do_orm_execute", counted)
        assert fetched and max(fetched) < tasks
