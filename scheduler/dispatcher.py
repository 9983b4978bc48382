"""Claim due outbox rows, send one message per recipient, record every outcome.

One claim (``dispatch_once``): claim the due rows (``outbox.claim``), group them
by recipient, build one ``Bundle`` each, send it through the recipient's channel
(paced by ``RateLimiter``), and settle each bundle's rows in one transaction in a
``finally`` under ``asyncio.shield``, so a shutdown mid-send still records what
happened. A tick (``dispatch_due``) runs claims until nothing is due, the next
claim taken while the one before is still sending. A claim leases the people it
picks; settling a bundle frees its person's lease. Rows nobody settles (a killed
process) stay held until their lease passes and the next claim takes them: at
most one duplicate, never a loss. ``stop`` is the graceful way
out (SIGTERM): no new claim, bundles not yet handed to a sender released at
once, sends in flight given a few seconds to be recorded (``scheduler/drain.py``).
Outside working time the claim takes urgent rows only (``outbox.claim``), so
nights, weekends and holidays hold every other message.

What a recipient's rows become (coalescing) and which channels are tried in which
order (routing) are pure rules, in ``scheduler/dispatch_rules.py``.

Failures: a transient ``SendError`` puts the rows back to ``pending`` after
``policy.retry_delay`` (honouring ``retry_after``, which also pauses the chat and,
on Telegram, the channel); a row past ``MAX_ATTEMPTS`` fails. When every channel
fails permanently the rows fail, the officer is marked unreachable and the
unit's heads (else the leaders) get an escalation row per due, keyed uniquely.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.digest import digest_text, weekly_digest
from data.errors import UserError
from data.models import REMINDER_STATES, Officer, Reminder
from data.reporting import not_reported, not_reported_text
from scheduler import outbox
from scheduler.clock import Clock, local_today
from scheduler.dispatch_rules import Selection
from scheduler.dispatch_rules import routes as routes
from scheduler.dispatch_rules import select_items as select_items
from scheduler.drain import Drain, Stopped
from scheduler.limits import RateLimiter
from scheduler.outbox import About, ClaimedRow, Escalation, RowInfo, Topic
from scheduler.policy import UNREPORTED, retry_delay
from scheduler.sender import Bundle, ReminderItem, Sender, SendError

logger = logging.getLogger(__name__)

NO_CHANNEL = "chưa liên kết kênh nào"
INACTIVE = "cán bộ không còn hoạt động"
INTERRUPTED = "interrupted before the outcome was known"
SHUTDOWN = "released at shutdown before sending"
SHUTDOWN_GRACE = 5.0
"""Seconds a stopping dispatcher gives the sends in flight to finish and be recorded."""
"""The note of an occurrence's one reminder once the next occurrence comes due."""
_KIND_ORDER = {"escalation": 0, "overdue": 1, "on_day": 2, "before": 3, "checkin": 4}
_NO_INFO = RowInfo(None, "", None, None, None, None, None)


class OutboxError(UserError):
    """An outbox command that cannot be carried out; the message is for a person."""


@dataclass(frozen=True)
class DispatchResult:
    """What one tick did, in rows (``messages`` counts successful sends)."""

    claimed: int
    sent: int
    retried: int
    failed: int
    cancelled: int
    messages: int


_NOTHING = DispatchResult(0, 0, 0, 0, 0, 0)
BATCH = 100
"""Recipients a claim picks: a claim writes each of their due rows (a few hundred rows,
tens of ms), and their messages take ~3 s at the provider's rate, under which the next claim
is taken."""


def _total(results: Sequence[DispatchResult]) -> DispatchResult:
    names = [f.name for f in fields(DispatchResult)]
    return DispatchResult(**{name: sum(getattr(r, name) for r in results) for name in names})


@dataclass(frozen=True)
class _Delivered:
    channel: str
    message_id: str


@dataclass(frozen=True)
class _Retry:
    channel: str | None
    error: str
    retry_after: float | None


@dataclass(frozen=True)
class _GaveUp:
    """Permanent: every channel refused (``unreachable``), or there was none to try."""

    channel: str | None
    error: str
    unreachable: bool


@dataclass(frozen=True)
class _Dropped:
    reason: str


@dataclass(frozen=True)
class _Released:
    error: str


_Outcome = _Delivered | _Retry | _GaveUp | _Dropped | _Released | None


@dataclass(frozen=True)
class _Context:
    """Everything loaded once per tick about the claimed rows."""

    officers: Mapping[int, Officer]
    info: Mapping[int, RowInfo]
    overdue_known: Set[tuple[int, Topic]]
    today: date


