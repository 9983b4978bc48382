"""Date arithmetic of ``data.deadlines``: the window an atom names, recurring RRULEs.

Kept apart from the reader because the arithmetic (weeks and ten-day parts of a month,
strict "trước ngày D" moving a day back across a month boundary, days that do not exist
in some months, the first occurrence of a report due the year after the plan) is
independent of how the words were found.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from data.deadline_patterns import Atom

YEARLY = "FREQ=YEARLY"
_SHORTEST = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
"""Days in each month of a common year."""


def recurring_rule(base: str, months: str, day: int, strict: bool) -> str | None:
    """Assemble the RRULE; ``strict`` moves a given day to the day before it.

    ``months`` is a comma-separated BYMONTH list (may be empty), ``day`` a BYMONTHDAY
    (0: none, -1: the last day). None when the day or a month does not exist.
    """
    month_list = [int(m) for m in months.split(",")] if months else []
    if day and (day > 31 or day < -1 or any(not 1 <= m <= 12 for m in month_list)):
        return None
    if day > 0 and month_list and any(_invalid_day(m, day) for m in month_list):
        return None
    if strict and day > 0:
        if day > 1:
            day -= 1
        else:
            day = -1
            month_list = [12 if m == 1 else m - 1 for m in month_list]
    parts = [base]
    if month_list:
        parts.append("BYMONTH=" + ",".join(str(m) for m in month_list))
    if day:
        parts.append(_month_day(day, month_list))
    return ";".join(parts)


def _month_day(day: int, months: list[int]) -> str:
    """BYMONTHDAY, or the month's last day where ``day`` does not exist in it.

    RFC 5545 skips a month lacking the BYMONTHDAY, so "ngày 31 hằng tháng" (every
    month's last day) is -1, and "ngày 30 hằng tháng" is
    BYMONTHDAY=28,29,30;BYSETPOS=-1: the last of those days the month has, i.e.
    the 30th, or 28/29 in February (read the agency's way: a report due on the
    30th of every month is due at the end of February). The same holds for one
    month a year (29/2 is 28/2 in common years); several months a year keep the
    plain day, since BYSETPOS would pick among all of them.
    """
    shortest = min((_SHORTEST[m - 1] for m in months), default=28)
    if day <= shortest or len(months) > 1:
        return f"BYMONTHDAY={day}"
    if day == 31:
        return "BYMONTHDAY=-1"
    days = ",".join(str(d) for d in range(shortest, day + 1))
    return f"BYMONTHDAY={days};BYSETPOS=-1"


def first_due(rule: str, year: int) -> datetime.date | None:
    """The first occurrence of ``rule`` from 01/01 of ``year``."""
    anchor = datetime.datetime(year, 1, 1)
    first = next(iter(rrulestr(rule, dtstart=anchor)), None)
    return first.date() if isinstance(first, datetime.datetime) else None


def _invalid_day(month: int, day: int) -> bool:
    try:
        datetime.date(2000, month, day)  # a leap year: 29/02 is a valid yearly day
    except ValueError:
        return True
    return False


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1) + relativedelta(day=31)


def window(atom: Atom, year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the window an atom names; ValueError when it does not exist."""
    values = atom.values
    if atom.unit == "day":
        day = datetime.date(year, int(values[0]), int(values[1]))
        return day, day
    if atom.unit == "month":
        return datetime.date(year, int(values[0]), 1), _month_end(year, int(values[0]))
    if atom.unit == "quarter":
        quarter = int(values[0])
        return datetime.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
    if atom.unit == "head_or_tail":
        months = int(values[1])
        if not 1 <= months <= 12:
            raise ValueError(months)
        if values[0] == "dau":
            return datetime.date(year, 1, 1), _month_end(year, months)
        return datetime.date(year, 13 - months, 1), datetime.date(year, 12, 31)
    if atom.unit == "year":
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if atom.unit == "years":
        first, last = int(values[0]), int(values[1])
        if first > last:
            raise ValueError(values)
        return datetime.date(first, 1, 1), datetime.date(last, 12, 31)
    if atom.unit == "schoolyear":
        first, last = int(values[0]), int(values[1])
        if last != first + 1:
            raise ValueError(values)
        return datetime.date(first, 9, 1), datetime.date(last, 5, 31)
    return _days_of_month(atom, year)


def _days_of_month(atom: Atom, year: int) -> tuple[datetime.date, datetime.date]:
    """Weeks and ten-day parts (thượng/trung/hạ tuần) of a month."""
    month, number = int(atom.values[0]), int(atom.values[1])
    last = _month_end(year, month)
    if atom.unit == "part":
        first = datetime.date(year, month, 1 + 10 * number)
        return first, last if number == 2 else first + datetime.timedelta(days=9)
    if atom.unit != "week" or not (number == -1 or 1 <= number <= 5):
        raise ValueError(atom.unit)
    if number == -1:
        return last - datetime.timedelta(days=6), last
    first = datetime.date(year, month, 7 * number - 6)
    return first, min(first + datetime.timedelta(days=6), last)
