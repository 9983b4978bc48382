"""Officer links are rows (officer, channel, address): any channel, one chat per channel,
one officer per chat. ``data/`` never asks which provider a channel is."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.errors import UserError
from data.invites import create_invite, officer_for_chat, redeem, unlink
from data.links import link
from data.people import find_officer
from data.plans.view import officers_without_chat
from tests.planning_helpers import HOA, MAI, seed_with_officers

NOW = datetime(2022, 3, 28, 2, 0, tzinfo=UTC)
Sessions = async_sessionmaker[AsyncSession]


async def test_an_invite_links_a_chat_on_a_channel_data_has_never_heard_of(
    sessions: Sessions,
) -> None:
    await seed_with_officers(sessions)
    async with sessions.begin() as s:
        code = await create_invite(s, (await find_officer(s, MAI)).id, NOW)
        officer = await redeem(s, code, "signal", "+84901000001", NOW)
    assert officer.addresses == {"signal": "+84901000001"}
    assert officer.preferred_channel == "signal"
    async with sessions() as s:
        found = await officer_for_chat(s, "signal", "+84901000001")
        assert found is not None and found.name == MAI
        assert await officer_for_chat(s, "other", "+84901000001") is None


async def test_linking_again_on_a_channel_moves_the_officer_to_the_new_chat(
    sessions: Sessions,
) -> None:
    await seed_with_officers(sessions)
    async with sessions.begin() as s:
        mai = await find_officer(s, MAI)
        await link(s, mai, "zalo", "z-old", NOW)
        await link(s, mai, "telegram", "501", NOW)
        await link(s, mai, "zalo", "z-new", NOW)
    async with sessions() as s:
        assert await officer_for_chat(s, "zalo", "z-old") is None
        found = await officer_for_chat(s, "zalo", "z-new")
        assert found is not None and found.addresses == {"zalo": "z-new", "telegram": "501"}


async def test_one_chat_belongs_to_one_officer(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    async with sessions.begin() as s:
        await link(s, await find_officer(s, MAI), "zalo", "z-1", NOW)
    async with sessions() as s:
        with pytest.raises(IntegrityError):
            await link(s, await find_officer(s, HOA), "zalo", "z-1", NOW)
    async with sessions() as s:
        code = await create_invite(s, (await find_officer(s, HOA)).id, NOW)
        with pytest.raises(UserError, match="cán bộ khác"):
            await redeem(s, code, "zalo", "z-1", NOW)


async def test_an_address_too_long_to_store_is_refused_in_vietnamese(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    async with sessions() as s:
        with pytest.raises(UserError, match="không hợp lệ"):
            await link(s, await find_officer(s, MAI), "zalo", "z" * 65, NOW)


async def test_an_inactive_officers_chat_answers_as_nobody(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    async with sessions.begin() as s:
        mai = await find_officer(s, MAI)
        await link(s, mai, "zalo", "z-1", NOW)
        mai.active = False
    async with sessions() as s:
        assert await officer_for_chat(s, "zalo", "z-1") is None


async def test_officers_linked_nowhere_are_listed_until_they_link(sessions: Sessions) -> None:
    plan = await seed_with_officers(sessions)
    async with sessions() as s:
        before = await officers_without_chat(s, plan)
    assert MAI in before and HOA in before
    async with sessions.begin() as s:
        await link(s, await find_officer(s, MAI), "zalo", "z-1", NOW)
        hoa = await find_officer(s, HOA)
        await link(s, hoa, "telegram", "7", NOW)
        assert await unlink(s, hoa, "telegram")
    async with sessions() as s:
        after = await officers_without_chat(s, plan)
    assert MAI not in after and HOA in after
    assert set(after) == set(before) - {MAI}