class Dispatcher:
    """Sends what is due in the outbox; any number may run against one PostgreSQL.

    ``batch`` caps the rows picked first in a claim; the other due rows of the
    same recipients come along, so a recipient is never split over two messages
    in one tick.
    ``concurrency`` bounds the bundles in flight; the limiter does the pacing.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        senders: Mapping[str, Sender],
        clock: Clock,
        *,
        lease: timedelta = timedelta(minutes=5),
        batch: int = BATCH,
        limiter: RateLimiter | None = None,
        rng: random.Random | None = None,
        worker_id: str | None = None,
        concurrency: int = 16,
    ) -> None:
        self._sessions, self._senders, self._clock = sessions, dict(senders), clock
        self._lease, self._batch = lease, batch
        self._limiter = limiter or RateLimiter()
        self._rng = rng or random.Random()
        self._worker = worker_id or f"dispatcher-{id(self):x}"
        self._concurrency = concurrency
        self._drain = Drain()

    async def claim_due(self) -> list[ClaimedRow]:
        """Lease the next people with due rows and return their rows (``outbox.claim``)."""
        now = self._clock.now()
        async with self._sessions.begin() as session:
            return await outbox.claim(session, now, now + self._lease, self._batch)

    async def stop(self, grace: float = SHUTDOWN_GRACE) -> None:
        """Stop claiming and settle what this dispatcher holds (see ``scheduler/drain.py``)."""
        logger.info("%s: stopping (grace %.1fs)", self._worker, grace)
        await self._drain.stop(grace)

    async def dispatch_once(self) -> DispatchResult:
        """Claim, bundle, send and settle one claim's rows (nothing once stopping)."""
        if self._drain.stopping:
            return _NOTHING
        async with self._drain.tick():
            return await self._dispatch_claimed(await self.claim_due())

    async def dispatch_due(self) -> DispatchResult:
        """Claim and send until nothing is due, each claim taken while the one before is being
        sent: sends never wait for a claim, so a claim stays at ``batch`` recipients (a quick
        statement) however large the burst. At most two claims' bundles are in flight, and a
        recipient's due rows all come with one claim: one message per recipient still."""
        if self._drain.stopping:
            return _NOTHING
        done: list[DispatchResult] = []
        sending: asyncio.Task[DispatchResult] | None = None
        async with self._drain.tick():
            try:
                while not self._drain.stopping and (rows := await self.claim_due()):
                    before, sending = sending, asyncio.create_task(self._dispatch_claimed(rows))
                    if before is not None:
                        done.append(await before)
            finally:
                if sending is not None:
                    done.append(await sending)
        return _total(done)

    async def _dispatch_claimed(self, rows: list[ClaimedRow]) -> DispatchResult:
        if not rows:
            return _NOTHING
        async with self._sessions() as session:
            today = local_today(self._clock)
            context = _Context(
                officers=await outbox.load_officers(session, (r.recipient_id for r in rows)),
                info=await _with_digests(
                    session, rows, await outbox.load_row_info(session, rows), today
                ),
                overdue_known=await outbox.overdue_topics(session, rows),
                today=today,
            )
        by_recipient: dict[int, list[ClaimedRow]] = defaultdict(list)
        for row in rows:
            by_recipient[row.recipient_id].append(row)
        gate = asyncio.Semaphore(self._concurrency)
        tallies = await asyncio.gather(
            *(self._dispatch_one(group, context, gate) for group in by_recipient.values())
        )
        total: Counter[str] = sum(tallies, Counter())
        logger.info("%s: %d rows claimed, %s", self._worker, len(rows), dict(total))
        return DispatchResult(
            claimed=len(rows),
            sent=total["sent"],
            retried=total["retried"],
            failed=total["failed"],
            cancelled=total["cancelled"],
            messages=total["messages"],
        )

    async def _dispatch_one(
        self, rows: list[ClaimedRow], context: _Context, gate: asyncio.Semaphore
    ) -> Counter[str]:
        """Send one recipient's bundle; the outcome is recorded whatever happens."""
        recipient = rows[0].recipient_id
        officer = context.officers.get(recipient)
        known = {topic for rid, topic in context.overdue_known if rid == recipient}
        due_of = {r.id: context.info.get(r.id, _NO_INFO).due for r in rows}
        coordinating = {r.id for r in rows if context.info.get(r.id, _NO_INFO).role == "coordinate"}
        selection = select_items(rows, due_of, known, context.today, coordinating)
        outcome: _Outcome = _Released(INTERRUPTED)
        tally: Counter[str] = Counter()
        try:
            outcome = await self._drain.attempt(self._attempt(officer, selection, context, gate))
        except Stopped:
            outcome = _Released(SHUTDOWN)
        except Exception as exc:  # a channel bug must not stop the other recipients
            logger.exception(
                "%s: unexpected error sending to officer %s",
                self._worker,
                recipient,
                extra={"officer_id": recipient},
            )
            outcome = _Retry(None, f"lỗi không mong đợi: {exc!r}", None)
        finally:
            tally = await asyncio.shield(self._settle(officer, rows, selection, outcome))
        return tally

    async def _attempt(
        self,
        officer: Officer | None,
        selection: Selection,
        context: _Context,
        gate: asyncio.Semaphore,
    ) -> _Outcome:
        async with gate:
            return await self._deliver(officer, selection, context)

    async def _deliver(
        self, officer: Officer | None, selection: Selection, context: _Context
    ) -> _Outcome:
        """Try the officer's channels in order; one attempt each, no retry inside."""
        if officer is None or not officer.active:
            return _Dropped(INACTIVE)
        if not selection.items:
            return None
        targets = routes(
            officer.addresses,
            officer.preferred_channel,
            self._senders,
            unlinked_address=officer.name,
        )
        if not targets:
            return _GaveUp(None, NO_CHANNEL, unreachable=False)
        items = sorted(
            (_item(row, kind, context.info.get(row.id, _NO_INFO)) for row, kind in selection.items),
            key=lambda i: (_KIND_ORDER.get(i.kind, 9), i.due or date.max, i.task_code or ""),
        )
        bundle = Bundle(officer.id, officer.name, "", "", context.today, tuple(items))
        refused: list[str] = []
        for channel, address in targets:
            try:
                async with self._limiter.slot(channel, address):
                    self._drain.sending()
                    message_id = await self._senders[channel].send(
                        replace(bundle, channel=channel, address=address)
                    )
            except SendError as exc:
                if exc.retry_after is not None:
                    self._limiter.pause(channel, address, exc.retry_after)
                if not exc.permanent:
                    return _Retry(channel, f"{channel}: {exc}", exc.retry_after)
                logger.warning(
                    "%s: %s refused officer %s: %s",
                    self._worker,
                    channel,
                    officer.id,
                    exc,
                    extra={"officer_id": officer.id, "channel": channel},
                )
                refused.append(f"{channel}: {exc}")
                continue
            return _Delivered(channel, message_id)
        return _GaveUp(targets[-1][0], "; ".join(refused), unreachable=True)

    async def _settle(
        self,
        officer: Officer | None,
        rows: Sequence[ClaimedRow],
        selection: Selection,
        outcome: _Outcome,
    ) -> Counter[str]:
        """Record the outcome of one bundle in one transaction, each move one guarded statement."""
        now, lease = self._clock.now(), rows[0].lease_until
        ids = [row.id for row, _ in selection.items]
        tally: Counter[str] = Counter()
        async with self._sessions.begin() as session:
            reasons: dict[str, list[int]] = defaultdict(list)
            for rid, reason in selection.superseded:
                reasons[reason].append(rid)
            for reason, dropped in reasons.items():
                tally["cancelled"] += await outbox.mark_cancelled(
                    session, dropped, lease, reason=reason
                )
            match outcome:
                case _Delivered(channel, message_id):
                    tally["sent"] += await outbox.mark_sent(
                        session, ids, lease, channel=channel, message_id=message_id, now=now
                    )
                    tally["messages"] += 1
                    logger.info(
                        "%s: sent %d items on %s",
                        self._worker,
                        len(ids),
                        channel,
                        extra={
                            "officer_id": rows[0].recipient_id,
                            "channel": channel,
                            "reminder_ids": ids,
                            "message_id": message_id,
                        },
                    )
                    if officer is not None and officer.unreachable_at is not None:
                        await outbox.mark_reachable(session, officer.id)
                case _Retry():
                    tally += await self._retry(session, selection, lease, outcome, now)
                case _GaveUp(channel, error, unreachable):
                    moved = await outbox.mark_failed(
                        session, ids, lease, error=error, channel=channel, attempted=unreachable
                    )
                    tally["failed"] += moved
                    if unreachable and moved and officer is not None:
                        await self._escalate(session, officer, selection, now)
                case _Dropped(reason):
                    tally["cancelled"] += await outbox.mark_cancelled(
                        session, ids, lease, reason=reason
                    )
                case _Released(error):
                    tally["retried"] += await outbox.release(session, ids, lease, error)
            await outbox.release_lease(session, rows[0].recipient_id, lease)
        moved = sum(tally[k] for k in ("sent", "retried", "failed", "cancelled"))
        if moved < len(rows):
            logger.warning(
                "%s: %d rows of officer %s were taken back (lease expired) before settling",
                self._worker,
                len(rows) - moved,
                rows[0].recipient_id,
            )
        return tally

    async def _retry(
        self,
        session: AsyncSession,
        selection: Selection,
        lease: datetime,
        outcome: _Retry,
        now: datetime,
    ) -> Counter[str]:
        """Back to pending together (one retry instant keeps the bundle whole), or give up."""
        delays = {
            row.id: retry_delay(row.attempts + 1, outcome.retry_after, jitter=self._rng)
            for row, _ in selection.items
        }
        again = [rid for rid, delay in delays.items() if delay is not None]
        spent = [rid for rid, delay in delays.items() if delay is None]
        longest = max((d for d in delays.values() if d is not None), default=timedelta(0))
        tally: Counter[str] = Counter()
        tally["retried"] += await outbox.mark_retry(
            session,
            again,
            lease,
            retry_at=now + longest,
            error=outcome.error,
            channel=outcome.channel,
        )
        tally["failed"] += await outbox.mark_failed(
            session, spent, lease, error=outcome.error, channel=outcome.channel, attempted=True
        )
        return tally

    async def _escalate(
        self, session: AsyncSession, officer: Officer, selection: Selection, now: datetime
    ) -> None:
        """Mark the officer unreachable and tell the heads once per due (UNIQUE key)."""
        await outbox.mark_unreachable(session, officer.id, now)
        heads = await outbox.escalation_targets(session, officer)
        await outbox.escalate_unreachable(
            session,
            (
                Escalation(head, officer.id, About(row.due_id, row.assignment_id, row.instance))
                for row, _ in selection.items
                if row.due_id is not None
                for head in heads
            ),
            now,
        )


