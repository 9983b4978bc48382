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
from openpyxl.styles import Alignment, Font
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

DATE_FORMAT = "dd/mm/yyyy"
MOMENT_FORMAT = "dd/mm/yyyy hh:mm"
RATE_FORMAT = "0.0%"
FONT = "Times New Roman"
BODY = Font(name=FONT, size=12)
BOLD = Font(name=FONT, size=12, bold=True)
TITLE = Font(name=FONT, size=14, bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
TITLE_ROW, HEADER_ROW = 1, 2

Cell = str | int | float | date | datetime | None


def report_xlsx(report: PlanReport) -> bytes:
    """The workbook's bytes: tasks, figures by unit, audit of the period."""
    book = Workbook()
    tasks = book.active
    assert tasks is not None  # a new workbook always has its first sheet
    tasks.title = TASK_SHEET
    _task_sheet(tasks, report)
    _unit_sheet(book.create_sheet(UNIT_SHEET), report)
    _audit_sheet(book.create_sheet(AUDIT_SHEET), report)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _task_sheet(sheet: Worksheet, report: PlanReport) -> None:
    widths = (*(max(6.0, w * CHARS_PER_CM) for w in COLUMN_WIDTHS), *EXTRA_WIDTHS)
    _start(sheet, subject(report), (*COLUMNS, *EXTRA_COLUMNS), widths)
    for section in report.sections:
        _append(sheet, (section.number, section.title), font=BOLD)
        for row in section.rows:
            _append(
                sheet,
                (
                    *row_cells(row),
                    row.code,
                    STATE_LABELS[row.state],
                    row.due_on,
                    row.done_on,
                    row.products,
                ),
            )
    _finish(sheet)


def _unit_sheet(sheet: Worksheet, report: PlanReport) -> None:
    title = f"Số liệu theo đơn vị (tính đến ngày {vn_date(report.as_of)})"
    widths = (34, *(14 for _ in STATES), 10, 12, 12)
    _start(sheet, title, (*UNIT_COLUMNS, RATE_COLUMN), widths)
    for unit in report.by_unit:
        _append(sheet, _unit_cells(unit.unit, unit.counts))
    _append(sheet, _unit_cells(TOTAL_ROW, report.figures), font=BOLD)
    _finish(sheet)


def _unit_cells(name: str, counts: StateCounts) -> tuple[Cell, ...]:
    """A unit's line; the rate is a fraction shown as a percent, so it sorts and sums."""
    return (name, *(counts[s] for s in STATES), counts.total, counts.done, counts.rate / 100)


def _audit_sheet(sheet: Worksheet, report: PlanReport) -> None:
    period = report.period
    title = (
        f"Nhật ký cập nhật: {period.label} (từ {vn_date(period.start)} đến {vn_date(period.end)})"
    )
    _start(sheet, title, AUDIT_COLUMNS, AUDIT_WIDTHS)
    for entry in report.audit:
        _append(
            sheet,
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
            ),
        )
    _finish(sheet)


def _task_state(state: str | None) -> str:
    return TASK_STATE_LABELS.get(state, state) if state else ""


def _start(sheet: Worksheet, title: str, columns: Sequence[str], widths: Iterable[float]) -> None:
    """The title line, the header, the column widths; the header stays on screen."""
    sheet.cell(TITLE_ROW, 1, title).font = TITLE
    sheet.merge_cells(
        start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=len(columns)
    )
    for number, (name, width) in enumerate(zip(columns, widths, strict=True), start=1):
        cell = sheet.cell(HEADER_ROW, number, name)
        cell.font, cell.alignment = BOLD, HEADER_ALIGN
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"  # a string: touching the cell would add a row


def _append(sheet: Worksheet, values: Sequence[Cell], *, font: Font = BODY) -> None:
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        cell.font, cell.alignment = font, WRAP
        if isinstance(cell.value, datetime):
            cell.number_format = MOMENT_FORMAT
        elif isinstance(cell.value, date):
            cell.number_format = DATE_FORMAT
        elif isinstance(cell.value, float):
            cell.number_format = RATE_FORMAT


def _finish(sheet: Worksheet) -> None:
    """Filters on the header, over every line written."""
    last = get_column_letter(sheet.max_column)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(sheet.max_row, HEADER_ROW + 1)}"
