"""The report as an Excel workbook: the file an office filters, sorts and re-counts.

Three sheets: the task table ("Nhiệm vụ", the same cells as the Word and PDF
table plus the columns a spreadsheet is used for: code, state, due and completion
as real dates, products), the figures by unit ("Theo đơn vị") and the audit of the
period ("Nhật ký"). Dates are date cells, not text, so "sort by due" and
"filter done after 30/6" work; every sheet's header is frozen and filtered.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, NamedStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.chat.texts import STATE_LABELS as TASK_STATE_LABELS
from bot.reports.content import COLUMN_WIDTHS, COLUMNS, row_cells, subject
from data.report_model import STATE_LABELS, STATES, PlanReport, StateCounts
from data.vn_dates import VN_TZ, vn_date

TASK_SHEET = "Nhiệm vụ"
UNIT_SHEET = "Theo đơn vị"
AUDIT_SHEET = "Nhật ký"

EXTRA_COLUMNS = ("Mã", "Trạng thái", "Hạn hiện hành", "Ngày hoàn thành", "Sản phẩm")
EXTRA_WIDTHS = (14, 24, 14, 14, 10)
CHARS_PER_CM = 5.5
"""``COLUMN_WIDTHS`` are centimetres on the printed page; Excel counts characters."""

UNIT_COLUMNS = ("Đơn vị", *(STATE_LABELS[s] for s in STATES), "Tổng số", "Đã hoàn thành")
RATE_COLUMN = "Tỷ lệ hoàn thành"
TOTAL_ROW = "Tổng cộng"

AUDIT_COLUMNS = (
    "Thời gian",
    "Mã nhiệm vụ",
    "Đơn vị",
    "Cán bộ",
    "Kênh",
    "Loại cập nhật",
    "Trạng thái trước",
    "Trạng thái sau",
    "%",
    "Ghi chú",
)
AUDIT_WIDTHS = (17, 14, 28, 22, 10, 16, 18, 18, 6, 40)
KIND_LABELS = {
    "status": "Cập nhật trạng thái",
    "note": "Ghi chú",
    "promise": "Hẹn ngày",
    "acknowledged": "Đã xem",
    "snooze": "Nhắc lại sau",
    "product": "Gửi sản phẩm",
}
"""The audit's kinds (``data.models.STATUS_UPDATE_KINDS``) as a reader says them."""

FONT = "Times New Roman"
TITLE_ROW, HEADER_ROW = 1, 2


TITLE, HEADER, BODY, BOLD = "Tiêu đề", "Tiêu đề cột", "Nội dung", "Nội dung đậm"
DAY, MOMENT, RATE, BOLD_RATE = "Ngày", "Thời điểm", "Tỷ lệ", "Tỷ lệ đậm"


def _styles() -> tuple[NamedStyle, ...]:
    """The workbook's named cell styles: a cell then carries one style, not a font, an
    alignment and a format of its own (those cost seconds on a 2,000-task plan). New
    ones for each workbook, since a workbook binds the styles it registers."""
    formats = {DAY: "dd/mm/yyyy", MOMENT: "dd/mm/yyyy hh:mm", RATE: "0.0%", BOLD_RATE: "0.0%"}
    top = Alignment(wrap_text=True, vertical="top")
    return (
        NamedStyle(TITLE, font=Font(name=FONT, size=14, bold=True), alignment=top),
        NamedStyle(
            HEADER,
            font=Font(name=FONT, size=12, bold=True),
            alignment=Alignment(wrap_text=True, vertical="center", horizontal="center"),
        ),
        *(
            NamedStyle(
                name,
                font=Font(name=FONT, size=12, bold=name in (BOLD, BOLD_RATE)),
                alignment=top,
                number_format=formats.get(name, "General"),
            )
            for name in (BODY, BOLD, DAY, MOMENT, RATE, BOLD_RATE)
        ),
    )


Cell = str | int | float | date | datetime | None


def report_xlsx(report: PlanReport) -> bytes:
    """The workbook's bytes: tasks, figures by unit, audit of the period."""
    book = Workbook()
    for style in _styles():
        book.add_named_style(style)
    tasks = book.active
    assert tasks is not None  # a new workbook always has its first sheet
    tasks.title = TASK_SHEET
    _task_sheet(tasks, report)
    _unit_sheet(book.create_sheet(UNIT_SHEET), report)
    _audit_sheet(book.create_sheet(AUDIT_SHEET), report)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


