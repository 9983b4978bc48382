"""Reader for plans kept as Excel tracking sheets (.xlsx).

Offices track plans in sheets made by hand: a header over two rows with merged
cells ("Thời gian" over "Bắt đầu / Kết thúc"), STT typed as formulas, merged
cells over "-" sub-rows, several sheets, blank and totals rows. Rather than a
second table reader, the sheet is LOWERED to the text form (one line per sheet
row, cells joined by tabs) and handed to ``parse_plan_text``: sections, groups,
sub-rows, codes and warnings then behave exactly as for a text plan, and a
warning's "Dòng N" is row N of the sheet.

Lowering decisions, each the one a person reading the sheet makes:

- A merged range's value is its top-left cell's. In the table it fills the
  rows below (in the range's first column): a deadline merged over three
  sub-rows is the deadline of all three; a section title merged across the row
  stays in its first cell, so the row still reads as a section. In the header
  it fills every cell, so a two-row header gets one name per column.
- The header is the first row naming a task and a time column (``columns``),
  alone or with the row under it when a merged header cell reaches it. A
  sub-header "Bắt đầu"/"Từ ngày" is a start, not the deadline, and is left out.
- Formula cells give their cached value; a formula saved without one
  (generated files) is computed when it is simple (``=A5+1``, ``=ROW()-4``),
  else numbered after the row above, with a warning.
- Real dates are written dd/mm/yyyy, the form the deadline parser reads.
- Totals rows ("Tổng cộng", "Cộng") are dropped; blank rows stay blank lines.
- After the table, a lone cell after a blank row (a closing paragraph) or a
  "Nơi nhận" cell starts the closing notes, one cell a line.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.exceptions import CellCoordinatesException
from openpyxl.worksheet.worksheet import Worksheet

from data.plans.columns import (
    LABELS,
    REQUIRED,
    Column,
    HeaderMap,
    cell_text,
    clean,
    column_options,
    missing_message,
    read_header,
)
from data.plans.parsed import (
    ParsedPlan,
    Places,
    PlanFormatError,
    PlanWarning,
    relocated,
    relocated_error,
)
from data.plans.text_plan import parse_plan_text
from data.text import fold

_TOTALS = re.compile(r"^(tong cong|tong so|cong)\b")
_START = re.compile(r"^(bat dau|tu ngay|khoi dau)")
_SECTION_OR_NUMBER = re.compile(r"^([IVX]+|\d+)\b")
_TERM = re.compile(r"\s*([+-])?\s*(ROW\(\)|\$?[A-Z]{1,3}\$?\d+|\d+)", re.IGNORECASE)
# References followed from one formula: a chain longer than this is not an STT column.
_MAX_DEPTH = 50
# Rows searched for the header: real sheets have a heading block of a few rows.
_HEADER_ROWS = 30


def read_xlsx_plan(
    data: bytes,
    *,
    source: str,
    sheet: str | None = None,
    named: Mapping[Column, str] | None = None,
) -> ParsedPlan:
    """Parse the plan in one sheet of a workbook; ``PlanFormatError`` for a person if not."""
    try:
        values = load_workbook(io.BytesIO(data), data_only=True)
        formulas = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise PlanFormatError(None, "tệp Excel bị hỏng hoặc không mở được") from exc
    # Chart sheets hold no cells: only worksheets can hold a plan.
    sheets = [_Sheet.read(sheet, formulas[sheet.title]) for sheet in values.worksheets]
    chosen = _choose(sheets, sheet, named or {})
    text, places = chosen.lower()
    try:
        plan = parse_plan_text(text, source=source, named=named)
    except PlanFormatError as error:
        raise relocated_error(error, places) from None
    return relocated(replace(plan, warnings=[*chosen.warnings, *plan.warnings]), places)


@dataclass
class _Sheet:
    """One sheet as text cells: as typed, with vertical fills (``table``), all fills (``full``)."""

    name: str
    raw: list[list[str]]
    table: list[list[str]]
    full: list[list[str]]
    two_row: set[int]
    warnings: list[PlanWarning]
    header: tuple[int, HeaderMap, list[str]] | None = None

    @classmethod
    def read(cls, values: Worksheet, formulas: Worksheet) -> _Sheet:
        warnings: list[PlanWarning] = []
        cells = _Cells(values, formulas, warnings)
        width, height = _extent(formulas)
        raw = [[cells.text(r, c) for c in range(1, width + 1)] for r in range(1, height + 1)]
        table, full = [list(row) for row in raw], [list(row) for row in raw]
        two_row: set[int] = set()
        for merged in values.merged_cells.ranges:
            if merged.min_row > height or merged.min_col > width:
                continue  # formatting past the last value
            last_row, last_col = min(merged.max_row, height), min(merged.max_col, width)
            top = raw[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row, last_row + 1):
                for c in range(merged.min_col, last_col + 1):
                    full[r - 1][c - 1] = top
                table[r - 1][merged.min_col - 1] = top
            under = raw[merged.min_row][merged.min_col - 1 : last_col] if last_row < height else []
            if last_row > merged.min_row or (last_col > merged.min_col and under and all(under)):
                two_row.add(merged.min_row - 1)
        return cls(values.title, raw, table, full, two_row, warnings)

    def find_header(self, named: Mapping[Column, str]) -> tuple[int, HeaderMap, list[str]]:
        """The header row (0-based), its map and its names; the best guess when incomplete."""
        best: tuple[int, HeaderMap, list[str]] | None = None
        for index in range(min(len(self.full), _HEADER_ROWS)):
            names = self._names(index)
            header = read_header(names, named)
            if not header.missing:
                return index, header, names
            if best is None or len(header.columns) > len(best[1].columns):
                best = (index, header, names)
        return best or (0, read_header([], named), [])

    def _names(self, index: int) -> list[str]:
        top = [clean(cell_text(cell.split("\n"), None)) for cell in self.full[index]]
        if index not in self.two_row or index + 1 >= len(self.full):
            return top
        under = [clean(cell_text(cell.split("\n"), None)) for cell in self.full[index + 1]]
        return [_header_name(a, b) for a, b in zip(top, under, strict=True)]

    def lower(self) -> tuple[str, Places]:
        """The sheet as the text form (one line per row, closing notes one cell a line) and
        where each line is ("Trang tính «KH», hàng 12"): line N is row N up to the closing."""
        assert self.header is not None
        index, header, names = self.header
        meaning = {position: column for column, position in header.columns.items()}
        lines = ["\t".join(_lines(row)) for row in self.raw[:index]]
        lines.append("\t".join(names))
        rest = self.table[index + 1 :]
        if index in self.two_row:
            lines.append("")
            rest = rest[1:]
        blank_before = False
        rows = len(lines)
        for position, row in enumerate(rest):
            filled = [cell for cell in row if cell]
            if _starts_closing(filled, blank_before):
                rows = len(lines)
                lines.extend(line for later in rest[position:] for line in _lines(later))
                break
            blank_before = not filled
            cells = (cell_text(cell.split("\n"), meaning.get(i)) for i, cell in enumerate(row))
            lines.append("" if not filled or _is_total(filled) else "\t".join(cells))
        else:
            rows = len(lines)
        places = [self.place(row) for row in range(1, rows + 1)]
        return "\n".join(lines) + "\n", places + [None] * (len(lines) - rows)

    def place(self, row: int | None) -> str | None:
        """Row ``row`` of this sheet as the user finds it."""
        return None if row is None else f"Trang tính «{self.name}», hàng {row}"


def _extent(sheet: Worksheet) -> tuple[int, int]:
    """Columns and rows up to the last cell holding a value or formula.

    A sheet's own dimension counts formatted empty cells: a column formatted to
    the bottom would make a million empty rows.
    """
    width = height = 0
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        filled = [index for index, value in enumerate(row, start=1) if value not in (None, "")]
        if filled:
            width, height = max(width, filled[-1]), number
    return width, height


def _lines(cells: Sequence[str]) -> list[str]:
    """Every line of every non-empty cell: a heading or closing cell may hold several."""
    return [line for cell in cells for line in cell.split("\n") if line]


def _header_name(top: str, under: str) -> str:
    """One column's name from a two-row header: "Thời gian" over "Kết thúc" together."""
    if not under or fold(under) == fold(top):
        return top
    if not top or _START.match(fold(under)):
        return under
    return f"{top} {under}"


