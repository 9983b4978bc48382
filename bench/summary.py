"""The leaders' summaries on one plan of 100,000 assignments, before and after issue 16.

One plan, one lead unit per task out of 1,000, 40% of the work items with a
progress row (done on time and late, in progress, blocked), asked on 15 April
2026 so the January–March dues are overdue. Both backends, each call timed
``samples`` times in a fresh session (median), today's code beside the code
before issue 16 (``bench/summary_before.py``) in the same run:

- ``/tonghop``: ``plan_summary`` then ``summary_text``;
- ``/quahan``: ``overdue`` (today: the count per unit and the top 20);
- ``/chuabaocao``: ``not_reported``;
- the overview of one plan, as ``bot/web/dashboard._plan_view`` reads it (the chart is
  drawn once per change and cached, so it is left out): a leader's, today the figures
  from the counts (``report_head``), before the plan's ``build_report``; then
  ``overdue`` and ``not_reported``;
- a unit head's overview: the unit's report (today its own tasks read, before the whole
  plan's: ``build_report`` of the plan stands for it), ``overdue`` and ``not_reported``
  of the unit;
- a task's page, its report row: today the task's report, before the plan's;
- a leader's plan page ``/ke-hoach/CODE``, its table as htmx swaps it, unfiltered,
  filtered by a state and by a due month: today one page of 50 tasks, counted and chosen
  in SQL from the counts and the page's report built (``bot/web/plans.table_context``),
  before the plan's whole report built and every row kept rendered
  (``bench/summary_before.plan_page_context``).

Every progress row gets the audit row that wrote it (``_audit``), as the writers do,
so the report replays an audit of production's size and reads what the counts read.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bench import summary_before as before
from bench.data import Sizes, fresh_database, load_agency, load_progress
from bot.chat.texts import summary_text
from bot.web.dashboard import RECENT, recent_days
from bot.web.plans import Filters, table_context
from bot.web.reach import Reach
from bot.web.render import html
from data.db import sessionmaker
from data.models import Plan, Progress, StatusUpdate, Task
from data.report_figures import report_head
from data.report_model import IN_PROGRESS_LATE
from data.report_states import build_report
from data.reporting import not_reported
from data.summary_counts import rebuild, recount
from data.work_items import overdue, plan_summary

TODAY = date(2026, 4, 15)
UNIT = 1
MONTH = "2026-06"
"""The plan page's due-month filter: a quarter of the tasks are due in June."""
"""The unit head's unit (of 1,000: about a hundred tasks)."""
AUDIT_CHUNK = 5_000
PROGRESS_SHARE = 0.4
Call = Callable[[AsyncSession], Awaitable[object]]


@dataclass(frozen=True)
class SummarySizes:
    assignments: int
    samples: int

    @classmethod
    def full(cls) -> SummarySizes:
        return cls(100_000, 3)

    @classmethod
    def quick(cls) -> SummarySizes:
        return cls(10_000, 3)


def _calls(today: date) -> dict[str, tuple[Call, Call]]:
    """(today's, before issue 16) per measured call."""

    async def tonghop(session: AsyncSession) -> object:
        return summary_text(await plan_summary(session, 1, None, today), today)

    async def tonghop_before(session: AsyncSession) -> object:
        return summary_text(await before.plan_summary(session, 1, None, today), today)

    async def overview(session: AsyncSession) -> object:
        plan = await _plan(session)
        head = await report_head(session, plan, today, recent_days(today), RECENT)
        return head, await overdue(session, today, None, 1), await not_reported(session, 1, today)

    async def overview_before(session: AsyncSession) -> object:
        plan = await _plan(session)
        report = await build_report(session, plan, today, period=recent_days(today))
        late = await before.overdue(session, today, None, 1)
        return report, late, await before.not_reported(session, 1, today)

    async def unit_head(session: AsyncSession) -> object:
        plan = await _plan(session)
        report = await build_report(session, plan, today, UNIT, recent_days(today))
        late = await overdue(session, today, UNIT, 1)
        return report, late, await not_reported(session, 1, today, UNIT)

    async def unit_head_before(session: AsyncSession) -> object:
        plan = await _plan(session)
        report = await build_report(session, plan, today, period=recent_days(today))
        late = await before.overdue(session, today, UNIT, 1)
        return report, late, await before.not_reported(session, 1, today, UNIT)

    async def task_page(session: AsyncSession) -> object:
        return await build_report(session, await _plan(session), today, tasks_of=Task.id == 1)

    async def task_page_before(session: AsyncSession) -> object:
        return await build_report(session, await _plan(session), today)

    def plan_page(filters: Filters) -> tuple[Call, Call]:
        async def paged(session: AsyncSession) -> object:
            plan = await _plan(session)
            context = await table_context(session, today, Reach(None, True), plan, filters)
            return html("plans_tasks.html", "vi", plan=plan, filters=filters, **context)

        async def whole(session: AsyncSession) -> object:
            plan = await _plan(session)
            context = await before.plan_page_context(session, today, plan, filters)
            return html("plans_tasks.html", "vi", plan=plan, filters=filters, **context)

        return paged, whole

    return {
        "/tonghop": (tonghop, tonghop_before),
        "/quahan": (
            lambda session: overdue(session, today, None, 1),
            lambda session: before.overdue(session, today, None, 1),
        ),
        "/chuabaocao": (
            lambda session: not_reported(session, 1, today),
            lambda session: before.not_reported(session, 1, today),
        ),
        "overview (one plan)": (overview, overview_before),
        "overview of a unit head": (unit_head, unit_head_before),
        "task page (its report row)": (task_page, task_page_before),
        "plan page, a leader's first page": plan_page(Filters()),
        "plan page, filtered by a state": plan_page(Filters(state=IN_PROGRESS_LATE)),
        "plan page, filtered by a due month": plan_page(Filters(month=MONTH)),
    }


