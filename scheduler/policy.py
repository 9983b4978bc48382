"""Reminder policy and the pure schedule it implies.

``Policy`` holds every setting a secretary may change (globally or per plan,
via ``nhacviec policy set KEY VALUE``); the functions below turn one due date
into reminder *slots* (kind, instant, stable key). They do no I/O and read no
clock: the planner feeds them dates and writes the slots to the outbox, whose
UNIQUE key (due, recipient, kind, slot) makes replanning a no-op, which is why
slot keys must stay stable for the same inputs.

All offsets count working days (see ``WorkCalendar``); all instants are aware
UTC, computed from local Asia/Ho_Chi_Minh wall-clock times.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr

from scheduler.calendar import WorkCalendar
from scheduler.clock import TZ
from scheduler.policy_settings import PARSERS, dump
from scheduler.policy_settings import PolicyError as PolicyError

ReminderKind = Literal["before", "on_day", "checkin", "overdue", "escalation", "digest"]
Role = Literal["lead", "coordinate"]

MAX_ATTEMPTS = 8
"""Sends of one reminder before the dispatcher gives up (first try included)."""

_CHECKIN_QUIET_DAYS = 7  # no check-in this close (calendar days) to a before/on_day reminder


@dataclass(frozen=True)
class Policy:
    """When to remind. Defaults are the agency's usual practice (DESIGN.md, Reminders).

    ``overdue_max`` caps automatic overdue reminders: with the defaults the
    10th lands 28 working days (about six weeks) after the due date; after that
    the officer is not nagged any more, but the task stays in /quahan and in the
    weekly digest, and both escalations have long been sent.
    ``before_is_previous_day`` is read by the deadline parser's caller: it makes
    "trước ngày D" mean D−1, as the Ministry of Finance's systems record it.
    """

    offsets_lead: tuple[int, ...] = (14, 7, 3, 1, 0)
    offsets_coordinate: tuple[int, ...] = (3, 0)
    send_time: time = time(8, 0)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(7, 0)
    checkin_min_window_days: int = 60
    overdue_first: int = 1
    overdue_every: int = 3
    overdue_max: int = 10
    escalate_head_after: int = 2
    escalate_leader_after_days: int = 7
    digest_weekday: int = 0
    digest_time: time = time(8, 0)
    horizon_days: int = 60
    continuous_checkin: Literal["monthly", "off"] = "monthly"
    before_is_previous_day: bool = True
    reporting_deadline: str = ""
    """A plan-level reporting deadline ("trước ngày 15 hằng tháng"): the points at which
    leaders are told who has not reported (``data/reporting.py``); empty: none."""

    def __post_init__(self) -> None:
        for f in fields(self):
            PARSERS[f.name](f.name, getattr(self, f.name))
        for key in ("send_time", "digest_time"):
            at: time = getattr(self, key)
            if self.is_quiet(at):
                raise PolicyError(
                    f"{key} {at:%H:%M} nằm trong giờ yên lặng "
                    f"({self.quiet_start:%H:%M}–{self.quiet_end:%H:%M}); hãy chọn giờ khác."
                )

    def is_quiet(self, at: time) -> bool:
        """True when ``at`` (local wall-clock time) falls in quiet hours; they may span midnight."""
        if self.quiet_start <= self.quiet_end:
            return self.quiet_start <= at < self.quiet_end
        return at >= self.quiet_start or at < self.quiet_end

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Policy:
        """Build from stored or typed settings; missing keys keep their defaults."""
        return merged(cls(), data)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready settings (times as "HH:MM", offsets as lists); ``from_dict`` reads it back."""
        return {f.name: dump(getattr(self, f.name)) for f in fields(self)}


def merged(base: Policy, overrides: Mapping[str, object]) -> Policy:
    """``base`` (the global policy) with a plan's overrides applied, all validated."""
    changes: dict[str, Any] = {}  # typed per key by its parser
    for key, value in overrides.items():
        parse = PARSERS.get(key)
        if parse is None:
            raise PolicyError(
                f"Không có thiết lập “{key}”. Các thiết lập hợp lệ: {', '.join(PARSERS)}."
            )
        changes[key] = parse(key, value)
    return replace(base, **changes)


@dataclass(frozen=True)
class Slot:
    """One planned reminder: what kind, when (aware UTC), and its stable outbox key."""

    kind: ReminderKind
    at: datetime
    slot: str
    offset: int | None


