"""``/ke-hoach``: the plans within reach; ``/ke-hoach/{code}``: one plan's sections and tasks.

A task's state is the report's (as of today, judged by the unit's own items when a
unit is chosen, or when the reader is a unit head or an officer), so the table reads
as the Word report would. Filters are a plain GET form, so a filtered list is a link
to share or bookmark; with htmx the form swaps only the table (``HX-Request``), and
the same URL without JavaScript renders the whole page.

The table shows one page of ``PAGE_SIZE`` tasks (``trang``), and the report is built for
those only: a leader's plan of 100,000 tasks took 21.8 s to replay and render whole. For a
plan in force, seen whole, by unit or by a unit head, the figures above the table, which
tasks the state and due-month filters keep and which are on the page are counted and
chosen in SQL (``data/plan_table``); an archived plan (it counts nothing) and an officer's
own tasks still read their report, then show one page of it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from multidict import MultiMapping
from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.reports.content import percent
from bot.web.reach import Reach, plans_in_reach, reach_of, report_for, visible_plan
from bot.web.visit import Visit, page
from data.errors import UserError
from data.models import Assignment, Plan, Progress, StatusUpdate, Task, Unit
from data.plan_table import Asked, counted_states, due_months, page_of, row_months
from data.report_figures import report_head
from data.report_model import STATES, Period, PlanReport, ReportRow, ReportSection, StateCounts
from data.report_states import build_report

TABLE_ID = "bang-viec"
"""The element the filter form's htmx request replaces."""
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
PAGE_SIZE = 50
"""Tasks in one page of the table: a screen or two for a secretary, 50 report rows to build."""


@dataclass(frozen=True)
class Filters:
    """What the plan page's form asks for (``None``: no filter)."""

    unit_id: int | None = None
    state: str | None = None
    month: str | None = None
    """``2022-03``: tasks whose due in force falls in that month."""

    page: int = 1

    def keeps(self, row: ReportRow) -> bool:
        if self.state is not None and row.state != self.state:
            return False
        return self.month is None or (
            row.due_on is not None and row.due_on.strftime("%Y-%m") == self.month
        )


def read_filters(query: MultiMapping[str]) -> Filters:
    """The filters of the page's query string; a value the form never sends is refused."""
    unit, state, month = (query.get(name, "").strip() for name in ("don-vi", "trang-thai", "han"))
    if unit and not unit.isdigit():
        raise UserError("Đơn vị cần lọc không hợp lệ.")
    if state and state not in STATES:
        raise UserError(f"Tình trạng «{state}» không có; chọn trong danh sách.")
    if month and not MONTH.match(month):
        raise UserError(f"Tháng «{month}» không đúng dạng năm-tháng (ví dụ 2022-03).")
    page = query.get("trang", "").strip() or "1"
    if not page.isdigit() or int(page) < 1:
        raise UserError("Số trang không hợp lệ.")
    return Filters(int(unit) if unit else None, state or None, month or None, int(page))


@dataclass(frozen=True)
class Pager:
    """Which page of the filtered tasks is shown ("Trang 2/40"), and the links to the others
    (the filters kept in each, so a page is a link to share, with or without JavaScript)."""

    filters: Filters
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def page(self) -> int:
        """The page asked for, the last one when past it (a filter that left fewer pages)."""
        return min(self.filters.page, self.pages)

    def shown(self, items: Sequence[Any]) -> Sequence[Any]:
        start = (self.page - 1) * PAGE_SIZE
        return items[start : start + PAGE_SIZE]

    def query(self, page: int) -> str:
        """The query string of ``page`` under the same filters."""
        f = self.filters
        asked = {"don-vi": f.unit_id, "trang-thai": f.state, "han": f.month}
        asked["trang"] = page if page > 1 else None  # the first page is the plain URL
        return urlencode({name: value for name, value in asked.items() if value is not None})


@page()
async def plan_list(visit: Visit) -> web.StreamResponse:
    """``GET /ke-hoach``: every plan within reach with its completion, archived ones last."""
    assert visit.officer is not None
    reach = await reach_of(visit.session, visit.officer)
    plans = await plans_in_reach(visit.session, reach, archived=True)
    plans.sort(key=lambda p: p.archived_at is not None)
    entries = [(plan, await _figures(visit, reach, plan)) for plan in plans]
    return visit.render("plans_list.html", entries=entries, percent=percent)


async def _figures(visit: Visit, reach: Reach, plan: Plan) -> StateCounts:
    """The plan's figures as of today: a plan in force seen whole is read from the counts
    (its report took seconds per plan at 100,000 assignments)."""
    if reach.full and plan.archived_at is None:
        today = visit.today
        head = await report_head(visit.session, plan, today, Period(today, today, ""))
        return head.figures
    return (await report_for(visit.session, reach, plan, visit.today)).figures


async def plan_units(session: AsyncSession, plan_id: int) -> list[tuple[int, str]]:
    """The units given work in the plan, by name (the unit filter's choices): each unit's
    assignments looked up until one is in the plan, along its index (reading the plan's
    assignments for their distinct units took 100 ms at 100,000)."""
    in_plan = exists().where(
        Assignment.unit_id == Unit.id, Task.id == Assignment.task_id, Task.plan_id == plan_id
    )
    query = select(Unit.id, Unit.name).where(in_plan).order_by(Unit.name)
    return [(unit_id, name) for unit_id, name in await session.execute(query)]


