"""``/ke-hoach``: the plans within reach; ``/ke-hoach/{code}``: one plan's sections and tasks.

A task's state is the report's (as of today, judged by the unit's own items when a
unit is chosen, or when the reader is a unit head or an officer), so the table reads
as the Word report would. Filters are a plain GET form, so a filtered list is a link
to share or bookmark; with htmx the form swaps only the table (``HX-Request``), and
the same URL without JavaScript renders the whole page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from aiohttp import web
from multidict import MultiMapping
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.reports.content import percent
from bot.web.reach import Reach, plans_in_reach, reach_of, report_for, visible_plan
from bot.web.visit import Visit, page
from data.errors import UserError
from data.models import Assignment, Plan, Progress, StatusUpdate, Task, Unit
from data.report_figures import report_head
from data.report_model import STATES, Period, ReportRow, ReportSection, StateCounts

TABLE_ID = "bang-viec"
"""The element the filter form's htmx request replaces."""
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Filters:
    """What the plan page's form asks for (``None``: no filter)."""

    unit_id: int | None = None
    state: str | None = None
    month: str | None = None
    """``2022-03``: tasks whose due in force falls in that month."""

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
    return Filters(int(unit) if unit else None, state or None, month or None)


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
    """The units given work in the plan, by name (the unit filter's choices)."""
    query = (
        select(Unit.id, Unit.name)
        .distinct()
        .join(Assignment, Assignment.unit_id == Unit.id)
        .join(Task, Task.id == Assignment.task_id)
        .where(Task.plan_id == plan_id)
        .order_by(Unit.name)
    )
    return [(unit_id, name) for unit_id, name in await session.execute(query)]


async def last_updates(
    session: AsyncSession, plan_id: int, reach: Reach, unit_id: int | None
) -> dict[str, datetime]:
    """Each task's latest recorded update (of the reach's or the chosen unit's part)."""
    latest = func.max(StatusUpdate.created_at, type_=StatusUpdate.created_at.type)
    query = (
        select(Task.code, latest)
        .join(Assignment, Assignment.task_id == Task.id)
        .join(Progress, Progress.assignment_id == Assignment.id)
        .join(StatusUpdate, StatusUpdate.progress_id == Progress.id)
        .where(Task.plan_id == plan_id)
        .group_by(Task.code)
    )
    own = reach.assignment_filter()
    if own is not None:
        query = query.where(own)
    if unit_id is not None:
        query = query.where(Assignment.unit_id == unit_id)
    return {code: at for code, at in await session.execute(query)}


def _kept(sections: tuple[ReportSection, ...], filters: Filters) -> list[ReportSection]:
    found = [
        ReportSection(s.number, s.title, tuple(filter(filters.keeps, s.rows))) for s in sections
    ]
    return [s for s in found if s.rows]


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
    report = await report_for(visit.session, reach, plan, visit.today, filters.unit_id)
    rows = [row for s in report.sections for row in s.rows]
    context: dict[str, Any] = {
        "plan": plan,
        "report": report,
        "sections": _kept(report.sections, filters),
        "last": await last_updates(visit.session, plan.id, reach, filters.unit_id),
        "filters": filters,
        "units": units,
        "states": STATES,
        "months": sorted({r.due_on.strftime("%Y-%m") for r in rows if r.due_on}),
        "table_id": TABLE_ID,
        "percent": percent,
    }
    headers = visit.request.headers
    partial = headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in headers
    response = visit.render("plans_tasks.html" if partial else "plans_plan.html", **context)
    response.headers["Vary"] = "HX-Request"  # one URL, two bodies: caches must tell them apart
    return response


def add_routes(app: web.Application) -> None:
    app.router.add_get("/ke-hoach", plan_list)
    app.router.add_get("/ke-hoach/{code}", plan_page)
