"""The report's file formats in one place: the command line (``nhacviec report``) and
the chat (``/baocao``) ask here for the bytes, the file name and the media type.

The writers are imported when a file is asked for: Word and PDF pull in the charts
(matplotlib) and WeasyPrint, a second of start-up every other ``nhacviec`` command
and the bot would pay for nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.reports.content import file_stem
from bot.reports.header import ReportHeader
from data.errors import UserError
from data.report_model import PlanReport

Writer = Callable[[PlanReport, ReportHeader, Sequence[bytes]], bytes]


def _docx(report: PlanReport, header: ReportHeader, charts: Sequence[bytes]) -> bytes:
    from bot.reports.docx_report import report_docx

    return report_docx(report, header, charts)


def _pdf(report: PlanReport, header: ReportHeader, charts: Sequence[bytes]) -> bytes:
    from bot.reports.pdf_report import report_pdf

    return report_pdf(report, header, charts)


def _xlsx(report: PlanReport, header: ReportHeader, charts: Sequence[bytes]) -> bytes:
    """A workbook has no letterhead nor pictures: its figures are cells to filter."""
    from bot.reports.xlsx_report import report_xlsx

    return report_xlsx(report)


@dataclass(frozen=True)
class Format:
    """How one kind of file is written and announced."""

    write: Writer
    media_type: str
    charts: bool
    """Whether the charts are drawn into it (Word and PDF, not Excel)."""


FORMATS = {
    "docx": Format(
        _docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", True
    ),
    "xlsx": Format(
        _xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False
    ),
    "pdf": Format(_pdf, "application/pdf", True),
}
"""The format's name is its file extension, as people type it (``--format xlsx``)."""


def report_format(text: str) -> str:
    """The format named ``text`` (``DOCX``, ``.pdf`` work too), or a one-line refusal."""
    name = text.strip().lower().lstrip(".")
    if name not in FORMATS:
        raise UserError(f"Không có định dạng «{text}»; chọn một trong: {', '.join(FORMATS)}.")
    return name


def unit_chart(report: PlanReport) -> bytes:
    """Completion by unit as PNG; matplotlib is imported on the first chart, not when a page
    or the chat loads (it and numpy are ~80 MiB of a serving process's memory)."""
    from bot.reports.charts import unit_chart_png

    return unit_chart_png(report)


def progress_chart(report: PlanReport) -> bytes:
    """Progress over time as PNG, imported on use as ``unit_chart`` is."""
    from bot.reports.charts import progress_chart_png

    return progress_chart_png(report)


def charts_png(report: PlanReport) -> tuple[bytes, ...]:
    """The two charts, in the order the documents embed them."""
    return unit_chart(report), progress_chart(report)


def render(report: PlanReport, header: ReportHeader, fmt: str) -> bytes:
    """The report as a file of format ``fmt`` (a name from ``FORMATS``)."""
    chosen = FORMATS[report_format(fmt)]
    return chosen.write(report, header, charts_png(report) if chosen.charts else ())


def file_name(report: PlanReport, fmt: str) -> str:
    """``bao-cao-BDT22-2022-12-31.xlsx``: the name the file is saved or sent under."""
    return f"{file_stem(report)}.{report_format(fmt)}"