async def _with_digests(
    session: AsyncSession, rows: Sequence[ClaimedRow], info: dict[int, RowInfo], today: date
) -> dict[int, RowInfo]:
    """Digest and "who has not reported" rows carry their text as of now (computed once per
    claim and plan), not as it was when planned."""
    info = info | await _report_dues(session, rows, info, today)
    digests = [row.id for row in rows if row.kind == "digest"]
    if not digests:
        return info
    text = digest_text(await weekly_digest(session, today), today)
    return info | {rid: replace(info[rid], note=text) for rid in digests if rid in info}


async def _report_dues(
    session: AsyncSession, rows: Sequence[ClaimedRow], info: dict[int, RowInfo], today: date
) -> dict[int, RowInfo]:
    texts: dict[tuple[int, date], str] = {}
    found: dict[int, RowInfo] = {}
    for row in rows:
        about = outbox.report_due_of(row.slot) if row.kind == "report_due" else None
        if about is None or row.id not in info:
            continue
        if about not in texts:
            plan_id, point = about
            report = await not_reported(session, plan_id, today, point=point)
            texts[about] = not_reported_text(report)
        found[row.id] = replace(info[row.id], note=texts[about])
    return found


def _item(row: ClaimedRow, kind: str, info: RowInfo) -> ReminderItem:
    return ReminderItem(
        reminder_id=row.id,
        kind=kind,
        task_code=info.task_code,
        content=info.content,
        unit=info.unit,
        due=info.due,
        role=info.role,
        state=info.state,
        subject=info.subject,
        note=info.note,
        promised=info.promised,
        reason=_reason(row, kind),
    )


