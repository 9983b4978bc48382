"""Reminder policy: settings, the schedule of one due, quiet hours, digests, backoff."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler.calendar import WorkCalendar
from scheduler.clock import TZ
from scheduler.policy import (
    MAX_ATTEMPTS,
    Policy,
    PolicyError,
    Slot,
    continuous_checkins,
    digest_slots,
    expand_recurring,
    merged,
    move_out_of_quiet_hours,
    overdue_slots,
    reminder_slots,
    retry_delay,
)
from tests.test_calendar import HOLIDAYS_2022, is_open_2022

CAL = WorkCalendar()
POLICY = Policy()


def local(slot_at: datetime) -> datetime:
    return slot_at.astimezone(TZ)


def days(slots: list[Slot]) -> dict[str, date]:
    return {s.slot: local(s.at).date() for s in slots}


def walk_back(due: date, n: int) -> date:
    """Reference: step back over weekends and the explicit 2022 list, not the calendar."""
    day = due
    while not is_open_2022(day):
        day -= timedelta(days=1)
    for _ in range(n):
        day -= timedelta(days=1)
        while not is_open_2022(day):
            day -= timedelta(days=1)
    return day


def month_ends(year: int) -> list[date]:
    return [date(year, m + 1, 1) - timedelta(days=1) for m in range(1, 12)] + [date(year, 12, 31)]


# --- settings ---


def test_it_has_the_agreed_defaults() -> None:
    assert POLICY.offsets_lead == (14, 7, 3, 1, 0)
    assert POLICY.offsets_coordinate == (3, 0)
    assert (POLICY.send_time, POLICY.quiet_start, POLICY.quiet_end) == (
        time(8),
        time(21),
        time(7),
    )
    assert (POLICY.overdue_first, POLICY.overdue_every, POLICY.overdue_max) == (1, 3, 10)
    assert (POLICY.escalate_head_after, POLICY.escalate_leader_after_days) == (2, 7)
    assert (POLICY.digest_weekday, POLICY.digest_time, POLICY.horizon_days) == (0, time(8), 60)


def test_it_round_trips_through_a_dict() -> None:
    data = POLICY.to_dict()
    assert data["send_time"] == "08:00"
    assert data["offsets_lead"] == [14, 7, 3, 1, 0]
    assert Policy.from_dict(data) == POLICY


def test_it_reads_cli_strings() -> None:
    policy = Policy.from_dict(
        {
            "offsets_lead": "1, 14 7,7",
            "send_time": "8h30",
            "digest_weekday": "Thứ Ba",
            "before_is_previous_day": "không",
            "overdue_max": "4",
            "offsets_coordinate": "",
        }
    )
    assert policy.offsets_lead == (14, 7, 1)
    assert policy.send_time == time(8, 30)
    assert policy.digest_weekday == 1
    assert policy.before_is_previous_day is False
    assert policy.overdue_max == 4
    assert policy.offsets_coordinate == ()
    assert Policy.from_dict({"digest_weekday": "CN"}).digest_weekday == 6


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"offset_lead": "1"}, "Không có thiết lập “offset_lead”"),
        ({"offsets_lead": "14,-1"}, "offsets_lead: cần danh sách số ngày"),
        ({"send_time": "25:00"}, "send_time: cần giờ dạng HH:MM"),
        ({"send_time": "22:00"}, "nằm trong giờ yên lặng (21:00–07:00)"),
        ({"overdue_every": "0"}, "overdue_every: cần số nguyên từ 1 đến 60"),
        ({"overdue_every": True}, "overdue_every: cần số nguyên"),
        ({"digest_weekday": "thứ tám"}, "digest_weekday: cần thứ trong tuần"),
        ({"before_is_previous_day": "maybe"}, "cần “có” hoặc “không”"),
        ({"continuous_checkin": "weekly"}, "cần “monthly” (hằng tháng) hoặc “off”"),
    ],
)
def test_it_refuses_bad_settings_in_vietnamese(data: dict[str, object], message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        Policy.from_dict(data)
    assert message in str(caught.value)


def test_it_validates_direct_construction_too() -> None:
    with pytest.raises(PolicyError):
        Policy(overdue_max=-1)


def test_merged_applies_plan_overrides_over_the_global_policy() -> None:
    base = Policy(send_time=time(7, 30))
    plan = merged(base, {"offsets_lead": [5, 0]})
    assert plan.offsets_lead == (5, 0)
    assert plan.send_time == time(7, 30)
    assert merged(base, {}) == base


# --- before / on_day / checkin ---


def test_quy_i_2022_lead_slots_are_the_working_days_14_7_3_1_0_before() -> None:
    due = date(2022, 3, 31)
    slots = reminder_slots(due, None, "lead", POLICY, CAL)
    expected = {
        "before-14": walk_back(due, 14),
        "before-7": walk_back(due, 7),
        "before-3": walk_back(due, 3),
        "before-1": walk_back(due, 1),
        "on_day": walk_back(due, 0),
    }
    assert days(slots) == expected
    assert expected["before-14"] == date(2022, 3, 11)
    assert [s.offset for s in slots] == [14, 7, 3, 1, 0]
    assert [s.kind for s in slots] == ["before"] * 4 + ["on_day"]
    assert all(local(s.at).time() == time(8) and s.at.tzinfo is UTC for s in slots)


def test_quy_i_2022_window_gets_monthly_checkins_after_tet() -> None:
    slots = reminder_slots(date(2022, 3, 31), date(2022, 1, 1), "lead", POLICY, CAL)
    checkins = {s.slot: local(s.at).date() for s in slots if s.kind == "checkin"}
    assert checkins == {"checkin-2022-02": date(2022, 2, 7), "checkin-2022-03": date(2022, 3, 1)}


def test_it_skips_a_checkin_within_a_week_of_a_before_reminder() -> None:
    slots = reminder_slots(date(2022, 6, 15), date(2022, 3, 1), "lead", POLICY, CAL)
    checkins = {s.slot: local(s.at).date() for s in slots if s.kind == "checkin"}
    # June's (1/6) is 5 days before before-7 (6/6); May's moves past 2–3/5 to 4/5.
    assert checkins == {"checkin-2022-04": date(2022, 4, 1), "checkin-2022-05": date(2022, 5, 4)}


def test_short_windows_get_no_checkin() -> None:
    slots = reminder_slots(date(2022, 6, 30), date(2022, 5, 1), "lead", POLICY, CAL)
    assert not [s for s in slots if s.kind == "checkin"]


def test_coordinators_get_fewer_reminders() -> None:
    slots = reminder_slots(date(2022, 6, 30), None, "coordinate", POLICY, CAL)
    assert days(slots) == {"before-3": date(2022, 6, 27), "on_day": date(2022, 6, 30)}


def test_reminders_before_the_window_start_move_to_its_first_working_day() -> None:
    slots = reminder_slots(date(2022, 12, 7), date(2022, 12, 1), "lead", POLICY, CAL)
    assert days(slots) == {
        "before-14": date(2022, 12, 1),
        "before-3": date(2022, 12, 2),
        "before-1": date(2022, 12, 6),
        "on_day": date(2022, 12, 7),
    }


def test_on_day_keeps_its_day_when_the_window_is_one_day() -> None:
    slots = reminder_slots(date(2022, 12, 7), date(2022, 12, 7), "lead", POLICY, CAL)
    assert [(s.slot, local(s.at).date()) for s in slots] == [("on_day", date(2022, 12, 7))]


def test_a_due_date_on_a_holiday_is_reminded_the_working_day_before() -> None:
    assert days(reminder_slots(date(2022, 9, 2), None, "coordinate", POLICY, CAL)) == {
        "before-3": date(2022, 8, 26),
        "on_day": date(2022, 8, 31),
    }


# --- overdue and escalation ---


def test_quy_i_2022_overdue_and_escalations() -> None:
    slots = overdue_slots(date(2022, 3, 31), POLICY, CAL)
    got = days(slots)
    assert [s.slot for s in slots if s.kind == "overdue"] == [f"overdue-{k}" for k in range(1, 11)]
    assert got["overdue-1"] == date(2022, 4, 1)
    assert got["overdue-2"] == date(2022, 4, 6)
    assert got["overdue-3"] == date(2022, 4, 12)  # 11/4 is Giỗ Tổ observed
    assert got["escalation-head"] == got["overdue-3"]
    assert got["escalation-leader"] == date(2022, 4, 7)
    assert {s.kind for s in slots if s.slot.startswith("escalation")} == {"escalation"}


def test_overdue_cap_zero_leaves_only_escalations() -> None:
    slots = overdue_slots(date(2022, 3, 31), Policy(overdue_max=0), CAL)
    assert [s.slot for s in slots] == ["escalation-leader", "escalation-head"]


def test_leader_escalation_waits_for_a_working_day() -> None:
    got = days(overdue_slots(date(2022, 1, 25), POLICY, CAL))  # +7 days is Tết
    assert got["escalation-leader"] == date(2022, 2, 7)


# --- nothing on a weekend or a 2022 holiday ---

SEED_DUES = [date(2022, 3, 31), date(2022, 6, 30), date(2022, 12, 31), date(2023, 1, 31)]


@pytest.mark.parametrize("due", sorted(set(month_ends(2022) + SEED_DUES)))
def test_no_2022_slot_lands_on_a_day_off(due: date) -> None:
    slots = [
        *reminder_slots(due, date(due.year, 1, 1), "lead", POLICY, CAL),
        *reminder_slots(due, None, "coordinate", POLICY, CAL),
        *overdue_slots(due, POLICY, CAL),
    ]
    for slot in slots:
        day = local(slot.at).date()
        if day.year == 2022:
            assert is_open_2022(day), slot
        assert CAL.is_working_day(day), slot
        assert local(slot.at).time() == POLICY.send_time


def test_no_2022_digest_or_continuous_checkin_lands_on_a_day_off() -> None:
    instants = digest_slots(date(2022, 1, 1), date(2022, 12, 31), POLICY, CAL) + [
        s.at for s in continuous_checkins(date(2022, 1, 1), date(2022, 12, 31), POLICY, CAL)
    ]
    assert instants
    assert all(is_open_2022(local(at).date()) for at in instants)
    assert not {local(at).date() for at in instants} & HOLIDAYS_2022


# --- continuous work, recurring dues ---


def test_continuous_checkins_come_on_each_months_first_working_day() -> None:
    slots = continuous_checkins(date(2022, 1, 1), date(2022, 12, 31), POLICY, CAL)
    got = days(slots)
    assert len(slots) == 12
    assert got["checkin-2022-01"] == date(2022, 1, 4)
    assert got["checkin-2022-02"] == date(2022, 2, 7)
    assert got["checkin-2022-05"] == date(2022, 5, 4)
    assert got["checkin-2022-09"] == date(2022, 9, 5)
    assert continuous_checkins(date(2022, 1, 5), date(2022, 1, 31), POLICY, CAL) == []
    off = Policy(continuous_checkin="off")
    assert continuous_checkins(date(2022, 1, 1), date(2022, 12, 31), off, CAL) == []


def test_it_expands_monthly_and_month_end_rules_in_a_window() -> None:
    monthly = expand_recurring(
        "FREQ=MONTHLY;BYMONTHDAY=5", date(2022, 1, 1), date(2022, 3, 1), date(2022, 6, 5)
    )
    assert monthly == [date(2022, m, 5) for m in (3, 4, 5, 6)]
    ends = expand_recurring(
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1", date(2022, 1, 1), date(2022, 1, 1), date(2022, 3, 31)
    )
    assert ends == [date(2022, 1, 31), date(2022, 2, 28), date(2022, 3, 31)]
    quarter_ends = "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1"
    quarterly = expand_recurring(
        quarter_ends, date(2022, 3, 1), date(2022, 1, 1), date(2022, 12, 31)
    )
    assert quarterly == [date(2022, m, 1) - timedelta(days=1) for m in (4, 7, 10)] + [
        date(2022, 12, 31)
    ]


def test_it_refuses_a_broken_rule() -> None:
    with pytest.raises(ValueError, match="Quy tắc lặp không hợp lệ"):
        expand_recurring("FREQ=SOMETIMES", date(2022, 1, 1), date(2022, 1, 1), date(2022, 2, 1))


# --- quiet hours ---


@pytest.mark.parametrize(
    ("when", "moved"),
    [
        (datetime(2022, 3, 8, 10, 0), datetime(2022, 3, 8, 10, 0)),  # working Tuesday: kept
        (datetime(2022, 3, 8, 5, 0), datetime(2022, 3, 8, 8, 0)),  # early: same morning
        (datetime(2022, 4, 1, 22, 0), datetime(2022, 4, 4, 8, 0)),  # Friday night: Monday
        (datetime(2022, 4, 8, 21, 0), datetime(2022, 4, 12, 8, 0)),  # before Giỗ Tổ Monday
        (datetime(2022, 3, 5, 10, 0), datetime(2022, 3, 7, 8, 0)),  # Saturday
        (datetime(2022, 1, 31, 6, 30), datetime(2022, 2, 7, 8, 0)),  # Tết
    ],
)
def test_it_moves_reminders_out_of_quiet_hours_and_days_off(
    when: datetime, moved: datetime
) -> None:
    got = move_out_of_quiet_hours(when.replace(tzinfo=TZ), POLICY, CAL)
    assert got == moved.replace(tzinfo=TZ)
    assert got.tzinfo is UTC


def test_quiet_hours_may_not_wrap_midnight() -> None:
    policy = Policy(quiet_start=time(12), quiet_end=time(13))
    assert policy.is_quiet(time(12, 30)) and not policy.is_quiet(time(21))
    noon = datetime(2022, 3, 8, 12, 30, tzinfo=TZ)
    assert move_out_of_quiet_hours(noon, policy, CAL) == datetime(2022, 3, 9, 8, tzinfo=TZ)


def test_quiet_hours_refuse_naive_datetimes() -> None:
    with pytest.raises(ValueError):
        move_out_of_quiet_hours(datetime(2022, 3, 8, 5), POLICY, CAL)


# --- digest ---


def test_digest_on_a_holiday_monday_goes_to_the_next_working_day() -> None:
    got = digest_slots(date(2022, 4, 4), date(2022, 5, 9), POLICY, CAL)
    assert [local(at) for at in got] == [
        datetime(2022, 4, 4, 8, tzinfo=TZ),
        datetime(2022, 4, 12, 8, tzinfo=TZ),  # Monday 11/4: Giỗ Tổ observed
        datetime(2022, 4, 18, 8, tzinfo=TZ),
        datetime(2022, 4, 25, 8, tzinfo=TZ),
        datetime(2022, 5, 4, 8, tzinfo=TZ),  # Monday 2/5 and Tuesday 3/5 off
        datetime(2022, 5, 9, 8, tzinfo=TZ),
    ]


def test_digest_pushed_into_the_window_counts_and_tet_weeks_merge() -> None:
    got = digest_slots(date(2025, 1, 28), date(2025, 2, 3), POLICY, CAL)
    assert [local(at).date() for at in got] == [date(2025, 2, 3)]  # Monday 27/1 is off too


# --- retry backoff ---


@given(
    attempts=st.integers(min_value=0, max_value=20),
    retry_after=st.none() | st.floats(min_value=0, max_value=10_000),
    seed=st.integers(),
)
def test_retry_delay_stays_within_bounds(
    attempts: int, retry_after: float | None, seed: int
) -> None:
    delay = retry_delay(attempts, retry_after, jitter=random.Random(seed))
    if attempts >= MAX_ATTEMPTS:
        assert delay is None
        return
    assert delay is not None
    ceiling = min(timedelta(hours=1), timedelta(seconds=30) * 2 ** max(attempts - 1, 0))
    floor = timedelta(seconds=retry_after or 0)
    assert timedelta(0) <= delay <= max(ceiling, floor)
    assert delay >= floor


def test_retry_delay_grows_then_caps() -> None:
    def worst(attempts: int) -> timedelta | None:
        class Top(random.Random):
            def uniform(self, a: float, b: float) -> float:
                return b

        return retry_delay(attempts, None, jitter=Top(), max_attempts=20)

    assert [worst(n) for n in (1, 2, 3)] == [timedelta(seconds=s) for s in (30, 60, 120)]
    assert worst(12) == timedelta(hours=1)
    assert retry_delay(3, 7200.0, jitter=random.Random(1)) == timedelta(hours=2)