def _is_total(cells: Sequence[str]) -> bool:
    return any(_TOTALS.match(fold(cell)) for cell in cells[:2])


def _starts_closing(cells: Sequence[str], blank_before: bool) -> bool:
    if len(cells) != 1:
        return False
    key = fold(clean(cells[0]))
    return key.startswith("noi nhan") or (blank_before and not _SECTION_OR_NUMBER.match(key))


def _choose(sheets: list[_Sheet], wanted: str | None, named: Mapping[Column, str]) -> _Sheet:
    """The sheet asked for, or the first whose header names a task and a time column."""
    listing = ", ".join(sheet.name for sheet in sheets)
    if wanted is not None:
        found = [s for s in sheets if fold(s.name).strip() == fold(wanted).strip()]
        if not found:
            raise PlanFormatError(None, f"không có sheet «{wanted}» (các sheet: {listing})")
        return _with_header(found[0], named)
    for sheet in sheets:
        sheet.header = sheet.find_header(named)
        if not sheet.header[1].missing:
            return sheet
    if len(sheets) == 1:
        return _with_header(sheets[0], named)
    needed = " và ".join(LABELS[column] for column in REQUIRED)
    raise PlanFormatError(
        None,
        f"không sheet nào có hàng tiêu đề với cột {needed} (các sheet: {listing}); "
        f"chọn bằng --sheet TÊN hoặc chỉ rõ cột bằng {column_options(REQUIRED)}",
    )


