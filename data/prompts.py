"""Pending prompts: the question the bot asked an officer and is waiting to have answered.

A prompt is a ``PendingPrompt`` row, not memory, so whichever instance receives
the answer can take it. There is at most one live prompt per officer and channel:
asking replaces the previous question. The row names its work items as
``w<assignment id>.<due id>``; that encoding stays inside this module.

Two shapes: a question about one item (a percent, a reason, a new date), and a
pick menu ("which task?", ``PICK``) listing every candidate item with the reply
the officer already gave (``Kept``), applied to the item they pick.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Delete, Select, and_, bindparam, delete, event, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from data.links import by_address
from data.models import Officer, PendingPrompt
from data.status import Reply, reply_from_json, reply_json

PICK = "pick"
"""The kind of a "which task?" menu's prompt."""
PARKED = "parked_file"
"""A file waiting for the officer to say which task it is the product of (``data/products.py``).
It is no question: asking another one, or answering one, leaves it alone."""

_NONE_WAITING = "prompts.none_waiting"
"""``session.info``: the (officer id, channel) pairs with no question, as this transaction
read them (``waiting_rows``) and has not asked since (``ask``)."""

Work = tuple[int, int]
"""A work item as (assignment id, due id)."""
Found = list[tuple[PendingPrompt, bool]]
"""``waiting_rows``' read as it came: each row with whether it is live (unexpired)."""


@dataclass(frozen=True)
class Kept:
    """What the officer said before being asked which task: the reply and their words."""

    reply: Reply
    text: str


@dataclass(frozen=True)
class Prompt:
    """A live question: what it asks for (``kind``) about which items, with a kept reply."""

    id: int
    kind: str
    work: tuple[Work, ...]
    kept: Kept | None = None

    @property
    def assignment_id(self) -> int:
        return self.work[0][0]

    @property
    def due_id(self) -> int:
        return self.work[0][1]


async def forget_prompts(session: AsyncSession, officer_id: int, channel: str) -> None:
    """Forget the officer's questions on this channel (answered, overtaken or moot).

    Nothing to run when this transaction's ``waiting_rows`` found none, expired ones
    included, and asked none since: most answers answer no question, and the delete was a
    round trip of each. The statement is built once with the officer bound (an ORM DELETE
    evaluated its criteria against the session at each call); the rows it deletes that the
    session holds are taken out of it, as that evaluation did."""
    if (officer_id, channel) in session.info.get(_NONE_WAITING, ()):
        return
    bound = {"officer_id": officer_id, "channel": channel}
    await session.execute(_forget(), bound, execution_options={"synchronize_session": False})
    for held in list(session.identity_map.values()):
        if isinstance(held, PendingPrompt) and _question_of(held, officer_id, channel):
            session.expunge(held)


def _question_of(row: PendingPrompt, officer_id: int, channel: str) -> bool:
    return row.officer_id == officer_id and row.channel == channel and row.kind != PARKED


@cache
def _forget() -> Delete:
    """``forget_prompts``' statement, built once per process."""
    return delete(PendingPrompt).where(
        PendingPrompt.officer_id == bindparam("officer_id"),
        PendingPrompt.channel == bindparam("channel"),
        PendingPrompt.kind != PARKED,
    )


