"""Due dates named in an extension request, over folded keys (pure, no clock).

``data.status`` hands over the message's keys joined by spaces ("xin gia han
den 30/6", "sang quy iii", "them 1 tuan"); every rule below that matches adds
one date. Months, quarters and years mean their last day ("sang quý III" =
30/9), "đầu tháng" the 10th, "giữa tháng" the 20th, "tuần sau" the Friday of
next week; durations count calendar days from ``today``. A date without a year
is the next one on or after ``today``; without ``today`` only dates with a year
are read.

Whatever is read, a date only becomes a requested or approved due inside
``extension_window``: a request for 31/12/9999 is refused with the allowed range
rather than stored (its approval used to crash the replanning, and 31/12/5000
cost every planner tick 1.6 s of working-day arithmetic).

A promise ("mai nộp", "thứ 6 gửi", "cuối tuần xong") is read by ``promise_date``
with the same rules plus the near words of chat: a bare "mai", "chiều nay",
"cuối tuần" (the week's last working day, Friday), "đầu tuần sau" (Monday). A
snooze ("nhắc lại sau 2 ngày", "mai nhắc em") is read by ``snooze_request`` as an
amount, not a time: the scheduler owns working mornings and quiet hours.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from dateutil.relativedelta import relativedelta

from data import status_vocab as vocab
from data.errors import UserError
from data.vn_dates import vn_date

_N = r"(\d{1,3}|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi(?: lam| nam)?|HALF)"
_PART = r"(?:(cuoi|dau|giua|het) )?"
_YEAR = r"(?: ?/ ?(\d{4})| nam (\d{4}))?"
_PART_DAY = {"dau": 10, "giua": 20}

YEARS_BACK = 1
"""A new due may lie up to a year back: an extension granted on paper and recorded late."""
YEARS_AHEAD = 5
"""Plans run a year, medium-term ones five (kế hoạch 5 năm): nothing real is pushed further."""

_DateRule = tuple[
    re.Pattern[str], Callable[[re.Match[str], datetime.date | None], datetime.date | None]
]


def due_dates(text: str, today: datetime.date | None) -> list[datetime.date]:
    """Every due date the text names, earliest rules first; a matched span is used once."""
    return _read(text, today, _DATE_RULES)


def promise_date(text: str, today: datetime.date) -> datetime.date | None:
    """The earliest date from ``today`` on that a promise names, or None."""
    found = _read(text, today, (*_PROMISE_RULES, *_DATE_RULES))
    return min((day for day in found if day >= today), default=None)


SnoozeUnit = Literal["hour", "day", "weekday"]


@dataclass(frozen=True)
class Snooze:
    """ "Remind me again later": ``amount`` hours, days (the morning of that day), or the
    next ``weekday`` (0 = Monday) morning."""

    unit: SnoozeUnit
    amount: int


def snooze_request(text: str) -> Snooze | None:
    """The snooze a message asks for ("nhắc lại sau 2 ngày"), or None without "nhắc"."""
    if not _REMIND.search(text):
        return None
    for pattern, unit in _SNOOZE_RULES:
        if match := pattern.search(text):
            amount = _count(match[1]) if unit != "weekday" else _weekday_number(match[1])
            if amount is not None and 0 <= amount <= _SNOOZE_MAX[unit]:
                return Snooze(unit, amount)
    return None


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return 1 if word == "mai" else vocab.NUMBER_WORDS.get(word)


def _weekday_number(word: str | None) -> int:
    return 6 if word is None else vocab.WEEKDAYS[word]


def _read(
    text: str, today: datetime.date | None, rules: tuple[_DateRule, ...]
) -> list[datetime.date]:
    found = []
    for pattern, build in rules:
        for match in pattern.finditer(text):
            try:
                day = build(match, today)
            except (OverflowError, ValueError):  # past year 9999 or before year 1
                day = None
            if day is not None:
                found.append(day)
        text = pattern.sub(lambda m: " " * len(m[0]), text)
    return found


def extension_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last dates a requested or approved new due may take, around ``today``."""
    return today - relativedelta(years=YEARS_BACK), today + relativedelta(years=YEARS_AHEAD)


def check_extension_date(day: datetime.date, today: datetime.date) -> None:
    """Refuse (``UserError``, naming the allowed range) a new due outside the window."""
    first, last = extension_window(today)
    if not first <= day <= last:
        raise UserError(
            f"Ngày gia hạn {vn_date(day)} không hợp lệ: chỉ nhận ngày từ {vn_date(first)} "
            f"đến {vn_date(last)}."
        )


