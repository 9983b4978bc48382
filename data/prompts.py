"""Pending prompts: the question the bot asked an officer and is waiting to have answered.

A prompt is a ``PendingPrompt`` row, not memory, so whichever instance receives
the answer can take it. There is at most one live prompt per officer and channel:
asking replaces the previous question. The row names its work item as
``w<assignment id>.<due id>``; that encoding stays inside this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import PendingPrompt


@dataclass(frozen=True)
class Prompt:
    """A live question: what it asks for (``kind``) about which (assignment, due) pair."""

    id: int
    kind: str
    assignment_id: int
    due_id: int


async def forget_prompts(session: AsyncSession, officer_id: int, channel: str) -> None:
    """Forget the officer's questions on this channel (answered, overtaken or moot)."""
    await session.execute(
        delete(PendingPrompt).where(
            PendingPrompt.officer_id == officer_id, PendingPrompt.channel == channel
        )
    )


async def ask(
    session: AsyncSession,
    officer_id: int,
    channel: str,
    kind: str,
    work: tuple[int, int],
    *,
    now: datetime,
    expires_at: datetime,
) -> None:
    """Remember a question about ``work`` (assignment id, due id), replacing any earlier one."""
    await forget_prompts(session, officer_id, channel)
    session.add(
        PendingPrompt(
            officer_id=officer_id,
            channel=channel,
            kind=kind,
            task_ids=["w{}.{}".format(*work)],
            expires_at=expires_at,
            created_at=now,
        )
    )
    await session.flush()


async def live_prompt(
    session: AsyncSession, officer_id: int, channel: str, now: datetime
) -> Prompt | None:
    """The officer's newest unexpired question on this channel, if it names a work item."""
    row = await session.scalar(
        select(PendingPrompt)
        .where(
            PendingPrompt.officer_id == officer_id,
            PendingPrompt.channel == channel,
            PendingPrompt.expires_at > now,
        )
        .order_by(PendingPrompt.id.desc())
    )
    if row is None or not row.task_ids:
        return None
    assignment_id, _, due_id = row.task_ids[0][1:].partition(".")
    return Prompt(row.id, row.kind, int(assignment_id), int(due_id))


async def forget_prompt(session: AsyncSession, prompt_id: int) -> None:
    """Delete one question (it was answered by a message handled on its own)."""
    await session.execute(delete(PendingPrompt).where(PendingPrompt.id == prompt_id))