class _Table:
    """A sheet written line by line under its title and header, which stay on screen.

    Lines are counted here: openpyxl's ``max_row`` scans every cell, which made a
    2,000-task workbook quadratic (2.2 s of CPU, 0.4 s with this and named styles).
    """

    def __init__(
        self, sheet: Worksheet, title: str, columns: Sequence[str], widths: Iterable[float]
    ) -> None:
        self.sheet, self.width, self.row = sheet, len(columns), HEADER_ROW
        sheet.cell(TITLE_ROW, 1, title).style = TITLE
        sheet.merge_cells(
            start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=self.width
        )
        for number, (name, width) in enumerate(zip(columns, widths, strict=True), start=1):
            sheet.cell(HEADER_ROW, number, name).style = HEADER
            sheet.column_dimensions[get_column_letter(number)].width = width
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"

    def add(self, values: Sequence[Cell], *, bold: bool = False) -> None:
        self.row += 1
        for number, value in enumerate(values, start=1):
            self.sheet.cell(self.row, number, value).style = _style_of(value, bold)

    def finish(self) -> None:
        """Filters on the header, over every line written."""
        last = get_column_letter(self.width)
        self.sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(self.row, HEADER_ROW + 1)}"


def _style_of(value: Cell, bold: bool) -> str:
    """Dates as dates, fractions as percents, the rest as wrapped text."""
    if isinstance(value, float):
        return BOLD_RATE if bold else RATE
    if bold:
        return BOLD
    if isinstance(value, datetime):
        return MOMENT
    return DAY if isinstance(value, date) else BODY


def _task_sheet(sheet: Worksheet, report: PlanReport) -> None:
    widths = (*(max(6.0, w * CHARS_PER_CM) for w in COLUMN_WIDTHS), *EXTRA_WIDTHS)
    table = _Table(sheet, subject(report), (*COLUMNS, *EXTRA_COLUMNS), widths)
    for section in report.sections:
        table.add((section.number, section.title), bold=True)
        for row in section.rows:
            table.add(
                (
                    *row_cells(row),
                    row.code,
                    STATE_LABELS[row.state],
                    row.due_on,
                    row.done_on,
                    row.products,
                )
            )
    table.finish()


def _unit_sheet(sheet: Worksheet, report: PlanReport) -> None:
    title = f"Số liệu theo đơn vị (tính đến ngày {vn_date(report.as_of)})"
    widths = (34, *(14 for _ in STATES), 10, 12, 12)
    table = _Table(sheet, title, (*UNIT_COLUMNS, RATE_COLUMN), widths)
    for unit in report.by_unit:
        table.add(_unit_cells(unit.unit, unit.counts))
    table.add(_unit_cells(TOTAL_ROW, report.figures), bold=True)
    table.finish()


def _unit_cells(name: str, counts: StateCounts) -> tuple[Cell, ...]:
    """A unit's line; the rate is a fraction shown as a percent, so it sorts and sums."""
    return (name, *(counts[s] for s in STATES), counts.total, counts.done, counts.rate / 100)


def _audit_sheet(sheet: Worksheet, report: PlanReport) -> None:
    period = report.period
    title = (
        f"Nhật ký cập nhật: {period.label} (từ {vn_date(period.start)} đến {vn_date(period.end)})"
    )
    table = _Table(sheet, title, AUDIT_COLUMNS, AUDIT_WIDTHS)
    for entry in report.audit:
        table.add(
            (
                entry.at.astimezone(VN_TZ).replace(tzinfo=None),  # Excel has no time zones
                entry.task_code,
                entry.unit,
                entry.officer,
                entry.channel,
                KIND_LABELS.get(entry.kind, entry.kind),
                _task_state(entry.state_before),
                _task_state(entry.state_after),
                entry.percent,
                entry.note,
            )
        )
    table.finish()


def _task_state(state: str | None) -> str:
    return TASK_STATE_LABELS.get(state, state) if state else ""
