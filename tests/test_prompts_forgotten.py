"""Forgetting an officer's questions without a round trip when none waits (issue 16).

``data/prompts.forget_prompts`` skips its DELETE when this transaction's
``waiting_rows`` found no question; each test makes a question that skipping it
wrongly would leave behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import Officer, PendingPrompt
from data.prompts import ask, forget_prompts, waiting_rows
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
