"""Injectable clock: the only place the scheduler learns what time it is.

Every component takes a ``Clock`` instead of calling ``datetime.now()`` so the
tests and the simulator can run months of reminders in milliseconds, and so a
reminder's timing never depends on the host's time zone: clocks speak aware UTC,
and local (Vietnamese) dates are derived with ``TZ`` at the edges.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from data.vn_dates import VN_TZ

TZ = VN_TZ


class Clock(Protocol):
    """Source of the current instant."""

    def now(self) -> datetime:
        """Return the current instant as an aware UTC datetime."""
        ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        """Return the current instant as an aware UTC datetime."""
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to (tests, simulator, demo)."""

    def __init__(self, start: datetime) -> None:
        self._now = _as_utc(start)

    def now(self) -> datetime:
        """Return the instant the clock was last set or advanced to."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move forward by ``delta``; time never runs backwards through here."""
        if delta < timedelta(0):
            raise ValueError("FakeClock.advance needs a non-negative delta; use set() to rewind")
        self._now += delta

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (either direction), e.g. to replay a scenario."""
        self._now = _as_utc(when)


def local_today(clock: Clock) -> date:
    """Today's date in Vietnam, which is what working days and due dates are about."""
    return clock.now().astimezone(TZ).date()


def _as_utc(when: datetime) -> datetime:
    """Reject naive datetimes: a naive instant is ambiguous by seven hours here."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("FakeClock needs an aware datetime (e.g. tzinfo=UTC or TZ)")
    return when.astimezone(UTC)
