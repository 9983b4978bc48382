"""Lexical layer of the deadline parser: folded text with offsets, and the atoms found in it.

``data.deadlines`` turns atoms into occurrences; this module only finds them. Matching
runs on a *folded* copy of the cell (no diacritics, lower case, one kind of dash, spaces
around separators removed) so that "Quý IV/ 2026", "quy iv/2026" and "QUÝ IV/2026" look
the same, while every folded character keeps the offset of the character it came from so
that each occurrence can quote its own fragment of the original (NFC) text.

An atom is one time expression ("Quý II", "15/6/2022", "tháng 3", "hằng tháng", "Khi có
yêu cầu") with its span. Patterns are tried in a fixed priority order and a later pattern
never takes characters an earlier one claimed, which is how "15/12 hằng năm" stays one
recurring atom instead of a date plus a yearly rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from data.text import normalize_dashes, strip_diacritics

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_Q = r"(?:iv|iii|ii|i|[1-4])(?![a-z])"
_Y = r"(?:\s*(?:/|-|\.|nam\b)?\s*(\d{4}))"  # an optional trailing year: "/2022", " năm 2022"
_WEEKDAYS = {"hai": "MO", "ba": "TU", "tu": "WE", "nam": "TH", "sau": "FR", "bay": "SA"}
_ORDINALS = {"nhat": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5}


@dataclass(frozen=True)
class Folded:
    """The folded working string and, for each of its characters, an offset into ``original``."""

    original: str
    text: str
    offsets: tuple[int, ...]

    def quote(self, start: int, end: int) -> str:
        """The original text behind ``text[start:end]``, trimmed of separators."""
        end = min(end, len(self.text))
        if end <= start:
            return ""
        piece = self.original[self.offsets[start] : self.offsets[end - 1] + 1]
        return piece.strip(" ,;:.-–()[]")


def _fold_char(ch: str) -> str:
    folded = strip_diacritics(normalize_dashes(ch)).lower()
    return folded if len(folded) == 1 else " "


def _rewrite(
    folded: Folded, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]
) -> Folded:
    """Apply ``pattern.sub(repl)`` to the folded text while keeping offsets aligned."""
    text, offsets = folded.text, folded.offsets
    out: list[str] = []
    out_offsets: list[int] = []
    pos = 0
    for match in pattern.finditer(text):
        out.append(text[pos : match.start()])
        out_offsets.extend(offsets[pos : match.start()])
        new = repl(match)
        width = match.end() - match.start()
        out.append(new)
        out_offsets.extend(offsets[match.start() + min(k, width - 1)] for k in range(len(new)))
        if new:
            out_offsets[-1] = offsets[match.end() - 1]
        pos = match.end()
    out.append(text[pos:])
    out_offsets.extend(offsets[pos:])
    return Folded(folded.original, "".join(out), tuple(out_offsets))


_SPACED_SLASH = re.compile(r"\s*/\s*")
_SPACED_SEPARATOR = re.compile(r"(?<=\d)\s*([.\-])\s*(?=\d)")
_SPLIT_YEAR = re.compile(r"(?<=/)(\d{1,3}) (\d{1,3})(?!\d)")


def _join_split_year(match: re.Match[str]) -> str:
    joined = match.group(1) + match.group(2)
    return joined if len(joined) == 4 and joined[:2] in {"19", "20"} else match.group(0)


_QUI = re.compile(r"\bqui\b")
_LINE_BREAK = re.compile(r"\s*\n\s*(?=(.?))")
_SPACES = re.compile(r"[^\S\n]+")


def _normalise(raw: str) -> str:
    """NFC with single spaces; a line break is kept only where a new item starts.

    Word wraps long cells ("Trước ngày 10 của⏎tháng liền kề": one phrase), while a line
    starting with a capital or a list mark ("Quý II/2026⏎Quý IV/2026") is a new item.
    """
    text = unicodedata.normalize("NFC", raw).strip()
    text = _LINE_BREAK.sub(lambda m: "\n" if m[1].isupper() or m[1] in "-+•" else " ", text)
    return _SPACES.sub(" ", text)


def fold_with_offsets(raw: str) -> Folded:
    """Normalise ``raw`` (see ``_normalise``) and build its folded, offset-tracking copy."""
    original = _normalise(raw)
    folded = Folded(
        original, "".join(_fold_char(ch) for ch in original), tuple(range(len(original)))
    )
    folded = _rewrite(folded, _QUI, lambda m: "quy")  # "Quí", as older plans spell it
    folded = _rewrite(folded, _SPACED_SLASH, lambda m: "/")
    folded = _rewrite(folded, _SPACED_SEPARATOR, lambda m: m.group(1))
    return _rewrite(folded, _SPLIT_YEAR, _join_split_year)


# Cross-references ("Quyết định số 12/QĐ-UBND ngày 15/3/2022") are blanked out first: the
# dates inside them are issue dates of other documents, never deadlines.
_DATE_TEXT = r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}"
_ISSUED = rf"\s*,?\s*(?:ngay|ban hanh ngay)\s*(?:{_DATE_TEXT})"
_CROSS_REFERENCE = re.compile(
    rf"(?:\bso\s*)?\b\d+(?:/\d+)*/[a-z][a-z0-9&/\-]*(?:{_ISSUED})?"
    rf"|\bso\s*\d+{_ISSUED}"  # "số 382 ngày 31/12/2021": a reference without its letters
)


MASK = "#"  # fills a blanked cross-reference, so that "theo kế hoạch số …" is not on_request


@dataclass(frozen=True)
class Atom:
    """One time expression found in the folded text.

    ``unit`` says how to read ``values``: day (month, day), month (month,), part (month,
    part 0..2), week (month, n; n=-1 is the last week), quarter (q,), head (n months from
    January), tail (n months to December), year (), years (first, last), schoolyear
    (first, last), blocked (), recurring (rule, flags), continuous (), on_request ().
    """

    start: int
    end: int
    unit: str
    values: tuple[int | str, ...] = ()
    year: int | None = None


def _year(raw: str | None) -> int | None:
    if raw is None:
        return None
    value = int(raw)
    return value + 2000 if len(raw) == 2 else value


def _roman_or_digit(raw: str) -> int:
    return ROMAN[raw] if raw in ROMAN else int(raw)


Builder = Callable[[re.Match[str]], Iterator[Atom]]


def _single(
    unit: str, values: Callable[[re.Match[str]], tuple[int | str, ...]], year: int
) -> Builder:
    """Builder for patterns giving one atom whose year is in group ``year`` (0: none)."""

    def build(match: re.Match[str]) -> Iterator[Atom]:
        found = _year(match.group(year)) if year else None
        yield Atom(match.start(), match.end(), unit, values(match), found)

    return build


def _series(unit: str, numeral: str) -> Builder:
    """One atom per numeral of "Quý I, II/2022" or "Tháng 6, 9, 12/2022".

    Group 1 holds the numerals and group 2 the trailing year, which applies to all.
    """

    def build(match: re.Match[str]) -> Iterator[Atom]:
        numerals = list(re.finditer(numeral, match.group(1)))
        found = _year(match.group(2))
        base = match.start(1)
        for k, each in enumerate(numerals):
            start = match.start() if k == 0 else base + each.start()
            end = match.end() if k == len(numerals) - 1 else base + each.end()
            yield Atom(start, end, unit, (_roman_or_digit(each.group()),), found)

    return build


def _recurring(base: str, months: str = "", day: int = 0) -> Builder:
    """Builder for a recurring rule; the match may give the day, the month and a weekday.

    Values are (base rule, BYMONTH list, BYMONTHDAY or 0, flags) where flags holds
    "before" for a "trước" prefix, "next" for "năm liền kề" (due the following year) and
    "cadence" when the text gives no day ("hằng năm", "định kỳ 6 tháng").
    """

    def build(match: re.Match[str]) -> Iterator[Atom]:
        groups = match.groupdict()
        flags = " ".join(f for f in ("before", "next") if groups.get(f))
        if not groups.get("day"):
            flags += " cadence"  # no day of its own: a "trước ngày D" nearby may give it
        rule = base.format(wday=_WEEKDAYS.get(groups.get("wday") or "", ""))
        found_months = groups.get("month") or months
        found_day = int(groups["day"]) if groups.get("day") else day
        values = (rule, str(int(found_months)) if found_months.isdigit() else found_months)
        yield Atom(match.start(), match.end(), "recurring", (*values, found_day, flags))

    return build


def _from_year(match: re.Match[str]) -> Iterator[Atom]:
    """ "2026 và các năm tiếp theo": every year's end from that year on (its ``year``)."""
    yield Atom(
        match.start(), match.end(), "recurring", ("FREQ=YEARLY", "12", 31, ""), _year(match[1])
    )


