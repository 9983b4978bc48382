"""Recording what officers say about their work, and leaders' decisions on extensions.

Every change of a ``Progress`` row goes with a ``StatusUpdate`` row in the same
transaction (the caller's): the audit is append-only and tells who said what,
on which channel, with the raw text as received (capped at ``MAX_RAW`` chars).

Rules:
- ``done`` sets ``done_at`` and ``percent`` 100; it is ``late`` when recorded
  after the effective due date (the approved extension, else the due) or when
  the officer said so. Done work is closed: later updates are refused here, so
  a stray button or a replayed message cannot reopen it.
- ``extension_requested`` opens (or refreshes) the one pending
  ``ExtensionRequest`` of that progress with the requested date and reason.
- A decision approves (``extended_to`` = requested date, state back to
  ``in_progress``) or refuses (back to ``in_progress``, or ``not_started`` when
  no progress was ever reported); both are audited like updates.
- The officer's own words are kept whole: the reason, or the message without its
  task code, is the audit row's ``note``; a new note is audited even when the
  state stays ("/capnhat MÃ đã họp triển khai"). A promised date is the progress's
  ``expected_on`` and the row's kind ``promise``.
- A plain "dạ"/"OK" (``acknowledged``) and a snooze change no state: they are
  audit rows of their own kind (``record_mark``), so the officer counts as having
  answered and leaders see the snoozes (``snoozes_since``).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import Select, bindparam, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from data.errors import UserError
from data.models import Assignment, Due, ExtensionRequest, Officer, Progress, StatusUpdate, Task
from data.status import Reply, reply_json
from data.status_dates import check_extension_date
from data.summary_counts import hold_due, note_locked
from data.vn_dates import VN_TZ

MAX_RAW = 4000
RECORDABLE = ("done", "in_progress", "blocked", "extension_requested", "not_started")


@dataclass(frozen=True)
class WorkKey:
    """Which progress row: one assignment on one due (``instance`` for recurring ones)."""

    assignment_id: int
    due_id: int
    instance: str = "-"


@dataclass(frozen=True)
class RecordedUpdate:
    """What was written, for the confirmation message and the replanning."""

    progress_id: int
    due_id: int
    task_code: str
    state_before: str
    state_after: str
    percent: int | None
    late: bool
    due_on: date | None
    extension_id: int | None
    changed: bool
    occurrence: date | None = None
    """The occurrence of a recurring due this update was about."""


@dataclass(frozen=True)
class Decision:
    """A leader's decision on an extension request, for the notice to the officer."""

    request_id: int
    approved: bool
    progress_id: int
    due_id: int
    assignment_id: int
    task_code: str
    officer_id: int | None
    requested_due: date | None


async def get_or_create_progress(session: AsyncSession, key: WorkKey) -> Progress:
    """The progress row of ``key``, created ``not_started`` on first use, locked until commit.

    Upserted, not read-then-inserted: when several first updates on one item arrive
    at once, each INSERT … ON CONFLICT either creates the row or waits for the one
    that did. The conflict's update changes nothing but locks the row (PostgreSQL;
    SQLite has a single writer), so concurrent updates apply one after another and
    none overwrites another, and RETURNING hands the row back in the same statement
    (it was read again with SELECT … FOR UPDATE: a round trip on every update).
    """
    upsert = _upsert(_postgres(session)).returning(Progress)
    progress = await session.scalar(upsert, _bound(key), execution_options=_FRESH)
    assert progress is not None  # inserted, or the row we waited for
    return progress


_FRESH = {"populate_existing": True}
"""The upserted row as returned, over any copy the session holds."""


def _postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _bound(key: WorkKey) -> dict[str, object]:
    return {"assignment_id": key.assignment_id, "due_id": key.due_id, "instance": key.instance}


