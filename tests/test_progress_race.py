"""48 officers answer about one item at the same moment, the first updates it ever gets.

Each answer is its own transaction, as on 48 webhook requests or several instances.
The progress row does not exist yet, so every transaction wants to create it: the
row is upserted, so all 48 are recorded, none gets the apology, and they are
applied one after another (each audit row starts where the previous one ended).
PostgreSQL only: SQLite has one writer, so its transactions cannot interleave.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat import texts
from bot.chat.conversation import Conversation, Incoming
from data.models import Officer, Progress, StatusUpdate
from data.people import find_officer
from data.summary_counts import rebuild
from scheduler.clock import FakeClock
from tests.fakes import chat_links
from tests.planning_helpers import MAI, START, seed_with_officers
from tests.test_summary_counts import _kept, _recounted, _shares

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("db_url", ["postgres"], indirect=True)]

ANSWERS = 48
CODE = "BDT22-I.1"
OTHER_CODE = "BDT22-I.2"


async def _colleagues(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    """``ANSWERS`` officers of Mai's unit, each linked to a Telegram chat; their chat ids."""
    async with sessions.begin() as s:
        mai = await find_officer(s, MAI)
        s.add_all(
            Officer(name=f"Cán bộ {n}", unit_id=mai.unit_id, links=chat_links(telegram=5000 + n))
            for n in range(ANSWERS)
        )
    return [str(5000 + n) for n in range(ANSWERS)]


async def test_simultaneous_first_updates_on_one_item_are_all_recorded(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed_with_officers(sessions)
    chats = await _colleagues(sessions)
    conversation = Conversation(sessions, FakeClock(START))
    replies = await asyncio.gather(
        *(
            conversation.handle(
                Incoming("telegram", chat, text=f"đang làm {n + 1}% {CODE}", update_id=f"u{n}")
            )
            for n, chat in enumerate(chats)
        )
    )
    answers = [answer.text for answers in replies for answer in answers]
    assert len(answers) == ANSWERS
    assert texts.SORRY not in answers
    assert all(CODE in text for text in answers), answers[:3]
    async with sessions() as s:
        (progress,) = (await s.scalars(select(Progress))).all()
        audit = list(await s.scalars(select(StatusUpdate).order_by(StatusUpdate.id)))
    assert len(audit) == ANSWERS
    assert {row.percent for row in audit} == set(range(1, ANSWERS + 1))
    assert audit[0].state_before == "not_started"
    assert all(row.state_before == "in_progress" for row in audit[1:])
    assert progress.state == "in_progress" and progress.percent == audit[-1].percent
    await _counts_hold(sessions)


async def test_messages_naming_two_tasks_in_opposite_orders_are_all_recorded(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Half the officers name the two tasks one way round, half the other, all at once: each
    message locks both tasks before recording either, in id order, so no two wait on each
    other in a cycle (locked as each part was read, PostgreSQL ended one of such a pair
    as a deadlock and its officer got the apology)."""
    await seed_with_officers(sessions)
    chats = await _colleagues(sessions)
    conversation = Conversation(sessions, FakeClock(START))
    pair = (CODE, OTHER_CODE)
    replies = await asyncio.gather(
        *(
            conversation.handle(
                Incoming(
                    "telegram",
                    chat,
                    text=f"{first} đang làm {n + 1}%; {then} đang làm {n + 1}%",
                    update_id=f"u{n}",
                )
            )
            for n, chat in enumerate(chats)
            for first, then in [pair if n % 2 else pair[::-1]]
        )
    )
    answers = [answer.text for answers in replies for answer in answers]
    assert texts.SORRY not in answers
    async with sessions() as s:
        audit = list(await s.scalars(select(StatusUpdate)))
    assert len(audit) == 2 * ANSWERS
    await _counts_hold(sessions)


async def _counts_hold(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Each answer's commit replaced its task's share and added the change to the plan's
    counts (one statement on PostgreSQL, ``summary_counts._keep_and_add``), one after the
    other: the counts are a recount's and the shares a rebuild's."""
    async with sessions() as s:
        assert await _kept(s) == await _recounted(s)
        shares = await _shares(s)
        await s.run_sync(rebuild)
        assert await _shares(s) == shares
        await s.rollback()
