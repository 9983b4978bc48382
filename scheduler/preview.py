"""What would be sent, when and to whom — without sending: the secretary's first check.

The preview runs the planner's own computation (``desired_reminders``) over any
window and groups it the way the dispatcher bundles it: one message per recipient
per send instant. So what the preview shows is what officers will get.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import Due, Officer, Task, Unit
from scheduler.outbox import NewReminder
from scheduler.planner import desired_reminders


@dataclass(frozen=True)
class PreviewItem:
    """One line of a previewed message."""

    code: str | None
    kind: str
    slot: str
    due: date | None


@dataclass(frozen=True)
class PreviewMessage:
    """One bundled message: who gets it, when, and the items in it."""

    at: datetime
    recipient_id: int
    recipient: str
    unit: str | None
    items: tuple[PreviewItem, ...]


async def _names(session: AsyncSession) -> dict[int, tuple[str, str | None]]:
    rows = await session.execute(select(Officer.id, Officer.name, Unit.name).outerjoin(Unit))
    return {officer_id: (name, unit) for officer_id, name, unit in rows}


async def _dues(session: AsyncSession, due_ids: set[int]) -> dict[int, tuple[str, date | None]]:
    if not due_ids:
        return {}
    rows = await session.execute(
        select(Due.id, Task.code, Due.due_on).join(Task).where(Due.id.in_(due_ids))
    )
    return {due_id: (code, due_on) for due_id, code, due_on in rows}


def _item(wanted: NewReminder, dues: dict[int, tuple[str, date | None]]) -> PreviewItem:
    code, due_on = dues.get(wanted.due_id, (None, None)) if wanted.due_id else (None, None)
    if "@" in wanted.slot and wanted.kind != "digest":
        due_on = date.fromisoformat(wanted.slot.rsplit("@", 1)[1])
    return PreviewItem(code=code, kind=wanted.kind, slot=wanted.slot.split("@")[0], due=due_on)


async def preview(
    session: AsyncSession,
    first: date,
    last: date,
    *,
    plan_id: int | None = None,
    officer_id: int | None = None,
) -> list[PreviewMessage]:
    """The bundled messages of days ``first``..``last``, in send order."""
    wanted = list((await desired_reminders(session, first, last, plan_id=plan_id)).values())
    if plan_id is not None:
        wanted = [w for w in wanted if w.kind != "digest"]
    if officer_id is not None:
        wanted = [w for w in wanted if w.recipient_id == officer_id]
    dues = await _dues(session, {w.due_id for w in wanted if w.due_id})
    names = await _names(session)
    bundles: dict[tuple[datetime, int], list[PreviewItem]] = defaultdict(list)
    for w in wanted:
        bundles[(w.at, w.recipient_id)].append(_item(w, dues))
    messages = [
        PreviewMessage(
            at=at,
            recipient_id=recipient,
            recipient=names.get(recipient, ("?", None))[0],
            unit=names.get(recipient, ("?", None))[1],
            items=tuple(sorted(items, key=lambda i: (i.code or "", i.kind, i.slot))),
        )
        for (at, recipient), items in bundles.items()
    ]
    return sorted(messages, key=lambda m: (m.at, m.recipient))