def _reason(row: ClaimedRow, kind: str) -> str | None:
    """What the row's slot says beyond its kind (``ReminderItem.reason``); words are the bot's."""
    if kind == "escalation" and row.slot.startswith("unreachable-"):
        return "unreachable"
    if kind == "overdue" and row.slot.startswith(UNREPORTED):
        return "unreported"
    return None


async def retry_reminder(
    sessions: async_sessionmaker[AsyncSession], reminder_id: int, now: datetime
) -> None:
    """``nhacviec outbox retry ID``: a failed reminder goes out again at the next tick."""
    async with sessions.begin() as session:
        if not await outbox.retry_failed(session, reminder_id, now):
            raise OutboxError(f"Không có nhắc việc #{reminder_id} ở trạng thái lỗi (failed).")


async def list_outbox(
    sessions: async_sessionmaker[AsyncSession], state: str | None, limit: int = 100
) -> list[Reminder]:
    """``nhacviec outbox list [--state S]``: outbox rows, soonest first."""
    if state is not None and state not in REMINDER_STATES:
        raise OutboxError(
            f"Trạng thái “{state}” không hợp lệ; chọn một trong: {', '.join(REMINDER_STATES)}."
        )
    async with sessions() as session:
        return await outbox.list_reminders(session, state, limit)
