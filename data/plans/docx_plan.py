"""Reader for plans saved as Word documents (.docx).

A Word plan is lowered to the text form ``text_plan`` reads (paragraphs as
lines, every row of the task table as one tab-separated line), so sections,
groups, sub-rows, codes and warnings behave exactly as for a text plan: there
is one table reader, not two. What only Word knows is settled here, before
the text is written:

- Merged cells. A vertically merged ("w:vMerge" continue) number or content
  cell is left empty, so the row adds its units to the task above (one task
  over two rows stays one task); a merged unit, deadline or other cell repeats
  the merged value, because Word says the rows share it (text cannot).
- The task table split into several tables with the same header is one table:
  later copies of the header and the "(1) (2) (3)" row are dropped.
- A header over two rows ("Thời gian" over "Bắt đầu / Kết thúc") is read as
  one row: a cell under a spanning cell is named "<top> <own name>", except a
  start column, which must not be taken for the deadline.
- Line breaks in a cell separate units in unit columns (joined with "; ")
  unless the line only wraps (it ends with a separator or the next line starts
  with a joining word: "Sở Kế hoạch và" / "Đầu tư"); elsewhere they only wrap
  text (joined with a space).
- Other tables (the borderless heading and signature blocks) become one line
  per paragraph; tracked changes are read as accepted (``w:ins`` in, ``w:del``
  out); images, text boxes, field codes, footnote and comment marks carry no
  text; nested tables add their paragraphs to the cell that holds them.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import docx
from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from data.plans.columns import Column, HeaderMap, cell_text, read_header
from data.plans.parsed import ParsedPlan, Places, PlanFormatError, relocated, relocated_error
from data.plans.text_plan import parse_plan_text
from data.text import fold

NO_TABLE = (
    "Không tìm thấy bảng nhiệm vụ (có thể là bản scan): tệp Word không có bảng nào; "
    "hãy dùng bản Word gốc có bảng nhiệm vụ."
)

# Subtrees that hold no text of the plan: deleted or moved-away text, drawings
# and text boxes (their fallback copy would double them), embedded objects.
_SKIPPED = frozenset(
    qn(tag) for tag in ("w:del", "w:moveFrom", "w:drawing", "w:pict", "w:object", "w:tbl")
) | {"{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"}
_BREAKS = frozenset(qn(tag) for tag in ("w:br", "w:cr"))
_START_COLUMN = re.compile(r"^(bat dau|tu ngay|khoi dau|ngay bat dau)")
_COLUMN_NUMBER = re.compile(r"^\(?\d+\)?$")
_TITLE = "ke hoach"


@dataclass(frozen=True)
class _Cell:
    """One grid slot of a table row: its lines, and how Word merged it."""

    lines: tuple[str, ...]
    continued: bool = False  # a vMerge continue cell: the value is the cell above's
    spanned: bool = False  # covered by a cell to its left (gridSpan)
    span: int = 1


_Row = list[_Cell]


def read_docx_bytes(
    data: bytes, *, source: str, named: Mapping[Column, str] | None = None
) -> ParsedPlan:
    """Parse a .docx plan; raises ``PlanFormatError`` for a file that is not one.

    ``named`` is the secretary's header -> column mapping (``--column``).
    """
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise PlanFormatError(None, f"Tệp Word bị hỏng, không đọc được ({exc})") from None
    lines, places = docx_lines(document, named)
    try:
        plan = parse_plan_text("\n".join(lines), source=source, named=named)
    except PlanFormatError as error:
        raise relocated_error(error, places) from None
    return relocated(plan, places)


def docx_lines(
    document: Document, named: Mapping[Column, str] | None = None
) -> tuple[list[str], Places]:
    """The plan in the text form (heading and title lines, task rows, closing lines), and
    for each line the table and row it came from ("Bảng 2, hàng 5"; tables counted from
    the top of the document, the heading block included, as the user sees them)."""
    blocks = list(_blocks(document.element.body))
    tables = [block for block in blocks if isinstance(block, list)]
    if not tables:
        raise PlanFormatError(None, NO_TABLE)
    task_tables = _task_tables(tables, named)
    header: HeaderMap | None = None
    lines: list[str] = []
    places: list[str | None] = []
    seen_title = False
    last = max(i for i, block in enumerate(blocks) if _is_in(block, task_tables))
    between: list[str] = []  # text between two parts of the table goes after it
    table_seen = False
    for index, block in enumerate(blocks):
        if isinstance(block, str):
            seen_title = seen_title or fold(block.strip("* ")) == _TITLE
            text = _paragraph_lines(block, keep_tabs=not seen_title)
        elif _is_in(block, task_tables):
            rows, header = _task_rows(block, header, named)
            number = 1 + sum(1 for earlier in blocks[:index] if isinstance(earlier, list))
            lines.extend(_tab_line(row, header) for row in rows)
            places.extend(f"Bảng {number}, hàng {_row_number(block, row)}" for row in rows)
            table_seen = True
            text = ["", *between] if index == last else []
        else:
            text = [line for row in block for cell in row for line in cell.lines]
        if table_seen and index < last:
            between.extend(text)
        else:
            lines.extend(text)
            places.extend(None for _ in text)
    return lines, places


def _row_number(table: list[_Row], row: _Row) -> int:
    """The 1-based row of ``table`` that ``row`` is (a merged header row is the first)."""
    return next((i for i, own in enumerate(table, start=1) if own is row), 1)


def _is_in(block: str | list[_Row], tables: list[list[_Row]]) -> bool:
    return any(block is table for table in tables)


def _task_tables(tables: list[list[_Row]], named: Mapping[Column, str] | None) -> list[list[_Row]]:
    """Tables whose header names a task column, and the tables continuing them.

    When none does, the largest table is taken, so the text reader names the
    headers it found in its error instead of "no table".
    """
    found = [table for table in tables if _header_rows(table, named)[1] is not None]
    if found:
        first = found[0]
        width = len(first[0])
        start = next(i for i, table in enumerate(tables) if table is first)
        return [
            table
            for table in tables[start:]
            if any(table is t for t in found) or (table and len(table[0]) == width)
        ]
    return [max(tables, key=len)]


def _header_rows(
    table: list[_Row], named: Mapping[Column, str] | None
) -> tuple[int, HeaderMap | None, _Row]:
    """How many rows the header takes (one or two), its map, and the merged header row."""
    if not table:
        return 0, None, []
    top = [_cell_text(cell, Column.TASK) for cell in table[0]]
    if len(table) > 1 and _continues_header(table[0], table[1]):
        names = _two_row_names(table[0], table[1])
        header = read_header(names, named)
        if Column.TASK in header.columns:
            return 2, header, [_Cell((name,)) for name in names]
    header = read_header(top, named)
    if Column.TASK in header.columns:
        return 1, header, [_Cell((name,)) for name in top]
    return 0, None, []


def _continues_header(top: _Row, below: _Row) -> bool:
    """The row below the header is its second line: every slot merged down or under a span."""
    under_span = {i for i, cell in enumerate(top) if cell.spanned or cell.span > 1}
    own = [i for i, cell in enumerate(below) if not cell.continued and _cell_text(cell, None)]
    return bool(under_span) and bool(own) and all(i in under_span for i in own)


def _two_row_names(top: _Row, below: _Row) -> list[str]:
    names: list[str] = []
    parent = ""
    for upper, lower in zip(top, below, strict=False):
        if not upper.spanned:
            parent = _cell_text(upper, None)
        own = "" if lower.continued else _cell_text(lower, None)
        if not own:
            names.append(parent if not upper.spanned else "")
        elif _START_COLUMN.match(fold(own)):
            names.append(own)
        else:
            names.append(f"{parent} {own}".strip())
    return names


def _task_rows(
    table: list[_Row], header: HeaderMap | None, named: Mapping[Column, str] | None
) -> tuple[list[_Row], HeaderMap]:
    """The rows of one part of the task table, with the header row first for the first part."""
    count, own, merged = _header_rows(table, named)
    body = [row for row in table[count:] if not _is_column_numbering(row)]
    if header is not None:
        return body, header
    if own is not None:
        return [merged, *body], own
    return table, read_header([_cell_text(cell, None) for cell in table[0]], named)


def _is_column_numbering(row: _Row) -> bool:
    texts = [_cell_text(cell, None) for cell in row if not cell.spanned]
    filled = [text for text in texts if text]
    return len(filled) >= 2 and all(_COLUMN_NUMBER.match(text) for text in filled)


def _tab_line(row: _Row, header: HeaderMap) -> str:
    meaning = {index: column for column, index in header.columns.items()}
    cells: list[str] = []
    for index, cell in enumerate(row):
        column = meaning.get(index)
        left_out = cell.spanned or (cell.continued and column in (Column.NUMBER, Column.TASK))
        cells.append("" if left_out else _cell_text(cell, column))
    return "\t".join(cells)


def _cell_text(cell: _Cell, column: Column | None) -> str:
    """A cell's lines as one line (``columns.cell_text``, shared with Excel cells)."""
    return cell_text(cell.lines, column)


