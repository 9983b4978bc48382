"""The status-update path's per-process caches (issue 16): what every answer used to rebuild.

A calendar is loaded per transaction (its overrides may have changed in between), so
the ``holidays`` package's year is kept per process and each calendar still applies its
own overrides; the replan's cancel statement, the counts' upsert, the officer's lookup by
chat and the waiting questions' read are built once per process.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import holidays
import pytest

from data import links, prompts, summary_counts
from scheduler import calendar as calendar_module
from scheduler import planner
from scheduler.calendar import WorkCalendar


def test_the_package_is_asked_once_per_year_and_each_calendar_keeps_its_overrides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[Any] = []
    real = holidays.country_holidays

    def counting(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs.get("years"))
        return real(*args, **kwargs)

    monkeypatch.setattr(calendar_module.holidays, "country_holidays", counting)
    calendar_module._package_year.cache_clear()
    saturday = date(2031, 3, 1)
    plain = WorkCalendar()
    swapped = WorkCalendar({saturday: True, date(2031, 3, 3): False})
    assert not plain.is_working_day(saturday) and plain.is_working_day(date(2031, 3, 3))
    assert swapped.is_working_day(saturday) and not swapped.is_working_day(date(2031, 3, 3))
    assert asked == [2031]
    assert WorkCalendar().holiday_name(date(2031, 1, 1)) == plain.holiday_name(date(2031, 1, 1))


def test_the_cancel_statement_is_built_once() -> None:
    assert planner._cancel_closed() is planner._cancel_closed()


def test_the_counts_upsert_is_built_once() -> None:
    assert summary_counts._upsert(True) is summary_counts._upsert(True)
    assert summary_counts._upsert(False) is not summary_counts._upsert(True)


def test_the_lookups_every_message_runs_are_built_once() -> None:
    assert links.by_address() is links.by_address()
    assert prompts._waiting() is prompts._waiting()
    assert prompts._officer_waiting() is prompts._officer_waiting()
