"""The files leaders get in the chat: /tonghop's chart and /baocao's Word report.

Both come from ``data.report_states.build_report`` as of today, the report the
command line and the Word file are made of, so a chart never disagrees with the
document it illustrates. Drawing (matplotlib) and writing (python-docx) take a
fraction of a second each: they run in a worker thread, so the bot keeps answering
other chats meanwhile (the report itself is read in the turn's session, as usual).
"""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import texts
from bot.chat.messages import FileOut
from bot.reports.content import subject, summary
from bot.reports.formats import file_name, render, unit_chart
from bot.reports.header import header_for
from data.models import Plan
from data.report_states import build_report
from data.reporting import plans_in

REPORT_FORMAT = "docx"
"""What a leader signs: Word, which the office edits before printing (PDF and Excel
are a command away, ``nhacviec report``)."""


async def summary_chart(
    session: AsyncSession,
    plans: int | frozenset[int] | None,
    unit_id: int | None,
    today: date,
) -> FileOut | None:
    """The chart for a summary of ``plans``: only when they are one plan with tasks in scope.

    A leader following several plans would get one picture per plan above a text that
    already sums them up; the chart's bars are one plan's units, so it comes when the
    summary is of one plan (``/tonghop BDT22``, or a leader with one plan in reach).
    """
    ids = await plans_in(session, plans)
    if len(ids) != 1:
        return None
    plan = await session.get(Plan, ids[0])
    if plan is None:
        return None
    report = await build_report(session, plan, today, unit_id)
    if not report.figures.total:
        return None
    png = await asyncio.to_thread(unit_chart, report)
    return FileOut(f"bieu-do-{report.plan_code}-{today.isoformat()}.png", png, "photo")


async def report_file(
    session: AsyncSession,
    plan: Plan,
    unit_id: int | None,
    today: date,
    pages_url: str | None = None,
) -> tuple[str, FileOut]:
    """The Word report of ``plan`` as of ``today`` and the words sent with it."""
    report = await build_report(session, plan, today, unit_id)
    header = header_for(report)
    content = await asyncio.to_thread(render, report, header, REPORT_FORMAT)
    elsewhere = texts.report_elsewhere(
        report.plan_code, REPORT_FORMAT, report.unit, unit_id, pages_url
    )
    file = FileOut(file_name(report, REPORT_FORMAT), content, "document", elsewhere)
    return texts.report_caption(subject(report), summary(report)), file
