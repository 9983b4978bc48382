"""The plan page's reads take their indexes on SQLite as it is run: without statistics.

SQLite gathers none by itself (no ``ANALYZE`` runs), so it picks a plan from the
statements' shape alone; the same plan on 16 tasks as on 100,000. Two shapes read the
whole plan on the bench's data: the due-month choices joined the plan's tasks to their
dues and sorted them for each month (70 ms a read), and a filtered page tested every
task of the plan against the filter's rows instead of reading those rows' tasks by id.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.web import plans
from bot.web.plans import Filters
from bot.web.reach import Reach
from data.db import create_engine, sessionmaker
from data.models import Plan
from data.plan_table import due_months
from data.report_model import IN_PROGRESS_LATE
from tests.planning_helpers import seed_once_with_monthly
from tests.test_summary_counts import TODAY

Sent = list[tuple[str, Any]]
PAGE = "ORDER BY sections.position, tasks.position, tasks.id\n LIMIT"
"""The read of a page's task ids (``plan_table.page_of``)."""


async def _plans_of(s: AsyncSession, sent: Sent, marker: str) -> list[str]:
    """EXPLAIN QUERY PLAN of each statement sent containing ``marker``, one string each."""
    conn = await s.connection()
    found = []
    for statement, params in list(sent):  # the EXPLAINs are recorded too
        if marker in statement and not statement.startswith("EXPLAIN"):
            rows = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
            found.append(" | ".join(str(row[-1]) for row in rows))
    assert found, f"no statement with {marker!r} was sent"
    return found


async def test_the_month_choices_and_a_filtered_page_use_their_indexes_on_sqlite(
    tmp_path: Path, sqlite_template: Path
) -> None:
    path = tmp_path / "plans.db"
    path.write_bytes(sqlite_template.read_bytes())
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    sessions = sessionmaker(engine)
    sent: Sent = []

    def record(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: Any) -> None:
        sent.append((statement, params))

    try:
        await seed_once_with_monthly(sessions, tmp_path)
        async with sessions() as s:
            plan = await s.scalar(select(Plan).where(Plan.code_prefix == "BDT22"))
            assert plan is not None
            event.listen(engine.sync_engine, "before_cursor_execute", record)
            months = await due_months(s, plan.id)
            assert months
            walk = await _plans_of(s, sent, "ORDER BY dues.due_on")
            walk += await _plans_of(s, sent, "ORDER BY progress.extended_to")
            assert all("TEMP B-TREE" not in found for found in walk), walk

            for filters in (Filters(state=IN_PROGRESS_LATE), Filters(month=months[0])):
                sent.clear()
                await plans.table_context(s, TODAY, Reach(None, True), plan, filters)
                [page] = await _plans_of(s, sent, PAGE)
                assert "ix_tasks_plan_id" not in page, page  # the filter's rows drive it
            event.remove(engine.sync_engine, "before_cursor_execute", record)
    finally:
        await engine.dispose()