def _with_header(sheet: _Sheet, named: Mapping[Column, str]) -> _Sheet:
    sheet.header = sheet.find_header(named)
    index, header, names = sheet.header
    if header.missing:
        raise PlanFormatError(index + 1, missing_message(header, names), sheet.place(index + 1))
    return sheet


class _Cells:
    """Cell values as text: cached formula results, else simple formulas computed."""

    def __init__(self, values: Worksheet, formulas: Worksheet, warnings: list[PlanWarning]) -> None:
        self.values, self.formulas, self.warnings = values, formulas, warnings
        self.computed: dict[tuple[int, int], str] = {}
        self.depth = 0

    def text(self, row: int, column: int) -> str:
        if (row, column) in self.computed:
            return self.computed[(row, column)]
        value = self.values.cell(row, column).value
        formula = self.formulas.cell(row, column).value
        if value is None and isinstance(formula, str) and formula.startswith("="):
            self.computed[(row, column)] = ""  # a reference cycle reads as empty
            text = self._compute(row, column, formula)
        else:
            text = _as_text(value)
        self.computed[(row, column)] = text
        return text

    def _compute(self, row: int, column: int, formula: str) -> str:
        total = self._evaluate(row, formula[1:])
        if total is None:
            above = self.computed.get((row - 1, column), "")
            total = int(above) + 1 if above.isdigit() else 1
            self.warnings.append(
                PlanWarning(row, f"công thức {formula} chưa có giá trị; đánh số theo dòng: {total}")
            )
        return str(total)

    def _evaluate(self, row: int, expression: str) -> int | None:
        """``=A5+1``, ``=ROW()-4``, ``=$A$5+2``: whole numbers added and subtracted."""
        total, position = 0, 0
        while position < len(expression.rstrip()):
            match = _TERM.match(expression, position)
            if match is None or (position and not match[1]):
                return None
            term = self._term(row, match[2])
            if term is None:
                return None
            total += -term if match[1] == "-" else term
            position = match.end()
        return total if position else None

    def _term(self, row: int, term: str) -> int | None:
        if term.isdigit():
            return int(term)
        if term.upper() == "ROW()":
            return row
        try:
            letters, number = coordinate_from_string(term.replace("$", ""))
            column = column_index_from_string(letters)
        except (ValueError, CellCoordinatesException):
            return None
        if self.depth >= _MAX_DEPTH or number < 1:
            return None
        self.depth += 1
        text = self.text(number, column)
        self.depth -= 1
        return int(text) if text.isdigit() else None


def _as_text(value: Any) -> str:
    """A cell's value as text: dates dd/mm/yyyy, 3.0 as "3", its lines kept for now."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    lines = (" ".join(line.split()) for line in str(value).splitlines())
    return "\n".join(line for line in lines if line)
