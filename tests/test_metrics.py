"""Metrics from the database (both backends) and the process, in a format Prometheus parses."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import InboundUpdate, Reminder, StatusUpdate
from scheduler.metrics import Registry, SendTimer, collect, render, timed
from scheduler.sender import Bundle, SendError
from tests.fakes import FakeSender, World

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
SAMPLE = re.compile(rf'^({NAME})(?:\{{((?:{NAME}="(?:[^"\\]|\\.)*",?)*)\}})? (\S+)$')
LABEL = re.compile(rf'({NAME})="((?:[^"\\]|\\.)*)"')


def parse(text: str) -> dict[str, tuple[str, dict[tuple[tuple[str, str], ...], float]]]:
    """Family → (type, {labels: value}); fails on any line the text format does not allow."""
    assert text.endswith("\n")
    families: dict[str, tuple[str, dict[tuple[tuple[str, str], ...], float]]] = {}
    helped: set[str] = set()
    for line in text.splitlines():
        if line.startswith("# HELP "):
            helped.add(line.split()[2])
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split()
            assert name in helped and name not in families, line
            assert kind in ("counter", "gauge", "histogram", "summary", "untyped")
            families[name] = (kind, {})
            continue
        match = SAMPLE.match(line)
        assert match, f"not a sample line: {line!r}"
        name, labels, value = match.groups()
        family = re.sub(r"_(bucket|sum|count)$", "", name)
        family = family if family in families else name
        assert family in families, f"sample before its # TYPE: {line!r}"
        key = tuple(LABEL.findall(labels or ""))
        series = families[family][1]
        series[(("__name__", name), *key)] = float(value)
    return families


async def _seed(sessions: async_sessionmaker[AsyncSession]) -> None:
    world = World(sessions)
    unit = await world.unit("Sở Nội vụ")
    an = await world.officer("Nguyễn Văn An", unit, telegram=1001)
    binh = await world.officer("Trần Thị Bình", unit, zalo="z-2")
    due_an = [await world.reminder(an, NOW - timedelta(minutes=m)) for m in (90, 5)]
    await world.reminder(binh, NOW + timedelta(days=1), kind="overdue")
    sent = await world.reminder(an, NOW - timedelta(days=1), kind="on_day")
    failed = await world.reminder(binh, NOW - timedelta(days=2))
    async with sessions.begin() as s:
        await s.execute(
            update(Reminder)
            .where(Reminder.id == sent)
            .values(state="sent", channel="telegram", sent_at=NOW - timedelta(hours=20))
        )
        await s.execute(
            update(Reminder).where(Reminder.id == failed).values(state="failed", channel="zalo")
        )
        s.add_all(
            [
                InboundUpdate(channel="telegram", update_id="1"),
                InboundUpdate(channel="telegram", update_id="2"),
                InboundUpdate(channel="zalo", update_id="m-1"),
                StatusUpdate(officer_id=an.id, channel="telegram", raw_text="xong"),
            ]
        )
    assert len(due_an) == 2


async def test_it_counts_the_outbox_and_the_updates(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _seed(sessions)
    async with sessions() as s:
        snapshot = await collect(s, NOW)
    text = render(snapshot, Registry())
    lines = set(text.splitlines())
    assert {
        "nhacviec_database_up 1",
        'nhacviec_reminders{state="failed",kind="before",channel="zalo"} 1',
        'nhacviec_reminders{state="pending",kind="before",channel="none"} 2',
        'nhacviec_reminders{state="pending",kind="overdue",channel="none"} 1',
        'nhacviec_reminders{state="sent",kind="on_day",channel="telegram"} 1',
        "nhacviec_queue_depth 2",
        "nhacviec_queue_oldest_due_age_seconds 5400",
        f"nhacviec_last_sent_timestamp_seconds {int((NOW - timedelta(hours=20)).timestamp())}",
        'nhacviec_inbound_ledger_updates{channel="telegram"} 2',
        'nhacviec_inbound_ledger_updates{channel="zalo"} 1',
        'nhacviec_status_updates_total{channel="telegram"} 1',
        "# TYPE nhacviec_reminders gauge",
        "# TYPE nhacviec_inbound_ledger_updates gauge",
        "# TYPE nhacviec_send_latency_seconds histogram",
    } <= lines
    families = parse(text)
    assert sum(families["nhacviec_reminders"][1].values()) == 5  # planned
    assert snapshot.totals("channel")["none"] == {"pending": 3, "planned": 3}
    assert snapshot.totals("kind")["before"] == {"pending": 2, "failed": 1, "planned": 3}


async def test_an_empty_database_reports_an_empty_queue(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as s:
        snapshot = await collect(s, NOW)
    text = render(snapshot, Registry())
    assert "nhacviec_queue_depth 0\n" in text
    assert "nhacviec_queue_oldest_due_age_seconds 0\n" in text
    assert "last_sent" not in text
    parse(text)


def _bundle(channel: str = "telegram", address: str = "1001") -> Bundle:
    return Bundle(1, "An", channel, address, date(2026, 3, 2), ())


class _Stopwatch:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_send_latency_is_a_histogram_by_channel_and_outcome() -> None:
    watch, registry = _Stopwatch(), Registry()

    def takes_a_while(bundle: Bundle) -> None:
        watch.now += 0.375 if bundle.address == "1001" else 12.0

    fake = FakeSender("telegram", before_send=takes_a_while)
    fake.fail_next("1002", SendError("429", retry_after=3))
    fake.fail_next("1003", SendError("blocked", permanent=True))
    sender = SendTimer(fake, registry, monotonic=watch)
    assert await sender.send(_bundle()) == "telegram-1"
    await sender.send(_bundle())
    for address in ("1002", "1003"):
        with pytest.raises(SendError):
            await sender.send(_bundle(address=address))
    text = render(None, registry)
    ok = 'channel="telegram",outcome="ok"'
    assert f'nhacviec_send_latency_seconds_bucket{{{ok},le="0.25"}} 0' in text
    assert f'nhacviec_send_latency_seconds_bucket{{{ok},le="0.5"}} 2' in text
    assert f'nhacviec_send_latency_seconds_bucket{{{ok},le="+Inf"}} 2' in text
    assert f"nhacviec_send_latency_seconds_sum{{{ok}}} 0.75" in text
    assert f"nhacviec_send_latency_seconds_count{{{ok}}} 2" in text
    retry = 'channel="telegram",outcome="retry"'
    assert f'nhacviec_send_latency_seconds_bucket{{{retry},le="10"}} 0' in text
    assert f'nhacviec_send_latency_seconds_bucket{{{retry},le="30"}} 1' in text
    assert 'nhacviec_send_latency_seconds_count{channel="telegram",outcome="permanent"} 1' in text
    assert "nhacviec_database_up 0\n" in text and "nhacviec_reminders" not in text
    series = parse(text)["nhacviec_send_latency_seconds"][1]
    buckets = [v for k, v in series.items() if k[0][1].endswith("_bucket") and ok in str(k)]
    assert buckets == sorted(buckets)  # cumulative


async def test_the_timer_keeps_what_the_dispatcher_reads_of_a_sender() -> None:
    class Console(FakeSender):
        accepts_unlinked = True

    wrapped = timed(Console("console"), Registry())
    assert wrapped.channel == "console"
    assert getattr(wrapped, "accepts_unlinked", False) is True
    assert getattr(timed(FakeSender(), Registry()), "accepts_unlinked", None) is False


async def test_an_unexpected_error_is_timed_as_error() -> None:
    def explode(_: Bundle) -> None:
        raise RuntimeError("bug")

    registry = Registry()
    with pytest.raises(RuntimeError):
        await timed(FakeSender(before_send=explode), registry).send(_bundle())
    assert 'outcome="error"} 1' in render(None, registry)


def test_label_values_are_escaped() -> None:
    registry = Registry()
    registry.send_latency.observe(1.0, channel='te"le\\gram\n', outcome="ok")
    text = render(None, registry)
    assert r'channel="te\"le\\gram\n"' in text
    parse(text)
