"""The dispatcher on SQLite and PostgreSQL: claim, bundle, send, settle, retry, escalate."""

from __future__ import annotations

import asyncio
import io
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.console.sender import ConsoleSender
from bot.channels.telegram.channel import PACING
from data.models import Officer, RecipientLease, Reminder
from scheduler import outbox
from scheduler.clock import FakeClock
from scheduler.dispatch_rules import DUE_PASSED, NEWER
from scheduler.dispatcher import (
    NO_CHANNEL,
    Dispatcher,
    DispatchResult,
    OutboxError,
    list_outbox,
    retry_reminder,
)
from scheduler.limits import RateLimiter
from scheduler.policy import MAX_ATTEMPTS
from scheduler.sender import Bundle, Sender, SendError
from tests.fakes import FakeSender, FakeTimer, World

T0 = datetime(2022, 3, 28, 1, 0, tzinfo=UTC)  # Monday 28/03/2022, 08:00 in Hà Nội
TODAY = date(2022, 3, 28)
SessionFactory = async_sessionmaker[AsyncSession]


@dataclass
class Rig:
    world: World
    clock: FakeClock
    timer: FakeTimer
    telegram: FakeSender

    def dispatcher(self, *senders: Sender, **options: object) -> Dispatcher:
        """A dispatcher paced in fake time; the Telegram fake unless other senders are given."""
        chosen = senders or (self.telegram,)
        paces = {"telegram": PACING}
        limiter = RateLimiter(paces, monotonic=self.timer.monotonic, sleep=self.timer.sleep)
        return Dispatcher(
            self.world.sessions,
            {s.channel: s for s in chosen},
            self.clock,
            limiter=limiter,
            rng=random.Random(7),
            **options,  # type: ignore[arg-type]
        )


@pytest.fixture
async def rig(sessions: SessionFactory) -> AsyncIterator[Rig]:
    yield Rig(World(sessions), FakeClock(T0), FakeTimer(), FakeSender("telegram"))


async def rows(sessions: SessionFactory, **where: object) -> list[Reminder]:
    async with sessions() as s:
        statement = select(Reminder).filter_by(**where).order_by(Reminder.id)
        return list(await s.scalars(statement))


async def leases(sessions: SessionFactory) -> dict[int, datetime]:
    async with sessions() as s:
        found = await s.execute(select(RecipientLease.recipient_id, RecipientLease.lease_until))
        return {recipient: until for recipient, until in found}


async def one(sessions: SessionFactory, reminder_id: int) -> Reminder:
    async with sessions() as s:
        row = await s.get(Reminder, reminder_id)
    assert row is not None
    return row


async def test_it_sends_due_rows_once_and_records_message_id_and_sent_at(rig: Rig) -> None:
    w = rig.world
    unit = await w.unit("Ban Dân tộc")
    officer = await w.officer("Nguyễn Văn A", unit, telegram=1001)
    due, assignment = await w.task(unit, date(2022, 3, 31), officer=officer)
    now_id = await w.reminder(officer, T0, due=due, assignment=assignment, slot="before-3")
    later_id = await w.reminder(officer, T0 + timedelta(days=2), due=due, assignment=assignment)
    dispatcher = rig.dispatcher()

    result = await dispatcher.dispatch_once()

    assert result == DispatchResult(claimed=1, sent=1, retried=0, failed=0, cancelled=0, messages=1)
    [bundle] = rig.telegram.sent
    assert (bundle.channel, bundle.address, bundle.recipient_name) == (
        "telegram",
        "1001",
        "Nguyễn Văn A",
    )
    assert bundle.today == TODAY
    [item] = bundle.items
    assert (item.reminder_id, item.kind, item.task_code) == (now_id, "before", "KH-I.1")
    assert (item.due, item.unit, item.role, item.content) == (
        date(2022, 3, 31),
        "Ban Dân tộc",
        "lead",
        "Nhiệm vụ số 1",
    )
    sent = await one(w.sessions, now_id)
    assert (sent.state, sent.provider_message_id, sent.sent_at) == ("sent", "telegram-1", T0)
    assert (sent.channel, sent.attempts, sent.lease_until) == ("telegram", 1, None)
    assert (await one(w.sessions, later_id)).state == "pending"
    assert await leases(w.sessions) == {}  # settled: the officer is free for the next claim
    assert (await dispatcher.dispatch_once()).claimed == 0
    assert len(rig.telegram.sent) == 1


