"""The outbox statements: every move of a reminder row is one guarded statement.

States tell the story: ``pending`` → ``sending`` (claim) → ``sent`` | ``pending``
(retry later) | ``failed`` | ``cancelled``. Only ``claim`` enters ``sending``;
every statement leaving it is guarded by ``state = 'sending' AND lease_until =
<the claim's lease>`` and reports how many rows it moved. ``lease_until`` is the
claim token: a row is taken back only once its lease has passed, and the new
lease (now + lease) is then later than the old one, so a dispatcher that wakes
up after losing its rows matches nothing and cannot overwrite the new outcome.

The claim is one statement on both backends. PostgreSQL locks the picked rows
``FOR UPDATE SKIP LOCKED`` so concurrent dispatchers take disjoint rows;
SQLite drops that clause and relies on its single writer to run the UPDATE
atomically. Queries that only read (what a row is about, who to escalate to)
live here too, so the dispatcher itself holds no SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from data.models import Assignment, Due, Officer, Progress, Reminder, Task, Unit

UNREACHABLE_SLOT = "unreachable-{officer_id}"
_UNREACHABLE = re.compile(r"unreachable-(\d+)$")
_CHUNK = 1000  # ids per IN list: far below both backends' bind-parameter limits
_NO_UPDATE_SYNC = {"synchronize_session": False}


@dataclass(frozen=True)
class ClaimedRow:
    """A reminder row this dispatcher holds in ``sending`` until ``lease_until``."""

    id: int
    recipient_id: int
    due_id: int | None
    assignment_id: int | None
    instance: str
    kind: str
    slot: str
    scheduled_at: datetime
    attempts: int
    lease_until: datetime

    @property
    def topic(self) -> Topic:
        """What the row reminds of: one due (occurrence) of one assignment."""
        return (self.due_id, self.assignment_id, self.instance)


Topic = tuple[int | None, int | None, str]


@dataclass(frozen=True)
class RowInfo:
    """What a claimed row is about, joined from dues, tasks, assignments and units."""

    task_code: str | None
    content: str
    unit: str | None
    due: date | None
    role: str | None
    state: str | None
    subject: str | None
    note: str = ""
    """A ``notice``'s text (its ``body``), shown as is."""


@dataclass(frozen=True)
class Escalation:
    """An escalation row to plan: ``head_id`` is told that ``officer_id`` cannot be reached."""

    head_id: int
    officer_id: int
    due_id: int
    assignment_id: int | None
    instance: str
    at: datetime

    @property
    def key(self) -> str:
        """The UNIQUE outbox key, in the planner's layout (due:instance:recipient:kind:slot)."""
        slot = UNREACHABLE_SLOT.format(officer_id=self.officer_id)
        return f"{self.due_id}:{self.instance}:{self.head_id}:escalation:{slot}"


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _is_due(now: datetime) -> ColumnElement[bool]:
    """Claimable: pending and scheduled by now, or sending with an expired lease (a crash)."""
    return or_(
        and_(Reminder.state == "pending", Reminder.scheduled_at <= now),
        and_(Reminder.state == "sending", Reminder.lease_until < now),
    )


def _held(ids: Sequence[int], lease: datetime) -> ColumnElement[bool]:
    """Rows still held by the claim that set ``lease`` (nobody took them back)."""
    return and_(Reminder.id.in_(ids), Reminder.state == "sending", Reminder.lease_until == lease)


