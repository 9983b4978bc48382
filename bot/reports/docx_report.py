"""The report as a Word file, laid out the way Nghị định 30/2020/NĐ-CP (Phụ lục I)
sets out an administrative document, so a secretary can print it for signing as is.

Portrait A4 for the letter itself (header, "BÁO CÁO" and its subject, the summary,
the figures, the charts, "Nơi nhận" and the signature block), then a landscape
section for the task table, which needs the width. Every word comes from
``content.py`` and ``header.py``, so the Word, PDF and Excel files say the same thing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Length, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from bot.reports import content
from bot.reports.header import COUNTRY, MOTTO, ReportHeader
from data.report_model import PlanReport, ReportSection

FONT = "Times New Roman"
"""Named in the file even where the machine lacks it: the decree requires it, and
the office's Word has it."""
BODY = Pt(14)
TABLE = Pt(12)
TABLE_HALF_POINTS = round(TABLE.pt * 2)
"""``TABLE`` as ``w:sz`` writes it."""
PORTRAIT_WIDTH = Cm(16.5)
"""A4's 21 cm less the 30 mm left and 15 mm right margins."""
LANDSCAPE_WIDTH = Cm(25.7)
"""A4 turned (29.7 cm) less 20 mm each side; the binding edge (30 mm) is now the top."""
HEADER_WIDTHS = (Cm(6.5), Cm(10.0))
SIGNATURE_WIDTHS = (Cm(8.0), Cm(8.5))
FIGURE_WIDTHS = (Cm(12.5), Cm(4.0))
CHART_WIDTH = Cm(16)
CENTRED_COLUMNS = (0, 4)
"""STT and Thời hạn read better centred; the rest are prose."""

Container = Document | _Cell
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def report_docx(report: PlanReport, header: ReportHeader, charts: Sequence[bytes] = ()) -> bytes:
    """The report as .docx bytes; ``charts`` are PNGs embedded in order, each captioned."""
    document = docx.Document()
    _use_font(document)
    _portrait(document.sections[0])
    _official_header(document, report, header)
    _title(document, report)
    _paragraph(document, content.summary(report), justify=True)
    _figures(document, report)
    for index, png in enumerate(charts):
        _chart(document, index, png)
    _signature(document, header)
    _landscape(document.add_section(WD_SECTION.NEW_PAGE))
    _centred(document, content.TASKS_TITLE, bold=True, after=Pt(12))
    _task_table(document, report.sections)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _use_font(document: Document) -> None:
    """Times New Roman for every script: Word picks the eastAsia or cs font for some
    Vietnamese letters, and the default template points those at theme fonts."""
    for style_name in ("Normal", "Table Grid"):
        style = document.styles[style_name]
        style.font.name = FONT
        _rfonts(style.element)
    style = document.styles["Normal"]
    style.font.size = BODY
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        _rfonts(defaults.find(qn("w:rPrDefault")))


def _rfonts(element: BaseOxmlElement | None) -> None:
    """Set all four font slots of an ``rPr`` (creating it) and drop theme references."""
    if element is None:
        return
    rpr = element.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        element.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), FONT)


def _portrait(section: Section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.PORTRAIT
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)


def _landscape(section: Section) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(30), Mm(15)
    section.left_margin, section.right_margin = Mm(20), Mm(20)


def _paragraph(
    where: Container,
    text: str,
    *,
    size: Length = BODY,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    justify: bool = False,
    after: Length | None = None,
    before: Length | None = None,
) -> Paragraph:
    """One paragraph in one run; python-docx turns "\\n" in it into line breaks."""
    paragraph = where.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size, run.bold, run.italic = size, bold, italic
    fmt = paragraph.paragraph_format
    if justify:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Cm(1.27)
        fmt.space_after = Pt(6)
    if align is not None:
        paragraph.alignment = align
    if after is not None:
        fmt.space_after = after
    if before is not None:
        fmt.space_before = before
    return paragraph


def _centred(where: Container, text: str, **style: Any) -> Paragraph:
    return _paragraph(where, text, align=WD_ALIGN_PARAGRAPH.CENTER, **style)


