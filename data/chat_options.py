"""Numbered options: what a number typed in a chat without buttons stands for.

Zalo has no buttons, so an answer's buttons are shown as "1. Hoàn thành …" and
typing "1" presses the first. What each number stood for is a ``ChatOptions``
row, not memory, like a pending prompt: after a restart, or on another instance
behind the same webhook, a number still means what the officer saw. One row per
(channel, chat): showing new options replaces the old ones, showing none forgets
them, and they expire so that a number typed days later is read as text again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import ChatOptions
from data.sql import insert


async def show_options(
    session: AsyncSession,
    channel: str,
    chat_id: str,
    payloads: Sequence[str],
    *,
    expires_at: datetime,
) -> None:
    """Remember that ``chat_id`` was just shown ``payloads`` as options 1, 2, …; none forgets."""
    if not payloads:
        await session.execute(
            delete(ChatOptions).where(
                ChatOptions.channel == channel, ChatOptions.chat_id == chat_id
            )
        )
        return
    values = {"payloads": list(payloads), "expires_at": expires_at}
    await session.execute(
        insert(session, ChatOptions)
        .values(channel=channel, chat_id=chat_id, **values)
        .on_conflict_do_update(index_elements=["channel", "chat_id"], set_=values)
    )


async def chosen_option(
    session: AsyncSession, channel: str, chat_id: str, number: int, now: datetime
) -> str | None:
    """The payload of option ``number`` (from 1) last shown in the chat, if still live."""
    payloads = await session.scalar(
        select(ChatOptions.payloads).where(
            ChatOptions.channel == channel,
            ChatOptions.chat_id == chat_id,
            ChatOptions.expires_at > now,
        )
    )
    if payloads is None or not 1 <= number <= len(payloads):
        return None
    return payloads[number - 1]
