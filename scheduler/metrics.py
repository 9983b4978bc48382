"""The service's numbers, in the Prometheus text exposition format (version 0.0.4).

Two sources, kept apart on purpose:
- the database (``collect``): reminders by state, kind and channel, the due queue
  and the age of its oldest row, updates received, status updates recorded. Read at
  scrape time, so every instance behind a load balancer reports the same truth and
  a restarted process has lost nothing; ``sum(nhacviec_reminders)`` is what was
  planned. Pending rows have no channel yet (the dispatcher routes when it sends):
  they carry ``channel="none"``.
- this process (``Registry``): how long each ``Sender.send`` took, by channel and
  outcome. Only the process that sent knows it, so it is a histogram Prometheus
  sums across instances (``sum by (le) (rate(..._bucket[5m]))``).

Plain Python rather than ``prometheus_client``: the database numbers are not
process counters (they would need a custom collector anyway) and the format is a
few lines of text; one dependency less in a service that agencies run themselves.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from data.models import InboundUpdate, Reminder, StatusUpdate
from scheduler.sender import Bundle, Sender, SendError

PREFIX = "nhacviec"
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
"""Seconds; a Bot API call is ~0.1–0.5 s, a timeout is tens of seconds."""
NO_CHANNEL = "none"
Labels = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class OutboxSnapshot:
    """What the database says at ``now``; the same for every instance that asks."""

    now: datetime
    reminders: Mapping[tuple[str, str, str], int]
    """(state, kind, channel) → rows."""
    queue_depth: int
    """Pending rows whose time has come (waiting for a dispatcher)."""
    oldest_due_age: float
    """Seconds since the oldest of those rows was due; 0 when the queue is empty."""
    last_sent_at: datetime | None
    updates_received: Mapping[str, int]
    """channel → inbound updates in the ledger (each provider update once, within retention)."""
    status_updates: Mapping[str, int]
    """channel → status updates recorded."""

    def totals(self, by: Literal["kind", "channel"]) -> dict[str, dict[str, int]]:
        """kind or channel → state → rows, plus ``planned`` (all rows): what a person reads."""
        axis = 1 if by == "kind" else 2
        table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for key, count in self.reminders.items():
            table[key[axis]][key[0]] += count
            table[key[axis]]["planned"] += count
        return {name: dict(states) for name, states in sorted(table.items())}


async def collect(session: AsyncSession, now: datetime) -> OutboxSnapshot:
    """Read the numbers in one session: four aggregate queries, no row loaded."""
    channel = func.coalesce(Reminder.channel, NO_CHANNEL)
    grouped = await session.execute(
        select(Reminder.state, Reminder.kind, channel, func.count()).group_by(
            Reminder.state, Reminder.kind, channel
        )
    )
    due = (Reminder.state == "pending") & (Reminder.scheduled_at <= now)
    depth, oldest = (
        await session.execute(select(func.count(), func.min(Reminder.scheduled_at)).where(due))
    ).one()
    last_sent = await session.scalar(select(func.max(Reminder.sent_at)))
    return OutboxSnapshot(
        now=now,
        reminders={(state, kind, ch): n for state, kind, ch, n in grouped.all()},
        queue_depth=depth,
        oldest_due_age=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
        last_sent_at=last_sent,
        updates_received=await _count_by_channel(session, InboundUpdate.channel),
        status_updates=await _count_by_channel(session, StatusUpdate.channel),
    )


async def _count_by_channel(
    session: AsyncSession, column: InstrumentedAttribute[str]
) -> dict[str, int]:
    rows = await session.execute(select(column, func.count()).group_by(column))
    return {str(channel): n for channel, n in rows.all()}


@dataclass
class Histogram:
    """Cumulative-bucket histogram per label set, as Prometheus expects it."""

    buckets: Sequence[float] = LATENCY_BUCKETS
    _counts: dict[Labels, list[int]] = field(default_factory=dict, init=False)
    _sums: dict[Labels, float] = field(default_factory=dict, init=False)

    def observe(self, value: float, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        counts = self._counts.setdefault(key, [0] * (len(self.buckets) + 1))
        for i, bound in enumerate(self.buckets):
            if value <= bound:
                counts[i] += 1
        counts[-1] += 1  # +Inf, which is also the count
        self._sums[key] = self._sums.get(key, 0.0) + value

    def samples(self, name: str) -> Iterable[str]:
        for key in sorted(self._counts):
            counts = self._counts[key]
            bounds = [*map(_number, self.buckets), "+Inf"]
            for bound, count in zip(bounds, counts, strict=True):
                yield _sample(f"{name}_bucket", (*key, ("le", bound)), count)
            yield _sample(f"{name}_sum", key, self._sums[key])
            yield _sample(f"{name}_count", key, counts[-1])


@dataclass
class Registry:
    """This process's own measurements (one per process, passed to who records and serves)."""

    send_latency: Histogram = field(default_factory=Histogram)


