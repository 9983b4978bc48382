"""Recurring deadlines of ``data.deadlines``: RFC 5545 RRULEs and their first due date.

Kept apart from the reader because the rule arithmetic (strict "trước ngày D" moving a
day back across a month boundary, days that do not exist in some months, the first
occurrence of a report due the year after the plan) is independent of how the words
were found.
"""

from __future__ import annotations

import datetime

from dateutil.rrule import rrulestr

YEARLY = "FREQ=YEARLY"


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
        parts.append(f"BYMONTHDAY={day}")
    return ";".join(parts)


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
