"""Requested and approved new due dates stay inside a sane window around today."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.errors import UserError
from data.models import ExtensionRequest, Officer, Progress
from data.people import find_officer
from data.progress import Decision, WorkKey, decide_extension, get_or_create_progress, record_update
from data.status import Reply
from data.status_dates import check_extension_date, extension_window
from tests.planning_helpers import BAO, MAI, seed_with_officers, work_ids
from tests.test_conversation import Chat

NOW = datetime(2022, 3, 28, 2, 0, tzinfo=UTC)
TODAY = date(2022, 3, 28)


def test_the_window_is_a_year_back_and_five_years_ahead() -> None:
    assert extension_window(TODAY) == (date(2021, 3, 28), date(2027, 3, 28))
    check_extension_date(date(2027, 3, 28), TODAY)
    check_extension_date(date(2021, 3, 28), TODAY)
    for day in (date(9999, 12, 31), date(5000, 12, 31), date(2027, 3, 29), date(1, 1, 1)):
        with pytest.raises(UserError, match="từ 28/03/2021 đến 28/03/2027"):
            check_extension_date(day, TODAY)


async def _mai_key(session: AsyncSession) -> tuple[Officer, WorkKey]:
    mai = await find_officer(session, MAI)
    return mai, WorkKey(*await work_ids(session, "BDT22-I.1", mai.unit_id))


async def test_a_request_outside_the_window_is_refused_and_not_stored(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed_with_officers(sessions)
    with pytest.raises(UserError, match="31/12/9999 không hợp lệ"):
        async with sessions.begin() as s:
            mai, key = await _mai_key(s)
            await record_update(
                s,
                officer=mai,
                key=key,
                reply=Reply("extension_requested", new_due=date(9999, 12, 31)),
                raw_text="xin gia hạn đến 31/12/9999",
                channel="zalo",
                provider_update_id=None,
                now=NOW,
                today=TODAY,
            )
    async with sessions() as s:
        assert (await s.scalars(select(ExtensionRequest))).all() == []


async def _store_absurd_request(sessions: async_sessionmaker[AsyncSession]) -> ExtensionRequest:
    """A pending request for 31/12/9999, as one recorded before the window existed."""
    async with sessions.begin() as s:
        mai, key = await _mai_key(s)
        progress = await get_or_create_progress(s, key)
        progress.state = "extension_requested"
        request = ExtensionRequest(
            progress_id=progress.id,
            officer_id=mai.id,
            state="pending",
            requested_due=date(9999, 12, 31),
        )
        s.add(request)
    return request


async def _decide(session: AsyncSession, request_id: int, *, approve: bool) -> Decision:
    leader = await find_officer(session, BAO)
    return await decide_extension(
        session,
        request_id=request_id,
        leader=leader,
        approve=approve,
        channel="telegram",
        provider_update_id=None,
        now=NOW,
    )


async def test_approving_a_stored_absurd_request_is_refused_and_refusing_it_works(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed_with_officers(sessions)
    request = await _store_absurd_request(sessions)
    with pytest.raises(UserError, match="31/12/9999 không hợp lệ"):
        async with sessions.begin() as s:
            await _decide(s, request.id, approve=True)
    async with sessions.begin() as s:
        refused = await _decide(s, request.id, approve=False)
    assert not refused.approved
    async with sessions() as s:
        progress = await s.get(Progress, request.progress_id)
        assert progress is not None and progress.extended_to is None


async def test_in_chat_a_year_9999_request_names_the_range_and_its_approval_is_refused(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed_with_officers(sessions)
    chat = Chat(sessions)
    answer = await chat.one(MAI, "xin gia hạn BDT22-I.1 đến 31/12/9999")
    assert "31/12/9999 không hợp lệ" in answer.text and "28/03/2027" in answer.text
    async with sessions() as s:
        assert (await s.scalars(select(ExtensionRequest))).all() == []
    request = await _store_absurd_request(sessions)
    pressed = await chat.press(BAO, f"g:a:{request.id}")
    assert "không hợp lệ" in (pressed.toast or pressed.text)
    async with sessions() as s:
        stored = await s.get(ExtensionRequest, request.id)
        assert stored is not None and stored.state == "pending"
