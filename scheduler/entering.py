"""Which dues can have a reminder on the days entering the planning horizon.

The periodic tick plans only the days between the last day already planned
(``after``) and the new last day (``last``); reading every assignment to find the
few dues with a reminder there is what made a tick cost the size of the database.
Every reminder day of a due is a monotone function of its (effective) due date:
``working_days_before``, ``add_working_days`` and ``next_working_day`` never go
back when the date moves forward. So the due dates whose reminders can land in
the window lie in one band, found by bisection over the pure slot functions for
each policy in force, and each date of the band is checked; the planner then
reads only dues on those dates, plus the few whose reminders do not hang on
their due date alone (recurring rules, ongoing work and long windows' monthly
check-ins, window starts). A superset: the planner keeps only the slots inside
the window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from scheduler.calendar import WorkCalendar
from scheduler.clock import TZ
from scheduler.policy import Policy, Slot, overdue_slots, reminder_slots


@dataclass(frozen=True)
class Entering:
    """What the due query of a horizon extension needs to know about its window."""

    after: date
    """The last day planned before; the window starts the day after."""
    last: date
    """The new last day planned."""
    due_dates: frozenset[date]
    """The (effective) due dates with a reminder in the window, under some policy."""
    first_start: date
    """A window starting on or after this day may have its first reminder moved into the window."""
    checkin: bool
    """A month's first working day (monthly check-ins of ongoing work, long windows) is in it."""


def _slot_days(day: date, policy: Policy, cal: WorkCalendar) -> list[date]:
    slots: list[Slot] = [
        *overdue_slots(day, policy, cal),
        *reminder_slots(day, None, "lead", policy, cal),
        *reminder_slots(day, None, "coordinate", policy, cal),
    ]
    return [slot.at.astimezone(TZ).date() for slot in slots]


def _first_true(holds: Callable[[date], bool], known_false: date, known_true: date) -> date:
    """The first day where the monotone ``holds`` is true, between two bracketing days."""
    while (known_true - known_false).days > 1:
        middle = known_false + (known_true - known_false) // 2
        if holds(middle):
            known_true = middle
        else:
            known_false = middle
    return known_true


def _bracket_below(holds: Callable[[date], bool], start: date) -> date:
    """A day before ``start`` where the monotone ``holds`` is false (doubling steps back)."""
    step = 32
    while holds(start - timedelta(days=step)):
        step *= 2
    return start - timedelta(days=step)


def _bracket_above(holds: Callable[[date], bool], start: date) -> date:
    """A day after ``start`` where the monotone ``holds`` is true (doubling steps forward)."""
    step = 32
    while not holds(start + timedelta(days=step)):
        step *= 2
    return start + timedelta(days=step)


def _earliest_due(after: date, policy: Policy, cal: WorkCalendar) -> date:
    def reaches(day: date) -> bool:
        return max(_slot_days(day, policy, cal)) > after

    start = after + timedelta(days=1)
    if not reaches(start):
        return start
    return _first_true(reaches, _bracket_below(reaches, start), start)


def _latest_due(last: date, policy: Policy, cal: WorkCalendar) -> date:
    def beyond(day: date) -> bool:
        return min(_slot_days(day, policy, cal)) > last

    if beyond(last):
        return last
    return _first_true(beyond, last, _bracket_above(beyond, last)) - timedelta(days=1)


def _checkin_in(after: date, last: date, cal: WorkCalendar) -> bool:
    """Check-ins go on the first working day of a month (``policy._checkin``)."""
    first = after.replace(day=1) - relativedelta(months=1)
    while first <= last:
        if after < cal.next_working_day(first) <= last:
            return True
        first += relativedelta(months=1)
    return False


def entering(after: date, last: date, policies: Iterable[Policy], cal: WorkCalendar) -> Entering:
    """What can have a reminder in ``after`` (exclusive) .. ``last`` (inclusive): the due
    dates in the band (for every policy in force) with a slot day in the window, each
    checked — a day's tick reads the dues with a reminder that day, not every due whose
    reminders span it."""
    distinct = set(policies)
    dates = set()
    for policy in distinct:
        day, latest = _earliest_due(after, policy, cal), _latest_due(last, policy, cal)
        while day <= latest:
            if any(after < slot <= last for slot in _slot_days(day, policy, cal)):
                dates.add(day)
            day += timedelta(days=1)
    return Entering(
        after=after,
        last=last,
        due_dates=frozenset(dates),
        first_start=cal.previous_working_day(after) + timedelta(days=1),
        checkin=_checkin_in(after, last, cal),
    )