# claim: pending|expired sending → sending, returned by the same UPDATE.
async def claim(
    session: AsyncSession, now: datetime, lease_until: datetime, batch: int
) -> list[ClaimedRow]:
    """Claim the oldest ``batch`` due rows and every other due row of the same recipients.

    Taking all due rows of a recipient together is what lets one recipient get
    one message per tick, whatever ``batch`` cuts through.
    """
    picked = (
        select(Reminder.recipient_id)
        .where(_is_due(now))
        .order_by(Reminder.scheduled_at, Reminder.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    rows = (
        select(Reminder.id)
        .where(_is_due(now), Reminder.recipient_id.in_(picked))
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(Reminder)
        .where(Reminder.id.in_(rows))
        .values(state="sending", lease_until=lease_until)
        .returning(
            Reminder.id,
            Reminder.recipient_id,
            Reminder.due_id,
            Reminder.assignment_id,
            Reminder.instance,
            Reminder.kind,
            Reminder.slot,
            Reminder.scheduled_at,
            Reminder.attempts,
            Reminder.lease_until,
        )
        .execution_options(**_NO_UPDATE_SYNC)
    )
    result = await session.execute(statement)
    return sorted(
        (ClaimedRow(**row._asdict()) for row in result), key=lambda r: (r.scheduled_at, r.id)
    )


async def _leave_sending(
    session: AsyncSession, ids: Sequence[int], lease: datetime, values: dict[str, Any]
) -> int:
    moved = 0
    for chunk in _chunks(ids):
        statement = (
            update(Reminder)
            .where(_held(chunk, lease))
            .values(lease_until=None, **values)
            .execution_options(**_NO_UPDATE_SYNC)
        )
        moved += (await session.execute(statement)).rowcount  # type: ignore[attr-defined]
    return moved


# mark_sent: sending → sent, with the channel and the provider's message id.
async def mark_sent(
    session: AsyncSession,
    ids: Sequence[int],
    lease: datetime,
    *,
    channel: str,
    message_id: str,
    now: datetime,
) -> int:
    """Record one delivered message for ``ids``; returns the rows moved."""
    values = {
        "state": "sent",
        "sent_at": now,
        "channel": channel,
        "provider_message_id": message_id,
        "attempts": Reminder.attempts + 1,
    }
    return await _leave_sending(session, ids, lease, values)


# mark_retry: sending → pending at ``retry_at``, one more attempt counted.
async def mark_retry(
    session: AsyncSession,
    ids: Sequence[int],
    lease: datetime,
    *,
    retry_at: datetime,
    error: str,
    channel: str | None,
) -> int:
    """Put ``ids`` back in the queue after a transient failure."""
    values = {
        "state": "pending",
        "scheduled_at": retry_at,
        "last_error": error,
        "channel": channel,
        "attempts": Reminder.attempts + 1,
    }
    return await _leave_sending(session, ids, lease, values)


# release: sending → pending as it was, no attempt counted (interrupted before an outcome).
async def release(session: AsyncSession, ids: Sequence[int], lease: datetime, error: str) -> int:
    """Hand ``ids`` back untouched so the next tick sends them (shutdown mid-dispatch)."""
    return await _leave_sending(session, ids, lease, {"state": "pending", "last_error": error})


# mark_failed: sending → failed; ``attempted`` counts the attempt that failed.
async def mark_failed(
    session: AsyncSession,
    ids: Sequence[int],
    lease: datetime,
    *,
    error: str,
    channel: str | None,
    attempted: bool,
) -> int:
    """Give up on ``ids``; ``nhacviec outbox retry`` can bring them back."""
    values: dict[str, Any] = {"state": "failed", "last_error": error, "channel": channel}
    if attempted:
        values["attempts"] = Reminder.attempts + 1
    return await _leave_sending(session, ids, lease, values)


# mark_cancelled: sending → cancelled, with the reason in last_error.
async def mark_cancelled(
    session: AsyncSession, ids: Sequence[int], lease: datetime, *, reason: str
) -> int:
    """Drop ``ids`` without sending (superseded by a newer reminder, due passed...)."""
    return await _leave_sending(session, ids, lease, {"state": "cancelled", "last_error": reason})


# retry_failed: failed → pending now, attempts reset (an operator's decision).
async def retry_failed(session: AsyncSession, reminder_id: int, now: datetime) -> int:
    """Queue a failed reminder again; returns 0 when it is not ``failed``."""
    statement = (
        update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.state == "failed")
        .values(state="pending", scheduled_at=now, attempts=0, lease_until=None)
        .execution_options(**_NO_UPDATE_SYNC)
    )
    return (await session.execute(statement)).rowcount  # type: ignore[attr-defined,no-any-return]


# mark_unreachable: officer reachable → unreachable (first failure time kept).
async def mark_unreachable(session: AsyncSession, officer_id: int, now: datetime) -> None:
    """Remember that no channel reaches the officer, for summaries and the admin."""
    await session.execute(
        update(Officer)
        .where(Officer.id == officer_id, Officer.unreachable_at.is_(None))
        .values(unreachable_at=now)
        .execution_options(**_NO_UPDATE_SYNC)
    )


# mark_reachable: officer unreachable → reachable (a message went through again).
async def mark_reachable(session: AsyncSession, officer_id: int) -> None:
    """Clear the unreachable mark once a send succeeds (the officer unblocked the bot)."""
    await session.execute(
        update(Officer)
        .where(Officer.id == officer_id, Officer.unreachable_at.is_not(None))
        .values(unreachable_at=None)
        .execution_options(**_NO_UPDATE_SYNC)
    )


# plan_escalations: → pending escalation rows; an existing key is left alone.
async def plan_escalations(session: AsyncSession, escalations: Iterable[Escalation]) -> None:
    """Insert escalation rows; the UNIQUE key makes a second failure a no-op."""
    rows = [
        {
            "key": e.key,
            "due_id": e.due_id,
            "assignment_id": e.assignment_id,
            "instance": e.instance,
            "recipient_id": e.head_id,
            "kind": "escalation",
            "slot": UNREACHABLE_SLOT.format(officer_id=e.officer_id),
            "scheduled_at": e.at,
            "state": "pending",
            "attempts": 0,
            "created_at": e.at,
        }
        for e in escalations
    ]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(insert(Reminder).on_conflict_do_nothing(index_elements=["key"]), rows)


async def escalation_targets(session: AsyncSession, officer: Officer) -> list[int]:
    """Who hears about an unreachable officer: the unit's heads, else the leaders."""
    base = select(Officer.id).where(Officer.active.is_(True), Officer.id != officer.id)
    if officer.unit_id is not None:
        heads = await session.scalars(
            base.where(Officer.unit_id == officer.unit_id, Officer.role == "unit_head")
        )
        found = list(heads)
        if found:
            return found
    return list(await session.scalars(base.where(Officer.role == "leader")))


async def load_officers(session: AsyncSession, ids: Iterable[int]) -> dict[int, Officer]:
    """The recipients, by id."""
    wanted = sorted(set(ids))
    found: dict[int, Officer] = {}
    for chunk in _chunks(wanted):
        found.update(
            (o.id, o) for o in await session.scalars(select(Officer).where(Officer.id.in_(chunk)))
        )
    return found


async def load_row_info(session: AsyncSession, rows: Sequence[ClaimedRow]) -> dict[int, RowInfo]:
    """Task code, content, unit, due date, role and progress of each claimed row.

    A recurring due's occurrence date is the row's ``instance`` (ISO date); a
    one-off due's is ``Due.due_on``. An escalation about an unreachable officer
    names that officer; other escalations name the assignee (officer, else unit).
    """
    in_charge = aliased(Officer)
    statement = (
        select(
            Reminder.id,
            Task.code,
            Task.content,
            Unit.name,
            Due.due_on,
            Assignment.role,
            Progress.state,
            func.coalesce(in_charge.name, Unit.name),
            Reminder.body,
        )
        .select_from(Reminder)
        .outerjoin(Due, Due.id == Reminder.due_id)
        .outerjoin(Assignment, Assignment.id == Reminder.assignment_id)
        .outerjoin(Task, Task.id == func.coalesce(Due.task_id, Assignment.task_id))
        .outerjoin(Unit, Unit.id == Assignment.unit_id)
        .outerjoin(in_charge, in_charge.id == Assignment.officer_id)
        .outerjoin(
            Progress,
            and_(
                Progress.assignment_id == Reminder.assignment_id,
                Progress.due_id == Reminder.due_id,
                Progress.instance == Reminder.instance,
            ),
        )
    )
    by_id = {row.id: row for row in rows}
    named = await _unreachable_names(session, rows)
    info: dict[int, RowInfo] = {}
    for chunk in _chunks(sorted(by_id)):
        result = await session.execute(statement.where(Reminder.id.in_(chunk)))
        for rid, code, content, unit, due_on, role, state, assignee, body in result:
            row = by_id[rid]
            subject = named.get(row.slot, assignee) if row.kind == "escalation" else None
            due = _occurrence(row.instance) or due_on
            info[rid] = RowInfo(code, content or "", unit, due, role, state, subject, body or "")
    return info


async def _unreachable_names(session: AsyncSession, rows: Sequence[ClaimedRow]) -> dict[str, str]:
    """Slot ``unreachable-<id>`` → that officer's name."""
    ids = {int(m.group(1)): r.slot for r in rows if (m := _UNREACHABLE.match(r.slot))}
    if not ids:
        return {}
    names = await session.execute(select(Officer.id, Officer.name).where(Officer.id.in_(ids)))
    return {ids[oid]: name for oid, name in names}


def _occurrence(instance: str) -> date | None:
    try:
        return date.fromisoformat(instance)
    except ValueError:
        return None


async def overdue_topics(
    session: AsyncSession, rows: Sequence[ClaimedRow]
) -> set[tuple[int, Topic]]:
    """(recipient, topic) pairs that already have an overdue reminder sent or on its way."""
    due_ids = sorted({r.due_id for r in rows if r.due_id is not None})
    recipients = sorted({r.recipient_id for r in rows})
    if not due_ids:
        return set()
    found: set[tuple[int, Topic]] = set()
    for chunk in _chunks(due_ids):
        result = await session.execute(
            select(
                Reminder.recipient_id, Reminder.due_id, Reminder.assignment_id, Reminder.instance
            ).where(
                Reminder.kind == "overdue",
                Reminder.state.in_(("pending", "sending", "sent")),
                Reminder.due_id.in_(chunk),
                Reminder.recipient_id.in_(recipients),
            )
        )
        found.update((rid, (due, assignment, inst)) for rid, due, assignment, inst in result)
    return found


async def list_reminders(session: AsyncSession, state: str | None, limit: int) -> list[Reminder]:
    """Outbox rows, soonest first, for ``nhacviec outbox list``."""
    statement = select(Reminder).order_by(Reminder.scheduled_at, Reminder.id).limit(limit)
    if state is not None:
        statement = statement.where(Reminder.state == state)
    return list(await session.scalars(statement))