def _paragraph_lines(text: str, *, keep_tabs: bool) -> list[str]:
    """A paragraph's lines; tabs part the heading's pairs, elsewhere they are spaces."""
    if keep_tabs:
        return text.split("\n")
    return [line.replace("\t", " ") for line in text.split("\n")]


def _blocks(body: etree._Element) -> Iterator[str | list[_Row]]:
    """Paragraphs (as text with "\\n" breaks, bold ones as ``**…**``) and tables, in order."""
    for child in body:
        if child.tag == qn("w:p"):
            yield _paragraph(child)
        elif child.tag == qn("w:tbl"):
            yield _table(child)
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:ins"), qn("w:customXml")):
            yield from _blocks(child)


def _table(tbl: etree._Element) -> list[_Row]:
    rows: list[_Row] = []
    for tr in tbl.iterchildren(qn("w:tr")):
        row: _Row = []
        for tc in _row_cells(tr):
            props = tc.find(qn("w:tcPr"))
            span_el = props.find(qn("w:gridSpan")) if props is not None else None
            merge_el = props.find(qn("w:vMerge")) if props is not None else None
            span = int(span_el.get(qn("w:val"), "1")) if span_el is not None else 1
            continued = merge_el is not None and merge_el.get(qn("w:val"), "continue") == "continue"
            lines = tuple(_cell_lines(tc))
            row.append(_Cell(lines, continued=continued, span=span))
            row.extend(_Cell(lines, continued=continued, spanned=True) for _ in range(span - 1))
        rows.append(row)
    return _fill_merged(rows)


