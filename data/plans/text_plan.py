"""Reader for plans in the seed text format (``shared/seed/*.txt``).

The layout is the one Word gives when a plan is saved as text: the number line
("Số: 125/KH-UBND"), the place and date line, the "KẾ HOẠCH" line and the title
(bold as ``**…**`` or plain), an introduction, the tab-separated task table
(read by ``text_table``), then closing paragraphs, the "Nơi nhận" block and the
signature. Lines may also be tab-separated pairs, as when the two-column heading
of a plan is saved as text. The reader is pure: text in, ``ParsedPlan`` out.
Cells are kept as raw text; units and deadlines are read by the importer.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from data.plans.codes import issuer_code
from data.plans.columns import Column, clean
from data.plans.identity import find_kind_line, plan_year
from data.plans.parsed import ParsedPlan, ParsedSection, ParsedTask, PlanFormatError, PlanWarning
from data.plans.text_table import read_table
from data.text import fold

__all__ = [
    "MAX_PLAN_BYTES",
    "ParsedPlan",
    "ParsedSection",
    "ParsedTask",
    "PlanFormatError",
    "PlanWarning",
    "parse_plan_text",
    "read_plan_bytes",
]

MAX_PLAN_BYTES = 5 * 1024 * 1024
_NOT_TEXT = "Tệp không phải văn bản UTF-8"
# Share of control characters above which a decoded file is junk, not a plan.
_MAX_CONTROL_SHARE = 0.01

_NUMBER_LINE = re.compile(r"^so\s*:?\s*[^/]*/")
_NUMBER_PARTS = re.compile(r"^\S+\s*:?\s*([^/]*?)\s*/\s*(\S.*)$")
_PLACE_DATE = re.compile(
    r"^(?P<place>\S[^,]*?)\s*,?\s*ngay\b\W*(?P<d>\d{1,2})?\W*thang\W*(?P<m>\d{1,2})?"
    r"\W*nam\W*(?P<y>\d{4})?"
)
_SIGNER = re.compile(
    r"^(tm|kt|tl|tuq|q)\.|^(pho )?(truong ban|chu tich|giam doc|thu truong|chanh van phong"
    r"|bi thu|truong phong)\b"
)


def read_plan_bytes(
    data: bytes, *, source: str, named: Mapping[Column, str] | None = None
) -> ParsedPlan:
    """Check the size, decode (UTF-8, optional BOM; UTF-16 with BOM) and parse."""
    if len(data) > MAX_PLAN_BYTES:
        size = len(data) / (1024 * 1024)
        raise PlanFormatError(None, f"Tệp quá lớn ({size:.1f} MiB, tối đa 5 MiB)")
    encoding = "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else None
    try:
        text = data.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError:
        raise PlanFormatError(None, _NOT_TEXT) from None
    return parse_plan_text(text, source=source, named=named)


def parse_plan_text(
    text: str, *, source: str, named: Mapping[Column, str] | None = None
) -> ParsedPlan:
    """Parse a whole plan; raises ``PlanFormatError`` naming the line at fault.

    ``named`` is the secretary's header -> column mapping (``--column``).
    """
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise PlanFormatError(None, "Tệp rỗng")
    if not _looks_like_text(text):
        raise PlanFormatError(None, _NOT_TEXT)
    lines = text.split("\n")
    kind = find_kind_line(lines)
    plan_line = None if kind is None else kind.index
    table = read_table(lines, 0 if plan_line is None else plan_line + 1, named)
    warnings: list[PlanWarning] = []
    if kind is None:
        warnings.append(PlanWarning(None, "không tìm thấy dòng “KẾ HOẠCH” và tên kế hoạch"))
        title, body_start = "", 0
    elif kind.title:
        title, body_start = kind.title, kind.index + 1
    else:
        title, body_start = _read_title(lines, kind.index + 1)
    heading = _read_heading(lines[: plan_line if plan_line is not None else table.header_index])
    issued_on = _issued_on(heading, warnings)
    year = plan_year(title, issued_on, heading.year)
    intro = [clean(line) for line in lines[body_start : table.header_index]]
    return ParsedPlan(
        number=heading.number,
        symbol=heading.symbol,
        issuer_code=issuer_code(heading.symbol),
        title=title,
        place=heading.place,
        issued_on=issued_on,
        year=year.year,
        year_reason=year.reason,
        intro="\n".join(line for line in intro if line and line not in heading.used),
        notes=_read_closing(lines[table.end_index :]),
        sections=table.sections,
        warnings=warnings + table.warnings,
        source=source,
        checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def _looks_like_text(text: str) -> bool:
    if "\x00" in text:
        return False
    control = sum(
        1
        for ch in text
        if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\t\n")
    )
    return control <= _MAX_CONTROL_SHARE * len(text)


def _read_title(lines: Sequence[str], start: int) -> tuple[str, int]:
    """The line after "KẾ HOẠCH" plus the bold lines continuing it; and where the body starts."""
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == len(lines) or "\t" in lines[index]:
        return "", index
    parts, bold = [clean(lines[index])], lines[index].lstrip().startswith("**")
    index += 1
    while bold and index < len(lines) and lines[index].lstrip().startswith("**"):
        parts.append(clean(lines[index]))
        index += 1
    return " ".join(parts), index


@dataclass(frozen=True)
class _Heading:
    number: str | None = None
    symbol: str | None = None
    place: str | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None
    used: frozenset[str] = frozenset()


def _read_heading(lines: Sequence[str]) -> _Heading:
    """Number, symbol, place and date from the lines before the title (first match wins)."""
    heading = _Heading()
    for cell in (clean(part) for line in lines for part in line.split("\t")):
        key = fold(cell)
        parts = _NUMBER_PARTS.match(cell)
        if heading.symbol is None and _NUMBER_LINE.match(key) and parts:
            number = parts[1] if any(ch.isdigit() for ch in parts[1]) else None
            symbol = parts[2].replace(" ", "")
            heading = replace(heading, number=number, symbol=symbol, used=heading.used | {cell})
        elif heading.place is None and (match := _PLACE_DATE.match(key)):
            place = cell[: match.end("place")] if len(key) == len(cell) else cell.split(",")[0]
            day, month, year = (int(match[g]) if match[g] else None for g in ("d", "m", "y"))
            heading = replace(
                heading, place=place, day=day, month=month, year=year, used=heading.used | {cell}
            )
    return heading


def _issued_on(heading: _Heading, warnings: list[PlanWarning]) -> date | None:
    """The signing date when the date line is complete and valid."""
    if heading.year is None or heading.month is None or heading.day is None:
        return None
    try:
        return date(heading.year, heading.month, heading.day)
    except ValueError:
        warnings.append(PlanWarning(None, "ngày ban hành không hợp lệ"))
        return None


def _read_closing(lines: Sequence[str]) -> list[str]:
    """Closing paragraphs and the "Nơi nhận" block (one note, one line per recipient).

    Lines after a signer's title ("TRƯỞNG BAN", "KT. CHỦ TỊCH") are the signature
    (name, "đã ký") and are left out, except list lines that continue the
    "Nơi nhận" block, which Word often puts side by side with the signature.
    """
    blocks: list[list[str]] = []
    recipients: list[str] | None = None
    signed = False
    for cell in (clean(part) for line in lines for part in line.split("\t")):
        key = fold(cell)
        if not cell:
            continue
        if key.startswith("noi nhan"):
            recipients = [cell]
            blocks.append(recipients)
        elif recipients is not None and cell[0] in "-+•":
            recipients.append(cell)
        elif _SIGNER.match(key) and cell == cell.upper():
            signed = True
        elif not signed:
            recipients = None
            blocks.append([cell])
    return ["\n".join(block) for block in blocks]
