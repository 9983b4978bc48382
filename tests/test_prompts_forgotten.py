"""Forgetting an officer's questions without a round trip when none waits (issue 16).

``data/prompts.forget_prompts`` skips its DELETE when this transaction's
``waiting_rows`` found no question; each test makes a question that skipping it
wrongly would leave behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data import prompts
from data.links import link
from data.models import Officer, PendingPrompt
from data.products import park
from data.prompts import PARKED, ask, forget_prompts, officer_waiting, waiting_rows
from tests.planning_helpers import seed_with_officers

Sessions = async_sessionmaker[AsyncSession]
NOW = datetime(2022, 4, 20, 2, 0, tzinfo=UTC)
CHANNEL = "telegram"


async def _officer(s: AsyncSession) -> int:
    found = await s.scalar(select(Officer.id).order_by(Officer.id))
    assert found is not None
    return found


async def _ask(s: AsyncSession, officer: int, expires_at: datetime) -> None:
    await ask(s, officer, CHANNEL, "percent", [(1, 1)], now=NOW, expires_at=expires_at)


async def _questions(s: AsyncSession) -> int:
    return await s.scalar(select(func.count()).select_from(PendingPrompt)) or 0


async def test_a_question_asked_after_none_was_found_is_forgotten(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    async with sessions.begin() as s:
        officer = await _officer(s)
        assert await waiting_rows(s, officer, CHANNEL, NOW) == []
        await _ask(s, officer, NOW + timedelta(hours=1))
        await forget_prompts(s, officer, CHANNEL)
        assert await _questions(s) == 0


async def test_an_expired_question_is_still_forgotten(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    async with sessions.begin() as s:
        officer = await _officer(s)
        await _ask(s, officer, NOW - timedelta(minutes=1))
    async with sessions.begin() as s:
        assert await waiting_rows(s, officer, CHANNEL, NOW) == []  # expired: not waiting
        await forget_prompts(s, officer, CHANNEL)
        assert await _questions(s) == 0


async def test_a_question_a_rolled_back_savepoint_restored_is_forgotten(
    sessions: Sessions,
) -> None:
    await seed_with_officers(sessions)
    async with sessions.begin() as s:
        officer = await _officer(s)
        await _ask(s, officer, NOW + timedelta(hours=1))
    async with sessions.begin() as s:
        savepoint = await s.begin_nested()
        await forget_prompts(s, officer, CHANNEL)
        assert await waiting_rows(s, officer, CHANNEL, NOW) == []
        await savepoint.rollback()
        await forget_prompts(s, officer, CHANNEL)
        assert await _questions(s) == 0


async def test_the_officer_read_with_their_rows_finds_what_waiting_rows_finds(
    sessions: Sessions,
) -> None:
    """``officer_waiting`` reads the officer, their links and their waiting rows in one
    statement: the rows multiply (two links, three rows), and each comes once, in
    ``waiting_rows``' order, expired questions marked, another channel's and another
    officer's rows left out; an officer with nothing waiting comes all the same."""
    await seed_with_officers(sessions)
    async with sessions.begin() as s:
        officer, other = (await s.scalars(select(Officer).order_by(Officer.id).limit(2))).all()
        await link(s, officer, CHANNEL, "chat-1", NOW)
        await link(s, officer, "zalo", "z-1", NOW)
        await link(s, other, CHANNEL, "chat-2", NOW)
        await _ask(s, officer.id, NOW - timedelta(minutes=1))  # expired, still found
        await park(
            s,
            officer_id=officer.id,
            channel=CHANNEL,
            name="a.pdf",
            content=b"%PDF",
            caption="",
            work=[(1, 1)],
            now=NOW,
            expires_at=NOW + timedelta(hours=1),
        )
        await ask(s, officer.id, "zalo", "percent", [(1, 1)], now=NOW, expires_at=NOW)
        await ask(s, other.id, CHANNEL, "percent", [(1, 1)], now=NOW, expires_at=NOW)
    async with sessions() as s:
        bound = {"officer_id": officer.id, "channel": CHANNEL, "now": NOW}
        direct = (await s.execute(prompts._waiting(), bound)).all()
    async with sessions() as s:
        found_officer, found = await officer_waiting(s, CHANNEL, "chat-1", NOW)
        assert found_officer is not None and found_officer.id == officer.id
        assert sorted(link.channel for link in found_officer.links) == [CHANNEL, "zalo"]
        assert [(row.id, live) for row, live in found] == [(row.id, live) for row, live in direct]
        assert [live for _, live in found] == [True, False]
        rows = await waiting_rows(s, officer.id, CHANNEL, NOW, found)
        assert [row.kind for row in rows] == [PARKED]
    async with sessions() as s:
        found_officer, found = await officer_waiting(s, CHANNEL, "chat-2", NOW + timedelta(days=1))
        assert found_officer is not None and found_officer.id == other.id
        assert [live for _, live in found] == [False]
        assert await officer_waiting(s, CHANNEL, "nobody", NOW) == (None, [])
