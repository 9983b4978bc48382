"""Vietnamese deadline text ("Thời gian thực hiện / hoàn thành") -> due occurrences.

Pure: no I/O, no clock. A missing year comes from ``plan_year`` and never from today;
whatever cannot be read with certainty becomes one ``unparsed`` occurrence (due None)
for a person to fix at import, never an invented date.

Readings decided here (the reminder policy builds on them):

- A quarter, month, half-year or year is a ``period``: ``start`` its first day, ``due``
  its last ("Quý I/2022" 01/01–31/03, "6 tháng cuối năm" 01/07–31/12, "9 tháng đầu năm"
  01/01–30/09). "Cả năm", "Trong năm", "Cuối năm 2022" are the period of the year too
  (the year from the text, else the plan), not ``continuous``: they have an end.
- Weeks: "tuần đầu/thứ N/cuối tháng M" is days 7N−6..7N of M (the last week is the
  last seven days). "Đầu/giữa/cuối tháng M" (thượng/trung/hạ tuần) is days 1–10,
  11–20 and 21–end. "Đầu năm", "giữa năm", "đầu quý" have no defensible end: unparsed.
  A week, "đầu/giữa/cuối tháng", "cuối quý N" and "cuối năm" name no day: the day
  chosen is a convention, so the occurrence says why in ``approximate`` (``plan
  check`` lists it for a person to confirm). "Thượng/trung/hạ tuần" name their days.
- "trước ngày D" is due D−1 (the strict reading of the Ministry of Finance's tracking
  system) unless ``before_is_previous_day=False``; "trước tháng/quý/năm X" is always the
  day before X begins. "chậm nhất", "hạn", "trong ngày", "vào ngày", "ngày" are due D.
- Ranges: "từ A đến (hết) B", "A - B", "2026-2030", "giai đoạn 2026 - 2030" start on
  the first day of A and end on the last day of B; A without a year takes B's (one year
  earlier when it would start after B ends). "Năm học 2022-2023" is 01/09/2022–31/05/2023.
- Lists share the trailing year ("Quý II, Quý IV/2022", "Tháng 6 và tháng 12/2022"): an
  expression without a year takes the next one's, else the previous one's, else the plan's.
- Recurring rules are RFC 5545 RRULEs without DTSTART: "hằng tháng" last day of the
  month, "hằng quý" last day of each quarter, "hằng năm" 31/12, "6 tháng/lần" 30/06 and
  31/12, "hằng tuần" Friday (end of the working week), "trước ngày 05 hằng tháng" day 4
  (strict) or 5, "trước ngày 10 của tháng đầu quý sau" day 9 of January/April/July/
  October. ``start`` is 01/01 of the plan year and ``due`` the first occurrence from
  then; for "năm liền kề"/"năm sau" (a report on the plan year due the following year)
  the first occurrence is sought from 01/01 of the next year. No plan year: due None.
  "Trước ngày 20 của tháng liền kề" is monthly, "trước ngày 15 tháng cuối (của) quý"
  day 14 of March/June/September/December; "2026 và các năm tiếp theo" is yearly
  (31/12) from 2026, not from the plan year.
  "ngày 20 của tháng sau" is monthly on the 20th, "ngày 30 của tháng đầu tiên quý/năm
  sau" yearly in January/April/July/October or January of the next year. A yearly
  cadence with a day in its fragment ("Định kỳ 06 tháng (trước ngày 05 tháng 6)") is
  due on that day every year instead of at the end of the period.
- "Thường xuyên", "Liên tục", "Hằng ngày", "Dài hạn", "Trong quá trình thực hiện" are
  ``continuous``; "Từ tháng 8/2023" (a start without an end) is ``continuous`` from the
  first day of the window. "Khi có yêu cầu", "Theo yêu cầu", "Khi cần thiết", "Đột
  xuất", "Theo hướng dẫn/chỉ đạo/kế hoạch/thông báo/lịch/lộ trình (của …)" are
  ``on_request``. "Thường xuyên, hằng năm" gives both, as does a continuous task with
  its monthly report ("Thường xuyên; báo cáo trước ngày 20 hằng tháng").
- Cross-references ("Theo Kế hoạch số 39/KH-BDT ngày 29/10/2021", "Theo các mốc thời
  gian tại Quyết định số …") and events ("Kỳ họp giữa năm", "Sau khi …", "Sau 03 tháng kể từ
  …") leave every date of their fragment unused: the fragment is unparsed. So do
  references without their letters ("số 382 ngày 31/12/2021"). Event nouns ("Tết",
  "Đại hội", "Hội nghị") leave a bare year unused but keep a month, quarter or day. A
  meeting keeps only its month: "Kỳ họp HĐND tỉnh tháng 5/2026" is May 2026, a period.
- "Quí" is "Quý"; a line break before a lower-case word or a number only wraps the
  cell ("Trước ngày 10 của⏎tháng liền kề" is one phrase), any other separates phrases.
- Lists share the trailing year also for bare month numbers: "Tháng 6, 9, 12/2022" is
  three months.
- A period followed in its fragment by a day or a recurring rule names what a report
  covers, not when it is due: "Báo cáo 6 tháng đầu năm gửi trước ngày 10/07 …" gives
  only the 10/07 deadline. So does a period after another deadline of its fragment:
  "xong trước ngày 01 tháng 5 năm 2026 đối với chi phí năm 2023" gives only 30/04/2026.
- Results are sorted by due date (None last) then position; equal occurrences are kept
  once. Each carries ``text``, the fragment of the NFC input (split at ",", ";", "và",
  "hoặc") it was read from.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Literal

from dateutil.relativedelta import relativedelta

from data.deadline_patterns import (
    EVENT,
    EVENT_NOUN,
    MEETING,
    SEGMENT_BREAK,
    Atom,
    Folded,
    find_atoms,
    fold_with_offsets,
)
from data.deadline_rules import YEARLY, first_due, recurring_rule, window

OccurrenceKind = Literal[
    "date", "period", "range", "recurring", "continuous", "on_request", "unparsed"
]


@dataclass(frozen=True)
class Occurrence:
    """One due point or window read from a deadline cell."""

    kind: OccurrenceKind
    due: datetime.date | None
    start: datetime.date | None
    rule: str | None
    text: str
    approximate: str = ""
    """Why the due is a day the text does not name ("tuần đầu tháng" is days 1–7), or ""."""


_DATED_UNITS = {"day", "month", "part", "week", "quarter", "head_or_tail", "year"}
_SELF_DATED_UNITS = {"years", "schoolyear"}
_RANGE_CONNECTOR = re.compile(r"\s*(?:-|(?:cho\s+)?(?:den|toi)(?:\s+het)?(?:\s+ngay)?)\s*")
_BEFORE_PREFIX = re.compile(r"\btruoc\s*(?:ngay\s*)?$")
_FROM_PREFIX = re.compile(r"(?<!thu )\btu\s*(?:ngay\s*)?$")  # "từ", not "thứ tư"


def parse_deadline(
    text: str, plan_year: int | None = None, *, before_is_previous_day: bool = True
) -> list[Occurrence]:
    """Read every deadline in ``text``; see the module docstring for the readings."""
    folded = fold_with_offsets(text)
    reader = _Reader(folded, find_atoms(folded), plan_year, before_is_previous_day)
    found = reader.read()
    if not found:
        return [Occurrence("unparsed", None, None, None, folded.original)]
    return _ordered_unique(found)


class _Reader:
    """Turns the atoms of one cell into positioned occurrences."""

    def __init__(
        self, folded: Folded, atoms: list[Atom], plan_year: int | None, strict_before: bool
    ) -> None:
        self.folded = folded
        self.atoms = atoms
        self.plan_year = plan_year
        self.strict_before = strict_before
        self.segments = _segments(folded.text)

    def read(self) -> list[tuple[int, Occurrence]]:
        found, used = self._days_of_a_cadence()
        index = 0
        while index < len(self.atoms):
            atom = self.atoms[index]
            partner = self._range_partner(index)
            if index in used:
                pass
            elif self._in_event(atom):
                found.append((atom.start, self._unparsed(atom, atom)))
            elif partner is None and self._names_the_subject(atom):
                pass
            elif partner is not None:
                found.append((atom.start, self._range(atom, partner)))
                index += 1
            else:
                found.append((atom.start, self._single(atom)))
            index += 1
        return found

    def _days_of_a_cadence(self) -> tuple[list[tuple[int, Occurrence]], set[int]]:
        """Yearly rules for "Định kỳ 06 tháng (trước ngày 05 tháng 6)".

        A yearly cadence ("hằng năm", "định kỳ 6 tháng") whose fragment also holds a day
        without a year is due on that day every year: the day replaces the cadence's
        default end of period. Returns the occurrences and the atoms they used.
        """
        found: list[tuple[int, Occurrence]] = []
        used: set[int] = set()
        for k, cadence in enumerate(self.atoms):
            if cadence.unit != "recurring" or "cadence" not in str(cadence.values[3]):
                continue
            if not str(cadence.values[0]).startswith(YEARLY):
                continue
            segment = self._segment(cadence.start)
            named = [
                (j, atom)
                for j, atom in enumerate(self.atoms)
                if atom.unit in ("day", "month", "quarter")
                and atom.year is None
                and segment[0] <= atom.start < segment[1]
            ]
            for j, atom in named:
                months, number = _yearly_day(atom)
                flags = "before" if self._is_before(atom) else ""
                rule = self._rule_occurrence(
                    YEARLY, months, number, flags, self._fragment(atom, atom)
                )
                found.append((atom.start, rule))
                used.update((j, k))
        return found, used

    def _is_before(self, atom: Atom) -> bool:
        return self._prefixed(atom, _BEFORE_PREFIX)

    def _prefixed(self, atom: Atom, prefix: re.Pattern[str]) -> bool:
        return (
            prefix.search(self.folded.text[self._segment(atom.start)[0] : atom.start]) is not None
        )

    def _names_the_subject(self, atom: Atom) -> bool:
        """True for "6 tháng đầu năm" in "Báo cáo 6 tháng đầu năm gửi trước ngày 10/07".

        A period followed in its fragment by a day or a recurring rule is what the report
        covers, not when it is due; so is a period or span that comes after another
        deadline of its fragment ("xong trước ngày 01 tháng 5 năm 2026 đối với chi phí
        năm 2023", "Quý II/2026 (… định hướng biên chế giai đoạn 2026 - 2031").
        """
        if atom.unit not in _DATED_UNITS | _SELF_DATED_UNITS or atom.unit == "day":
            return False
        start, end = self._segment(atom.start)
        return any(
            (atom.start < other.start < end and other.unit in {"day", "recurring"})
            or (start <= other.start < atom.start and other.unit in _DATED_UNITS)
            for other in self.atoms
        )

    def _segment(self, position: int) -> tuple[int, int]:
        return next(s for s in self.segments if s[0] <= position < s[1])

    def _fragment(self, first: Atom, last: Atom) -> str:
        return self.folded.quote(self._segment(first.start)[0], self._segment(last.start)[1])

    def _in_event(self, atom: Atom) -> bool:
        """True when the fragment ties its dates to an event or another document.

        An event noun ("Tết", "Đại hội", "Hội nghị") only names a year ("Trước Tết
        Nguyên đán 2023"): a month, quarter or day next to it is still a deadline.
        """
        start, end = self._segment(atom.start)
        fragment = self.folded.text[start:end]
        if EVENT.search(fragment) is not None:
            return True
        if MEETING.search(fragment) is not None and atom.unit != "month":
            return True
        return atom.unit in {"year", "years"} and EVENT_NOUN.search(fragment) is not None

    def _unparsed(self, first: Atom, last: Atom) -> Occurrence:
        return Occurrence("unparsed", None, None, None, self._fragment(first, last))

    def _range_partner(self, index: int) -> Atom | None:
        if index + 1 >= len(self.atoms):
            return None
        first, second = self.atoms[index], self.atoms[index + 1]
        if first.unit not in _DATED_UNITS or second.unit not in _DATED_UNITS:
            return None
        between = self.folded.text[first.end : second.start]
        return second if _RANGE_CONNECTOR.fullmatch(between) else None

    def _year_for(self, atom: Atom) -> int | None:
        if atom.year is not None:
            return atom.year
        position = self.atoms.index(atom)
        later = [a.year for a in self.atoms[position + 1 :] if a.unit in _DATED_UNITS]
        earlier = [a.year for a in self.atoms[:position] if a.unit in _DATED_UNITS]
        candidates = [y for y in later if y is not None] + [
            y for y in reversed(earlier) if y is not None
        ]
        if candidates or self.plan_year is None:
            return candidates[0] if candidates else None
        following = self.folded.text[atom.end : self._segment(atom.start)[1]]
        return self.plan_year + (1 if _NEXT_YEAR.match(following) else 0)

    def _window(self, atom: Atom) -> tuple[datetime.date, datetime.date] | None:
        year = self._year_for(atom)
        if year is None and atom.unit in _DATED_UNITS:
            return None
        try:
            return window(atom, year or 0)
        except (ValueError, KeyError, OverflowError):
            return None

    def _range(self, first: Atom, last: Atom) -> Occurrence:
        begin, end = self._window(first), self._window(last)
        if begin is None or end is None:
            return self._unparsed(first, last)
        start = begin[0]
        if start > end[1] and first.year is None:
            start -= relativedelta(years=1)
        if start > end[1]:
            return self._unparsed(first, last)
        guess = self._approximation(first) or self._approximation(last)
        return Occurrence("range", end[1], start, None, self._fragment(first, last), guess)

    def _single(self, atom: Atom) -> Occurrence:
        text = self._fragment(atom, atom)
        if atom.unit == "continuous":
            return Occurrence("continuous", None, None, None, text)
        if atom.unit == "on_request":
            return Occurrence("on_request", None, None, None, text)
        if atom.unit == "recurring":
            return self._recurring(atom, text)
        window = self._window(atom) if atom.unit != "blocked" else None
        if window is None:
            return Occurrence("unparsed", None, None, None, text)
        begin, end = window
        if self._prefixed(atom, _FROM_PREFIX):
            return Occurrence("continuous", None, begin, None, text)
        if atom.unit in _SELF_DATED_UNITS:
            return Occurrence("range", end, begin, None, text)
        before = self._is_before(atom)
        if atom.unit == "day":
            due = begin - datetime.timedelta(days=1) if before and self.strict_before else begin
            return Occurrence("date", due, None, None, text)
        guess = self._approximation(atom)
        if before:
            return Occurrence("date", begin - datetime.timedelta(days=1), None, None, text, guess)
        return Occurrence("period", end, begin, None, text, guess)

    def _approximation(self, atom: Atom) -> str:
        """Why a vague word ("tuần đầu", "giữa tháng", "cuối quý") was read as given days."""
        if atom.unit == "week":
            return _WEEK_READING
        if atom.unit == "part" and _VAGUE_PART.match(self.folded.text, atom.start):
            return _PART_READING
        around = self.folded.text[max(0, atom.start - len("cuoi ")) : atom.end]
        if atom.unit in _END_READINGS and _END_OF.search(around):
            return _END_READINGS[atom.unit]
        return ""

    def _recurring(self, atom: Atom, text: str) -> Occurrence:
        base, months, day, flags = (str(value) for value in atom.values)
        return self._rule_occurrence(base, months, int(day), flags, text, atom.year)

    def _rule_occurrence(
        self, base: str, months: str, day: int, flags: str, text: str, since: int | None = None
    ) -> Occurrence:
        """A recurring occurrence from 01/01 of ``since`` (a rule naming its first year)
        or of the plan year."""
        rule = recurring_rule(base, months, day, "before" in flags and self.strict_before)
        if rule is None:
            return Occurrence("unparsed", None, None, None, text)
        first = since or self.plan_year
        if first is None:
            return Occurrence("recurring", None, None, rule, text)
        due = first_due(rule, first + (1 if "next" in flags else 0))
        return Occurrence("recurring", due, datetime.date(first, 1, 1), rule, text)


_WEEK_READING = (
    "tuần của tháng tính theo 7 ngày: tuần đầu là ngày 1–7, tuần cuối là 7 ngày cuối tháng"
)
_PART_READING = "«đầu/giữa/cuối tháng» tính là ngày 1–10, 11–20, 21–cuối tháng"
_END_READINGS = {
    "quarter": "«cuối quý» tính là ngày cuối cùng của quý",
    "year": "«cuối năm» tính là ngày 31/12",
}
_VAGUE_PART = re.compile(r"(?:dau|giua|cuoi)\b")
"""Not "thượng/trung/hạ tuần": those name the ten-day parts of a month exactly."""
_END_OF = re.compile(r"\bcuoi\s+(?:quy|q|nam)\b")

_NEXT_YEAR = re.compile(r"\s*(?:cua\s+)?nam\s+(?:sau|lien\s+ke|tiep\s+theo)\b")
"""After a yearless day or month: "tháng 1 năm sau" is January of the year after the plan."""


def _yearly_day(atom: Atom) -> tuple[str, int]:
    """BYMONTH and BYMONTHDAY of a day, a month or a quarter repeated every year.

    "Tháng 9 hằng năm" is due at the end of September, "Quý III hằng năm" at the end
    of the quarter, "trước ngày 15/12 hằng năm" on that day (a day before, strictly).
    """
    if atom.unit == "day":
        return str(atom.values[0]), int(atom.values[1])
    if atom.unit == "month":
        return str(atom.values[0]), -1
    return str(3 * int(atom.values[0])), -1


def _segments(text: str) -> list[tuple[int, int]]:
    """Fragments of the cell between separators; they cover the whole text."""
    bounds = [0]
    for match in SEGMENT_BREAK.finditer(text):
        bounds.extend((match.start(), match.end()))
    bounds.append(len(text) + 1)
    return [(bounds[k], bounds[k + 1]) for k in range(0, len(bounds) - 1)]


def _ordered_unique(found: list[tuple[int, Occurrence]]) -> list[Occurrence]:
    """Sort by due date (None last) then position; drop repeats."""
    seen: set[tuple[object, ...]] = set()
    result: list[Occurrence] = []
    far = datetime.date.max
    for _, occurrence in sorted(found, key=lambda p: (p[1].due or far, p[0])):
        key: tuple[object, ...] = (
            occurrence.kind,
            occurrence.due,
            occurrence.start,
            occurrence.rule,
        )
        if occurrence.kind == "unparsed":
            key += (occurrence.text,)
        if key not in seen:
            seen.add(key)
            result.append(occurrence)
    return result