@cache
def _upsert(postgres: bool) -> postgresql.Insert | sqlite.Insert:
    """``get_or_create_progress``'s upsert, built once per process with the key bound at each
    execution: every answer runs it, and building it anew cost a third of its CPU."""
    statement = (postgresql.insert if postgres else sqlite.insert)(Progress)
    return statement.values(
        assignment_id=bindparam("assignment_id"),
        due_id=bindparam("due_id"),
        instance=bindparam("instance"),
        state="not_started",
        late=False,
    ).on_conflict_do_update(
        index_elements=["assignment_id", "due_id", "instance"], set_={"state": Progress.state}
    )


@cache
def _due_and_task() -> Select[Due, Task]:
    """``record_update``'s read of the due and its task on SQLite, built once per process
    (every answer runs it; building it anew cost more CPU than its round trip, issue 16)."""
    query = select(Due, Task).join(Task, Task.id == Due.task_id)
    return query.where(Due.id == bindparam("due_id"))


@cache
def _upserted_with_due() -> Select[Progress, Due, Task]:
    """PostgreSQL's upsert of the progress row with the read of its due and task, in one
    statement (they were two round trips on every answer, issue 16), built once per process.

    The upsert is a data-modifying CTE: it runs first and whole, locking the progress row
    (or waiting for the transaction holding it), and the task is then locked ``FOR NO KEY
    UPDATE`` as the summaries' recount at the commit would (``note_locked``: the recount's
    own lock was a statement of its own). The progress row, then the task: the order of
    the two statements before, and of every writer of progress whose recount locks the
    task at its commit. The task as locked is its latest version; the due, which no answer
    writes, is read as the statement found it."""
    upserted = _upsert(True).returning(*Progress.__table__.columns).cte("upserted")
    progress = aliased(Progress, upserted)
    query = select(progress, Due, Task).join(Due, Due.id == progress.due_id)
    return query.join(Task, Task.id == Due.task_id).with_for_update(key_share=True, of=Task)


async def _progress_due_and_task(
    session: AsyncSession, key: WorkKey
) -> tuple[Progress, Due, Task] | None:
    """The progress row of ``key`` (upserted and locked, as ``get_or_create_progress``), its
    due and its task (locked on PostgreSQL); None when the due is gone."""
    if _postgres(session):
        found = await session.execute(_upserted_with_due(), _bound(key), execution_options=_FRESH)
        row = found.first()
        return None if row is None else (row[0], row[1], row[2])
    progress = await get_or_create_progress(session, key)
    due_and_task = (await session.execute(_due_and_task(), {"due_id": key.due_id})).first()
    return None if due_and_task is None else (progress, due_and_task[0], due_and_task[1])


@cache
def _tasks_of_dues_locked() -> Select[int]:
    """``lock_tasks``' statement, built once per process."""
    query = select(Task.id).join(Due, Due.task_id == Task.id)
    query = query.where(Due.id.in_(bindparam("due_ids", expanding=True))).order_by(Task.id)
    return query.with_for_update(key_share=True, of=Task)


