"""The Word report, read back with python-docx: the official layout's parts
(Nghị định 30/2020/NĐ-CP), the hand-counted figures, and the task table."""

from __future__ import annotations

import dataclasses
import io
import re
import struct
import zlib

import docx
import pytest
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length, Mm
from docx.table import Table

from bot.reports import content
from bot.reports.docx_report import report_docx
from bot.reports.header import COUNTRY, MOTTO, ReportHeader, header_for
from data.report_model import (
    DONE_LATE,
    DONE_ON_TIME,
    IN_PROGRESS_LATE,
    IN_PROGRESS_ON_TIME,
    NOT_STARTED,
    STATE_LABELS,
    STOPPED,
)
from tests.report_fixture import EXPECTED, sample_report

HEADER = ReportHeader(
    parent="UBND tỉnh Kon Tum",
    issuer="BAN DÂN TỘC",
    place="Kon Tum",
    signer_title="Trưởng ban",
    signer_name="Nguyễn Văn An",
)


def _png(width: int = 40, height: int = 20) -> bytes:
    """A small grey PNG, so the tests do not depend on the chart module."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _read(header: ReportHeader = HEADER, charts: tuple[bytes, ...] = ()) -> Document:
    return docx.Document(io.BytesIO(report_docx(sample_report(), header, charts)))


def _cell_lines(table: Table, column: int) -> list[str]:
    return [p.text for p in table.rows[0].cells[column].paragraphs if p.text.strip()]


def _mm(*lengths: Length | None) -> tuple[int, ...]:
    """Millimetres, rounded: Word stores lengths in twentieths of a point."""
    return tuple(round(length.mm) if length is not None else -1 for length in lengths)


def _texts(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def test_it_writes_the_two_column_header() -> None:
    header = _read().tables[0]
    assert _cell_lines(header, 0) == ["UBND TỈNH KON TUM", "BAN DÂN TỘC", "Số:       /BC-BDT"]
    assert _cell_lines(header, 1) == [COUNTRY, MOTTO, "Kon Tum, ngày 31 tháng 7 năm 2022"]
    issuer = header.rows[0].cells[0].paragraphs[1]
    assert issuer.runs[0].bold
    place_date = header.rows[0].cells[1].paragraphs[-1]
    assert place_date.runs[0].italic
    assert not header._tbl.xpath(".//w:tblBorders"), "the header table has no borders"


def test_it_prints_the_number_given_and_falls_back_to_the_plans_issuer() -> None:
    header = header_for(sample_report(), {}, number="12/BC-BDT")
    lines = _cell_lines(_read(header).tables[0], 0)
    assert lines == ["BAN DÂN TỘC TỈNH", "Số: 12/BC-BDT"]
    assert _cell_lines(_read(header).tables[0], 1)[-1] == "Ngày 31 tháng 7 năm 2022"


def test_it_names_the_document_and_its_subject() -> None:
    document = _read()
    texts = _texts(document)
    report = sample_report()
    start = texts.index(content.DOCUMENT_TYPE)
    assert texts[start + 1] == content.subject(report)
    assert "(tính đến ngày 31/07/2022)" in texts[start + 1]
    title = next(p for p in document.paragraphs if p.text == content.DOCUMENT_TYPE)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold


def test_its_summary_and_figures_match_the_hand_count() -> None:
    document = _read()
    summary = next(p for p in document.paragraphs if "Tính đến ngày 31/07/2022, Kế" in p.text)
    assert summary.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    done = EXPECTED[DONE_ON_TIME] + EXPECTED[DONE_LATE]
    assert f"Kế hoạch có {sum(EXPECTED.values())} nhiệm vụ" in summary.text
    assert (
        f"đã hoàn thành {done} nhiệm vụ ({EXPECTED[DONE_ON_TIME]} đúng hạn, "
        f"{EXPECTED[DONE_LATE]} quá hạn)" in summary.text
    )
    assert f"chưa thực hiện {EXPECTED[NOT_STARTED]} nhiệm vụ" in summary.text
    assert summary.text.endswith("đạt 40,0%.")
    figures = {row.cells[0].text: row.cells[1].text for row in document.tables[1].rows}
    assert figures["Số nhiệm vụ đề ra trong kế hoạch"] == "6"
    assert figures["- Hoàn thành đúng hạn"] == str(EXPECTED[DONE_ON_TIME])
    assert figures["- Hoàn thành quá hạn"] == str(EXPECTED[DONE_LATE])
    for state in (IN_PROGRESS_ON_TIME, IN_PROGRESS_LATE, NOT_STARTED, STOPPED):
        assert figures[f"Số nhiệm vụ {STATE_LABELS[state].lower()}"] == str(EXPECTED[state])
    assert figures["Số nhiệm vụ có sản phẩm"] == "1"


def test_its_task_table_repeats_its_header_and_groups_by_section() -> None:
    document = _read()
    table = document.tables[-1]
    rows = table.rows
    assert tuple(c.text for c in rows[0].cells) == content.COLUMNS
    flags = [
        (r._tr.xpath("./w:trPr/w:tblHeader"), r._tr.xpath("./w:trPr/w:cantSplit")) for r in rows
    ]
    assert [bool(header) for header, _ in flags] == [True] + [False] * (len(rows) - 1)
    assert all(cant_split for _, cant_split in flags)
    merged = [r for r in rows if len(r._tr.tc_lst) == 1]
    assert [r.cells[0].text for r in merged] == ["I. CÔNG TÁC TỔ CHỨC", "II. CÔNG TÁC THI ĐUA"]
    assert merged[0]._tr.tc_lst[0].grid_span == len(content.COLUMNS)
    tasks = [r for r in rows[1:] if len(r._tr.tc_lst) == len(content.COLUMNS)]
    report = sample_report()
    expected = [task for section in report.sections for task in section.rows]
    assert len(tasks) == len(expected) == sum(EXPECTED.values())
    for row, task in zip(tasks, expected, strict=True):
        notes = row.cells[6].text.split("\n")
        assert notes[0] == STATE_LABELS[task.state]
        assert row.cells[1].text == task.content
    assert tasks[1].cells[1].text == "Phát động phong trào thi đua\nđợt 1"
    assert tasks[0].cells[6].text == "Hoàn thành đúng hạn\nCó sản phẩm (1)"


def test_its_task_table_fills_the_landscape_width_in_the_shared_proportions() -> None:
    table = _read().tables[-1]
    widths = [column.width for column in table.columns]
    assert widths[1] > widths[2] > widths[0]
    total = sum(w for w in widths if w is not None)
    assert abs(total - Mm(257)) < Mm(1)


def test_it_uses_times_new_roman_for_every_script() -> None:
    document = _read()
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    fonts = normal.element.find(qn("w:rPr")).find(qn("w:rFonts"))
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert fonts.get(qn(f"w:{slot}")) == "Times New Roman"
    assert 13 <= normal.font.size.pt <= 14


def test_it_puts_the_letter_in_portrait_and_the_table_in_landscape() -> None:
    first, appendix = _read().sections
    assert first.orientation == WD_ORIENT.PORTRAIT
    page = (first.page_width, first.page_height)
    margins = (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)
    assert _mm(*page) == (210, 297)
    assert _mm(*margins) == (20, 20, 30, 15)
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert appendix.page_width > appendix.page_height


def test_it_ends_the_letter_with_the_recipients_and_the_signature_block() -> None:
    document = _read()
    signature = document.tables[2]
    left = [p for p in signature.rows[0].cells[0].paragraphs if p.text]
    assert [p.text for p in left] == [content.RECIPIENTS_HEADING, "- Lưu: VT."]
    assert left[0].runs[0].bold and left[0].runs[0].italic
    right = signature.rows[0].cells[1].paragraphs
    assert right[0].text == "TRƯỞNG BAN" and right[-1].text == "Nguyễn Văn An"
    assert len(right) >= 5, "room for the signature and the seal"
    texts = _texts(document)
    assert texts.index(content.TASKS_TITLE) > texts.index(content.subject(sample_report()))


@pytest.mark.parametrize("count", [0, 2])
def test_it_embeds_each_chart_with_its_caption(count: int) -> None:
    document = _read(charts=(_png(),) * count)
    assert len(document.inline_shapes) == count
    captions = [t for t in _texts(document) if re.match(r"Biểu đồ \d+:", t)]
    assert captions == [content.chart_caption(i) for i in range(count)]


def test_it_keeps_line_breaks_and_drops_what_xml_cannot_hold() -> None:
    report = sample_report()
    first = report.sections[0]
    odd = dataclasses.replace(first.rows[0], content="Rà soát\vđề án <số 2> & \x07báo cáo")
    sections = (dataclasses.replace(first, rows=(odd,)), *report.sections[1:])
    data = report_docx(dataclasses.replace(report, sections=sections), HEADER)
    table = docx.Document(io.BytesIO(data)).tables[-1]
    assert table.rows[2].cells[1].text == "Rà soát\nđề án <số 2> & báo cáo"