_BEFORE = r"(?:(?P<before>\btruoc)\s+)?(?:(?:cham nhat|han|vao)\s+)?"
_D = r"(\d{1,2})"
_M = r"(?:1[0-2]|0?[1-9])(?!\d)"  # a month number, in lists such as "Tháng 6, 9, 12/2022"
_YEAR_OPT = _Y + "?"


def _months(match: re.Match[str]) -> Iterator[Atom]:
    """ "Tháng 6", "tháng 01/2023", "tháng 6 năm 2022", "tháng 6/22"."""
    found = _year(match.group(2) or match.group(3))
    yield Atom(match.start(), match.end(), "month", (int(match.group(1)),), found)


def _years(match: re.Match[str]) -> Iterator[Atom]:
    """ "Năm 2022", "Cả năm", "Trong năm" (year from the plan) or a bare "2025"."""
    found = _year(match.group(1) or match.group(2))
    yield Atom(match.start(), match.end(), "year", (), found)


def _week_number(raw: str) -> int:
    if raw.startswith("dau"):
        return 1
    if raw.startswith("cuoi"):
        return -1
    word = raw.split()[-1]
    return _ORDINALS.get(word) or int(word)


def _part_number(raw: str) -> int:
    """0, 1, 2 for the first, middle and last ten days of a month (thượng/trung/hạ tuần)."""
    head = raw.split()[0]
    return {"dau": 0, "thuong": 0, "giua": 1, "trung": 1, "cuoi": 2, "ha": 2}[head]