class SendTimer:
    """A ``Sender`` that times each call of the one it wraps (outcome ok|retry|permanent|error)."""

    def __init__(
        self,
        sender: Sender,
        registry: Registry,
        monotonic: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._sender, self._registry, self._monotonic = sender, registry, monotonic
        self.channel = sender.channel
        # The dispatcher routes unlinked officers to a sender that says it takes them.
        self.accepts_unlinked: bool = getattr(sender, "accepts_unlinked", False)

    async def send(self, bundle: Bundle) -> str:
        started, outcome = self._monotonic(), "error"
        try:
            message_id = await self._sender.send(bundle)
            outcome = "ok"
            return message_id
        except SendError as exc:
            outcome = "permanent" if exc.permanent else "retry"
            raise
        finally:
            elapsed = self._monotonic() - started
            self._registry.send_latency.observe(elapsed, channel=self.channel, outcome=outcome)


def timed(sender: Sender, registry: Registry) -> Sender:
    """``sender``, its latency recorded in ``registry`` (applied in ``bot.app.senders_for``)."""
    return SendTimer(sender, registry)


def render(snapshot: OutboxSnapshot | None, registry: Registry) -> str:
    """The exposition text; ``snapshot`` is None when the database could not be read."""
    lines: list[str] = []

    def family(name: str, kind: str, help_text: str, samples: Iterable[str]) -> None:
        lines.extend((f"# HELP {PREFIX}_{name} {help_text}", f"# TYPE {PREFIX}_{name} {kind}"))
        lines.extend(samples)

    family(
        "database_up",
        "gauge",
        "1 if the database answered this scrape, else 0 (then only process metrics follow).",
        [_sample(f"{PREFIX}_database_up", (), 0 if snapshot is None else 1)],
    )
    if snapshot is not None:
        _database_families(snapshot, family)
    family(
        "send_latency_seconds",
        "histogram",
        "Seconds per Sender.send call in this process, by channel and outcome.",
        registry.send_latency.samples(f"{PREFIX}_send_latency_seconds"),
    )
    return "\n".join(lines) + "\n"


def _database_families(
    snapshot: OutboxSnapshot, family: Callable[[str, str, str, Iterable[str]], None]
) -> None:
    reminders = f"{PREFIX}_reminders"
    family(
        "reminders",
        "gauge",
        'Outbox rows by state, kind and channel ("none": not routed yet); the sum is planned.',
        (
            _sample(reminders, (("state", s), ("kind", k), ("channel", c)), n)
            for (s, k, c), n in sorted(snapshot.reminders.items())
        ),
    )
    family(
        "queue_depth",
        "gauge",
        "Pending reminders whose time has come.",
        [_sample(f"{PREFIX}_queue_depth", (), snapshot.queue_depth)],
    )
    family(
        "queue_oldest_due_age_seconds",
        "gauge",
        "Seconds since the oldest due pending reminder was due (0: queue empty).",
        [_sample(f"{PREFIX}_queue_oldest_due_age_seconds", (), snapshot.oldest_due_age)],
    )
    if snapshot.last_sent_at is not None:
        family(
            "last_sent_timestamp_seconds",
            "gauge",
            "Unix time of the latest reminder sent.",
            [
                _sample(
                    f"{PREFIX}_last_sent_timestamp_seconds", (), snapshot.last_sent_at.timestamp()
                )
            ],
        )
    for name, kind, counts, help_text in (
        # a gauge: the ledger keeps only its retention window, so the count can go down
        ("inbound_ledger_updates", "gauge", snapshot.updates_received, _LEDGER_HELP),
        ("status_updates_total", "counter", snapshot.status_updates, "Status updates recorded."),
    ):
        family(
            name,
            kind,
            f"{help_text} By channel.",
            (
                _sample(f"{PREFIX}_{name}", (("channel", ch),), n)
                for ch, n in sorted(counts.items())
            ),
        )


_LEDGER_HELP = "Inbound updates kept for de-duplication (the retention window)."


def _sample(name: str, labels: Labels, value: float | str) -> str:
    if not labels:
        return f"{name} {_number(value)}"
    inside = ",".join(f'{key}="{_escape(str(val))}"' for key, val in labels)
    return f"{name}{{{inside}}} {_number(value)}"


def _escape(value: str) -> str:
    return value.replace("\\", r"\\").replace('"', r"\"").replace("\n", r"\n")


def _number(value: float | str) -> str:
    """Integers without ``.0``, floats as Python writes them (the format accepts both)."""
    if isinstance(value, str):
        return value
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))
