"""Numbered options per chat: stored, replaced, forgotten and expired in the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.chat_options import chosen_option, show_options

NOW = datetime(2022, 3, 28, 2, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)


async def test_a_number_picks_the_payload_shown_in_that_chat_only(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await show_options(s, "zalo", "c1", ["s:done", "s:progress"], expires_at=LATER)
        await show_options(s, "zalo", "c2", ["p:25"], expires_at=LATER)
    async with sessions() as s:
        assert await chosen_option(s, "zalo", "c1", 2, NOW) == "s:progress"
        assert await chosen_option(s, "zalo", "c2", 1, NOW) == "p:25"
        assert await chosen_option(s, "zalo", "c1", 3, NOW) is None, "no third option"
        assert await chosen_option(s, "zalo", "c1", 0, NOW) is None
        assert await chosen_option(s, "other", "c1", 1, NOW) is None, "channels are apart"


async def test_new_options_replace_the_old_and_none_forgets_them(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await show_options(s, "zalo", "c1", ["a", "b", "c"], expires_at=LATER)
    async with sessions.begin() as s:
        await show_options(s, "zalo", "c1", ["x"], expires_at=LATER)
    async with sessions() as s:
        assert await chosen_option(s, "zalo", "c1", 1, NOW) == "x"
        assert await chosen_option(s, "zalo", "c1", 2, NOW) is None
    async with sessions.begin() as s:
        await show_options(s, "zalo", "c1", [], expires_at=LATER)
    async with sessions() as s:
        assert await chosen_option(s, "zalo", "c1", 1, NOW) is None


async def test_options_expire(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as s:
        await show_options(s, "zalo", "c1", ["a"], expires_at=LATER)
    async with sessions() as s:
        assert await chosen_option(s, "zalo", "c1", 1, LATER - timedelta(seconds=1)) == "a"
        assert await chosen_option(s, "zalo", "c1", 1, LATER) is None