async def last_updates(
    session: AsyncSession,
    plan_id: int,
    reach: Reach,
    unit_id: int | None,
    codes: Collection[str],
) -> dict[str, datetime]:
    """Each of these tasks' latest recorded update (of the reach's or the chosen unit's part)."""
    latest = func.max(StatusUpdate.created_at, type_=StatusUpdate.created_at.type)
    query = (
        select(Task.code, latest)
        .join(Assignment, Assignment.task_id == Task.id)
        .join(Progress, Progress.assignment_id == Assignment.id)
        .join(StatusUpdate, StatusUpdate.progress_id == Progress.id)
        .where(Task.plan_id == plan_id, Task.code.in_(sorted(codes)))
        .group_by(Task.code)
    )
    own = reach.assignment_filter()
    if own is not None:
        query = query.where(own)
    if unit_id is not None:
        query = query.where(Assignment.unit_id == unit_id)
    return {code: at for code, at in await session.execute(query)}


def kept_sections(
    sections: tuple[ReportSection, ...], codes: Collection[str]
) -> list[ReportSection]:
    found = [
        ReportSection(s.number, s.title, tuple(r for r in s.rows if r.code in codes))
        for s in sections
    ]
    return [s for s in found if s.rows]


@dataclass(frozen=True)
class Table:
    """One page of the plan's table: the report holding its rows, the figures of every
    task in the table (not only the page's), its pager and the due-month filter's choices."""

    report: PlanReport
    shown: list[str]
    figures: StateCounts
    pager: Pager
    months: list[str]


async def counted_table(
    session: AsyncSession, today: date, plan: Plan, filters: Filters, own: int | None = None
) -> Table:
    """A plan in force, whole or one unit's part: figures from the counts, the page's tasks
    chosen in SQL, the report built for them only. ``own``: a unit head's unit, whose part
    is shown (``filters.unit_id`` is a leader's choice); the due-month choices are then the
    dues of its rows, else every due of the plan."""
    unit_id = filters.unit_id if own is None else own
    asked = Asked(plan, today, unit_id, filters.state, filters.month)
    counted = await counted_states(session, plan, today, unit_id)
    shown, kept = await page_of(session, asked, counted, (filters.page - 1) * PAGE_SIZE, PAGE_SIZE)
    pager = Pager(filters, kept)
    if pager.page != filters.page:  # past the last page (a filter that left fewer): the last
        shown, _ = await page_of(session, asked, counted, (pager.page - 1) * PAGE_SIZE, PAGE_SIZE)
    report = await build_report(session, plan, today, unit_id, None, Task.id.in_(shown))
    codes = [row.code for section in report.sections for row in section.rows]
    months = await (
        due_months(session, plan.id) if own is None else row_months(session, asked, counted)
    )
    return Table(report, codes, counted.figures, pager, months)


async def report_table(
    session: AsyncSession, today: date, reach: Reach, plan: Plan, filters: Filters
) -> Table:
    """The report of the reach's part (an archived plan, an officer's own tasks), one page
    shown."""
    report = await report_for(session, reach, plan, today, filters.unit_id)
    rows = [row for s in report.sections for row in s.rows]
    kept = [row.code for row in rows if filters.keeps(row)]
    pager = Pager(filters, len(kept))
    months = sorted({r.due_on.strftime("%Y-%m") for r in rows if r.due_on})
    return Table(report, list(pager.shown(kept)), report.figures, pager, months)


async def _table(
    session: AsyncSession, today: date, reach: Reach, plan: Plan, filters: Filters
) -> Table:
    """The counted table when the counts hold the plan's states: a plan in force, seen
    whole, by unit or by a unit head."""
    if plan.archived_at is not None or not (reach.full or reach.unit_id is not None):
        return await report_table(session, today, reach, plan, filters)
    return await counted_table(session, today, plan, filters, None if reach.full else reach.unit_id)


@page()
async def plan_page(visit: Visit) -> web.StreamResponse:
    """``GET /ke-hoach/{code}``: the plan's tasks by section, filtered."""
    assert visit.officer is not None
    reach = await reach_of(visit.session, visit.officer)
    plan = await visible_plan(visit.session, reach, visit.request.match_info["code"])
    if plan is None:
        return visit.message("not_found", 404)
    filters = read_filters(visit.request.query)
    units = await plan_units(visit.session, plan.id) if reach.full else []
    if not reach.full:  # their own unit's part only, whatever the URL says
        filters = replace(filters, unit_id=None)
    if filters.unit_id is not None and filters.unit_id not in {u for u, _ in units}:
        raise UserError("Đơn vị cần lọc không có việc trong kế hoạch này.")
    context = await table_context(visit.session, visit.today, reach, plan, filters)
    headers = visit.request.headers
    partial = headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in headers
    template = "plans_tasks.html" if partial else "plans_plan.html"
    response = visit.render(template, plan=plan, filters=filters, units=units, **context)
    response.headers["Vary"] = "HX-Request"  # one URL, two bodies: caches must tell them apart
    return response


async def table_context(
    session: AsyncSession, today: date, reach: Reach, plan: Plan, filters: Filters
) -> dict[str, Any]:
    """What the table's template shows of the plan for ``reach`` under ``filters``."""
    table = await _table(session, today, reach, plan, filters)
    return {
        "report": table.report,
        "figures": table.figures,
        "pager": table.pager,
        "sections": kept_sections(table.report.sections, set(table.shown)),
        "last": await last_updates(session, plan.id, reach, filters.unit_id, table.shown),
        "states": STATES,
        "months": table.months,
        "table_id": TABLE_ID,
        "percent": percent,
    }


def add_routes(app: web.Application) -> None:
    app.router.add_get("/ke-hoach", plan_list)
    app.router.add_get("/ke-hoach/{code}", plan_page)