PATTERNS: tuple[tuple[re.Pattern[str], Builder], ...] = tuple(
    (re.compile(source), builder)
    for source, builder in (
        # recurring rules first, so their dates are not read as one-off dates
        (
            _BEFORE + r"(?:ngay\s+)?(?P<day>\d{1,2})[/.\-](?P<month>\d{1,2})\s+(?:cua\s+)?"
            r"(?:(?:hang|moi)\s+nam|nam\s+bao\s+cao|(?P<next>nam\s+(?:lien\s+ke|sau|tiep\s+theo)))",
            _recurring("FREQ=YEARLY"),
        ),
        (
            _BEFORE + r"ngay\s+(?P<day>\d{1,2})\s+(?:cua\s+)?thang\s+dau(?:\s+tien)?\s+"
            r"(?:cua\s+)?quy\s+(?:sau|tiep\s+theo)",
            _recurring("FREQ=YEARLY", "1,4,7,10"),
        ),
        (
            _BEFORE + r"ngay\s+(?P<day>\d{1,2})\s+(?:cua\s+)?thang\s+dau(?:\s+tien)?\s+"
            r"(?:cua\s+)?(?P<next>nam\s+(?:sau|tiep\s+theo))",
            _recurring("FREQ=YEARLY", "1"),
        ),
        (
            _BEFORE + r"ngay\s+(?P<day>\d{1,2})\s+(?:cua\s+)?"
            r"(?:(?:hang|moi|cac)\s+thang|thang\s+(?:sau|tiep\s+theo|lien\s+ke))",
            _recurring("FREQ=MONTHLY"),
        ),
        (
            _BEFORE + r"ngay\s+(?P<day>\d{1,2})\s+(?:cua\s+)?thang\s+cuoi\s+(?:cua\s+)?"
            r"(?:(?:hang|moi|cac)\s+)?quy",
            _recurring("FREQ=YEARLY", "3,6,9,12"),
        ),
        (
            r"\b(?:tu\s+)?(?:nam\s+)?((?:19|20)\d{2})\s+va\s+(?:cac|nhung)\s+nam\s+"
            r"(?:tiep\s+theo|sau)",
            _from_year,
        ),
        (
            r"\bthu\s+(?P<wday>hai|ba|tu|nam|sau|bay)\s+(?:hang|moi|cac)\s+tuan",
            _recurring("FREQ=WEEKLY;BYDAY={wday}"),
        ),
        (
            r"\b(?:dinh\s+ky\s+|hang\s+)?0?6\s+thang\s*(?:/|mot)\s*lan|\bdinh\s+ky\s+0?6\s+thang",
            _recurring("FREQ=YEARLY", "6,12", -1),
        ),
        (r"\b(?:hang|moi)\s+tuan", _recurring("FREQ=WEEKLY;BYDAY=FR")),
        (r"\b(?:hang|moi)\s+thang|\bdinh\s+ky\s+thang", _recurring("FREQ=MONTHLY", "", -1)),
        (
            r"\b(?:hang|moi)\s+quy|\bdinh\s+ky\s+quy",
            _recurring("FREQ=YEARLY", "3,6,9,12", -1),
        ),
        (
            r"\b(?:hang|moi)\s+nam\b(?!\s*\d)|\bdinh\s+ky\s+nam",
            _recurring("FREQ=YEARLY", "12", 31),
        ),
        (
            r"\b(?:thuong\s+xuyen|lien\s+tuc|hang\s+ngay|dai\s+han"
            r"|trong\s+qua\s+trinh\s+thuc\s+hien)\b",
            _single("continuous", lambda m: (), 0),
        ),
        (
            r"\b(?:khi\s+(?:co|duoc)\s+yeu\s+cau|theo\s+yeu\s+cau|khi\s+can\s+thiet|dot\s+xuat"
            r"|theo\s+(?:huong\s+dan|chi\s+dao|ke\s+hoach|thong\s+bao|lich|lo\s+trinh)\b"
            r"(?!\s*(?:so\b|#)))",
            _single("on_request", lambda m: (), 0),
        ),
        # one-off time expressions, most specific first
        (
            rf"(?<![\d/.\-]){_D}([/.\-]){_D}\2(\d{{4}}|\d{{2}})(?![\d/])",
            _single("day", lambda m: (int(m.group(3)), int(m.group(1))), 4),
        ),
        (
            rf"\btuan\s+(dau(?:\s+tien)?|cuoi(?:\s+cung)?|thu\s+(?:\d|nhat|hai|ba|tu|nam))"
            rf"\s+(?:cua\s+)?thang\s+{_D}{_YEAR_OPT}",
            _single("week", lambda m: (int(m.group(2)), _week_number(m.group(1))), 3),
        ),
        (
            rf"\b(?:ngay\s+)?{_D}\s+thang\s+{_D}{_YEAR_OPT}",
            _single("day", lambda m: (int(m.group(2)), int(m.group(1))), 3),
        ),
        (
            rf"\b0?(\d{{1,2}})\s+thang\s+(dau|cuoi)\s+nam{_YEAR_OPT}",
            _single("head_or_tail", lambda m: (m.group(2), int(m.group(1))), 3),
        ),
        (
            r"\bnam\s+hoc\s*(\d{4})-(\d{4})",
            _single("schoolyear", lambda m: (int(m.group(1)), int(m.group(2))), 0),
        ),
        (
            rf"\b(dau|giua|cuoi|thuong\s+tuan|trung\s+tuan|ha\s+tuan)\s+thang\s+{_D}{_YEAR_OPT}",
            _single("part", lambda m: (int(m.group(2)), _part_number(m.group(1))), 3),
        ),
        (
            rf"\b(?:dau|giua)\s+(?:nam|quy)(?:\s+{_Q})?{_YEAR_OPT}|\bnam\s+hoc\b",
            _single("blocked", lambda m: (), 0),
        ),
        (
            rf"\b(?:quy|q)\s*({_Q}(?:\s*(?:,|va|&|-)\s*{_Q})*){_YEAR_OPT}",
            _series("quarter", _Q),
        ),
        (rf"\bthang\s+({_M}(?:\s*(?:,|va|&)\s*{_M})+){_YEAR_OPT}", _series("month", _M)),
        (rf"\bthang\s+{_D}(?:{_Y}|/(\d{{2}})(?![\d/]))?", _months),
        (
            r"(?<![\d/])((?:19|20)\d{2})-((?:19|20)\d{2})(?![\d/])",
            _single("years", lambda m: (int(m.group(1)), int(m.group(2))), 0),
        ),
        (
            r"(?<![\d/.])(\d{1,2})[/.\-](\d{4})(?![\d/])",
            _single("month", lambda m: (int(m.group(1)),), 2),
        ),
        (
            rf"(?<![\d/.\-]){_D}[/.\-]{_D}(?![\d/.]|-\d)",
            _single("day", lambda m: (int(m.group(2)), int(m.group(1))), 0),
        ),
        (
            r"\b(?:ca\s+|trong\s+|cuoi\s+)?nam\s*((?:19|20)\d{2})(?!\d)"
            r"|\b(?:ca|trong)\s+nam\b(?!\s*\d)|(?<![\d/.\-])((?:19|20)\d{2})(?![\d/.\-])",
            _years,
        ),
    )
)


