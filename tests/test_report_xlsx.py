"""The Excel report read back with openpyxl: the hand-counted figures, real date cells,
a frozen and filtered header on every sheet, the audit in Vietnamese time."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.reports.content import COLUMNS, subject
from bot.reports.xlsx_report import AUDIT_SHEET, TASK_SHEET, TOTAL_ROW, UNIT_SHEET, report_xlsx
from data.report_model import STATE_LABELS, STATES
from tests.report_fixture import EXPECTED, PHONG_CS, ROWS, VAN_PHONG, sample_report


@pytest.fixture(scope="module")
def book() -> Workbook:
    return load_workbook(BytesIO(report_xlsx(sample_report())))


def _header(sheet: Worksheet) -> list[str]:
    return [c.value for c in sheet[2]]


def _rows(sheet: Worksheet) -> list[dict[str, object]]:
    """The lines under the header, by column name."""
    names = _header(sheet)
    return [dict(zip(names, r, strict=True)) for r in sheet.iter_rows(min_row=3, values_only=True)]


def test_it_writes_the_three_sheets_with_a_frozen_filtered_header(book: Workbook) -> None:
    assert book.sheetnames == [TASK_SHEET, UNIT_SHEET, AUDIT_SHEET]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A3", sheet.title
        last = sheet.cell(2, sheet.max_column).column_letter
        assert sheet.auto_filter.ref == f"A2:{last}{sheet.max_row}", sheet.title
        assert all(sheet.column_dimensions[c.column_letter].width > 5 for c in sheet[2])


def test_the_task_sheet_has_the_title_the_columns_and_every_task(book: Workbook) -> None:
    sheet = book[TASK_SHEET]
    assert sheet["A1"].value == subject(sample_report())
    assert sheet["A1"].font.name == "Times New Roman" and sheet["A1"].font.b
    assert _header(sheet)[: len(COLUMNS)] == list(COLUMNS)
    rows = _rows(sheet)
    sections = [r for r in rows if r["Mã"] is None]
    assert [(r["STT"], r["Nội dung nhiệm vụ"]) for r in sections] == [
        ("I", "CÔNG TÁC TỔ CHỨC"),
        ("II", "CÔNG TÁC THI ĐUA"),
    ]
    assert sheet.cell(3, 2).font.b and not sheet.cell(4, 2).font.b
    tasks = [r for r in rows if r["Mã"] is not None]
    assert [r["Mã"] for r in tasks] == [row.code for row in ROWS]
    assert tasks[1]["Nội dung nhiệm vụ"] == "Phát động phong trào thi đua\nđợt 1"
    counted = {s: sum(r["Trạng thái"] == STATE_LABELS[s] for r in tasks) for s in STATES}
    assert counted == EXPECTED
    assert sum(int(str(r["Sản phẩm"])) for r in tasks) == 1


def test_dues_and_completions_are_date_cells(book: Workbook) -> None:
    sheet = book[TASK_SHEET]
    header = _header(sheet)
    due = sheet.cell(4, header.index("Hạn hiện hành") + 1)
    done = sheet.cell(4, header.index("Ngày hoàn thành") + 1)
    assert due.is_date and done.is_date
    assert (due.value.date(), done.value.date()) == (ROWS[0].due_on, ROWS[0].done_on)
    assert due.number_format == "dd/mm/yyyy"
    extended = next(r for r in _rows(sheet) if r["Mã"] == "BDT22-II.2")
    assert isinstance(extended["Hạn hiện hành"], datetime)
    assert extended["Hạn hiện hành"].date() == ROWS[3].due_on


def test_the_unit_sheet_counts_each_state_and_totals_the_plan(book: Workbook) -> None:
    sheet = book[UNIT_SHEET]
    rows = {r["Đơn vị"]: r for r in _rows(sheet)}
    assert list(rows) == [VAN_PHONG, PHONG_CS, TOTAL_ROW]
    total = rows[TOTAL_ROW]
    assert {s: total[STATE_LABELS[s]] for s in STATES} == EXPECTED
    assert (total["Tổng số"], total["Đã hoàn thành"]) == (6, 2)
    assert total["Tỷ lệ hoàn thành"] == pytest.approx(0.4)  # 2 done / 5 in force
    assert rows[PHONG_CS]["Chưa thực hiện"] == 1 and rows[VAN_PHONG]["Chưa thực hiện"] == 0
    rate = sheet.cell(sheet.max_row, sheet.max_column)
    assert rate.number_format == "0.0%" and sheet.cell(sheet.max_row, 1).font.b


def test_the_audit_sheet_lists_the_period_in_vietnamese_time(book: Workbook) -> None:
    sheet = book[AUDIT_SHEET]
    assert "Năm 2022" in str(sheet["A1"].value)
    rows = _rows(sheet)
    assert [r["Mã nhiệm vụ"] for r in rows] == ["BDT22-I.1", "BDT22-I.2"]
    first = sheet.cell(3, 1)
    assert first.is_date and first.number_format == "dd/mm/yyyy hh:mm"
    assert first.value == datetime(2022, 6, 10, 9, 30)  # 02:30 UTC is 09:30 in Hà Nội
    assert rows[0]["Cán bộ"] == "Nguyễn Văn An" and rows[0]["Trạng thái sau"] == "Hoàn thành"
    assert rows[0]["%"] == 100 and rows[0]["Ghi chú"] == "xong"
