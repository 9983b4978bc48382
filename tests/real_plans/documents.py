"""Word and Excel files of a real plan, built at test time from its published rows.

The Word file is laid out as the page shows the plan: a borderless heading table,
"KẾ HOẠCH" and the subject in bold, then the task table split where the page
splits it (the later part without a header row), section rows in bold, a cell of
several paragraphs kept as paragraphs. The Excel file is the tracking sheet an
office would type from it: a title row, the header, one row per published row.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from types import ModuleType

import docx
from docx.document import Document
from openpyxl import Workbook

from tests.plan_documents import add_heading_table, to_bytes
from tests.real_plans.tlu_vuot_gio_2020 import Row


def _cells(row: Row) -> tuple[str, ...]:
    return (row.number, row.content, row.deadline, row.lead, row.coordinate)


def _write_cell(cell: object, text: str, *, bold: bool) -> None:
    """Each line of ``text`` a paragraph of its own, as the published HTML has them."""
    for index, line in enumerate(text.split("\n")):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()  # type: ignore[attr-defined]
        paragraph.add_run(line).bold = bold


def _add_table(document: Document, header: Sequence[str] | None, rows: Sequence[Row]) -> None:
    table = document.add_table(rows=0, cols=5)
    table.style = "Table Grid"
    if header is not None:
        for cell, name in zip(table.add_row().cells, header, strict=True):
            _write_cell(cell, name, bold=True)
    for row in rows:
        section = row.section
        for cell, text in zip(table.add_row().cells, _cells(row), strict=True):
            _write_cell(cell, text, bold=section)


def plan_docx(plan: ModuleType) -> bytes:
    """The plan as a .docx: heading, title, and its task table in the published parts."""
    document = docx.Document()
    left, right = plan.ISSUER
    add_heading_table(
        document,
        [left, right],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
    )
    document.add_paragraph().add_run("KẾ HOẠCH").bold = True
    document.add_paragraph().add_run(plan.SUBJECT).bold = True
    _add_table(document, plan.HEADER, plan.FIRST_TABLE)
    document.add_paragraph()
    _add_table(document, None, plan.SECOND_TABLE)
    document.add_paragraph("Các đơn vị, cá nhân liên quan nghiêm túc thực hiện kế hoạch này.")
    return to_bytes(document)


def plan_xlsx(plan: ModuleType) -> bytes:
    """The plan as a one-sheet .xlsx: a title row, the header, every published row."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Kế hoạch"
    sheet.append([f"KẾ HOẠCH {plan.SUBJECT.upper()}"])
    sheet.append(list(plan.HEADER))
    for row in plan.ROWS:
        sheet.append(list(_cells(row)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