async def test_it_bundles_three_due_rows_of_one_recipient_into_one_message(rig: Rig) -> None:
    w = rig.world
    unit = await w.unit("Sở Tư pháp")
    officer = await w.officer("Trần Thị B", unit, telegram=1002)
    other = await w.officer("Lê Văn C", unit, telegram=1003)
    ids = []
    for days in (3, 7, 14):
        due, assignment = await w.task(unit, TODAY + timedelta(days=days))
        ids.append(await w.reminder(officer, T0, due=due, assignment=assignment))
    await w.reminder(other, T0 - timedelta(hours=1), kind="manual")

    result = await rig.dispatcher().dispatch_once()

    assert (result.claimed, result.sent, result.messages) == (4, 4, 2)
    mine = next(b for b in rig.telegram.sent if b.recipient_id == officer.id)
    assert sorted(i.reminder_id for i in mine.items) == ids
    assert [i.due for i in mine.items] == sorted(i.due for i in mine.items if i.due)
    message_ids = {r.provider_message_id for r in await rows(w.sessions, recipient_id=officer.id)}
    assert len(message_ids) == 1


async def test_it_sends_a_notice_body_as_the_item_note(rig: Rig) -> None:
    w = rig.world
    officer = await w.officer("Tạ Thị Q", telegram=1012)
    rid = await w.reminder(officer, T0, kind="notice")
    async with w.sessions.begin() as s:
        (await s.get(Reminder, rid)).body = "Lãnh đạo đã duyệt gia hạn đến 30/06/2022."  # type: ignore[union-attr]

    await rig.dispatcher().dispatch_once()

    [item] = rig.telegram.sent[0].items
    assert (item.kind, item.note) == ("notice", "Lãnh đạo đã duyệt gia hạn đến 30/06/2022.")


async def test_it_resends_rows_of_a_killed_dispatcher_only_after_the_lease(rig: Rig) -> None:
    w = rig.world
    officer = await w.officer("Phạm Văn D", telegram=1004)
    ids = [await w.reminder(officer, T0, kind="manual") for _ in range(2)]
    killed = rig.dispatcher(worker_id="killed")
    survivor = rig.dispatcher(worker_id="survivor")

    claimed = await killed.claim_due()  # …and the process dies before sending
    assert sorted(r.id for r in claimed) == ids
    assert await leases(w.sessions) == {officer.id: T0 + timedelta(minutes=5)}

    rig.clock.advance(timedelta(minutes=5))  # lease_until == now: still held
    assert (await survivor.dispatch_once()).claimed == 0
    rig.clock.advance(timedelta(seconds=1))
    result = await survivor.dispatch_once()

    assert (result.claimed, result.sent, result.messages) == (2, 2, 1)
    assert sorted(rig.telegram.sent_ids()) == ids
    assert {(r.state, r.attempts) for r in await rows(w.sessions)} == {("sent", 1)}
    async with w.sessions.begin() as s:  # the zombie wakes up: its lease matches nothing
        moved = await outbox.mark_sent(
            s, ids, claimed[0].lease_until, channel="telegram", message_id="late", now=T0
        )
    assert moved == 0


async def test_it_claims_a_released_officer_again_before_the_lease_passes(rig: Rig) -> None:
    w = rig.world
    officer = await w.officer("Đỗ Văn R", telegram=1013)
    ids = [await w.reminder(officer, T0, kind="manual") for _ in range(2)]
    lease = T0 + timedelta(minutes=5)
    async with w.sessions.begin() as s:
        first = await outbox.claim(s, T0, lease, batch=10)
    async with w.sessions.begin() as s:
        assert await outbox.claim(s, T0, lease + timedelta(seconds=1), batch=10) == []
        assert await outbox.release(s, ids, lease, "dừng") == 2
        await outbox.release_lease(s, officer.id, lease)
    async with w.sessions.begin() as s:
        again = await outbox.claim(s, T0, lease + timedelta(seconds=1), batch=10)

    assert [r.id for r in first] == [r.id for r in again] == ids
    assert {r.lease_until for r in again} == {lease + timedelta(seconds=1)}


async def test_it_records_as_sent_a_row_cancelled_while_its_message_was_on_the_way(
    rig: Rig,
) -> None:
    w = rig.world
    officer = await w.officer("Ngô Thị S", telegram=1014)
    ids = [await w.reminder(officer, T0, kind="manual") for _ in range(2)]
    lease = T0 + timedelta(minutes=5)
    async with w.sessions.begin() as s:
        await outbox.claim(s, T0, lease, batch=10)
    async with w.sessions.begin() as s:  # the officer is removed mid-send
        assert await outbox.cancel_officer_reminders(s, officer.id) == 2
    async with w.sessions.begin() as s:
        moved = await outbox.mark_sent(s, ids, lease, channel="telegram", message_id="m", now=T0)

    assert moved == 2
    assert {(r.state, r.provider_message_id) for r in await rows(w.sessions)} == {("sent", "m")}