def _year(match: re.Match[str], *groups: int) -> int | None:
    for group in groups:
        if match[group]:
            year = int(match[group])
            return year + 2000 if year < 100 else year
    return None


def _safe(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _upcoming(
    year: int | None, today: datetime.date | None, make: Callable[[int], datetime.date | None]
) -> datetime.date | None:
    """The date ``make`` builds in ``year``; without one, the next on or after ``today``."""
    if year is not None:
        return make(year)
    if today is None:
        return None
    this_year = make(today.year)
    if this_year is not None and this_year >= today:
        return this_year
    return make(today.year + 1)


def _in_month(year: int, month: int, part: str | None) -> datetime.date | None:
    if not 1 <= month <= 12:
        return None
    return _safe(year, month, _PART_DAY.get(part or "", calendar.monthrange(year, month)[1]))


def _numeric_date(m: re.Match[str], today: datetime.date | None) -> datetime.date | None:
    day, month = int(m[1]), int(m[3])
    return _upcoming(_year(m, 4), today, lambda year: _safe(year, month, day))


def _day_month(m: re.Match[str], today: datetime.date | None) -> datetime.date | None:
    day, month = int(m[1]), int(m[2])
    return _upcoming(_year(m, 3, 4), today, lambda year: _safe(year, month, day))


def _month(m: re.Match[str], today: datetime.date | None) -> datetime.date | None:
    month = int(m[2])
    return _upcoming(_year(m, 3, 4), today, lambda year: _in_month(year, month, m[1]))


def _quarter(m: re.Match[str], today: datetime.date | None) -> datetime.date | None:
    quarter = vocab.ROMAN_QUARTERS.get(m[1]) or int(m[1])
    return _upcoming(_year(m, 2, 3), today, lambda year: _in_month(year, quarter * 3, None))


def _relative_month(
    months: int,
) -> Callable[[re.Match[str], datetime.date | None], datetime.date | None]:
    def build(m: re.Match[str], today: datetime.date | None) -> datetime.date | None:
        if today is None:
            return None
        target = today + relativedelta(months=months)
        return _in_month(target.year, target.month, m[1])

    return build


def _quarter_end(
    quarters: int,
) -> Callable[[re.Match[str], datetime.date | None], datetime.date | None]:
    def build(m: re.Match[str], today: datetime.date | None) -> datetime.date | None:
        if today is None:
            return None
        target = today + relativedelta(months=3 * quarters)
        return _in_month(target.year, (target.month - 1) // 3 * 3 + 3, None)

    return build


def _year_end(m: re.Match[str], today: datetime.date | None) -> datetime.date | None:
    year = _year(m, 1)
    if year is None and today is not None:
        year = today.year + (1 if "sau" in m[0] or "sang" in m[0] else 0)
    return datetime.date(year, 12, 31) if year is not None else None


def _duration(m: re.Match[str], today: datetime.date | None) -> datetime.date | None:
    amount, unit = m[1] or m[3], m[2] or m[4]
    if today is None:
        return None
    if amount == "HALF":
        return today + datetime.timedelta(days=15) if unit == "thang" else None
    count = int(amount) if amount.isdigit() else vocab.NUMBER_WORDS[amount]
    if unit == "thang":
        return today + relativedelta(months=count)
    return today + datetime.timedelta(days=count * (7 if unit == "tuan" else 1))


def _weekday(m: re.Match[str], today: datetime.date | None) -> datetime.date | None:
    if today is None:
        return None
    weekday = 6 if m[1] is None else vocab.WEEKDAYS[m[1]]
    if m[2]:
        monday = today + datetime.timedelta(days=7 - today.weekday())
        return monday + datetime.timedelta(days=weekday)
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7)


def _next_friday(m: re.Match[str], today: datetime.date | None) -> datetime.date | None:
    if today is None:
        return None
    return today + datetime.timedelta(days=7 - today.weekday() + 4)


def _days_ahead(days: int) -> Callable[[re.Match[str], datetime.date | None], datetime.date | None]:
    def build(m: re.Match[str], today: datetime.date | None) -> datetime.date | None:
        return today + datetime.timedelta(days=days) if today is not None else None

    return build


_DATE_RULES: tuple[_DateRule, ...] = (
    # "được 7/10" is a fraction, not the 7th of October: consumed, no date.
    (re.compile(r"(?<!\S)(?:duoc|dat|xong|lam|chung|moi) \d{1,2}/10(?!\S)"), lambda m, t: None),
    (re.compile(r"(?<!\S)ngay (\d{1,2}) thang (\d{1,2})" + _YEAR + r"(?!\S)"), _day_month),
    (re.compile(r"(?<!\S)" + _PART + r"thang (\d{1,2})" + _YEAR + r"(?!\S)"), _month),
    (
        re.compile(
            r"(?<!\S)(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?!\S)"
            r"(?! (?:ngay|tuan|thang|nam|%|phan))"
        ),
        _numeric_date,
    ),
    (re.compile(r"(?<!\S)quy (iv|iii|ii|i|[1-4])" + _YEAR + r"(?!\S)"), _quarter),
    (re.compile(r"(?<!\S)" + _PART + r"thang (?:sau|toi)(?!\S)"), _relative_month(1)),
    (re.compile(r"(?<!\S)(?:(cuoi|het) )thang(?: nay)?(?!\S)(?! \d)"), _relative_month(0)),
    (re.compile(r"(?<!\S)quy (?:sau|toi)(?!\S)"), _quarter_end(1)),
    (re.compile(r"(?<!\S)(?:cuoi|het) quy(?: nay)?(?!\S)"), _quarter_end(0)),
    (
        re.compile(r"(?<!\S)(?:cuoi|het) nam(?: nay| (\d{4}))?(?!\S)|nam sau|sang nam(?!\S)"),
        _year_end,
    ),
    (
        re.compile(
            r"(?<!\S)(?:thu (2|3|4|5|6|7|hai|ba|tu|nam|sau|bay)|chu nhat)( tuan (?:sau|toi))?(?!\S)"
        ),
        _weekday,
    ),
    (
        re.compile(
            r"(?<!\S)(?:(?:them|gia han|lui|DELAY|khat|xin|hoan|toi da|trong"
            r"|cho (?:em|minh|toi|chung em))(?: (?:them|khoang|tam|toi da))? )"
            + _N
            + r" (ngay|tuan|thang)(?!\S)"
            r"|(?<!\S)" + _N + r" (ngay|tuan|thang) (?:nua|sau|toi)(?!\S)"
        ),
        _duration,
    ),
    (re.compile(r"(?<!\S)tuan (?:sau|toi)(?!\S)"), _next_friday),
    (re.compile(r"(?<!\S)(?:ngay|den|toi|trong|sang|het) mai(?!\S)"), _days_ahead(1)),
    (re.compile(r"(?<!\S)ngay kia(?!\S)"), _days_ahead(2)),
)

# "cuối tuần" is the week's last working day; on a weekend, next week's.
_PROMISE_RULES: tuple[_DateRule, ...] = (
    (re.compile(r"(?<!\S)dau tuan (?:sau|toi)(?!\S)"), lambda m, t: _next_monday(t)),
    (re.compile(r"(?<!\S)(?:cuoi|trong) tuan(?: nay)?(?!\S)"), lambda m, t: _this_friday(t)),
    (re.compile(r"(?<!\S)(?:(?:sang|chieu|trua|toi) nay|hom nay)(?!\S)"), _days_ahead(0)),
    (re.compile(r"(?<!\S)mai(?!\S)"), _days_ahead(1)),
)


def _next_monday(today: datetime.date | None) -> datetime.date | None:
    return today + datetime.timedelta(days=7 - today.weekday()) if today is not None else None


def _this_friday(today: datetime.date | None) -> datetime.date | None:
    if today is None:
        return None
    return today + datetime.timedelta(days=(4 - today.weekday()) % 7)


_REMIND = re.compile(r"(?<!\S)nhac(?!\S)")
_SNOOZE_RULES: tuple[tuple[re.Pattern[str], SnoozeUnit], ...] = (
    (re.compile(r"(?<!\S)" + _N + r" ?(?:tieng|gio|h)(?!\S)"), "hour"),
    (re.compile(r"(?<!\S)" + _N + r" ngay(?!\S)"), "day"),
    (re.compile(r"(?<!\S)(?:thu (2|3|4|5|6|7|hai|ba|tu|nam|sau|bay)|chu nhat)(?!\S)"), "weekday"),
    (re.compile(r"(?<!\S)(?:sang |ngay )?(mai)(?!\S)"), "day"),
)
_SNOOZE_MAX: dict[SnoozeUnit, int] = {"hour": 72, "day": 60, "weekday": 6}
