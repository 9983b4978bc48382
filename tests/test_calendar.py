"""Working-day calendar and clock: 2022 checked against an explicit list of days off."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler.calendar import WorkCalendar
from scheduler.clock import TZ, FakeClock, SystemClock, local_today

# Days civil servants had off in 2022 besides weekends, as the government announced them.
HOLIDAYS_2022 = frozenset(
    [
        date(2022, 1, 3),  # Tết Dương lịch (1/1 was a Saturday), observed
        *(date(2022, 1, 31) + timedelta(days=k) for k in range(5)),  # Tết 31/1–4/2
        date(2022, 4, 11),  # Giỗ Tổ Hùng Vương (10/4 was a Sunday), observed
        date(2022, 5, 2),  # 30/4 was a Saturday, observed
        date(2022, 5, 3),  # 1/5 was a Sunday, observed
        date(2022, 9, 1),  # Quốc khánh, adjacent day
        date(2022, 9, 2),  # Quốc khánh
    ]
)


def is_open_2022(d: date) -> bool:
    """Independent reference: weekdays minus the explicit list."""
    return d.weekday() < 5 and d not in HOLIDAYS_2022


def days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=k) for k in range((date(year + 1, 1, 1) - first).days)]


def test_it_matches_the_explicit_2022_list_on_every_day() -> None:
    cal = WorkCalendar()
    wrong = [d for d in days_of(2022) if cal.is_working_day(d) != is_open_2022(d)]
    assert wrong == []


def test_it_names_holidays_in_vietnamese() -> None:
    cal = WorkCalendar()
    assert cal.holiday_name(date(2022, 9, 2)) == "Quốc khánh"
    assert "Giỗ Tổ Hùng Vương" in (cal.holiday_name(date(2022, 4, 11)) or "")
    assert "Tết Nguyên Đán" in (cal.holiday_name(date(2022, 2, 1)) or "")
    assert cal.holiday_name(date(2022, 3, 5)) is None  # plain Saturday
    assert cal.holiday_name(date(2022, 3, 7)) is None  # working Monday


def test_it_counts_swapped_in_saturdays_from_the_package_as_working() -> None:
    cal = WorkCalendar()
    assert cal.is_working_day(date(2024, 5, 4))  # Saturday worked for Monday 29/4/2024
    assert not cal.is_working_day(date(2024, 4, 29))


def test_it_applies_overrides_both_ways() -> None:
    saturday, monday, tet = date(2022, 3, 5), date(2022, 3, 7), date(2022, 2, 1)
    cal = WorkCalendar(
        {saturday: True, monday: False, tet: True, date(2022, 3, 8): False},
        labels={monday: "Nghỉ bù theo quyết định của UBND tỉnh"},
    )
    assert cal.is_working_day(saturday)
    assert cal.is_working_day(tet)
    assert cal.holiday_name(tet) is None
    assert not cal.is_working_day(monday)
    assert cal.holiday_name(monday) == "Nghỉ bù theo quyết định của UBND tỉnh"
    assert cal.holiday_name(date(2022, 3, 8)) == "Ngày nghỉ bù"
    assert cal.next_working_day(date(2022, 3, 5)) == saturday
    assert cal.next_working_day(date(2022, 3, 6)) == date(2022, 3, 9)


def test_it_finds_next_and_previous_working_days() -> None:
    cal = WorkCalendar()
    assert cal.next_working_day(date(2022, 1, 29)) == date(2022, 2, 7)  # across Tết
    assert cal.next_working_day(date(2022, 3, 7)) == date(2022, 3, 7)
    assert cal.next_working_day(date(2022, 3, 7), include_today=False) == date(2022, 3, 8)
    assert cal.previous_working_day(date(2022, 5, 3)) == date(2022, 4, 29)
    assert cal.previous_working_day(date(2022, 3, 7), include_today=False) == date(2022, 3, 4)


def test_it_reminds_a_due_date_on_a_holiday_on_the_previous_working_day() -> None:
    cal = WorkCalendar()
    assert cal.working_days_before(date(2022, 9, 2), 0) == date(2022, 8, 31)
    assert cal.working_days_before(date(2022, 9, 2), 1) == date(2022, 8, 30)
    assert cal.working_days_before(date(2022, 12, 31), 0) == date(2022, 12, 30)
    assert cal.working_days_before(date(2022, 3, 31), 3) == date(2022, 3, 28)
    with pytest.raises(ValueError):
        cal.working_days_before(date(2022, 3, 31), -1)


def test_it_adds_working_days_after_a_date() -> None:
    cal = WorkCalendar()
    assert cal.add_working_days(date(2022, 3, 31), 1) == date(2022, 4, 1)
    assert cal.add_working_days(date(2022, 4, 8), 1) == date(2022, 4, 12)  # over Giỗ Tổ
    assert cal.add_working_days(date(2022, 4, 30), 0) == date(2022, 5, 4)
    assert cal.add_working_days(date(2022, 3, 31), -3) == date(2022, 3, 28)
    assert cal.working_days_between(date(2022, 1, 28), date(2022, 2, 7)) == 1
    assert cal.working_days_between(date(2022, 2, 7), date(2022, 1, 28)) == -1


CAL = WorkCalendar()  # shared by the property test: building a year is the slow part


@given(
    st.dates(min_value=date(2021, 1, 1), max_value=date(2024, 12, 31)),
    st.integers(min_value=1, max_value=120),
)
def test_it_adds_counts_and_walks_back_consistently(start: date, n: int) -> None:
    end = CAL.add_working_days(start, n)
    assert CAL.is_working_day(end)
    assert CAL.working_days_between(start, end) == n
    assert CAL.working_days_before(end, n) == CAL.previous_working_day(start)


def test_it_counts_the_working_days_of_a_year() -> None:
    """(Its speed, about a millisecond a year, is a benchmark's business, not a test's.)"""
    cal = WorkCalendar()
    open_days = sum(cal.is_working_day(d) for d in days_of(2022))
    assert open_days == 365 - 105 - len(HOLIDAYS_2022)


def test_fake_clock_moves_only_when_told() -> None:
    clock = FakeClock(datetime(2022, 3, 31, 8, 0, tzinfo=TZ))
    assert clock.now() == datetime(2022, 3, 31, 1, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC
    clock.advance(timedelta(hours=17))
    assert local_today(clock) == date(2022, 4, 1)
    clock.set(datetime(2022, 1, 1, tzinfo=UTC))
    assert clock.now() == datetime(2022, 1, 1, tzinfo=UTC)
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))
    with pytest.raises(ValueError):
        FakeClock(datetime(2022, 1, 1))


def test_system_clock_is_aware_utc() -> None:
    assert SystemClock().now().utcoffset() == timedelta(0)
