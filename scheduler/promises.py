"""When a promise's follow-up and a snoozed item come back (pure: policy and calendar in).

A promise ("mai nộp") is followed up once, on the working morning after the
promised day: the officer had the whole day. A snooze comes back once, at the
time the officer chose, moved out of quiet hours and days off like every other
row: "2 giờ" at 20:00 is the next working morning, "thứ Hai" on a holiday Monday
is the next working day's morning.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from data.status_dates import Snooze
from scheduler.calendar import WorkCalendar
from scheduler.clock import TZ
from scheduler.policy import Policy, move_out_of_quiet_hours


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=TZ)


def followup_time(promised: date, policy: Policy, cal: WorkCalendar) -> datetime:
    """The first working morning after ``promised``."""
    return move_out_of_quiet_hours(_midnight(promised + timedelta(days=1)), policy, cal)


def snooze_time(snooze: Snooze, now: datetime, policy: Policy, cal: WorkCalendar) -> datetime:
    """When a snooze asked at ``now`` ends, in working time."""
    today = now.astimezone(TZ).date()
    if snooze.unit == "hour":
        return move_out_of_quiet_hours(now + timedelta(hours=snooze.amount), policy, cal)
    if snooze.unit == "day":
        day = today + timedelta(days=max(snooze.amount, 1))
    else:
        day = today + timedelta(days=(snooze.amount - today.weekday() - 1) % 7 + 1)
    return move_out_of_quiet_hours(_midnight(day), policy, cal)
