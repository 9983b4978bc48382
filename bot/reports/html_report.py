"""The report as one self-contained HTML page: printed to PDF by ``pdf_report.py``
and shown as is by the web page, so it carries its charts as ``data:`` images and
its style in the page, and has no script (a strict Content-Security-Policy allows it).

The words are ``content.py``'s and the parts come in the Word report's order: the
two-column header, BÁO CÁO and its subject, the summary, the figures, the charts,
Nơi nhận and the signature, then the task table on landscape pages.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from bot.reports import content
from bot.reports.header import COUNTRY, MOTTO, ReportHeader
from data.report_model import PlanReport


@dataclass(frozen=True)
class _Section:
    heading: str
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class _Chart:
    data: str
    caption: str


@cache
def _environment() -> Environment:
    """Autoescape on for every template: task contents come from plan files and chats."""
    return Environment(
        loader=PackageLoader("bot.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def report_html(report: PlanReport, header: ReportHeader, charts: Sequence[bytes] = ()) -> str:
    """The report's page, charts (PNG bytes) embedded in the order given."""
    total = sum(content.COLUMN_WIDTHS)
    return (
        _environment()
        .get_template("report.html")
        .render(
            header=header,
            country=COUNTRY,
            motto=MOTTO,
            number_line=header.number_line(content.symbol_hint(report)),
            place_date=header.place_date(content.date_words(report.as_of)),
            document_type=content.DOCUMENT_TYPE,
            subject=content.subject(report),
            summary=content.summary(report),
            figures=content.figure_lines(report.figures),
            charts=[
                _Chart(base64.b64encode(png).decode("ascii"), content.chart_caption(i))
                for i, png in enumerate(charts)
            ],
            recipients_heading=content.RECIPIENTS_HEADING,
            tasks_title=content.TASKS_TITLE,
            columns=content.COLUMNS,
            column_widths=[f"{100 * w / total:.2f}" for w in content.COLUMN_WIDTHS],
            sections=[
                _Section(
                    f"{section.number}. {section.title}" if section.number else section.title,
                    tuple(content.row_cells(row) for row in section.rows),
                )
                for section in report.sections
            ],
        )
    )
