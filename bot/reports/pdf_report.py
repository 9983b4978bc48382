"""The report as PDF: the HTML page of ``html_report.py`` printed by WeasyPrint.

WeasyPrint (not a Word-to-PDF converter) because it repeats a table's header row on
every page and keeps rows whole, from CSS alone, and needs no office suite on the
server. The page has no external resource, so nothing is fetched while printing.
"""

from __future__ import annotations

from collections.abc import Sequence

from weasyprint import HTML

from bot.reports.header import ReportHeader
from bot.reports.html_report import report_html
from data.report_model import PlanReport


def report_pdf(report: PlanReport, header: ReportHeader, charts: Sequence[bytes] = ()) -> bytes:
    """The PDF file's bytes: A4 portrait letter, then the task table on landscape pages."""
    pdf: bytes = HTML(string=report_html(report, header, charts)).write_pdf()
    return pdf
