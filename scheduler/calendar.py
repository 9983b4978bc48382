"""Vietnamese working-day calendar: which days a reminder may be sent on.

Public holidays come from the ``holidays`` package (Labour Code 2019 art. 112:
Tết Dương lịch, Tết Nguyên Đán, Giỗ Tổ Hùng Vương, 30/4, 1/5, 2/9 with its
adjacent day, and their "nghỉ bù" observed days when one falls on a weekend).
The package also knows the Saturdays the government swapped into working days
for a bridge ("làm bù", e.g. 04/05/2024, 26/04/2025); they count as working days.
Checked against the government's announcements for 2022 (holidays 0.109): the
package gives 1/1 + 3/1, 31/1–4/2 (Tết), 10/4 + 11/4 (Giỗ Tổ), 30/4 + 1/5 with
2/5 and 3/5 observed, and 1/9–2/9, which is exactly what civil servants had off,
so no correction table is needed; later decisions go in the override table.

Overrides (``date -> bool``) come from that table: ``True`` makes a day a
working day (a Saturday swapped in), ``False`` makes it a day off (an extra
"nghỉ bù" or a local decision). They win over both weekends and the package.

Convention: a day that is not a working day "belongs" to the previous working
day when counting backwards (a due date on a Saturday is reminded on Friday),
and to the next working day when counting forwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType

import holidays

_DEFAULT_DAY_OFF_LABEL = "Ngày nghỉ bù"
_MAX_SCAN_DAYS = 400  # longer than any run of days off; guards against a bad override table
_ONE_DAY = timedelta(days=1)


class WorkCalendar:
    """Working days for one country, corrected by the override table.

    Each year is computed once, on first use, into a set of days off, so a
    check is a set lookup (a year of checks takes well under a millisecond).
    """

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        *,
        country: str = "VN",
        labels: Mapping[date, str] | None = None,
    ) -> None:
        self._overrides = dict(overrides or {})
        self._labels = dict(labels or {})
        self._country = country
        self._days_off: dict[int, frozenset[date]] = {}
        self._names: dict[int, Mapping[date, str]] = {}

    def is_working_day(self, d: date) -> bool:
        """True when offices are open on ``d``."""
        return d not in self._year(d.year)

    def holiday_name(self, d: date) -> str | None:
        """Why ``d`` is a day off: the package's Vietnamese name, else the override's label.

        None for working days and for ordinary weekends.
        """
        if self.is_working_day(d):
            return None
        self._year(d.year)
        name = self._names[d.year].get(d) or self._labels.get(d)
        if name is None and self._overrides.get(d) is False:
            return _DEFAULT_DAY_OFF_LABEL
        return name

    def next_working_day(self, d: date, *, include_today: bool = True) -> date:
        """The first working day on or after ``d`` (strictly after when not ``include_today``)."""
        return self._scan(d if include_today else d + _ONE_DAY, _ONE_DAY)

    def previous_working_day(self, d: date, include_today: bool = True) -> date:
        """The last working day on or before ``d`` (strictly before when not ``include_today``)."""
        return self._scan(d if include_today else d - _ONE_DAY, -_ONE_DAY)

    def working_days_before(self, d: date, n: int) -> date:
        """The date ``n`` working days before ``d``.

        Counting starts from the effective day of ``d``, i.e. ``d`` itself when it
        is a working day, else the previous working day (n=0): a due date on a
        holiday is reminded on the working day before it, and "1 day before" is
        the working day before that, so distinct ``n`` always give distinct dates.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        day = self.previous_working_day(d)
        for _ in range(n):
            day = self.previous_working_day(day, include_today=False)
        return day

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``d`` itself does not count).

        n=0 gives ``d`` when it is a working day, else the next one; a negative
        ``n`` counts backwards like ``working_days_before``.
        """
        if n < 0:
            return self.working_days_before(d, -n)
        if n == 0:
            return self.next_working_day(d)
        day = d
        for _ in range(n):
            day = self.next_working_day(day, include_today=False)
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``(a, b]``; negative when ``b`` is before ``a``.

        Matches ``add_working_days``: for a working day ``b`` after ``a``,
        ``add_working_days(a, working_days_between(a, b)) == b``.
        """
        if b < a:
            return -self.working_days_between(b, a)
        return sum(1 for k in range(1, (b - a).days + 1) if self.is_working_day(a + k * _ONE_DAY))

    def _scan(self, start: date, step: timedelta) -> date:
        day = start
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_working_day(day):
                return day
            day += step
        raise ValueError(f"Không có ngày làm việc nào trong {_MAX_SCAN_DAYS} ngày kể từ {start}")

    def _year(self, year: int) -> frozenset[date]:
        """Days off of ``year``: the package's (weekends and holidays, minus swapped-in
        days), plus this calendar's overrides."""
        cached = self._days_off.get(year)
        if cached is not None:
            return cached
        package_off, names = _package_year(self._country, year)
        off = set(package_off)
        for day, working in self._overrides.items():
            if day.year == year:
                (off.discard if working else off.add)(day)
        self._names[year] = names
        self._days_off[year] = frozenset(off)
        return self._days_off[year]


@cache
def _package_year(country: str, year: int) -> tuple[frozenset[date], Mapping[date, str]]:
    """The ``holidays`` package's days off of ``year`` and their names, computed once per
    process: a calendar is loaded per transaction (its overrides may have changed), and
    asking the package again took a few ms of every status update's replan (issue 16)."""
    public = holidays.country_holidays(country, years=year, language="vi")
    weekend = getattr(public, "weekend", {5, 6})
    swapped_in = set(getattr(public, "weekend_workdays", ()))
    first = date(year, 1, 1)
    off = frozenset(
        day
        for day in (first + k * _ONE_DAY for k in range((date(year + 1, 1, 1) - first).days))
        if (day.weekday() in weekend and day not in swapped_in) or day in public
    )
    return off, MappingProxyType({day: str(name) for day, name in public.items()})
