"""Which column of a task table holds what, decided by the header names.

Agencies name and order the columns of their plans freely ("Số TT" / "STT",
"Cơ quan thực hiện" / "Đơn vị chủ trì", "Thời gian thực hiện" / "Tiến độ"), so
columns are never taken by position. Names are compared on ``fold`` (no
diacritics, lower case), so a header typed without marks is read the same.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from data.text import fold


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
}

REQUIRED: tuple[Column, ...] = (Column.TASK, Column.DEADLINE)

# Tried in order, first match wins. The order carries the meaning: "Thời gian thực
# hiện" is a deadline before "thực hiện" makes a lead column; "Kết quả thực hiện"
# is a product; "Chủ trì, phối hợp" is a lead before "phối hợp" makes a
# coordinating column; "Nhiệm vụ thực hiện" is the task text.
_RULES: tuple[tuple[Column, re.Pattern[str]], ...] = tuple(
    (column, re.compile(pattern))
    for column, pattern in (
        (Column.NUMBER, r"^(so ?tt|stt|tt|so thu tu|thu tu)$"),
        (Column.DEADLINE, r"^(thoi gian|thoi han|tien do|han hoan thanh|moc|thoi diem)"),
        (Column.FOLLOW_UP, r"^theo doi|don doc"),
        (Column.PRODUCT, r"san pham|^ket qua"),
        (Column.NOTES, r"^ghi chu"),
        (Column.TASK, r"^(noi dung|nhiem vu|ten nhiem vu|cong viec|ten cong viec|hoat dong)"),
        (Column.LEAD, r"chu tri"),
        (Column.COORDINATE, r"phoi hop"),
        (Column.LEAD, r"thuc hien|trach nhiem|phan cong|^(co quan|don vi)$"),
    )
)

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


def read_header(cells: Sequence[str]) -> HeaderMap:
    """Map header cells to meanings; the first cell of a meaning wins."""
    columns: dict[Column, int] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for index, cell in enumerate(cells):
        if not cell:
            continue
        column = classify(cell)
        if column is None:
            unknown.append(cell)
        elif column in columns:
            duplicates.append(cell)
        else:
            columns[column] = index
    return HeaderMap(columns, tuple(unknown), tuple(duplicates))