def _rule(where: Container, length: Length, column: Length) -> None:
    """The short solid line the decree draws under the issuer, the motto and the subject:
    an empty 1 pt paragraph whose bottom border the indents shorten to ``length``."""
    paragraph = where.add_paragraph()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    # first into the empty pPr: the schema wants pBdr before the spacing and indents
    paragraph._p.get_or_add_pPr().append(borders)
    side = Length(max(0, (column - length) // 2))
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side
    paragraph.paragraph_format.line_spacing = Pt(1)


def _layout_table(document: Document, widths: Sequence[Length]) -> tuple[_Cell, ...]:
    """A borderless one-row table: how the decree's two-column blocks are typed in Word."""
    table = document.add_table(rows=1, cols=len(widths))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths)
    cells = tuple(table.rows[0].cells)
    for cell in cells:
        cell._tc.remove(cell.paragraphs[0]._p)  # add_paragraph appends; no blank first line
    return cells


def _widths(table: Table, widths: Sequence[Length]) -> None:
    """Word reads the cell widths, LibreOffice the grid: set both."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _official_header(document: Document, report: PlanReport, header: ReportHeader) -> None:
    left, right = _layout_table(document, HEADER_WIDTHS)
    if header.parent:
        _centred(left, header.parent.upper(), size=Pt(13))
    _centred(left, header.issuer.upper(), size=Pt(13), bold=True)
    _rule(left, Cm(2.5), HEADER_WIDTHS[0])
    _centred(left, header.number_line(content.symbol_hint(report)), size=Pt(13), before=Pt(6))
    _centred(right, COUNTRY, size=Pt(13), bold=True)
    _centred(right, MOTTO, size=Pt(14), bold=True)
    _rule(right, Cm(6.0), HEADER_WIDTHS[1])
    place_date = header.place_date(content.date_words(report.as_of))
    _centred(right, place_date, size=Pt(14), italic=True, before=Pt(6))


def _title(document: Document, report: PlanReport) -> None:
    _centred(document, content.DOCUMENT_TYPE, bold=True, before=Pt(18))
    _centred(document, content.subject(report), bold=True)
    _rule(document, Cm(4.0), PORTRAIT_WIDTH)
    document.paragraphs[-1].paragraph_format.space_after = Pt(12)


def _figures(document: Document, report: PlanReport) -> None:
    """The figures as a small two-column table under the summary that quotes them."""
    lines = content.figure_lines(report.figures)
    table = document.add_table(rows=len(lines), cols=2, style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, FIGURE_WIDTHS)
    for row, (label, value) in zip(table.rows, lines, strict=True):
        label_cell, value_cell = row.cells
        _fill(label_cell, label.strip(), size=Pt(13), italic=label.startswith(" "))
        if label.startswith(" "):
            label_cell.paragraphs[0].paragraph_format.left_indent = Cm(0.5)
        _fill(value_cell, value, size=Pt(13), align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "", after=Pt(6))


def _chart(document: Document, index: int, png: bytes) -> None:
    document.add_picture(io.BytesIO(png), width=CHART_WIDTH)
    picture = document.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    picture.paragraph_format.space_before = Pt(6)
    _centred(document, content.chart_caption(index), size=Pt(13), italic=True, after=Pt(6))


def _signature(document: Document, header: ReportHeader) -> None:
    """ "Nơi nhận" on the left, the signer's title and name on the right, space between
    them for the signature and the seal."""
    _paragraph(document, "", after=Pt(6))
    left, right = _layout_table(document, SIGNATURE_WIDTHS)
    _paragraph(left, content.RECIPIENTS_HEADING, size=Pt(12), bold=True, italic=True)
    for recipient in header.recipients:
        line = recipient if recipient.startswith("-") else f"- {recipient}"
        _paragraph(left, line, size=Pt(11))
    _centred(right, header.signer_title.upper(), bold=True)
    for _ in range(4):
        _paragraph(right, "")
    _centred(right, header.signer_name, bold=True)


def _task_table(document: Document, sections: Iterable[ReportSection]) -> None:
    """The task table: a header row Word repeats on every page, a merged bold row per
    plan section, one row per task; no row breaks across pages.

    Rows are written as XML, not cell by cell through python-docx, whose per-element
    bookkeeping takes seconds for a plan of 2,000 tasks."""
    table = document.add_table(rows=0, cols=len(content.COLUMNS), style="Table Grid")
    table.autofit = False
    total = sum(content.COLUMN_WIDTHS)
    widths = [Length(int(LANDSCAPE_WIDTH * w / total)) for w in content.COLUMN_WIDTHS]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    rows = [_row_xml(content.COLUMNS, widths, header=True)]
    for section in sections:
        title = f"{section.number}. {section.title}" if section.number else section.title
        rows.append(_row_xml((title,), [Length(sum(widths))], bold=True))
        rows.extend(_row_xml(content.row_cells(task), widths) for task in section.rows)
    for row in rows:
        table._tbl.append(parse_xml(row))


def _row_xml(
    cells: Sequence[str], widths: Sequence[Length], *, header: bool = False, bold: bool = False
) -> str:
    """One ``w:tr``: ``cantSplit`` always, ``tblHeader`` on the header row, a single
    cell spanning the grid for a section's title; STT and Thời hạn centred."""
    flags = "<w:cantSplit/><w:tblHeader/>" if header else "<w:cantSplit/>"
    span = "" if len(cells) > 1 else f'<w:gridSpan w:val="{len(content.COLUMNS)}"/>'
    strong = "<w:b/><w:bCs/>" if header or bold else ""
    size = f'<w:sz w:val="{TABLE_HALF_POINTS}"/><w:szCs w:val="{TABLE_HALF_POINTS}"/>'
    out = [f"<w:tr {nsdecls('w')}><w:trPr>{flags}</w:trPr>"]
    for index, (text, width) in enumerate(zip(cells, widths, strict=True)):
        centred = header or (len(cells) > 1 and index in CENTRED_COLUMNS)
        align = '<w:jc w:val="center"/>' if centred else ""
        out.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width.twips}" w:type="dxa"/>{span}</w:tcPr>'
            f"<w:p><w:pPr>{align}</w:pPr><w:r><w:rPr>{strong}{size}</w:rPr>"
            f"{_text_xml(text)}</w:r></w:p></w:tc>"
        )
    out.append("</w:tr>")
    return "".join(out)


def _text_xml(text: str) -> str:
    """The run's text with each line break a ``w:br``; characters XML cannot hold
    (a stray control code from an imported plan) dropped, Word's vertical tab read as
    the line break it is."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n")
    text = _UNPRINTABLE.sub("", text)
    return "<w:br/>".join(
        f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in text.split("\n")
    )


def _fill(
    cell: _Cell,
    text: str,
    *,
    size: Length = TABLE,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> None:
    """Write into the cell's existing first paragraph (a new one would leave a blank line)."""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.font.size, run.bold, run.italic = size, bold, italic
    if align is not None:
        paragraph.alignment = align