async def _plan(session: AsyncSession) -> Plan:
    plan = await session.get(Plan, 1)
    assert plan is not None
    return plan


async def _audit(engine: AsyncEngine) -> None:
    """The audit row of every progress row (bulk-loaded without one): what the report
    replays, so its states are the counts' as the writers keep them."""
    async with engine.begin() as conn:
        progress = (
            await conn.execute(
                select(Progress.id, Progress.state, Progress.percent, Progress.updated_at)
            )
        ).all()
        rows: list[dict[str, Any]] = [
            {
                "progress_id": progress_id,
                "channel": "telegram",
                "raw_text": "bench",
                "intent": {},
                "state_before": "not_started",
                "state_after": state,
                "percent": percent,
                "kind": "status",
                "created_at": at,
            }
            for progress_id, state, percent, at in progress
        ]
        for start in range(0, len(rows), AUDIT_CHUNK):
            await conn.execute(insert(StatusUpdate), rows[start : start + AUDIT_CHUNK])


async def _median(engine: AsyncEngine, call: Call, samples: int) -> float:
    sessions = sessionmaker(engine)
    times = []
    for _ in range(samples):
        async with sessions() as session:
            started = time.perf_counter()
            await call(session)
            times.append(time.perf_counter() - started)
    return statistics.median(times)


async def _time(engine: AsyncEngine, samples: int) -> dict[str, Any]:
    timed = {}
    for name, (today_s, before_s) in _calls(TODAY).items():
        timed[name] = {
            "today_s": await _median(engine, today_s, samples),
            "before_s": await _median(engine, before_s, samples),
        }
    async with sessionmaker(engine)() as session:
        found = await overdue(session, TODAY, None, 1)
        plan = await _plan(session)
        head = await report_head(session, plan, TODAY, recent_days(TODAY), RECENT)
        report = await build_report(session, plan, TODAY, period=recent_days(TODAY))
    same = head.figures.counts == report.figures.counts and [
        (u.unit, u.counts.counts) for u in head.by_unit
    ] == [(u.unit, u.counts.counts) for u in report.by_unit]
    return {
        "calls": timed,
        "overdue": found.total,
        "shown": len(found.top),
        "overview_figures": dict(head.figures.counts),
        "overview_equals_report": same,
    }


async def _keep_counts(engine: AsyncEngine) -> dict[str, float]:
    """The counts of the bulk-loaded rows (loaded past the ORM, so recounted whole), and
    what keeping them adds to a write: one task's share recounted, as a status update's
    transaction does before it commits."""
    async with sessionmaker(engine).begin() as session:
        started = time.perf_counter()
        await session.run_sync(rebuild)
        everything = time.perf_counter() - started
    times = []
    for task_id in (1, 2, 3, 4, 5):
        async with sessionmaker(engine).begin() as session:
            started = time.perf_counter()
            await session.run_sync(recount, [task_id])
            times.append(time.perf_counter() - started)
    return {"recount_all_s": everything, "recount_one_s": statistics.median(times)}


async def _one(url: str, sizes: SummarySizes) -> dict[str, Any]:
    engine = await fresh_database(url)
    try:
        shape = replace(Sizes.full(), plans=1, tasks_per_plan=sizes.assignments)
        await load_agency(engine, shape)
        await load_progress(engine, sizes.assignments, PROGRESS_SHARE)
        await _audit(engine)
        kept = await _keep_counts(engine)
        if url.startswith("postgresql"):
            async with engine.connect() as conn:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(text("VACUUM ANALYZE"))
        return {**await _time(engine, sizes.samples), **kept}
    finally:
        await engine.dispose()


async def measure(postgres_url: str, sizes: SummarySizes) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        sqlite = await _one(f"sqlite+aiosqlite:///{folder}/summary.db", sizes)
    return {
        "assignments": sizes.assignments,
        "units": Sizes.full().units,
        "progress_share": PROGRESS_SHARE,
        "today": TODAY.isoformat(),
        "samples": sizes.samples,
        "backends": {"SQLite": sqlite, "PostgreSQL": await _one(postgres_url, sizes)},
    }