# Phrases that tie a deadline to an event or to another document: whatever dates sit in
# the same fragment are not deadlines of their own.
EVENT = re.compile(
    r"\b(?:sau\s+khi|truoc\s+khi|ke\s+tu|tai\s+(?:quyet\s+dinh|ke\s+hoach|van\s+ban)"
    r"|sau\s+\d+\s+(?:ngay|thang|nam|tuan)|theo\s+cac\s+moc|theo\s+tien\s+do)\b"
)
# A meeting names when it sits only by its month ("Kỳ họp HĐND tỉnh tháng 5/2026").
MEETING = re.compile(r"\bky\s+hop\b")
# Events that name a year without making it a deadline ("Trước Tết Nguyên đán 2023").
EVENT_NOUN = re.compile(r"\b(?:tet|dai\s+hoi|hoi\s+nghi|le\s+ky\s+niem)\b")
SEGMENT_BREAK = re.compile(r"[,;\n]|\bva\b|\bhoac\b")


def find_atoms(folded: Folded) -> list[Atom]:
    """All atoms of the folded text, in text order, cross-references blanked out first."""
    text = _CROSS_REFERENCE.sub(lambda m: MASK * len(m.group()), folded.text)
    claimed = [False] * len(text)
    atoms: list[Atom] = []
    for pattern, build in PATTERNS:
        for match in pattern.finditer(text):
            if any(claimed[match.start() : match.end()]):
                continue
            claimed[match.start() : match.end()] = [True] * (match.end() - match.start())
            atoms.extend(build(match))
    return sorted(atoms, key=lambda atom: atom.start)
