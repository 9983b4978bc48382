"""``/bao-cao``: download a plan's report (Word, Excel, PDF) or its charts, as of a date.

The files are the command line's and the chat's (``bot/reports/formats.py``,
``data/report_states.report_as_asked``), so a report downloaded here is the one
``nhacviec report`` writes. The form is a plain GET to ``/bao-cao/tai-ve``: a
download changes nothing, and a chosen report is a link to bookmark.

Who may ask: admins and leaders (the plans they lead, any unit), unit heads (their
own unit's report only, whatever the URL says). Officers report; they do not
download reports.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from aiohttp import web
from multidict import MultiMapping
from sqlalchemy import select

from bot.chat.texts import REPORT_DOWNLOAD_PATH
from bot.reports.content import file_stem
from bot.reports.formats import (
    FORMATS,
    file_name,
    progress_chart,
    render,
    report_format,
    unit_chart,
)
from bot.reports.header import header_for
from bot.web.reach import Reach, plans_in_reach, reach_of, visible_plan
from bot.web.visit import Visit, page
from data.errors import UserError
from data.models import Officer, Unit
from data.report_model import PlanReport
from data.report_states import PERIOD_SPECS, report_as_asked

ROLES = ("admin", "leader", "unit_head")


@dataclass(frozen=True)
class Chart:
    """A chart offered alone, as the PNG the documents embed."""

    draw: Callable[[PlanReport], bytes]
    suffix: str


CHARTS = {
    "bieu-do-don-vi": Chart(unit_chart, "don-vi"),
    "bieu-do-tien-do": Chart(progress_chart, "tien-do"),
}
"""The chart choices, named as the form sends them."""
CHOICES = (*FORMATS, *CHARTS)


@dataclass(frozen=True)
class Asked:
    """The report the form asks for, read from its query string."""

    plan: str
    unit_id: int | None
    as_of: date | None
    period: str | None
    kind: str


def read_asked(query: MultiMapping[str]) -> Asked:
    """The form's fields; a value the form never sends is one line of refusal."""
    plan, unit, day, period, kind = (
        query.get(name, "").strip() for name in ("ke-hoach", "don-vi", "ngay", "ky", "loai")
    )
    if not plan:
        raise UserError("Chọn một kế hoạch.")
    if unit and not unit.isdigit():
        raise UserError("Đơn vị không hợp lệ; chọn trong danh sách.")
    try:
        as_of = date.fromisoformat(day) if day else None
    except ValueError:
        raise UserError(
            f"Ngày «{day}» không đúng dạng năm-tháng-ngày (ví dụ 2022-06-30)."
        ) from None
    if period and period not in PERIOD_SPECS:
        raise UserError(f"Kỳ báo cáo «{period}» không có; chọn trong danh sách.")
    kind = kind or "docx"
    if kind not in CHARTS:
        kind = report_format(kind)
    return Asked(plan, int(unit) if unit else None, as_of, period or None, kind)


def unit_in_reach(reach: Reach, officer: Officer, asked: int | None) -> int | None:
    """The unit the report is for: any (or none) for admins and leaders; a unit head's own.

    A unit head who asks for another unit is refused rather than quietly given their own:
    a file named for one unit must not hold another's figures.
    """
    if reach.full:
        return asked
    if reach.unit_id is None:
        raise UserError(f"«{officer.name}» chưa thuộc đơn vị nào nên chưa có báo cáo để tải.")
    if asked is not None and asked != reach.unit_id:
        raise UserError("Bạn chỉ tải được báo cáo của đơn vị mình.")
    return reach.unit_id


async def _units(visit: Visit, reach: Reach) -> list[Unit]:
    """The units the form offers: every unit, or only the unit head's own."""
    query = select(Unit).order_by(Unit.name)
    if not reach.full:
        query = query.where(Unit.id == reach.unit_id)
    return list((await visit.session.scalars(query)).all())


@page(*ROLES)
async def report_form(visit: Visit) -> web.StreamResponse:
    """``GET /bao-cao``: the choices."""
    assert visit.officer is not None
    reach = await reach_of(visit.session, visit.officer)
    unit_in_reach(reach, visit.officer, None)  # a unit head without a unit learns why here
    return visit.render(
        "reports_form.html",
        plans=await plans_in_reach(visit.session, reach),
        units=await _units(visit, reach),
        any_unit=reach.full,
        periods=PERIOD_SPECS,
        kinds=CHOICES,
        today=visit.today,
    )


@page(*ROLES)
async def download(visit: Visit) -> web.StreamResponse:
    """``GET /bao-cao/tai-ve``: the file, built as of the date asked (today by default)."""
    assert visit.officer is not None
    asked = read_asked(visit.request.query)
    reach = await reach_of(visit.session, visit.officer)
    plan = await visible_plan(visit.session, reach, asked.plan)
    if plan is None:
        raise UserError(f"Không tìm thấy kế hoạch «{asked.plan}».")
    unit_id = unit_in_reach(reach, visit.officer, asked.unit_id)
    if unit_id is not None and await visit.session.get(Unit, unit_id) is None:
        raise UserError("Đơn vị không có trong danh sách.")
    report = await report_as_asked(
        visit.session,
        plan,
        visit.today,
        unit_id=unit_id,
        as_of=asked.as_of,
        period=asked.period,
    )
    # drawn and written off the event loop: the webhooks and other pages share it
    if asked.kind in CHARTS:
        chart = CHARTS[asked.kind]
        body = await asyncio.to_thread(chart.draw, report)
        name, media_type = f"{file_stem(report)}-{chart.suffix}.png", "image/png"
    else:
        body = await asyncio.to_thread(render, report, header_for(report), asked.kind)
        name, media_type = file_name(report, asked.kind), FORMATS[asked.kind].media_type
    return web.Response(
        body=body,
        content_type=media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/bao-cao", report_form)
    app.router.add_get(REPORT_DOWNLOAD_PATH, download)