def _row_cells(tr: etree._Element) -> Iterator[etree._Element]:
    for child in tr:
        if child.tag == qn("w:tc"):
            yield child
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _row_cells(child)


def _fill_merged(rows: list[_Row]) -> list[_Row]:
    """A continue cell takes the lines of the cell starting the merge above it."""
    for index, row in enumerate(rows[1:], start=1):
        above = rows[index - 1]
        for slot, cell in enumerate(row):
            if cell.continued and slot < len(above):
                row[slot] = _Cell(above[slot].lines, True, cell.spanned, cell.span)
    return rows


def _cell_lines(element: etree._Element) -> Iterator[str]:
    """Every paragraph line of a cell, nested tables included."""
    for child in element:
        if child.tag == qn("w:p"):
            yield from _paragraph_text(child).replace("\t", " ").split("\n")
        elif child.tag == qn("w:tbl"):
            for row in _table(child):
                for cell in row:
                    if not cell.spanned and not cell.continued:
                        yield from cell.lines
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _cell_lines(child)


def _paragraph(p: etree._Element) -> str:
    """A body paragraph; a bold one is marked ``**…**`` as the text form marks the title."""
    parts: list[str] = []
    bold = [True]
    _collect(p, parts, bold)
    text = "".join(parts).strip()
    return f"**{text}**" if bold[0] and text and "\n" not in text else text


def _paragraph_text(p: etree._Element) -> str:
    parts: list[str] = []
    _collect(p, parts, [True])
    return "".join(parts)


def _collect(element: etree._Element, parts: list[str], bold: list[bool]) -> None:
    """Accepted text of a paragraph in order; ``bold[0]`` stays True while every run is bold."""
    for child in element:
        tag = child.tag
        if tag in _SKIPPED or not isinstance(tag, str):
            continue
        if tag == qn("w:t"):
            parts.append(child.text or "")
            if (child.text or "").strip() and not _is_bold(child.getparent()):
                bold[0] = False
        elif tag == qn("w:tab"):
            parts.append("\t")
        elif tag in _BREAKS:
            parts.append("\n")
        elif tag == qn("w:noBreakHyphen"):
            parts.append("-")
        elif tag != qn("w:rPr") and tag != qn("w:pPr"):
            _collect(child, parts, bold)


def _is_bold(run: etree._Element | None) -> bool:
    props = run.find(qn("w:rPr")) if run is not None else None
    flag = props.find(qn("w:b")) if props is not None else None
    return flag is not None and flag.get(qn("w:val"), "true") not in ("0", "false")
