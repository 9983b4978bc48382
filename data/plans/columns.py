"""The header row of a task table: where it is and which column holds what.

Agencies name and order the columns of their plans freely ("Số TT" / "STT",
"Cơ quan thực hiện" / "Đơn vị chủ trì", "Thời gian thực hiện" / "Tiến độ"), so
columns are never taken by position. Names are compared on ``fold`` (no
diacritics, lower case), so a header typed without marks is read the same.
Cells are cleaned of the inline markup the seed format carries (``<b>``,
``<i>``, ``**``) before anything looks at them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from data.plans.parsed import PlanFormatError, PlanWarning
from data.text import fold, nfc


class Column(StrEnum):
    """The meanings a header cell can have."""

    NUMBER = "number"
    TASK = "task"
    LEAD = "lead"
    COORDINATE = "coordinate"
    DEADLINE = "deadline"
    PRODUCT = "product"
    NOTES = "notes"
    FOLLOW_UP = "follow_up"
    OFFICER = "officer"
    START = "start"
    """When the work begins ("Bắt đầu" under "Thời gian"): known, so not warned about, and
    never taken for the deadline; reminders follow the deadline alone."""


# Vietnamese names used in messages to the secretary.
LABELS: Mapping[Column, str] = {
    Column.NUMBER: "Số TT",
    Column.TASK: "Nội dung công việc",
    Column.LEAD: "Cơ quan thực hiện",
    Column.COORDINATE: "Cơ quan phối hợp",
    Column.DEADLINE: "Thời gian thực hiện",
    Column.PRODUCT: "Sản phẩm",
    Column.NOTES: "Ghi chú",
    Column.FOLLOW_UP: "Theo dõi, kiểm tra, đôn đốc",
    Column.OFFICER: "Người xử lý",
    Column.START: "Thời gian bắt đầu",
}

# What ``--column NAME=HEADER`` accepts: the columns a secretary may have to name.
MAPPABLE: tuple[Column, ...] = (
    Column.TASK,
    Column.LEAD,
    Column.COORDINATE,
    Column.DEADLINE,
    Column.OFFICER,
)

REQUIRED: tuple[Column, ...] = (Column.TASK, Column.DEADLINE)

# Tried in order, first match wins. The order carries the meaning: "Thời gian thực
# hiện" is a deadline before "thực hiện" makes a lead column; "Kết quả thực hiện"
# is a product; "Chủ trì, phối hợp" is a lead before "phối hợp" makes a
# coordinating column; "Nhiệm vụ thực hiện" is the task text.
_RULES: tuple[tuple[Column, re.Pattern[str]], ...] = tuple(
    (column, re.compile(pattern))
    for column, pattern in (
        (Column.NUMBER, r"^(so ?tt|stt|tt|so thu tu|thu tu)$"),
        (Column.START, r"bat dau|^tu ngay$"),
        (Column.DEADLINE, r"^(thoi gian|thoi han|tien do|han hoan thanh|moc|thoi diem)"),
        (Column.FOLLOW_UP, r"^theo doi|don doc"),
        (Column.PRODUCT, r"san pham|^ket qua"),
        (Column.NOTES, r"^ghi chu"),
        (Column.OFFICER, r"^(nguoi|can bo) (xu ly|thuc hien|phu trach)"),
        (Column.TASK, r"^(noi dung|nhiem vu|ten nhiem vu|cong viec|ten cong viec|hoat dong)"),
        (Column.LEAD, r"chu tri"),
        (Column.COORDINATE, r"phoi hop"),
        (Column.LEAD, r"thuc hien|trach nhiem|phan cong|^(co quan|don vi)$"),
    )
)

_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|\*\*")
_AFTER_OPEN = re.compile(r"([(\[“])\s+")
_BEFORE_CLOSE = re.compile(r"\s+([)\]”])")
# A data row starts with a task number or a Roman section number.
_ROW_NUMBER = re.compile(r"^(\d+(\.\d+)*|[IVX]+)\b")

# Columns whose line breaks may part units; a line ending or starting like this
# only wraps the text ("Sở Tài chính và" / "các đơn vị liên quan").
_UNIT_COLUMNS = (Column.LEAD, Column.COORDINATE)
_WRAPPING_END = re.compile(r"(,|;|-|–|\bva|\bvoi|\bcac|\bcua)$")
_WRAPPING_START = re.compile(r"^(va|voi|cua|thuoc|[-–(])(\W|$)")

# A header cell is short; a long cell is text, not a column name.
_MAX_NAME = 60


def classify(name: str) -> Column | None:
    """The meaning of one header cell, or None when the name is not recognised."""
    key = re.sub(r"[.:*]", "", fold(name)).strip()
    if not key or len(key) > _MAX_NAME:
        return None
    return next((column for column, rule in _RULES if rule.search(key)), None)


@dataclass(frozen=True)
class HeaderMap:
    """Column meaning -> cell index, plus the names that were left out and why."""

    columns: Mapping[Column, int]
    unknown: tuple[str, ...]
    duplicates: tuple[str, ...]

    @property
    def missing(self) -> tuple[Column, ...]:
        """Required columns the header lacks."""
        return tuple(column for column in REQUIRED if column not in self.columns)


def read_header(cells: Sequence[str], named: Mapping[Column, str] | None = None) -> HeaderMap:
    """Map header cells to meanings; the first cell of a meaning wins.

    ``named`` is the secretary's own mapping (``--column task=HEADER``): a cell
    with that name (compared folded) gets that meaning whatever its name would
    say, and recognition never gives a named meaning to another cell.
    """
    named = named or {}
    wanted = {fold(clean(name)): column for column, name in named.items()}
    columns: dict[Column, int] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for index, cell in enumerate(cells):
        column = wanted.get(fold(cell)) if cell else None
        if column is not None and column not in columns:
            columns[column] = index
    taken = set(columns.values())
    for index, cell in enumerate(cells):
        if not cell or index in taken:
            continue
        column = classify(cell)
        if column in named:
            column = None
        if column is None:
            unknown.append(cell)
        elif column in columns:
            duplicates.append(cell)
        else:
            columns[column] = index
    return HeaderMap(columns, tuple(unknown), tuple(duplicates))


def clean(text: str) -> str:
    """Text without inline markup (``<b>``, ``<i>``, ``**``), NFC, single spaces."""
    text = nfc(_MARKUP.sub("", text))
    return _BEFORE_CLOSE.sub(r"\1", _AFTER_OPEN.sub(r"\1", text))


def cell_text(lines: Sequence[str], column: Column | None) -> str:
    """A cell's lines as one line: units kept apart in unit columns, wrapped text joined.

    Word and Excel cells both break lines inside a cell, either between units
    ("Sở Tài chính" / "Sở Nội vụ") or only to wrap a long text; the text form
    has one line per row, so the break becomes "; " or a space.
    """
    kept = [" ".join(line.split()) for line in lines]
    kept = [line for line in kept if line]
    if column not in _UNIT_COLUMNS:
        return " ".join(kept)
    text = ""
    for line in kept:
        wraps = not text or _WRAPPING_END.search(fold(text)) or _WRAPPING_START.match(fold(line))
        text = f"{text} {line}".strip() if wraps else f"{text}; {line}"
    return text


def split_cells(line: str) -> list[str]:
    """Cells of one tab-separated line, cleaned."""
    return [clean(cell) for cell in line.split("\t")]


def column_options(columns: Sequence[Column]) -> str:
    """The ``--column`` options that would name ``columns``, for an error message."""
    return " ".join(f'--column {column.value}="TÊN CỘT"' for column in columns)


def missing_message(header: HeaderMap, cells: Sequence[str]) -> str:
    """One line: which required columns are missing, the headers found, what to type."""
    missing = ", ".join(LABELS[column] for column in header.missing)
    found = ", ".join(cell for cell in cells if cell)
    return (
        f"hàng tiêu đề bảng thiếu cột {missing} (các cột có: {found}); "
        f"chỉ rõ bằng {column_options(header.missing)}"
    )


def find_header(
    lines: Sequence[str], start: int, named: Mapping[Column, str] | None = None
) -> tuple[int, HeaderMap, list[PlanWarning]]:
    """The header row at or after ``lines[start]``: its index, its map, warnings on it.

    The header is the first tab-separated line naming a known column. When there
    is none, the first tab-separated line tells which error to give: a row
    starting with a number means the header is missing, anything else is a
    header whose names are all unknown.
    """
    needed = " và ".join(LABELS[column] for column in REQUIRED)
    first_table_line: int | None = None
    for index in range(start, len(lines)):
        if "\t" not in lines[index]:
            continue
        first_table_line = index if first_table_line is None else first_table_line
        cells = split_cells(lines[index])
        header = read_header(cells, named)
        if not header.columns:
            continue
        line = index + 1
        if header.missing:
            raise PlanFormatError(line, missing_message(header, cells))
        warnings = [
            PlanWarning(line, f"bỏ qua cột không nhận ra: {name}") for name in header.unknown
        ] + [PlanWarning(line, f"bỏ qua cột trùng nghĩa: {name}") for name in header.duplicates]
        return index, header, warnings
    if first_table_line is None:
        raise PlanFormatError(None, f"không tìm thấy bảng nhiệm vụ (cần các cột {needed})")
    cells = split_cells(lines[first_table_line])
    line = first_table_line + 1
    if cells[0] and not _ROW_NUMBER.match(cells[0]):
        names = ", ".join(cell for cell in cells if cell)
        raise PlanFormatError(
            line,
            f"hàng tiêu đề bảng không có cột nào nhận ra được ({names}); cần các cột {needed}; "
            f"chỉ rõ bằng {column_options(REQUIRED)}",
        )
    raise PlanFormatError(line, f"không tìm thấy hàng tiêu đề bảng (cần các cột {needed})")
