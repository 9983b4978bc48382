"""The outbox statements: every move of a reminder row is one guarded statement.

States tell the story: ``pending`` → ``sent`` | ``pending`` (retry later) |
``failed`` | ``cancelled``, each move out of a claim guarded by the claim's lease.
A claim leases recipients, not rows: one ``recipient_leases`` row per person
holds all their due rows until ``lease_until`` (the rows themselves stay
``pending``, unwritten: the claim of 100 people wrote ~500 rows before). Every
statement settling a claimed row is guarded by ``state = 'pending'`` and its
recipient's lease still being the claim's, and reports how many rows it moved.
The lease is the claim token: a recipient is taken over only once their lease
has passed, and the new lease (now + lease) is then later than the old one, so a
dispatcher that wakes up after losing its rows matches nothing and cannot
overwrite the new outcome. The settling deletes the lease, so the person's next
rows (a retry, a new reminder) are claimable at once. ``sending`` is no longer
entered (rows a previous release left there were put back by migration 0017).

The claim writes the leases in one statement on both backends (an upsert that
takes a lease only where none is live, so two claims never hold one person; on
SQLite the single writer runs it whole; on PostgreSQL it runs again for as many
people as another claim's commit took from under it), then reads the leased
people's due rows. Queries that only read (what a row is about, who to escalate to)
live here too, so the dispatcher itself holds no SQL.

This module is also the only writer of new rows: one key layout
(``reminder_key``), one conflict-ignoring insert for both backends, and a named
function per kind of row (``plan_slots``, ``notify_extension_request``,
``notify_decision``, ``remind_manually``, ``escalate_unreachable``,
``schedule_report_due``). A second
insert of the same row in the same instant is a no-op, never an IntegrityError.
Every row written for a person outside the planner goes out at the next working
time (``move_out_of_quiet_hours``), unless it is a leader's explicit ``urgent``
"send now"; the planner's rows are at working times by construction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    and_,
    delete,
    func,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from data.models import (
    Assignment,
    Due,
    Officer,
    Progress,
    RecipientLease,
    Reminder,
    Task,
    Unit,
)
from data.status_dates import Snooze
from scheduler.outbox_copy import Copied, ForeignKeysOnce, copy_insert
from scheduler.policy import is_working_time, move_out_of_quiet_hours
from scheduler.promises import followup_time, snooze_time
from scheduler.settings import load_calendar, load_policy

UNREACHABLE_SLOT = "unreachable-{officer_id}"
_UNREACHABLE = re.compile(r"unreachable-(\d+)$")
_CHUNK = 1000  # ids per IN list: far below both backends' bind-parameter limits
_NO_UPDATE_SYNC = {"synchronize_session": False}


@dataclass(frozen=True)
class ClaimedRow:
    """A reminder row this dispatcher holds (its recipient's lease) until ``lease_until``."""

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
    promised: date | None = None
    """The date the officer promised the work for, if they did."""


def reminder_key(
    due_id: int | None,
    instance: str,
    assignment_id: int | None,
    recipient_id: int,
    kind: str,
    slot: str,
) -> str:
    """The outbox's UNIQUE key, one layout for every kind of row.

    ``due:instance:assignment:recipient:kind:slot``, ``-`` for what a row is not
    about. The assignment is part of it: a leader escalated about two units' parts
    of one task gets two items, an officer holding two assignments of one due gets
    a row for each, and muting one unit cancels only its own. It is the planner's
    layout since the first release, so rows planned before keep their keys and are
    never planned twice; what tells two rows of one kind apart goes in ``slot``.
    """
    return f"{due_id or '-'}:{instance}:{assignment_id or '-'}:{recipient_id}:{kind}:{slot}"


@dataclass(frozen=True)
class About:
    """What a row is about: one occurrence (``instance``) of one due of one assignment."""

    due_id: int | None = None
    assignment_id: int | None = None
    instance: str = "-"


@dataclass(slots=True)
class NewReminder:
    """One row to write; its key is derived from the fields, so no caller invents one.

    The key is made once, with the row: a first planning keys hundreds of thousands of
    rows, and the planner and the insert each read every key (made twice, 7 % of it).
    Slots: a million-assignment planning holds millions of these at once. Not frozen,
    though nothing changes a row once made (its key would no longer match): a frozen
    dataclass sets each field through ``object.__setattr__``, 2.7 times a plain one's
    time (1.0 s against 0.37 s for the 325,040 rows of a first planning)."""

    recipient_id: int
    kind: str
    slot: str
    at: datetime
    """When it may go out (``scheduled_at``)."""
    due_id: int | None = None
    assignment_id: int | None = None
    instance: str = "-"
    body: str | None = None
    urgent: bool = False
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.key = reminder_key(
            self.due_id, self.instance, self.assignment_id, self.recipient_id, self.kind, self.slot
        )


@dataclass(frozen=True)
class Escalation:
    """``head_id`` is to be told that ``officer_id`` cannot be reached about ``about``."""

    head_id: int
    officer_id: int
    about: About


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _is_due(now: datetime, urgent_only: bool) -> ColumnElement[bool]:
    """Claimable: pending and scheduled by now; only urgent rows when ``urgent_only`` (at
    night, on a day off). Read through the partial indexes on pending rows."""
    due = and_(Reminder.state == "pending", Reminder.scheduled_at <= now)
    return and_(due, Reminder.urgent.is_(True)) if urgent_only else due


def _held(ids: Sequence[int], lease: datetime, states: Sequence[str]) -> ColumnElement[bool]:
    """Rows of ``ids`` in ``states`` whose recipient is still held under ``lease`` (nobody
    took the person over after it passed)."""
    leased = (
        select(RecipientLease.recipient_id)
        .where(
            RecipientLease.recipient_id == Reminder.recipient_id,
            RecipientLease.lease_until == lease,
        )
        .exists()
    )
    return and_(Reminder.id.in_(ids), Reminder.state.in_(states), leased)


# claim: recipients leased (none live → held until lease_until); their due rows returned.
async def claim(
    session: AsyncSession, now: datetime, lease_until: datetime, batch: int
) -> list[ClaimedRow]:
    """Claim the recipients of the oldest ``batch`` due rows and all their due rows.

    Taking all due rows of a recipient together is what lets one recipient get
    one message per tick, whatever ``batch`` cuts through. Outside working time
    (quiet hours, weekends, holidays) only urgent rows are taken: catch-up after
    downtime, retries and anything else wait for the next working morning. A
    recipient whose lease has passed (their dispatcher died) is claimable again,
    their rows first since they kept their ``scheduled_at``. Both scans read
    partial indexes of pending rows (the oldest ``batch`` in order, then the
    leased recipients' own), so the cost follows the rows claimed, not the
    outbox's size; the only writes are the ``batch`` narrow leases at most.
    """
    policy, calendar = await load_policy(session), await load_calendar(session)
    due = _is_due(now, urgent_only=not is_working_time(now, policy, calendar))
    leased = await _lease_recipients(session, due, now, lease_until, batch)
    if not leased:
        return []
    columns: tuple[Any, ...] = (*CLAIMED_COLUMNS, _lease(lease_until))
    rows = await session.execute(
        select(*columns)
        .where(due, Reminder.recipient_id.in_(leased))
        .order_by(Reminder.scheduled_at, Reminder.id)
    )
    # Positional: the columns follow the fields. A Row's ``_asdict`` per row took about
    # 2 ms of a 500-row claim's 16-20 (a tenth of it), building the dict's keys each time.
    return [ClaimedRow(*row) for row in rows]


def _lease(lease_until: datetime) -> ColumnElement[datetime]:
    return literal(lease_until, RecipientLease.lease_until.type).label("lease_until")


async def _lease_recipients(
    session: AsyncSession,
    due: ColumnElement[bool],
    now: datetime,
    lease_until: datetime,
    batch: int,
) -> list[int]:
    """Lease the recipients of the oldest ``batch`` due rows that nobody holds; returns them.

    The upsert takes over only a lease that has passed. On SQLite the single writer runs
    the statement whole, so no other lease appears while it runs. On PostgreSQL a claim
    racing another can still pick people the other has just leased: its statement's
    snapshot predates the other's commit, and the other's advisory locks went with that
    commit. The upsert then finds their leases live and leaves them out; rather than come
    back short (or empty, its people waiting a whole tick although others were free), the
    claim picks as many again, under a new snapshot that sees the other's leases.
    """
    if session.get_bind().dialect.name != "postgresql":
        picked = _oldest_due(session, due, now, batch)
        people = select(picked.c.recipient_id, _lease(lease_until)).distinct()
        statement = _upsert(session, people, now).returning(RecipientLease.recipient_id)
        return list(await session.scalars(statement))
    leased: list[int] = []
    wanted = batch
    for _ in range(CLAIM_TRIES):
        outcome = (
            await session.execute(_lease_reporting(session, due, now, lease_until, wanted))
        ).all()
        leased += [person for person, taken in outcome if taken]
        wanted = sum(not taken for _, taken in outcome)
        if not wanted:
            break
    return leased


CLAIM_TRIES = 3
"""Statements a PostgreSQL claim runs at most: the first, and one more each time another
claim's commit took people it had picked (both picked in the same instant)."""


def _oldest_due(
    session: AsyncSession, due: ColumnElement[bool], now: datetime, batch: int
) -> Subquery:
    """The recipients of the oldest ``batch`` due rows that nobody holds (a person once per
    row: the caller keeps each once).

    On PostgreSQL the recipients another claim is leasing right now are passed over (an
    advisory lock, ``_recipient_free``), tried only on the rows the order brings, until
    ``batch`` are taken. The rows are ordered in a subquery the planner cannot merge into
    the outer one (``OFFSET 0``): in one query the lock is a filter of the scan, and a
    generic plan (asyncpg prepares the statement, and from its sixth run PostgreSQL may
    plan it once for all parameters) could try it on every due row before ordering and
    cutting them, locking every due person; a claim started at the same moment then found
    nobody free and came back empty, its people waiting a whole tick.
    """
    live = (
        select(RecipientLease.recipient_id)
        .where(
            RecipientLease.recipient_id == Reminder.recipient_id,
            RecipientLease.lease_until >= now,
        )
        .exists()
    )
    ordered = (
        select(Reminder.recipient_id).where(due, ~live).order_by(Reminder.scheduled_at, Reminder.id)
    )
    if session.get_bind().dialect.name != "postgresql":
        return ordered.limit(batch).subquery()
    rows = ordered.offset(0).subquery()
    return (
        select(rows.c.recipient_id)
        .where(_recipient_free(rows.c.recipient_id))
        .limit(batch)
        .subquery()
    )


def _upsert(session: AsyncSession, people: Select[Any], now: datetime) -> Any:
    """Lease ``people`` (recipient, lease) where nobody holds them: a new lease, or one
    taken over from a dispatcher whose lease has passed."""
    insert = _dialect_insert(session)(RecipientLease).from_select(
        # SQLite: an INSERT … SELECT … ON CONFLICT needs the SELECT's WHERE
        ["recipient_id", "lease_until"],
        people.where(true()),
    )
    return insert.on_conflict_do_update(
        index_elements=["recipient_id"],
        set_={"lease_until": insert.excluded.lease_until},
        where=RecipientLease.lease_until < now,
    )


def _lease_reporting(
    session: AsyncSession,
    due: ColumnElement[bool],
    now: datetime,
    lease_until: datetime,
    batch: int,
) -> Select[int, bool]:
    """PostgreSQL's lease statement: each person picked, and whether the lease is now theirs
    (a data-modifying CTE, which SQLite does not have). The picked people are one CTE read
    twice, so PostgreSQL runs it once and its advisory locks are taken once."""
    picked = _oldest_due(session, due, now, batch)
    chosen = select(picked.c.recipient_id).distinct().cte("chosen")
    people = select(chosen.c.recipient_id, _lease(lease_until))
    leased = _upsert(session, people, now).returning(RecipientLease.recipient_id).cte("leased")
    taken = leased.c.recipient_id.is_not(None)
    return select(chosen.c.recipient_id, taken).outerjoin(
        leased, leased.c.recipient_id == chosen.c.recipient_id
    )


def _dialect_insert(session: AsyncSession) -> Any:
    """The backend's INSERT, which has ``ON CONFLICT``."""
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


CLAIM_LOCKS = 16
"""The first key of the claim's advisory locks (``pg_try_advisory_xact_lock(16, recipient)``)."""


def _recipient_free(recipient: ColumnElement[int]) -> ColumnElement[bool]:
    """PostgreSQL: nobody else is leasing ``recipient`` right now (this claim takes its lock).
    Without it two claims would pick the same people and the later would wait on their
    leases' keys only to find them taken. The transaction's lock is released at commit,
    when the lease is there for everyone to see (a claim whose snapshot is older picks
    again, ``_lease_recipients``). SQLite runs one claim at a time and needs none."""
    return func.pg_try_advisory_xact_lock(CLAIM_LOCKS, recipient).is_(True)


CLAIMED_COLUMNS = tuple(
    getattr(Reminder, column.name) for column in fields(ClaimedRow) if column.name != "lease_until"
)
"""What a claim reads of each row: ``ClaimedRow``'s fields in their order, but the lease."""


async def _settle_rows(
    session: AsyncSession,
    ids: Sequence[int],
    lease: datetime,
    values: dict[str, Any],
    states: Sequence[str] = ("pending",),
) -> int:
    moved = 0
    for chunk in _chunks(ids):
        statement = (
            update(Reminder)
            .where(_held(chunk, lease, states))
            .values(**values)
            .execution_options(**_NO_UPDATE_SYNC)
        )
        moved += (await session.execute(statement)).rowcount  # type: ignore[attr-defined]
    return moved


# release_lease: the recipient held under ``lease`` → free (their rows all settled).
async def release_lease(session: AsyncSession, recipient_id: int, lease: datetime) -> None:
    """Let the next claim take the person's next rows (a retry, a new reminder) at once,
    not only when the lease passes; a lease taken over since is not this claim's to free."""
    await session.execute(
        delete(RecipientLease).where(
            RecipientLease.recipient_id == recipient_id, RecipientLease.lease_until == lease
        )
    )


# mark_sent: pending (claimed) | cancelled → sent, with the channel and the message id.
async def mark_sent(
    session: AsyncSession,
    ids: Sequence[int],
    lease: datetime,
    *,
    channel: str,
    message_id: str,
    now: datetime,
) -> int:
    """Record one delivered message for ``ids``; returns the rows moved.

    A row cancelled while its message was on the way (a snooze, a removed officer) was
    sent all the same, and is recorded so: the message went, and the overdue rule reads
    sent rows."""
    values = {
        "state": "sent",
        "sent_at": now,
        "channel": channel,
        "provider_message_id": message_id,
        "attempts": Reminder.attempts + 1,
    }
    return await _settle_rows(session, ids, lease, values, ("pending", "cancelled"))


# mark_retry: pending (claimed) → pending at ``retry_at``, one more attempt counted.
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
    return await _settle_rows(session, ids, lease, values)


# release: pending (claimed) → as it was, no attempt counted (interrupted before an outcome).
async def release(session: AsyncSession, ids: Sequence[int], lease: datetime, error: str) -> int:
    """Hand ``ids`` back untouched so the next tick sends them (shutdown mid-dispatch)."""
    return await _settle_rows(session, ids, lease, {"last_error": error})


# mark_failed: pending (claimed) → failed; ``attempted`` counts the attempt that failed.
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
    return await _settle_rows(session, ids, lease, values)


# mark_cancelled: pending (claimed) → cancelled, with the reason in last_error.
async def mark_cancelled(
    session: AsyncSession, ids: Sequence[int], lease: datetime, *, reason: str
) -> int:
    """Drop ``ids`` without sending (superseded by a newer reminder, due passed...)."""
    return await _settle_rows(session, ids, lease, {"state": "cancelled", "last_error": reason})


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


def _stamp(at: datetime) -> str:
    return f"{at.astimezone(UTC):%Y%m%dT%H%M%S}"


async def next_working_time(session: AsyncSession, now: datetime) -> datetime:
    """``now`` in working time, else the next working morning (global policy and calendar)."""
    return move_out_of_quiet_hours(now, await load_policy(session), await load_calendar(session))


async def _insert(session: AsyncSession, rows: Iterable[NewReminder], now: datetime) -> int:
    """The one INSERT: ``pending`` rows, an existing key (or a repeat in ``rows``) skipped;
    returns the distinct keys asked for."""
    by_key = {row.key: row for row in rows}
    if not by_key:
        return 0
    values = [
        {
            "key": key,
            "due_id": row.due_id,
            "assignment_id": row.assignment_id,
            "instance": row.instance,
            "recipient_id": row.recipient_id,
            "kind": row.kind,
            "slot": row.slot,
            "scheduled_at": row.at,
            "body": row.body,
            "urgent": row.urgent,
            "state": "pending",
            "attempts": 0,
            "created_at": now,
        }
        for key, row in by_key.items()
    ]
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    # No conflict target: on PostgreSQL the key is kept by ``reminder_keys`` (migration 0018)
    await session.execute(insert(Reminder).on_conflict_do_nothing(), values)
    return len(by_key)


# plan_slots: → pending planned rows (before, on_day, checkin, overdue, escalation, digest).
async def plan_slots(
    session: AsyncSession,
    rows: Iterable[NewReminder],
    now: datetime,
    keys: ForeignKeysOnce | None = None,
    expected: int | None = None,
) -> Copied:
    """The planner's rows, already at working times: the policy computed their instants.

    Many rows at once on PostgreSQL (a first planning, an import) are copied (``outbox_copy``;
    ``keys``: one chunk of a planning, which decides the foreign keys once). ``rows`` may
    be made as they are written: ``expected`` then says how many to count on."""
    if expected is None:
        rows = list(rows)
        expected = len(rows)
    if expected >= _COPY_FROM and session.get_bind().dialect.driver == "asyncpg":
        return await copy_insert(session, rows, expected, now, keys)
    asked = await _insert(session, rows, now)
    return Copied(asked, asked)


_COPY_FROM = 2000
"""Rows from which ``plan_slots`` copies: below, the temporary table costs more than it saves."""


# notify_extension_request: → a pending notice to each leader, at the next working time.
async def notify_extension_request(
    session: AsyncSession, leader_ids: Iterable[int], about: About, body: str, now: datetime
) -> None:
    """Tell the leaders an officer asked for more time; one notice per request instant."""
    at = await next_working_time(session, now)
    slot = f"{EXTENSION_REQUEST_SLOT}{_stamp(now)}"
    await _insert(session, (_notice(leader, about, slot, at, body) for leader in leader_ids), now)


EXTENSION_REQUEST_SLOT = "extreq@"
"""Slots of the leaders' notices of an extension request begin so (``notify_extension_request``)."""
DECIDED = "đề nghị đã được quyết định"
"""``last_error`` of a request notice cancelled because another leader decided first."""


REMOVED = "đã bỏ khỏi kế hoạch"
"""``last_error`` of the rows of tasks an amended version of their plan dropped."""


# cancel_removed_tasks: pending → cancelled, every row of tasks an amended plan dropped.
async def cancel_removed_tasks(session: AsyncSession, task_ids: Sequence[int]) -> int:
    """A dropped task is asked about no more: its unsent rows go, whatever their kind
    (the planner no longer wants them, and follow-ups or snoozes are not the planner's)."""
    if not task_ids:
        return 0
    dues = select(Due.id).where(Due.task_id.in_(task_ids))
    statement = (
        update(Reminder)
        .where(Reminder.state == "pending", Reminder.due_id.in_(dues))
        .values(state="cancelled", last_error=REMOVED)
        .execution_options(**_NO_UPDATE_SYNC)
    )
    return (await session.execute(statement)).rowcount  # type: ignore[attr-defined,no-any-return]


# cancel_request_notices: pending → cancelled, the leaders' notices of a request now decided.
async def cancel_request_notices(session: AsyncSession, about: About) -> int:
    """No leader is asked to approve what is already decided: the request's unsent notices go."""
    statement = (
        update(Reminder)
        .where(
            Reminder.kind == "notice",
            Reminder.state == "pending",
            Reminder.slot.startswith(EXTENSION_REQUEST_SLOT),
            Reminder.due_id == about.due_id,
            Reminder.assignment_id == about.assignment_id,
            Reminder.instance == about.instance,
        )
        .values(state="cancelled", last_error=DECIDED)
        .execution_options(**_NO_UPDATE_SYNC)
    )
    return (await session.execute(statement)).rowcount  # type: ignore[attr-defined,no-any-return]


ARCHIVED = "kế hoạch đã lưu trữ"
"""``last_error`` of the rows ``plan archive`` cancelled."""


# cancel_plan_reminders: pending → cancelled, every row about a task of one plan.
async def cancel_plan_reminders(session: AsyncSession, plan_id: int) -> int:
    """An archived plan reminds nobody: its unsent rows of every kind go; sent ones stay history.

    The planner no longer wants the plan's rows either, so none come back.
    """
    dues = select(Due.id).join(Task, Task.id == Due.task_id).where(Task.plan_id == plan_id)
    statement = (
        update(Reminder)
        .where(Reminder.state == "pending", Reminder.due_id.in_(dues))
        .values(state="cancelled", last_error=ARCHIVED)
        .execution_options(**_NO_UPDATE_SYNC)
    )
    return (await session.execute(statement)).rowcount  # type: ignore[attr-defined,no-any-return]


REMOVED = "cán bộ thôi nhận nhắc việc"
"""``last_error`` of the rows ``officer remove`` cancelled."""


# cancel_officer_reminders: pending → cancelled, every row addressed to one officer.
async def cancel_officer_reminders(session: AsyncSession, officer_id: int) -> int:
    """A removed officer is sent nothing more, their own follow-ups and snoozes included
    (the planner stops wanting the rest, as it plans for active officers only)."""
    statement = (
        update(Reminder)
        .where(Reminder.state == "pending", Reminder.recipient_id == officer_id)
        .values(state="cancelled", last_error=REMOVED)
        .execution_options(**_NO_UPDATE_SYNC)
    )
    return (await session.execute(statement)).rowcount  # type: ignore[attr-defined,no-any-return]


# notify_decision: → a pending notice to the officer who asked, at the next working time.
async def notify_decision(
    session: AsyncSession,
    officer_id: int,
    about: About,
    *,
    request_id: int,
    approved: bool,
    body: str,
    now: datetime,
) -> None:
    """Tell the officer a leader's decision; one notice per request and verdict."""
    at = await next_working_time(session, now)
    slot = f"ext-{request_id}-{'approved' if approved else 'refused'}"
    await _insert(session, [_notice(officer_id, about, slot, at, body)], now)


def _notice(recipient: int, about: About, slot: str, at: datetime, body: str) -> NewReminder:
    return NewReminder(
        recipient, "notice", slot, at, about.due_id, about.assignment_id, about.instance, body
    )


REPORT_DUE_SLOT = "report-{plan_id}@{point}"
_REPORT_DUE = re.compile(r"report-(\d+)@(\d{4}-\d{2}-\d{2})$")


class ReportDue(NamedTuple):
    """A plan's reporting point (``about``: plan id, point), its leaders, and when they hear."""

    leader_ids: list[int]
    about: tuple[int, date]
    at: datetime


# schedule_report_dues: → a pending "who has not reported" message per leader of a plan.
async def schedule_report_dues(
    session: AsyncSession, dues: Iterable[ReportDue], now: datetime
) -> int:
    """At each plan's reporting point, tell its leaders who has not reported; the text is
    computed when it is sent (``report_due_of``), so updates until then count. Returns the
    rows asked for (those already there are skipped)."""
    rows = [
        NewReminder(leader, "report_due", REPORT_DUE_SLOT.format(plan_id=plan, point=day), due.at)
        for due in dues
        for plan, day in [due.about]
        for leader in due.leader_ids
    ]
    await _insert(session, rows, now)
    return len(rows)


def report_due_of(slot: str) -> tuple[int, date] | None:
    """The (plan id, reporting point) a ``report_due`` row's slot names."""
    match = _REPORT_DUE.match(slot)
    return (int(match.group(1)), date.fromisoformat(match.group(2))) if match else None


# remind_manually: → a pending manual reminder per officer, at the next working time or now.
async def remind_manually(
    session: AsyncSession,
    officer_ids: Iterable[int],
    about: About,
    now: datetime,
    *,
    urgent: bool = False,
) -> None:
    """A leader's "remind now". Keyed by the instant it goes out, so asking twice in one
    second, or twice in one night, gives one reminder; ``urgent`` goes out even at night."""
    at = now if urgent else await next_working_time(session, now)
    slot = f"{'urgent' if urgent else 'manual'}@{_stamp(at)}"
    await _insert(
        session,
        (
            NewReminder(
                officer,
                "manual",
                slot,
                at,
                about.due_id,
                about.assignment_id,
                about.instance,
                urgent=urgent,
            )
            for officer in officer_ids
        ),
        now,
    )


# schedule_followup: → one pending follow-up of a promise (older pending ones cancelled).
async def schedule_followup(
    session: AsyncSession, recipient_id: int, about: About, promised: date, now: datetime
) -> datetime:
    """The promise's one follow-up, on the working morning after ``promised``; a newer
    promise on the same item replaces it."""
    policy, cal = await load_policy(session), await load_calendar(session)
    return await _replace_one(
        session,
        recipient_id,
        about,
        "followup",
        f"promise-{promised:%Y%m%d}",
        followup_time(promised, policy, cal),
        now,
    )


SNOOZE_HOLDS = ("before", "on_day", "checkin", "overdue", "followup")
"""The officer's own reminder kinds a snooze holds back until its time."""
SNOOZED = "hoãn nhắc theo yêu cầu của cán bộ"


# schedule_snooze: → one pending snooze row at ``at`` (older pending ones cancelled,
# the item's earlier reminders to the same officer cancelled).
async def schedule_snooze(
    session: AsyncSession, recipient_id: int, about: About, at: datetime, now: datetime
) -> datetime:
    """The snoozed item comes back once at ``at`` (already a working time, see
    ``snooze_until``); a newer snooze on the same item replaces it. The officer's own
    reminders about the item due before ``at`` are held (cancelled, and the planner
    leaves rows it did not cancel alone): "remind me Monday" means not before Monday."""
    await session.execute(
        update(Reminder)
        .where(
            Reminder.state == "pending",
            Reminder.kind.in_(SNOOZE_HOLDS),
            Reminder.recipient_id == recipient_id,
            Reminder.due_id == about.due_id,
            Reminder.assignment_id == about.assignment_id,
            Reminder.instance == about.instance,
            Reminder.scheduled_at < at,
        )
        .values(state="cancelled", last_error=SNOOZED)
        .execution_options(**_NO_UPDATE_SYNC)
    )
    return await _replace_one(
        session, recipient_id, about, "snooze", f"snooze@{_stamp(at)}", at, now
    )


async def snooze_until(session: AsyncSession, snooze: Snooze, now: datetime) -> datetime:
    """When ``snooze`` asked at ``now`` ends (global policy and calendar)."""
    return snooze_time(snooze, now, await load_policy(session), await load_calendar(session))


async def _replace_one(
    session: AsyncSession,
    recipient_id: int,
    about: About,
    kind: str,
    slot: str,
    at: datetime,
    now: datetime,
) -> datetime:
    """Cancel the item's other pending rows of ``kind`` for ``recipient_id``, insert this one."""
    await session.execute(
        update(Reminder)
        .where(
            Reminder.state == "pending",
            Reminder.kind == kind,
            Reminder.recipient_id == recipient_id,
            Reminder.due_id == about.due_id,
            Reminder.assignment_id == about.assignment_id,
            Reminder.instance == about.instance,
            Reminder.slot != slot,
        )
        .values(state="cancelled", last_error="thay bằng hẹn mới")
        .execution_options(**_NO_UPDATE_SYNC)
    )
    row = NewReminder(
        recipient_id, kind, slot, at, about.due_id, about.assignment_id, about.instance
    )
    await _insert(session, [row], now)
    return at


# escalate_unreachable: → a pending escalation per head and topic, at the next working time.
async def escalate_unreachable(
    session: AsyncSession, escalations: Iterable[Escalation], now: datetime
) -> None:
    """Tell the heads an officer cannot be reached; the key makes a second failure a no-op."""
    wanted = list(escalations)
    if not wanted:
        return
    at = await next_working_time(session, now)
    await _insert(
        session,
        (
            NewReminder(
                e.head_id,
                "escalation",
                UNREACHABLE_SLOT.format(officer_id=e.officer_id),
                at,
                e.about.due_id,
                e.about.assignment_id,
                e.about.instance,
            )
            for e in wanted
        ),
        now,
    )


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
            func.coalesce(Progress.extended_to, Due.due_on),
            Assignment.role,
            Progress.state,
            func.coalesce(in_charge.name, Unit.name),
            Reminder.body,
            Progress.extended_to,
            Progress.expected_on,
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
        for rid, code, content, unit, due_on, role, state, assignee, body, *dates in result:
            extended, promised = dates
            row = by_id[rid]
            subject = named.get(row.slot, assignee) if row.kind == "escalation" else None
            due = extended or _occurrence(row.instance) or due_on  # an approved extension wins
            info[rid] = RowInfo(
                code, content or "", unit, due, role, state, subject, body or "", promised
            )
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