def reminder_slots(
    due: date, start: date | None, role: Role, policy: Policy, cal: WorkCalendar
) -> list[Slot]:
    """The before / on_day / checkin reminders of one due date, in time order.

    Offsets count working days back from the effective due day (the due date,
    or the working day before it when it is a day off; that is where on_day
    goes). A reminder that would come before the window ``start`` is moved to
    the first working day of the window; when several land on one day, on_day
    keeps its day, otherwise the larger offset keeps the label (the message
    text counts the days left from the actual date anyway).
    Windows longer than ``checkin_min_window_days`` also get a check-in on the
    first working day of each month that begins inside the window, unless a
    before/on_day reminder is within a week of it.
    """
    offsets = policy.offsets_lead if role == "lead" else policy.offsets_coordinate
    last = cal.working_days_before(due, 0)
    floor = min(cal.next_working_day(start), last) if start is not None else None
    by_day: dict[date, Slot] = {}
    for offset in sorted(set(offsets), key=lambda n: (n != 0, -n)):
        day = cal.working_days_before(due, offset)
        if floor is not None:
            day = max(day, floor)
        label = "on_day" if offset == 0 else f"before-{offset}"
        kind: ReminderKind = "on_day" if offset == 0 else "before"
        by_day.setdefault(day, Slot(kind, _at(day, policy.send_time), label, offset))
    if start is not None and (due - start).days > policy.checkin_min_window_days:
        reminded = list(by_day)
        for first in _month_starts(start + relativedelta(day=1, months=1), due):
            day = cal.next_working_day(first)
            if day < last and all(abs((day - r).days) > _CHECKIN_QUIET_DAYS for r in reminded):
                by_day.setdefault(day, _checkin(first, day, policy))
    return sorted(by_day.values(), key=lambda s: s.at)


def overdue_slots(due: date, policy: Policy, cal: WorkCalendar) -> list[Slot]:
    """Overdue reminders and escalations of one due date, in time order.

    ``overdue-k`` goes ``overdue_first + (k-1) * overdue_every`` working days after
    the due date, for k up to ``overdue_max``. The unit head is told on the day
    of the reminder that follows ``escalate_head_after`` unanswered ones (with
    the defaults, together with overdue-3), even when the cap stops reminders
    earlier; the leader on the first working day at least
    ``escalate_leader_after_days`` calendar days after the due date.
    The planner creates these only while the due is not done.
    """
    slots = []
    for k in range(1, policy.overdue_max + 1):
        n = policy.overdue_first + (k - 1) * policy.overdue_every
        slots.append(_after(due, n, "overdue", f"overdue-{k}", policy, cal))
    head = policy.overdue_first + policy.escalate_head_after * policy.overdue_every
    slots.append(_after(due, head, "escalation", "escalation-head", policy, cal))
    leader = cal.next_working_day(due + timedelta(days=policy.escalate_leader_after_days))
    leader_n = cal.working_days_between(due, leader)
    slots.append(_after(due, leader_n, "escalation", "escalation-leader", policy, cal))
    return sorted(slots, key=lambda s: (s.at, s.slot))


UNREPORTED = "overdue-unreported"
"""The label of the one "quá hạn, chưa báo cáo" reminder of an occurrence a newer one replaced."""


def _recurrence(rule: str, start: date) -> rrule:
    try:
        recurrence = rrulestr(rule, dtstart=datetime.combine(start, time()))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"Quy tắc lặp không hợp lệ: “{rule}” ({exc})") from exc
    if not isinstance(recurrence, rrule):
        raise ValueError(f"Quy tắc lặp không hợp lệ: “{rule}” (nhiều quy tắc)")
    return recurrence


def expand_recurring(rule: str, start: date, window_from: date, window_until: date) -> list[date]:
    """Occurrences of an RFC 5545 rule (e.g. "FREQ=MONTHLY;BYMONTHDAY=5") in a closed window.

    ``start`` is the rule's DTSTART; the planner passes a window of
    ``horizon_days`` so an endless rule yields a bounded list. Months lacking a
    BYMONTHDAY are skipped, as the RFC says: the deadline reader writes "ngày 30
    hằng tháng" as BYMONTHDAY=28,29,30;BYSETPOS=-1 so short months keep their due.
    """
    window = (datetime.combine(window_from, time()), datetime.combine(window_until, time()))
    return [when.date() for when in _recurrence(rule, start).between(*window, inc=True)]


def occurrences_with_next(
    rule: str, start: date, window_from: date, window_until: date
) -> list[tuple[date, date | None]]:
    """Occurrences in the window, and the last one before it, each with the one after it.

    The next occurrence is what replaces an open one (see ``until_next_occurrence``);
    the one before the window is included because its "chưa báo cáo" reminder falls
    when the first one in the window comes due. The last occurrence gets None: the
    planner expands past its horizon, so nothing it plans depends on that one's next.
    """
    days = expand_recurring(rule, start, window_from, window_until)
    before = _recurrence(rule, start).before(datetime.combine(window_from, time()))
    if before is not None:
        days.insert(0, before.date())
    return list(zip(days, [*days[1:], None], strict=True))


