"""Dates, instants and numbers typed on the command line, checked before a command runs.

Every date or number option goes through one of these parsers (typer's
``parser=``), so an impossible value (``2026-02-30``, ``2026-13-01``, "ngày mai",
a negative or astronomically large count) is refused while the arguments are
read, with one line naming the option, before any database is opened. The
table-driven test in ``tests/test_cli_bad_args.py`` finds the options by their
annotated type (``date``, ``datetime``, ``int``), so a new option is covered by
declaring it with the right type and parser.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import typer

from bot.i18n import t
from data.errors import UserError
from scheduler.clock import TZ

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
"""Plans are yearly documents of this century: further out is a typing slip, not a plan."""

MAX_DAYS = 3660
"""About ten years: the longest window any listing or simulation has a use for."""


def as_date(text: str) -> date:
    """A date typed as ISO (2022-01-31) or Vietnamese (31/01/2022)."""
    for read in (date.fromisoformat, _dmy):
        try:
            parsed = read(text.strip())
        except ValueError:
            continue
        if EARLIEST <= parsed <= LATEST:
            return parsed
        break
    raise typer.BadParameter(t("bad_day", text=text, first=EARLIEST.year, last=LATEST.year))


def _dmy(text: str) -> date:
    day_, month, year = (int(part) for part in text.split("/"))
    return date(year, month, day_)


def window(first: date, last: date) -> tuple[date, date]:
    """``(first, last)`` when ``last`` is not before ``first``, else refused in one line."""
    if last < first:
        raise UserError(t("until_before_from", start=first.isoformat(), until=last.isoformat()))
    return first, last


def as_moment(text: str) -> datetime:
    """An instant such as 2022-03-28T09:00; without an offset it is Vietnamese time."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        when = None
    if when is None or not EARLIEST <= when.date() <= LATEST:
        raise typer.BadParameter(t("bad_moment", text=text))
    return when if when.tzinfo else when.replace(tzinfo=TZ)


def whole(low: int, high: int) -> Callable[[str | int], int]:
    """A parser of whole numbers from ``low`` to ``high``, saying the range when refused.

    Typer hands it the option's default (an ``int``) as well as what was typed.
    """

    def parse(text: str | int) -> int:
        try:
            value = int(str(text).strip())
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise typer.BadParameter(t("bad_whole", text=text, low=low, high=high))
        return value

    return parse


plan_year = whole(EARLIEST.year, LATEST.year)
"""A plan's year."""

row_id = whole(1, 2**63 - 1)
"""A row's number as ``outbox list`` shows it (PostgreSQL's BIGINT range)."""