async def test_it_retries_a_429_no_earlier_than_retry_after(rig: Rig) -> None:
    w = rig.world
    officer = await w.officer("Hoàng Thị E", telegram=1005)
    rid = await w.reminder(officer, T0, kind="manual")
    rig.telegram.fail_next("1005", SendError("Too Many Requests", retry_after=30))
    dispatcher = rig.dispatcher()

    assert (await dispatcher.dispatch_once()).retried == 1
    row = await one(w.sessions, rid)
    assert (row.state, row.attempts) == ("pending", 1)
    assert row.scheduled_at >= T0 + timedelta(seconds=30)
    assert row.last_error == "telegram: Too Many Requests"
    assert rig.timer.now == 0  # nothing else waited

    rig.clock.set(T0 + timedelta(seconds=29))
    assert (await dispatcher.dispatch_once()).claimed == 0
    rig.clock.set(row.scheduled_at)
    assert (await dispatcher.dispatch_once()).sent == 1
    assert rig.timer.now >= 30  # the chat and Telegram as a whole were paused 30 s
    assert (await one(w.sessions, rid)).attempts == 2


async def test_it_fails_after_max_attempts_of_server_errors(rig: Rig) -> None:
    w = rig.world
    officer = await w.officer("Vũ Văn G", telegram=1006)
    rid = await w.reminder(officer, T0, kind="manual")
    errors = [SendError(f"502 Bad Gateway #{n}") for n in range(1, MAX_ATTEMPTS + 1)]
    rig.telegram.fail_next("1006", *errors)
    dispatcher = rig.dispatcher()

    outcomes = []
    for _ in range(MAX_ATTEMPTS):
        result = await dispatcher.dispatch_once()
        outcomes.append((result.retried, result.failed))
        rig.clock.set((await one(w.sessions, rid)).scheduled_at)

    assert outcomes == [(1, 0)] * (MAX_ATTEMPTS - 1) + [(0, 1)]
    row = await one(w.sessions, rid)
    assert (row.state, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert row.last_error == f"telegram: 502 Bad Gateway #{MAX_ATTEMPTS}"
    assert len(rig.telegram.attempts) == MAX_ATTEMPTS and not rig.telegram.sent
    assert (await dispatcher.dispatch_once()).claimed == 0


async def test_it_marks_a_blocking_officer_unreachable_and_escalates_once(rig: Rig) -> None:
    w = rig.world
    unit = await w.unit("Phòng Nội vụ")
    head = await w.officer("Trưởng phòng H", unit, role="unit_head", telegram=2001)
    officer = await w.officer("Đỗ Văn I", unit, telegram=1007)
    due, assignment = await w.task(unit, date(2022, 4, 15), officer=officer)
    rid = await w.reminder(officer, T0, due=due, assignment=assignment)
    blocked = SendError("Forbidden: bot was blocked by the user", permanent=True)
    rig.telegram.fail_next("1007", blocked, blocked)
    dispatcher = rig.dispatcher()

    assert (await dispatcher.dispatch_once()).failed == 1
    row = await one(w.sessions, rid)
    assert (row.state, row.attempts) == ("failed", 1)
    assert row.last_error == "telegram: Forbidden: bot was blocked by the user"
    async with w.sessions() as s:
        assert (await s.get(Officer, officer.id)).unreachable_at == T0  # type: ignore[union-attr]
    [escalation] = await rows(w.sessions, kind="escalation")
    assert (escalation.recipient_id, escalation.state, escalation.scheduled_at) == (
        head.id,
        "pending",
        T0,
    )
    assert (escalation.due_id, escalation.assignment_id) == (due.id, assignment.id)
    assert escalation.slot == f"unreachable-{officer.id}"

    await retry_reminder(w.sessions, rid, T0)  # the admin tries again; still blocked
    result = await dispatcher.dispatch_once()

    assert (result.failed, result.sent) == (1, 1)  # the retry fails, the escalation goes out
    assert len(await rows(w.sessions, kind="escalation")) == 1
    [to_head] = rig.telegram.sent
    [item] = to_head.items
    assert (to_head.address, item.kind, item.subject) == ("2001", "escalation", "Đỗ Văn I")
    assert item.task_code == "KH-I.1" and item.reason == "unreachable"


async def test_it_falls_back_to_the_other_linked_channel_on_a_permanent_failure(
    rig: Rig,
) -> None:
    w = rig.world
    officer = await w.officer("Ngô Thị K", telegram=1008, zalo="z-1008", preferred="telegram")
    rid = await w.reminder(officer, T0, kind="manual")
    zalo = FakeSender("zalo")
    rig.telegram.fail_next("1008", SendError("Bad Request: chat not found", permanent=True))

    result = await rig.dispatcher(rig.telegram, zalo).dispatch_once()

    assert (result.sent, result.failed, result.messages) == (1, 0, 1)
    row = await one(w.sessions, rid)
    assert (row.state, row.channel, row.provider_message_id) == ("sent", "zalo", "zalo-1")
    assert [b.address for b in zalo.sent] == ["z-1008"]
    async with w.sessions() as s:
        assert (await s.get(Officer, officer.id)).unreachable_at is None  # type: ignore[union-attr]


async def test_it_routes_to_the_preferred_linked_channel(rig: Rig) -> None:
    w = rig.world
    officer = await w.officer("Đinh Văn L", telegram=1009, zalo="z-1009", preferred="zalo")
    await w.reminder(officer, T0, kind="manual")
    zalo = FakeSender("zalo")

    await rig.dispatcher(rig.telegram, zalo).dispatch_once()

    assert [b.address for b in zalo.sent] == ["z-1009"] and not rig.telegram.sent


async def test_it_fails_rows_of_an_officer_without_a_linked_channel(rig: Rig) -> None:
    w = rig.world
    officer = await w.officer("Chưa Liên Kết", zalo="z-only")  # Zalo has no sender here
    rid = await w.reminder(officer, T0, kind="manual")

    result = await rig.dispatcher().dispatch_once()

    assert (result.failed, result.messages) == (1, 0)
    row = await one(w.sessions, rid)
    assert (row.state, row.last_error, row.attempts) == ("failed", NO_CHANNEL, 0)
    assert not await rows(w.sessions, kind="escalation")


async def test_it_sends_unlinked_officers_to_the_console(rig: Rig) -> None:
    w = rig.world
    unit = await w.unit("Văn phòng")
    officer = await w.officer("Bùi Thị M", unit)
    due, assignment = await w.task(unit, date(2022, 3, 31), officer=officer)
    rid = await w.reminder(officer, T0, due=due, assignment=assignment)
    out = io.StringIO()

    result = await rig.dispatcher(ConsoleSender(out)).dispatch_once()

    assert result.sent == 1
    row = await one(w.sessions, rid)
    assert (row.channel, row.provider_message_id) == ("console", "console-1")
    text = out.getvalue()
    assert "── console → Bùi Thị M ──" in text
    assert "[KH-I.1] Nhiệm vụ số 1" in text
    assert "Hạn: Thứ Năm, 31/03/2022 — còn 3 ngày" in text


async def test_it_coalesces_ten_days_of_downtime_into_one_message_per_recipient(rig: Rig) -> None:
    w = rig.world
    unit = await w.unit("Sở Nội vụ")
    a = await w.officer("A", unit, telegram=11)
    b = await w.officer("B", unit, telegram=12)
    c = await w.officer("C", unit, telegram=13)

    def day(n: int) -> datetime:
        return T0 + timedelta(days=n)

    async def remind(who: Officer, due_on: date, slots: dict[str, int]) -> dict[str, int]:
        due, assignment = await w.task(unit, due_on, officer=who)
        return {
            slot: await w.reminder(
                who,
                day(offset),
                due=due,
                assignment=assignment,
                kind=slot.partition("-")[0],
                slot=slot,
            )
            for slot, offset in slots.items()
        }

    # A: a due five days ago reminded thrice while down, and a due in 3 days reminded twice.
    passed = await remind(
        a, TODAY - timedelta(days=5), {"before-3": -8, "before-1": -6, "on_day": -5}
    )
    coming = await remind(a, TODAY + timedelta(days=3), {"before-14": -10, "before-7": -4})
    # B: a due eight days ago with its overdue reminders also missed.
    late = await remind(
        b,
        TODAY - timedelta(days=8),
        {"before-1": -9, "on_day": -8, "overdue-1": -7, "overdue-2": -4},
    )
    # C: a due two days ago whose overdue reminder is planned for tomorrow, and an escalation.
    waiting = await remind(c, TODAY - timedelta(days=2), {"on_day": -2, "overdue-1": 1})
    escalation = await w.reminder(c, day(-1), kind="escalation", slot="escalation-head")

    result = await rig.dispatcher().dispatch_once()

    assert result.messages == 3
    by_address = {bundle.address: bundle for bundle in rig.telegram.sent}
    assert sorted(by_address) == ["11", "12", "13"]
    assert [(i.reminder_id, i.kind) for i in by_address["11"].items] == [
        (passed["on_day"], "overdue"),
        (coming["before-7"], "before"),
    ]
    assert [(i.reminder_id, i.kind) for i in by_address["12"].items] == [
        (late["overdue-2"], "overdue")
    ]
    assert [(i.reminder_id, i.kind) for i in by_address["13"].items] == [(escalation, "escalation")]
    state = {r.id: (r.state, r.last_error) for r in await rows(w.sessions)}
    assert state[passed["before-3"]] == state[passed["before-1"]] == ("cancelled", DUE_PASSED)
    assert state[coming["before-14"]] == ("cancelled", NEWER)
    assert state[late["overdue-1"]] == ("cancelled", NEWER)
    assert state[late["before-1"]] == state[late["on_day"]] == ("cancelled", DUE_PASSED)
    assert state[waiting["on_day"]] == ("cancelled", DUE_PASSED)
    assert state[waiting["overdue-1"]] == ("pending", None)
    assert (result.claimed, result.sent, result.cancelled) == (11, 4, 7)
    assert (await rig.dispatcher().dispatch_once()).claimed == 0


async def test_it_spaces_sends_by_the_global_rate(rig: Rig) -> None:
    w = rig.world
    stamps: list[float] = []
    rig.telegram.before_send = lambda _bundle: stamps.append(rig.timer.now)
    for n in range(60):
        await w.reminder(await w.officer(f"Cán bộ {n}", telegram=5000 + n), T0, kind="manual")

    result = await rig.dispatcher(concurrency=60).dispatch_once()

    assert result.messages == 60
    stamps.sort()
    rate = int(PACING.per_second)
    assert all(
        later - first >= 1 - 1e-9 for first, later in zip(stamps, stamps[rate:], strict=False)
    )
    assert stamps[-1] == pytest.approx(59 / PACING.per_second)


async def test_it_hands_back_rows_when_cancelled_mid_send(rig: Rig) -> None:
    w = rig.world
    officer = await w.officer("Lý Văn N", telegram=1010)
    rid = await w.reminder(officer, T0, kind="manual")
    started = asyncio.Event()

    async def hang(_bundle: Bundle) -> None:
        started.set()
        await asyncio.Event().wait()

    rig.telegram.before_send = hang
    task = asyncio.create_task(rig.dispatcher().dispatch_once())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    row = await one(w.sessions, rid)
    assert (row.state, row.attempts, row.lease_until) == ("pending", 0, None)
    rig.telegram.before_send = None
    assert (await rig.dispatcher().dispatch_once()).sent == 1


async def test_it_retries_when_a_channel_raises_something_unexpected(rig: Rig) -> None:
    w = rig.world
    officer = await w.officer("Mai Thị O", telegram=1011)
    rid = await w.reminder(officer, T0, kind="manual")

    def explode(_bundle: Bundle) -> None:
        raise RuntimeError("bug in the channel")

    rig.telegram.before_send = explode

    assert (await rig.dispatcher().dispatch_once()).retried == 1
    row = await one(w.sessions, rid)
    assert (row.state, row.attempts) == ("pending", 1)
    assert "bug in the channel" in (row.last_error or "")


async def test_it_lists_and_retries_failed_rows(rig: Rig) -> None:
    w = rig.world
    officer = await w.officer("Cao Văn P")
    rid = await w.reminder(officer, T0, kind="manual")
    await rig.dispatcher().dispatch_once()  # no channel: failed

    assert [r.id for r in await list_outbox(w.sessions, "failed")] == [rid]
    assert await list_outbox(w.sessions, "pending") == []
    await retry_reminder(w.sessions, rid, T0 + timedelta(hours=1))
    row = await one(w.sessions, rid)
    assert (row.state, row.attempts, row.scheduled_at) == ("pending", 0, T0 + timedelta(hours=1))
    with pytest.raises(OutboxError, match="#"):
        await retry_reminder(w.sessions, rid, T0)
    with pytest.raises(OutboxError, match="không hợp lệ"):
        await list_outbox(w.sessions, "lost")
    async with w.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Reminder)) == 1