async def lock_tasks(session: AsyncSession, due_ids: Collection[int]) -> None:
    """Lock the tasks of ``due_ids`` now, in id order, before a message that names several
    of them records the first. Each ``record_update`` locks its task as it reads it: one
    by one in the message's order, two messages naming the same two tasks in opposite
    orders could each hold one and wait for the other, until PostgreSQL ended one of them
    (its officer got an apology). Taken here in id order, as every recount takes them, the
    later reads find their locks held. SQLite has one writer and no row locks."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for task_id in await session.scalars(_tasks_of_dues_locked(), {"due_ids": sorted(due_ids)}):
        note_locked(session.sync_session, task_id)


async def record_update(
    session: AsyncSession,
    *,
    officer: Officer,
    key: WorkKey,
    reply: Reply,
    raw_text: str,
    channel: str,
    provider_update_id: str | None,
    now: datetime,
    today: date,
    corrects: int | None = None,
) -> RecordedUpdate:
    """Apply ``reply`` to the progress of ``key`` and audit it; see the module rules.

    ``corrects`` is the id of the update this one replaces (``undo_update``): it is
    always audited, and names the update it corrects.
    """
    if reply.state not in RECORDABLE:
        raise ValueError(f"not a status to record: {reply.state}")
    if reply.state == "extension_requested" and reply.new_due is not None:
        check_extension_date(reply.new_due, today)
    found = await _progress_due_and_task(session, key)
    if found is None:
        raise UserError("Không tìm thấy thời hạn của công việc này.")
    progress, due, task = found
    hold_due(session.sync_session, due)  # the commit's recount takes the task from it
    note_locked(session.sync_session, task.id)
    if progress.state in ("done", "cancelled"):
        raise UserError(f"{task.code} đã {'hoàn thành' if progress.state == 'done' else 'hủy'}.")
    before, before_percent = progress.state, progress.percent
    occurrence = date.fromisoformat(key.instance) if key.instance != "-" else None
    effective = progress.extended_to or occurrence or due.due_on
    extension_id = None
    if reply.state == "done":
        progress.done_at, progress.percent = now, 100
        progress.late = reply.late or (effective is not None and today > effective)
    elif reply.state == "in_progress":
        progress.percent = reply.percent if reply.percent is not None else progress.percent
    elif reply.state == "not_started":
        progress.percent = 0
    elif reply.state == "extension_requested":
        extension_id = await _request_extension(session, progress, officer, reply)
    if reply.promised is not None:
        progress.expected_on = reply.promised
    note = note_of(raw_text, reply)
    changed = (
        corrects is not None
        or reply.state in ("blocked", "extension_requested")
        or before != reply.state
        or before_percent != progress.percent
        or reply.promised is not None
        or (note is not None and note != await _last_note(session, progress.id))
    )
    progress.state = reply.state
    if changed:
        progress.updated_at = now
        session.add(
            StatusUpdate(
                progress_id=progress.id,
                officer_id=officer.id,
                channel=channel,
                provider_update_id=provider_update_id,
                raw_text=raw_text[:MAX_RAW],
                intent=reply_json(reply) | ({"corrects": corrects} if corrects else {}),
                state_before=before,
                state_after=progress.state,
                percent=progress.percent,
                kind="promise" if reply.promised is not None else "status",
                note=note,
                expected_on=reply.promised,
                created_at=now,
            )
        )
    await session.flush()
    return RecordedUpdate(
        progress_id=progress.id,
        due_id=key.due_id,
        task_code=task.code,
        state_before=before,
        state_after=progress.state,
        percent=progress.percent,
        late=progress.late,
        due_on=effective,
        occurrence=occurrence,
        extension_id=extension_id,
        changed=changed,
    )


_CODE_OR_BUTTON = re.compile(r"^\[nút [^\]]*\]$|(?<![\w-])[A-Za-z]{1,10}\d{0,2}-[\w.-]+")


def note_of(raw_text: str, reply: Reply) -> str | None:
    """The officer's words worth keeping: the reason, else the message without its task
    code (None for a button press or an empty rest)."""
    if reply.reason:
        return reply.reason[:MAX_RAW]
    rest = " ".join(_CODE_OR_BUTTON.sub(" ", raw_text).split())
    return rest[:MAX_RAW] or None


async def _last_note(session: AsyncSession, progress_id: int) -> str | None:
    return await session.scalar(
        select(StatusUpdate.note)
        .where(StatusUpdate.progress_id == progress_id)
        .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        .limit(1)
    )


async def record_mark(
    session: AsyncSession,
    *,
    officer: Officer,
    key: WorkKey | None,
    kind: str,
    raw_text: str,
    channel: str,
    provider_update_id: str | None,
    now: datetime,
    promised: date | None = None,
    snoozed_until: datetime | None = None,
) -> Progress | None:
    """Audit an answer that changes no state: ``acknowledged``, ``promise`` or ``snooze``.

    Done or cancelled work is refused as by ``record_update``; a promise also
    becomes the progress's ``expected_on``. Without a ``key`` (an "OK" that names
    no item and answers no reminder) the row is about the officer alone.
    """
    if key is None:
        session.add(
            StatusUpdate(
                officer_id=officer.id,
                channel=channel,
                provider_update_id=provider_update_id,
                raw_text=raw_text[:MAX_RAW],
                intent={"mark": kind},
                kind=kind,
                created_at=now,
            )
        )
        await session.flush()
        return None
    progress = await get_or_create_progress(session, key)
    if progress.state in ("done", "cancelled"):
        raise UserError(
            "Việc này đã hoàn thành." if progress.state == "done" else "Việc này đã hủy."
        )
    if promised is not None:
        progress.expected_on = promised
    session.add(
        StatusUpdate(
            progress_id=progress.id,
            officer_id=officer.id,
            channel=channel,
            provider_update_id=provider_update_id,
            raw_text=raw_text[:MAX_RAW],
            intent={"mark": kind},
            state_before=progress.state,
            state_after=progress.state,
            percent=progress.percent,
            kind=kind,
            note=note_of(raw_text, Reply("acknowledged")),
            expected_on=promised,
            snoozed_until=snoozed_until,
            created_at=now,
        )
    )
    await session.flush()
    return progress


async def snoozes_since(session: AsyncSession, since: datetime, unit_id: int | None = None) -> int:
    """How many snoozes officers asked for since ``since`` (one unit's, or all), for the
    leader's summary."""
    query = (
        select(func.count(StatusUpdate.id))
        .join(Progress, Progress.id == StatusUpdate.progress_id)
        .join(Assignment, Assignment.id == Progress.assignment_id)
        .where(StatusUpdate.kind == "snooze", StatusUpdate.created_at >= since)
    )
    if unit_id is not None:
        query = query.where(Assignment.unit_id == unit_id)
    return int(await session.scalar(query) or 0)


async def _request_extension(
    session: AsyncSession, progress: Progress, officer: Officer, reply: Reply
) -> int:
    request = await session.scalar(
        select(ExtensionRequest).where(
            ExtensionRequest.progress_id == progress.id, ExtensionRequest.state == "pending"
        )
    )
    if request is None:
        request = ExtensionRequest(progress_id=progress.id, state="pending")
        session.add(request)
    request.officer_id = officer.id
    request.requested_due = reply.new_due
    request.reason = (reply.reason or "")[:MAX_RAW]
    await session.flush()
    return request.id


async def pending_extensions(
    session: AsyncSession, unit_id: int | None = None
) -> list[tuple[ExtensionRequest, str, str]]:
    """Pending requests with their task code and requesting officer's name, oldest first."""
    query = (
        select(ExtensionRequest, Task.code, Officer.name)
        .join(Progress, Progress.id == ExtensionRequest.progress_id)
        .join(Assignment, Assignment.id == Progress.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        .outerjoin(Officer, Officer.id == ExtensionRequest.officer_id)
        .where(ExtensionRequest.state == "pending")
        .order_by(ExtensionRequest.created_at, ExtensionRequest.id)
    )
    if unit_id is not None:
        query = query.where(Assignment.unit_id == unit_id)
    return [(request, code, name or "—") for request, code, name in await session.execute(query)]


async def decide_extension(
    session: AsyncSession,
    *,
    request_id: int,
    leader: Officer,
    approve: bool,
    channel: str,
    provider_update_id: str | None,
    now: datetime,
) -> Decision:
    """Approve or refuse a pending request (once: a decided request is refused here)."""
    request = await session.get(ExtensionRequest, request_id)
    if request is None:
        raise UserError("Không tìm thấy đề nghị gia hạn này.")
    if request.state != "pending":
        word = "duyệt" if request.state == "approved" else "từ chối"
        raise UserError(f"Đề nghị này đã được {word} trước đó.")
    if approve and request.requested_due is None:
        raise UserError("Đề nghị chưa có ngày gia hạn; không thể duyệt.")
    if approve and request.requested_due is not None:  # stored before the window existed
        check_extension_date(request.requested_due, now.astimezone(VN_TZ).date())
    progress = await session.get(Progress, request.progress_id)
    assert progress is not None  # the foreign key cascades
    assignment = await session.get(Assignment, progress.assignment_id)
    assert assignment is not None
    task = await session.get(Task, assignment.task_id)
    assert task is not None
    before = progress.state
    request.state = "approved" if approve else "refused"
    request.decided_by_id, request.decided_at = leader.id, now
    if approve:
        progress.extended_to = request.requested_due
    if progress.state == "extension_requested":
        progress.state = "in_progress" if approve or progress.percent else "not_started"
    progress.updated_at = now
    session.add(
        StatusUpdate(
            progress_id=progress.id,
            officer_id=leader.id,
            channel=channel,
            provider_update_id=provider_update_id,
            raw_text=f"{'duyệt' if approve else 'từ chối'} gia hạn #{request.id}",
            intent={
                "decision": request.state,
                "request_id": request.id,
                "new_due": request.requested_due.isoformat() if request.requested_due else None,
            },
            state_before=before,
            state_after=progress.state,
            percent=progress.percent,
            created_at=now,
        )
    )
    await session.flush()
    return Decision(
        request_id=request.id,
        approved=approve,
        progress_id=progress.id,
        due_id=progress.due_id,
        assignment_id=progress.assignment_id,
        task_code=task.code,
        officer_id=request.officer_id,
        requested_due=request.requested_due,
    )


async def history(
    session: AsyncSession, task_id: int, unit_id: int | None = None, limit: int = 20
) -> list[StatusUpdate]:
    """The recorded updates of a task (of one unit's part), newest first."""
    query = (
        select(StatusUpdate)
        .join(Progress, Progress.id == StatusUpdate.progress_id)
        .join(Assignment, Assignment.id == Progress.assignment_id)
        .where(Assignment.task_id == task_id)
        .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        .limit(limit)
    )
    if unit_id is not None:
        query = query.where(Assignment.unit_id == unit_id)
    return list((await session.scalars(query)).all())


CORRECTION_WINDOW = timedelta(minutes=10)
"""How long after an update "à nhầm, …" replaces it rather than adding to it."""


async def last_own_update(
    session: AsyncSession, officer_id: int, now: datetime, window: timedelta = CORRECTION_WINDOW
) -> StatusUpdate | None:
    """The officer's own latest status update of the last ``window``, if any."""
    return await session.scalar(
        select(StatusUpdate)
        .where(
            StatusUpdate.officer_id == officer_id,
            StatusUpdate.progress_id.is_not(None),
            StatusUpdate.kind == "status",
            StatusUpdate.created_at >= now - window,
        )
        .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        .limit(1)
    )


async def undo_update(session: AsyncSession, update: StatusUpdate) -> WorkKey:
    """Put the progress back as it was before ``update``; the audit keeps ``update``.

    The caller records the corrected status next (``record_update(corrects=…)``). An
    extension request that ``update`` opened is withdrawn: leaders must not decide on
    what the officer took back.
    """
    progress = await session.get(Progress, update.progress_id, with_for_update=True)
    assert progress is not None  # the update's progress_id is not null (see last_own_update)
    earlier = await session.scalar(
        select(StatusUpdate.percent)
        .where(StatusUpdate.progress_id == progress.id, StatusUpdate.id < update.id)
        .order_by(StatusUpdate.id.desc())
        .limit(1)
    )
    if update.state_after == "extension_requested":
        await session.execute(
            delete(ExtensionRequest).where(
                ExtensionRequest.progress_id == progress.id, ExtensionRequest.state == "pending"
            )
        )
    progress.state = update.state_before or "not_started"
    progress.percent = earlier
    if progress.state != "done":
        progress.done_at, progress.late = None, False
    await session.flush()
    return WorkKey(progress.assignment_id, progress.due_id, progress.instance)