def until_next_occurrence(
    slots: list[Slot], due: date, next_due: date, policy: Policy, cal: WorkCalendar
) -> list[Slot]:
    """An open occurrence's overdue reminders give way to the next occurrence's reminders.

    ``slots`` are the reminders of the occurrence due on ``due``. Its overdue
    reminders stop once the next occurrence's reminders begin (one reminder a day
    about the task, not two), and the day the next one comes due (its on_day) it
    gets one ``overdue-unreported`` reminder ("quá hạn, chưa báo cáo"), in the
    same message; its escalations keep their days (the ladder is not cut short).
    Without this a monthly report's ten overdue reminders ran into the next
    month's and one officer got 144 messages a year about one task. When days
    off put the next on_day on or before ``due`` (a weekly report over Tết),
    nothing changes.
    """
    upcoming = [s.at for s in reminder_slots(next_due, None, "lead", policy, cal)] or [
        _at(cal.working_days_before(next_due, 0), policy.send_time)  # offsets_lead set empty
    ]
    on_day = upcoming[-1]
    if on_day <= _at(due, policy.send_time):
        return slots
    cut = upcoming[0]
    kept = [s for s in slots if s.kind != "overdue" or s.at < cut]
    kept.append(Slot("overdue", on_day, UNREPORTED, None))
    return sorted(kept, key=lambda s: (s.at, s.slot))


def continuous_checkins(
    window_from: date, window_until: date, policy: Policy, cal: WorkCalendar
) -> list[Slot]:
    """Monthly check-ins for ongoing ("Thường xuyên") work: first working day of each month."""
    if policy.continuous_checkin == "off":
        return []
    slots = []
    for first in _month_starts(window_from + relativedelta(day=1), window_until):
        day = cal.next_working_day(first)
        if window_from <= day <= window_until:
            slots.append(_checkin(first, day, policy))
    return slots


def is_working_time(at: datetime, policy: Policy, cal: WorkCalendar) -> bool:
    """True on a working day outside quiet hours (local time): when anything may be sent.

    The dispatcher sends nothing else at night, on weekends or on holidays (only a
    leader's explicit urgent reminder), which is what keeps catch-up after downtime
    from waking people.
    """
    if at.tzinfo is None:
        raise ValueError("is_working_time needs an aware datetime")
    local = at.astimezone(TZ)
    return cal.is_working_day(local.date()) and not policy.is_quiet(local.time())


def move_out_of_quiet_hours(at: datetime, policy: Policy, cal: WorkCalendar) -> datetime:
    """``at`` itself when it is working time (``is_working_time``), else the next working morning.

    "Next working morning" is ``send_time`` on the first working day not before
    the day ``at`` falls on when ``at`` is earlier than ``send_time`` (05:00 →
    08:00 the same day), or after it otherwise (22:00 → 08:00 next working day).
    """
    if is_working_time(at, policy, cal):
        return at.astimezone(UTC)
    local = at.astimezone(TZ)
    day = local.date()
    if local.time() >= policy.send_time:
        day += timedelta(days=1)
    return _at(cal.next_working_day(day), policy.send_time)


def digest_slots(
    window_from: date, window_until: date, policy: Policy, cal: WorkCalendar
) -> list[datetime]:
    """Weekly digest instants in ``[window_from, window_until]``.

    On ``digest_weekday`` at ``digest_time``; when that day is off, the next
    working day (Tết can push two weeks' digests onto one day: sent once).
    """
    back = (window_from.weekday() - policy.digest_weekday) % 7
    week = window_from - timedelta(days=back + 14)  # earlier weeks may be pushed into the window
    days = set()
    while week <= window_until:
        day = cal.next_working_day(week)
        if window_from <= day <= window_until:
            days.add(day)
        week += timedelta(days=7)
    return [_at(day, policy.digest_time) for day in sorted(days)]


def retry_delay(
    attempts: int,
    retry_after: float | None,
    *,
    base: timedelta = timedelta(seconds=30),
    cap: timedelta = timedelta(hours=1),
    jitter: random.Random,
    max_attempts: int = MAX_ATTEMPTS,
) -> timedelta | None:
    """How long to wait before the next send, or None to give up.

    ``attempts`` counts sends made so far. Exponential backoff with full
    jitter (uniform in [0, min(cap, base·2^(attempts-1))]) spreads retries of
    many reminders that failed together; a provider's ``retry_after`` (Telegram
    429) is a floor, honoured even above ``cap``.
    """
    if attempts >= max_attempts:
        return None
    exponent = min(max(attempts - 1, 0), 32)
    ceiling = min(cap, base * 2**exponent)
    delay = timedelta(seconds=jitter.uniform(0, ceiling.total_seconds()))
    if retry_after is not None:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


def _at(day: date, wall: time) -> datetime:
    """The UTC instant of local wall-clock ``wall`` on ``day`` in Vietnam."""
    return datetime.combine(day, wall, tzinfo=TZ).astimezone(UTC)


def _after(
    due: date, n: int, kind: ReminderKind, label: str, policy: Policy, cal: WorkCalendar
) -> Slot:
    return Slot(kind, _at(cal.add_working_days(due, n), policy.send_time), label, n)


def _checkin(first: date, day: date, policy: Policy) -> Slot:
    return Slot("checkin", _at(day, policy.send_time), f"checkin-{first:%Y-%m}", None)


def _month_starts(first: date, until: date) -> Iterator[date]:
    """First days of months from ``first`` (itself a first day) up to ``until``."""
    while first <= until:
        yield first
        first += relativedelta(months=1)
