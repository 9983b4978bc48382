"""Recording status updates and extension decisions: the progress row and its audit."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.errors import UserError
from data.models import ExtensionRequest, Officer, StatusUpdate, Task
from data.people import find_officer
from data.progress import (
    RecordedUpdate,
    WorkKey,
    decide_extension,
    history,
    pending_extensions,
    record_update,
)
from data.status import Reply
from tests.planning_helpers import seed_with_officers, work_ids

NOW = datetime(2022, 3, 28, 2, 0, tzinfo=UTC)
TODAY = date(2022, 3, 28)


async def _key(session: AsyncSession, code: str, officer: Officer) -> WorkKey:
    return WorkKey(*await work_ids(session, code, officer.unit_id))


@pytest.fixture
async def mai(sessions: async_sessionmaker[AsyncSession]) -> Officer:
    await seed_with_officers(sessions)
    async with sessions() as s:
        return await find_officer(s, "Trần Thị Mai")


async def _record(
    session: AsyncSession, officer: Officer, reply: Reply, *, today: date = TODAY, text: str = "t"
) -> RecordedUpdate:
    return await record_update(
        session,
        officer=officer,
        key=await _key(session, "BDT22-I.1", officer),
        reply=reply,
        raw_text=text,
        channel="zalo",
        provider_update_id=None,
        now=NOW,
        today=today,
    )


async def test_done_on_time_then_closed(
    sessions: async_sessionmaker[AsyncSession], mai: Officer
) -> None:
    async with sessions.begin() as s:
        recorded = await _record(s, mai, Reply("done"), text="x" * 5000)
    assert recorded.state_before == "not_started" and recorded.state_after == "done"
    assert not recorded.late and recorded.percent == 100
    async with sessions() as s:
        audit = (await s.scalars(select(StatusUpdate))).one()
        assert len(audit.raw_text) == 4000 and audit.channel == "zalo"
        with pytest.raises(UserError, match="đã hoàn thành"):
            await _record(s, mai, Reply("in_progress", percent=10))


@pytest.mark.parametrize(
    ("reply", "today", "late"),
    [
        (Reply("done"), date(2022, 4, 1), True),
        (Reply("done", late=True), TODAY, True),
        (Reply("done"), date(2022, 3, 31), False),
    ],
)
async def test_late_is_after_the_effective_due_or_when_said(
    sessions: async_sessionmaker[AsyncSession], mai: Officer, reply: Reply, today: date, late: bool
) -> None:
    async with sessions.begin() as s:
        recorded = await _record(s, mai, reply, today=today)
    assert recorded.late is late


async def test_the_same_state_twice_is_not_audited_twice(
    sessions: async_sessionmaker[AsyncSession], mai: Officer
) -> None:
    async with sessions.begin() as s:
        await _record(s, mai, Reply("in_progress", percent=50))
        again = await _record(s, mai, Reply("in_progress", percent=50))
        assert not again.changed
        assert len((await s.scalars(select(StatusUpdate))).all()) == 1


async def test_extension_request_then_approval_moves_the_due(
    sessions: async_sessionmaker[AsyncSession], mai: Officer
) -> None:
    wanted = date(2022, 6, 30)
    async with sessions.begin() as s:
        await _record(s, mai, Reply("in_progress", percent=40))
        recorded = await _record(
            s, mai, Reply("extension_requested", new_due=wanted, reason="chờ số liệu")
        )
        [(request, code, name)] = await pending_extensions(s)
        assert (request.id, code, name) == (recorded.extension_id, "BDT22-I.1", mai.name)
        assert request.reason == "chờ số liệu" and request.requested_due == wanted
        leader = await find_officer(s, "Phạm Quốc Bảo")
        decision = await decide_extension(
            s,
            request_id=request.id,
            leader=leader,
            approve=True,
            channel="telegram",
            provider_update_id="cb-1",
            now=NOW,
        )
        assert decision.approved and decision.officer_id == mai.id
        with pytest.raises(UserError, match="đã được duyệt"):
            await decide_extension(
                s,
                request_id=request.id,
                leader=leader,
                approve=False,
                channel="telegram",
                provider_update_id="cb-2",
                now=NOW,
            )
    async with sessions() as s:
        assert (await s.get(ExtensionRequest, request.id)).state == "approved"  # type: ignore[union-attr]
        task = await s.scalar(select(Task).where(Task.code == "BDT22-I.1"))
        updates = await history(s, task.id, unit_id=mai.unit_id)  # type: ignore[union-attr]
        newest_first = [u.state_after for u in updates]
        assert newest_first == ["in_progress", "extension_requested", "in_progress"]
        assert updates[0].intent["decision"] == "approved"
        done_late = await _record(s, mai, Reply("done"), today=date(2022, 6, 1))
        assert not done_late.late  # on time for the new due


async def test_a_refusal_goes_back_to_not_started_without_progress(
    sessions: async_sessionmaker[AsyncSession], mai: Officer
) -> None:
    async with sessions.begin() as s:
        recorded = await _record(s, mai, Reply("extension_requested", new_due=date(2022, 5, 31)))
        leader = await find_officer(s, "Phạm Quốc Bảo")
        decision = await decide_extension(
            s,
            request_id=recorded.extension_id or 0,
            leader=leader,
            approve=False,
            channel="telegram",
            provider_update_id=None,
            now=NOW,
        )
        assert not decision.approved
        updates = (await s.scalars(select(StatusUpdate).order_by(StatusUpdate.id))).all()
        assert updates[-1].state_after == "not_started"
        assert updates[-1].intent["decision"] == "refused"


async def test_a_question_is_not_recordable(
    sessions: async_sessionmaker[AsyncSession], mai: Officer
) -> None:
    async with sessions() as s:
        with pytest.raises(ValueError):
            await _record(s, mai, Reply("question"))
