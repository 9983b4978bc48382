"""What a plan reader hands to the importer: plain values, no database.

Every plan format (the seed text format now, .docx/.xlsx later) produces these
same values, so the importer and the code assignment never care where a plan
came from. Cell texts stay raw (units and deadlines are read elsewhere); they are
only normalised to NFC with single spaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from data.errors import UserError


def _located(line: int | None, message: str, where: str | None = None) -> str:
    """One line for a person: "Bảng 2, hàng 5: …", "Dòng 12: …", or the bare sentence."""
    if where:
        return f"{where}: {message}"
    return f"Dòng {line}: {message}" if line is not None else message[:1].upper() + message[1:]


class PlanFormatError(UserError):
    """The file cannot be read as a plan; ``str(error)`` is one Vietnamese line.

    ``line`` is 1-based, or None when the problem is the whole file (empty, too
    big, not text); ``message`` is the sentence without the line prefix.
    """

    def __init__(self, line: int | None, message: str, where: str | None = None) -> None:
        super().__init__(_located(line, message, where))
        self.line = line
        self.message = message


@dataclass(frozen=True)
class PlanWarning:
    """Something read with a guess or skipped; shown to the secretary after import."""

    line: int | None
    message: str
    where: str | None = None
    """Where the user finds the line in a Word or Excel file ("Bảng 2, hàng 5")."""

    def __str__(self) -> str:
        return _located(self.line, self.message, self.where)


@dataclass(frozen=True)
class ParsedTask:
    """One row of the task table.

    ``number`` is the number as written in the plan ("2", "1.2"), a sub-row's
    parent number plus a letter ("2a"), or None for an unnumbered row. ``parent``
    is the number of the task a sub-row (``-``, ``+``, ``a)``) belongs to; the
    parent stays a task of its own. ``officer_text`` is the person in charge as the
    plan names them ("Người xử lý"), matched to a registered officer at import.
    """

    number: str | None
    content: str
    lead_text: str
    coordinate_text: str
    deadline_text: str
    product: str
    notes: str
    follow_up: str
    line: int
    parent: str | None = None
    officer_text: str = ""
    sub_row: bool = False
    """Written as a sub-row ("-", "+", "a)") of the task above; lettered after its code."""


@dataclass(frozen=True)
class ParsedSection:
    """A Roman-numbered part of the table (or a ``1.`` group); "" for an unnamed part."""

    number: str
    title: str
    line: int
    tasks: list[ParsedTask] = field(default_factory=list)


@dataclass(frozen=True)
class ParsedPlan:
    """A whole plan; ``checksum`` is the sha256 of the normalised text (re-import detection)."""

    number: str | None
    symbol: str | None
    issuer_code: str | None
    title: str
    place: str | None
    issued_on: date | None
    year: int | None
    intro: str
    notes: list[str]
    sections: list[ParsedSection]
    warnings: list[PlanWarning]
    source: str
    checksum: str
    year_reason: str = ""
    """Why ``year`` is the plan's year, in Vietnamese ("theo tiêu đề «… năm 2026»")."""


Places = Sequence[str | None]
"""For a Word or Excel file lowered to text: where each text line (index = line - 1) is in
the file ("Bảng 2, hàng 5"), or None for a line the user cannot find by number."""


def _place(places: Places, line: int | None) -> str | None:
    return places[line - 1] if line is not None and 0 < line <= len(places) else None


def relocated(plan: ParsedPlan, places: Places) -> ParsedPlan:
    """``plan`` with its warnings citing the file's tables or rows, not text lines."""
    warnings = [replace(w, where=_place(places, w.line)) for w in plan.warnings]
    return replace(plan, warnings=warnings)


def relocated_error(error: PlanFormatError, places: Places) -> PlanFormatError:
    """``error`` citing the file's table or row; a text line number alone would mislead."""
    where = _place(places, error.line)
    return PlanFormatError(error.line if where else None, error.message, where)
