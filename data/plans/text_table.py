"""The task table of a text plan: tab-separated rows -> sections and tasks.

The table starts at the first row whose cells name known columns (see
``columns``) and ends at the first non-blank line without a tab. Rows are
read as follows; the choices are the ones a person reading the plan would make:

- A Roman number ("I", "IV.", or "VII Công tác khác" in one cell) opens a section.
  A table without Roman rows but with numbers like ``1.1`` uses as sections its
  ``1.`` rows followed by their ``1.x`` rows, and those with no unit and no
  deadline (a title). A ``7.`` row with a unit or a deadline and no ``7.x`` rows
  is a task, even among groups ("6.", "6.1", "6.2", "7."): it stays in the
  current section, keeps its number and its code (``KH24-7``). A table with
  neither puts every task in one unnamed section ("").
- A row starting with ``-``, ``+``, ``•`` or ``a)`` is a sub-row: a task of its
  own, numbered after its parent ("2a", "2b", ...); the parent stays a task. Its
  empty unit and deadline cells were merged cells in the source, so they are
  filled from the row above (the parent or the previous sub-row). The sub-rows
  of an unnumbered task are lettered after its code (``codes``).
- Empty unit and deadline cells of an ordinary task are filled only from its
  section row (a merged cell starting there), never from a sibling task: two
  siblings sharing a value cannot be told from a task whose cell is missing.
  A task outside its group's numbering ("7" after group "6") is not filled.
- A row repeating the previous task's number and text (or with no text at all)
  adds its units to that task: one task over two rows is still one task.
- A column-numbering row "(1) (2) (3)" and blank lines are skipped.
- A section row that carries a deadline or unit but gets no task is its own task.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum, auto
from string import ascii_lowercase

from data.plans.columns import Column, HeaderMap, find_header, split_cells
from data.plans.parsed import ParsedSection, ParsedTask, PlanFormatError, PlanWarning
from data.text import fold, nfc

_ROMAN = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
_SECTION_CELL = re.compile(rf"^({_ROMAN})(?:[.)/]?$|[.)/]?\s+(\S.*)$)")
_SECTION_TEXT = re.compile(rf"^({_ROMAN})[.)/]\s*(\S.*)$")
_NUMBER_CELL = re.compile(r"^(\d+(?:\.\d+)*)[.)]?$")
_NUMBER_TEXT = re.compile(r"^(?:(\d+(?:\.\d+)+)\.?|(\d+)[.)])\s+(\S.*)$")
_SUB_CELL = re.compile(r"^(?:[-+•*–—]|[a-zđ][.)]?)$")
_SUB_TEXT = re.compile(r"^(?:[-+•*–—]|[a-zđ][.)])\s*(\S.*)$")
_COLUMN_NUMBER = re.compile(r"^\(?(\d+)\)?$")

# Cells that merged cells leave empty in the rows below the first.
_INHERITED = (Column.LEAD, Column.COORDINATE, Column.DEADLINE, Column.OFFICER)
_JOINED = (*_INHERITED, Column.PRODUCT, Column.NOTES, Column.FOLLOW_UP)


class _Kind(Enum):
    SECTION = auto()
    TASK = auto()
    SUB = auto()
    MORE = auto()  # no text: more units or deadline for the task above
    SKIP = auto()


@dataclass(frozen=True)
class _Row:
    line: int
    kind: _Kind
    number: str | None
    text: str
    cells: Mapping[Column, str]


@dataclass(frozen=True)
class Table:
    """The table found in a plan: where it is and what it holds."""

    header_index: int
    end_index: int
    sections: list[ParsedSection]
    warnings: list[PlanWarning]


def read_table(
    lines: Sequence[str], start: int, named: Mapping[Column, str] | None = None
) -> Table:
    """Find the table at or after ``lines[start]`` and read it.

    ``named`` maps columns to header names the secretary gave (``--column``).
    Raises ``PlanFormatError`` when there is no usable header row or no task.
    """
    header_index, header, warnings = find_header(lines, start, named)
    end = header_index + 1
    while end < len(lines) and (
        "\t" in lines[end] or not lines[end].strip() or lines[end].lstrip().startswith("<b>")
    ):
        end += 1
    rows = _with_groups([_classify(i + 1, lines[i], header) for i in range(header_index + 1, end)])
    builder = _Builder(warnings)
    for row in rows:
        builder.add(row)
    sections = builder.finish()
    if not any(section.tasks for section in sections):
        raise PlanFormatError(header_index + 1, "bảng nhiệm vụ không có nhiệm vụ nào")
    return Table(header_index, end, sections, warnings)


def _is_column_numbering(cells: Sequence[str]) -> bool:
    numbers = [_COLUMN_NUMBER.match(cell) for cell in cells if cell]
    if len(numbers) < 2 or not all(numbers):
        return False
    values = [int(match[1]) for match in numbers if match]
    return values == list(range(values[0], values[0] + len(values)))


def _classify(line: int, text_line: str, header: HeaderMap) -> _Row:
    raw = split_cells(text_line)
    cells = {col: raw[i] if i < len(raw) else "" for col, i in header.columns.items()}
    if _is_column_numbering(raw):
        return _Row(line, _Kind.SKIP, None, "", cells)
    mark, text = cells.get(Column.NUMBER, ""), cells.get(Column.TASK, "")
    kind, number = _Kind.TASK, mark or None
    if match := _SECTION_CELL.match(mark):
        kind, number, text = _Kind.SECTION, match[1], nfc(f"{match[2] or ''} {text}")
    elif match := _NUMBER_CELL.match(mark):
        number = match[1]
    elif _SUB_CELL.match(mark):
        kind, number = _Kind.SUB, None
    elif mark:
        pass  # an unusual number ("1a", "2*") is kept as written
    elif match := _SECTION_TEXT.match(text):
        kind, number, text = _Kind.SECTION, match[1], match[2]
    elif match := _NUMBER_TEXT.match(text):
        number, text = match[1] or match[2], match[3]
    elif match := _SUB_TEXT.match(text):
        kind, text = _Kind.SUB, match[1]
    elif not text:
        kind = _Kind.MORE if any(cells.values()) else _Kind.SKIP
    return _Row(line, kind, number, text, cells)


def _with_groups(rows: list[_Row]) -> list[_Row]:
    """Without Roman sections, ``1.`` rows become sections when ``1.1`` rows exist.

    Within Roman sections a ``1.`` row with no unit and no deadline followed by its
    ``1.x`` rows is a group heading, not a task (it would be an empty task, counted
    and shown with nothing to do): it is dropped and its title kept in the notes of
    the tasks under it.
    """
    if any(row.kind is _Kind.SECTION for row in rows):
        return _inner_groups(rows)
    numbers = [row.number for row in rows if row.kind is _Kind.TASK and row.number]
    if not any("." in number for number in numbers):
        return rows
    out = list(rows)
    for index, row, after in _numbered(rows):
        if (row.number or "").isdigit() and (_heads(row, after) or not _has_work(row)):
            out[index] = replace(row, kind=_Kind.SECTION)
    return out


def _numbered(rows: list[_Row]) -> list[tuple[int, _Row, str | None]]:
    """Each numbered task row with its index and the number of the next numbered task row."""
    tasks = [i for i, row in enumerate(rows) if row.kind is _Kind.TASK and row.number]
    return [
        (index, rows[index], rows[tasks[k + 1]].number if k + 1 < len(tasks) else None)
        for k, index in enumerate(tasks)
    ]


def _heads(row: _Row, after: str | None) -> bool:
    """True for "6." followed by "6.1": the row opens a group of its own numbered rows."""
    return (after or "").startswith(f"{row.number}.")


def _has_work(row: _Row) -> bool:
    """A unit or a deadline: a row with either is work to remind about, not only a title."""
    return any(row.cells.get(column) for column in _INHERITED)


def _inner_groups(rows: list[_Row]) -> list[_Row]:
    out = list(rows)
    group: tuple[str, str] | None = None
    for index, row, after in _numbered(rows):
        number = row.number or ""
        if number.isdigit() and _heads(row, after) and not _has_work(row):
            out[index] = replace(row, kind=_Kind.SKIP)
            group = (number, row.text)
        elif group is not None and number.startswith(f"{group[0]}."):
            notes = _join(row.cells.get(Column.NOTES, ""), f"Nhóm {group[0]}: {group[1]}")
            out[index] = replace(row, cells={**row.cells, Column.NOTES: notes})
        else:
            group = None
    return out


def _join(first: str, second: str) -> str:
    if not second or fold(second) in fold(first):
        return first
    return f"{first}; {second}" if first else second


def _cells_of(task: ParsedTask) -> dict[Column, str]:
    return {
        Column.LEAD: task.lead_text,
        Column.COORDINATE: task.coordinate_text,
        Column.DEADLINE: task.deadline_text,
        Column.PRODUCT: task.product,
        Column.NOTES: task.notes,
        Column.FOLLOW_UP: task.follow_up,
        Column.OFFICER: task.officer_text,
    }


def _task(
    row: _Row, number: str | None, cells: Mapping[Column, str], parent: str | None = None
) -> ParsedTask:
    return ParsedTask(
        number=number,
        content=row.text,
        lead_text=cells.get(Column.LEAD, ""),
        coordinate_text=cells.get(Column.COORDINATE, ""),
        deadline_text=cells.get(Column.DEADLINE, ""),
        product=cells.get(Column.PRODUCT, ""),
        notes=cells.get(Column.NOTES, ""),
        follow_up=cells.get(Column.FOLLOW_UP, ""),
        line=row.line,
        parent=parent,
        officer_text=cells.get(Column.OFFICER, ""),
    )


class _Builder:
    """Puts classified rows into sections, one row at a time."""

    def __init__(self, warnings: list[PlanWarning]) -> None:
        self.warnings = warnings
        self.sections: list[ParsedSection] = []
        self.section_row: _Row | None = None
        self.tasks: list[ParsedTask] = []
        self.parent: ParsedTask | None = None
        self.subs = 0

    def add(self, row: _Row) -> None:
        if row.kind is _Kind.SECTION:
            self._close()
            self.section_row = row
        elif row.kind is _Kind.SUB and self.parent is not None:
            self._add_sub(row)
        elif row.kind is _Kind.MORE or self._repeats(row):
            self._merge(row)
        elif row.kind is not _Kind.SKIP:
            self._add_task(row)

    def finish(self) -> list[ParsedSection]:
        self._close()
        if len(self.sections) > 1 and not self.sections[0].number:
            self.warnings.append(
                PlanWarning(self.sections[0].line, "có nhiệm vụ nằm trước mục đầu tiên của bảng")
            )
        return self.sections

    def _repeats(self, row: _Row) -> bool:
        last = self.tasks[-1] if self.tasks else None
        return (
            last is not None
            and row.number is not None
            and row.number == last.number
            and (not row.text or fold(row.text) == fold(last.content))
        )

    def _add_task(self, row: _Row) -> None:
        if not row.text:
            self.warnings.append(PlanWarning(row.line, f"nhiệm vụ {row.number} không có nội dung"))
            return
        section = self.section_row
        section_cells = section.cells if section is not None and self._in_group(row) else {}
        cells = {**row.cells}
        for column in _INHERITED:
            cells[column] = cells.get(column) or section_cells.get(column, "")
        task = _task(row, row.number, cells)
        self._append(task)
        self.parent, self.subs = task, 0

    def _add_sub(self, row: _Row) -> None:
        assert self.parent is not None
        above = _cells_of(self.tasks[-1])
        cells = {**row.cells}
        for column in _INHERITED:
            cells[column] = cells.get(column) or above[column]
        parent = self.parent.number
        number = f"{parent}{ascii_lowercase[self.subs % 26]}" if parent else None
        self.subs += 1
        self._append(replace(_task(row, number, cells, parent), sub_row=True))

    def _in_group(self, row: _Row) -> bool:
        """False for "7" in group "6": the group's merged cells do not reach it."""
        group = self.section_row.number or "" if self.section_row else ""
        return not (group.isdigit() and row.number and not row.number.startswith(f"{group}."))

    def _merge(self, row: _Row) -> None:
        if not self.tasks:
            self.warnings.append(PlanWarning(row.line, "bỏ qua dòng không có nội dung nhiệm vụ"))
            return
        last = self.tasks[-1]
        cells = _cells_of(last)
        joined = {column: _join(cells[column], row.cells.get(column, "")) for column in _JOINED}
        merged = _task(replace(row, text=last.content), last.number, joined, last.parent)
        self.tasks[-1] = replace(merged, line=last.line)
        if self.parent is last:
            self.parent = self.tasks[-1]

    def _append(self, task: ParsedTask) -> None:
        if not task.deadline_text:
            self.warnings.append(PlanWarning(task.line, "nhiệm vụ không có thời gian thực hiện"))
        if not task.lead_text:
            self.warnings.append(PlanWarning(task.line, "nhiệm vụ không có cơ quan thực hiện"))
        self.tasks.append(task)

    def _close(self) -> None:
        row = self.section_row
        if row is None and not self.tasks:
            return
        if row is not None and not self.tasks:
            if any(row.cells.get(column) for column in _INHERITED):
                self._append(_task(row, None, row.cells))
            else:
                self.warnings.append(PlanWarning(row.line, f"mục {row.number} không có nhiệm vụ"))
        number, title = (row.number or "", row.text) if row else ("", "")
        line = row.line if row else self.tasks[0].line
        self.sections.append(ParsedSection(number, title, line, self.tasks))
        self.section_row, self.tasks, self.parent, self.subs = None, [], None, 0
