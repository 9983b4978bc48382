"""``/``: the overview, as the signed-in officer's role sees it.

Admins and leaders see every plan in force within their reach (``reach.py``); a unit
head sees the same page limited to their unit; an officer sees their own tasks, open
ones first, each a link to the task's page where they record progress. Every figure
is the report's as of today (``data/report_states.build_report``; a whole plan's read
from the counts the writes keep, ``data/report_figures.report_head``), so the page and
the Word report never disagree about a task's state; the overdue list and "who has
not reported" are the chat's /quahan and /chuabaocao.
"""

from __future__ import annotations

import asyncio
import base64
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta

from aiohttp import web

from bot.reports.content import percent
from bot.reports.formats import unit_chart
from bot.web.reach import Reach, plans_in_reach, reach_of, report_for
from bot.web.visit import Visit, page
from data.models import Plan, Unit
from data.report_figures import report_head
from data.report_model import (
    DONE_STATES,
    STOPPED,
    AuditRow,
    Period,
    PlanReport,
    ReportRow,
    shown_states,
)
from data.reporting import NotReported, not_reported
from data.work_items import Overdue, overdue

RECENT = 10
RECENT_DAYS = 30
"""Recent updates shown per plan: enough to see that people answer, short on a phone."""


@dataclass(frozen=True)
class PlanView:
    """One plan's block on the overview."""

    plan: Plan
    report: PlanReport
    chart: str | None
    """The by-unit chart as a ``data:`` URI (the CSP allows images from data: only)."""
    overdue: Overdue
    """The most overdue items and how many there are (a province has thousands)."""
    silent: NotReported
    recent: list[AuditRow]

    @property
    def states(self) -> tuple[str, ...]:
        """The chips and the by-unit columns: with a stopped task, its chip too."""
        return shown_states(self.report.figures[STOPPED])


CHARTS_KEPT = 32
_charts: OrderedDict[str, str] = OrderedDict()
"""Drawn charts by what they show: drawing one takes most of a second of CPU, and every
leader's visit to the overview would redraw the same picture until a state changes."""


def png_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


async def chart_uri(report: PlanReport) -> str:
    """The by-unit chart of ``report`` (drawn from its date and units' figures only)."""
    key = f"{report.as_of}|{report.by_unit!r}"
    if key not in _charts:  # drawn off the event loop: the webhooks share it
        _charts[key] = png_uri(await asyncio.to_thread(unit_chart, report))
        while len(_charts) > CHARTS_KEPT:
            _charts.popitem(last=False)
    _charts.move_to_end(key)
    return _charts[key]


def recent_days(today: date) -> Period:
    """The stretch "recent updates" are taken from: the last weeks, whatever the plan's
    year (a 2022 plan updated in January 2023 still shows its update)."""
    return Period(today - timedelta(days=RECENT_DAYS), today, "")


async def _plan_view(visit: Visit, reach: Reach, plan: Plan) -> PlanView:
    period = recent_days(visit.today)
    if reach.full:  # the whole plan's figures are counted as the writes go
        report = await report_head(visit.session, plan, visit.today, period, RECENT)
    else:  # a unit's report reads the unit's tasks only
        report = await report_for(visit.session, reach, plan, visit.today, period=period)
    chart = await chart_uri(report) if report.by_unit else None
    late = await overdue(visit.session, visit.today, reach.unit_id, plan.id)
    silent = await not_reported(visit.session, plan.id, visit.today, reach.unit_id)
    recent = list(reversed(report.audit[-RECENT:]))
    return PlanView(plan, report, chart, late, silent, recent)


def _open_first(row: ReportRow) -> tuple[bool, bool, str]:
    closed = row.state in DONE_STATES or row.state == STOPPED
    return (closed, row.due_on is None, row.due_on.isoformat() if row.due_on else row.code)


@page()
async def overview(visit: Visit) -> web.StreamResponse:
    """``GET /``."""
    officer = visit.officer
    assert officer is not None  # page() signs in
    reach = await reach_of(visit.session, officer)
    plans = await plans_in_reach(visit.session, reach)
    if officer.role == "officer" or (not reach.full and reach.unit_id is None):
        reports = [await report_for(visit.session, reach, p, visit.today) for p in plans]
        rows = [row for report in reports for s in report.sections for row in s.rows]
        rows.sort(key=_open_first)
        return visit.render("dashboard_own.html", rows=rows, today=visit.today)
    views = [await _plan_view(visit, reach, plan) for plan in plans]
    unit = await visit.session.get(Unit, reach.unit_id) if reach.unit_id else None
    return visit.render(
        "dashboard.html",
        views=views,
        unit=unit,
        today=visit.today,
        percent=percent,
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", overview)