async def ask(
    session: AsyncSession,
    officer_id: int,
    channel: str,
    kind: str,
    work: Sequence[Work],
    *,
    now: datetime,
    expires_at: datetime,
    kept: Kept | None = None,
) -> int:
    """Remember a question about ``work`` (one item, or a pick menu's candidates), replacing
    any earlier one; returns the prompt's id (a pick menu's page buttons name it)."""
    await forget_prompts(session, officer_id, channel)
    row = PendingPrompt(
        officer_id=officer_id,
        channel=channel,
        kind=kind,
        task_ids=["w{}.{}".format(*item) for item in work],
        reply={"reply": reply_json(kept.reply), "text": kept.text} if kept else None,
        expires_at=expires_at,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    session.info.get(_NONE_WAITING, set()).discard((officer_id, channel))
    return row.id


def _prompt(row: PendingPrompt) -> Prompt | None:
    work: list[Work] = []
    for ref in row.task_ids:
        assignment_id, _, due_id = ref[1:].partition(".")
        work.append((int(assignment_id), int(due_id)))
    if not work:
        return None
    said = row.reply or {}
    kept = Kept(reply_from_json(said["reply"]), str(said["text"])) if said else None
    return Prompt(row.id, row.kind, tuple(work), kept)


async def waiting_rows(
    session: AsyncSession,
    officer_id: int,
    channel: str,
    now: datetime,
    found: Found | None = None,
) -> list[PendingPrompt]:
    """The officer's unexpired rows on this channel, newest first: the question asked and
    the parked file (``data/products.py``), which an incoming text may each answer. One
    statement for both: every text paid a round trip for each. ``found``: the rows as
    ``officer_waiting`` read them with the officer in this transaction (no statement)."""
    if found is None:
        bound = {"officer_id": officer_id, "channel": channel, "now": now}
        found = [(row, live) for row, live in (await session.execute(_waiting(), bound)).all()]
    if all(row.kind == PARKED for row, _ in found):  # no question, not even an expired one
        session.info.setdefault(_NONE_WAITING, set()).add((officer_id, channel))
    return [row for row, live in found if live]


@cache
def _waiting() -> Select[PendingPrompt, bool]:
    """``waiting_rows``' statement, built once per process with the officer bound at each
    execution (every text runs it; building it anew cost more CPU than its round trip,
    issue 16). Expired questions come too, marked (``forget_prompts`` deletes them); an
    expired parked file does not (its content is the file)."""
    live = PendingPrompt.expires_at > bindparam("now")
    return (
        select(PendingPrompt, live.label("live"))
        .where(
            PendingPrompt.officer_id == bindparam("officer_id"),
            PendingPrompt.channel == bindparam("channel"),
            or_(live, PendingPrompt.kind != PARKED),
        )
        .order_by(PendingPrompt.id.desc())
    )


async def officer_waiting(
    session: AsyncSession, channel: str, address: str, now: datetime
) -> tuple[Officer | None, Found]:
    """The officer linked to this chat (``data.links.linked_officer``) with their rows on
    this channel as ``waiting_rows`` reads them (for its ``found``), in one statement: a text
    from an officer paid a round trip for each (issue 16)."""
    bound = {"channel": channel, "address": address, "now": now}
    rows = (await session.execute(_officer_waiting(), bound)).unique().all()
    if not rows:
        return None, []
    return rows[0][0], [(row, live) for _, row, live in rows if row is not None]


@cache
def _officer_waiting() -> Select[Officer, PendingPrompt, bool]:
    """``officer_waiting``'s statement, built once per process: ``_waiting``'s rows joined to
    the officer of the chat (an officer's links times their rows: a handful, made unique)."""
    live = PendingPrompt.expires_at > bindparam("now")
    mine = and_(
        PendingPrompt.officer_id == Officer.id,
        PendingPrompt.channel == bindparam("channel"),
        or_(live, PendingPrompt.kind != PARKED),
    )
    joined = by_address().add_columns(PendingPrompt, live.label("live"))
    return joined.outerjoin(PendingPrompt, mine).order_by(PendingPrompt.id.desc())


def _forget_none_waiting(session: Session, *_: object) -> None:
    """What ``waiting_rows`` found holds until the transaction ends: after it, another may
    have asked; a rolled-back savepoint may have restored a question deleted inside it."""
    session.info.pop(_NONE_WAITING, None)


event.listen(Session, "after_commit", _forget_none_waiting)
event.listen(Session, "after_rollback", _forget_none_waiting)


def question_in(rows: Sequence[PendingPrompt]) -> Prompt | None:
    """The newest question of ``waiting_rows``, if it names a work item."""
    row = next((row for row in rows if row.kind != PARKED), None)
    return _prompt(row) if row is not None else None


async def live_prompt(
    session: AsyncSession, officer_id: int, channel: str, now: datetime
) -> Prompt | None:
    """The officer's newest unexpired question on this channel, if it names a work item."""
    return question_in(await waiting_rows(session, officer_id, channel, now))


async def officers_prompt(
    session: AsyncSession, officer_id: int, channel: str, prompt_id: int, now: datetime
) -> Prompt | None:
    """Prompt ``prompt_id`` if it is this officer's on this channel and still live (a page
    button names its menu by id; anyone else's id, or an expired one, is None)."""
    row = await session.scalar(
        select(PendingPrompt).where(
            PendingPrompt.id == prompt_id,
            PendingPrompt.officer_id == officer_id,
            PendingPrompt.channel == channel,
            PendingPrompt.expires_at > now,
        )
    )
    return _prompt(row) if row is not None else None


async def forget_prompt(session: AsyncSession, prompt_id: int) -> None:
    """Delete one question (it was answered by a message handled on its own)."""
    await session.execute(delete(PendingPrompt).where(PendingPrompt.id == prompt_id))
