"""A near-miss unit name in a plan is reported, and an admin's merge makes it one unit."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.errors import UserError
from data.models import Assignment, Mute, Officer, Progress, StatusUpdate, Task, Unit
from data.mutes import mute
from data.people import add_unit, find_officer, find_unit
from data.plans.importer import import_plan, read_plan_file
from data.progress import WorkKey, record_update
from data.status import Reply
from data.unit_merge import merge_units
from tests.planning_helpers import MAI, SEED, seed_with_officers, work_ids

Sessions = async_sessionmaker[AsyncSession]
NOW = datetime(2022, 3, 28, 2, 0, tzinfo=UTC)


async def test_a_near_miss_is_imported_as_new_with_a_warning_then_merged(
    sessions: Sessions, tmp_path: Path
) -> None:
    await seed_with_officers(sessions)
    text = SEED.read_text("utf-8").replace("Triển khai thực hiện công tác thi đua", "Kế hoạch khác")
    text = text.replace("\tBan Dân tộc\tTrong năm 2022", "\tBan Dân tộx\tTrong năm 2022", 1)
    other = tmp_path / "other.txt"
    other.write_text(text, "utf-8")
    async with sessions() as s:
        report = await import_plan(s, read_plan_file(other), prefix="BDT22B")
        await s.commit()
    assert report.new_units == ["Ban Dân tộx"]
    assert any('nhacviec unit merge "Ban Dân tộx" "Ban Dân tộc"' in w for w in report.warnings)
    async with sessions() as s:
        await merge_units(s, "Ban Dân tộx", "Ban Dân tộc")
        await s.commit()
    async with sessions() as s:
        names = set((await s.scalars(select(Unit.name))).all())
        target = await find_unit(s, "Ban Dân tộx")
        lonely = await s.scalar(
            select(func.count())
            .select_from(Assignment)
            .where(~Assignment.unit_id.in_(select(Unit.id)))
        )
        officers = await s.scalar(select(func.count()).where(Officer.unit_id == target.id))
    assert "Ban Dân tộx" not in names and target.name == "Ban Dân tộc"
    assert lonely == 0
    assert officers == 3


async def test_it_refuses_to_merge_a_unit_into_itself(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    async with sessions() as s:
        with pytest.raises(UserError, match="đã là một đơn vị"):
            await merge_units(s, "ban dan toc", "Ban Dân tộc")


async def _twin_assignment(session: AsyncSession, code: str, unit: Unit) -> WorkKey:
    """A lead assignment of task ``code`` for ``unit`` too (as a misspelt import makes it)."""
    task = await session.scalar(select(Task).where(Task.code == code))
    assert task is not None
    session.add(Assignment(task_id=task.id, unit_id=unit.id, role="lead"))
    await session.flush()
    return WorkKey(*await work_ids(session, code, unit.id))


async def _say(session: AsyncSession, officer: Officer, key: WorkKey, reply: Reply) -> int:
    recorded = await record_update(
        session,
        officer=officer,
        key=key,
        reply=reply,
        raw_text=reply.state,
        channel="zalo",
        provider_update_id=None,
        now=NOW,
        today=NOW.date(),
    )
    return recorded.progress_id


async def _progress_of(session: AsyncSession, code: str, unit: Unit) -> Progress | None:
    assignment_id, due_id = await work_ids(session, code, unit.id)
    return await session.scalar(
        select(Progress).where(Progress.assignment_id == assignment_id, Progress.due_id == due_id)
    )


async def test_a_merge_moves_progress_and_the_more_advanced_record_survives(
    sessions: Sessions,
) -> None:
    await seed_with_officers(sessions)
    async with sessions.begin() as s:
        mai = await find_officer(s, MAI)
        kept = await find_unit(s, "Ban Dân tộc")
        typo = await add_unit(s, "Ban Dân tộx")
        typo_i1 = await _twin_assignment(s, "BDT22-I.1", typo)
        typo_i2 = await _twin_assignment(s, "BDT22-I.2", typo)
        done_id = await _say(s, mai, typo_i1, Reply("done"))
        await _say(
            s,
            mai,
            WorkKey(*await work_ids(s, "BDT22-I.1", kept.id)),
            Reply("in_progress", percent=40),
        )
        moved_id = await _say(s, mai, typo_i2, Reply("in_progress", percent=60))
    async with sessions.begin() as s:
        await merge_units(s, "Ban Dân tộx", "Ban Dân tộc")
    async with sessions() as s:
        kept = await find_unit(s, "Ban Dân tộc")
        i1 = await _progress_of(s, "BDT22-I.1", kept)
        i2 = await _progress_of(s, "BDT22-I.2", kept)
        assert i1 is not None and (i1.id, i1.state, i1.percent) == (done_id, "done", 100)
        assert i2 is not None and (i2.id, i2.state, i2.percent) == (moved_id, "in_progress", 60)
        audit = (
            await s.scalars(
                select(StatusUpdate.state_after)
                .where(StatusUpdate.progress_id == done_id)
                .order_by(StatusUpdate.id)
            )
        ).all()
        # the dropped row's history follows the kept one, and the merge's own row says the
        # state kept last, so the report's replay reads what Progress reads
        assert audit == ["done", "in_progress", "done"]
        twins = await s.scalar(
            select(func.count())
            .select_from(Assignment)
            .join(Task, Task.id == Assignment.task_id)
            .where(Task.code == "BDT22-I.1", Assignment.unit_id == kept.id)
        )
        assert twins == 1


async def test_a_task_muted_by_both_units_stays_muted_once(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    async with sessions() as s:
        await add_unit(s, "Ban Dân tộx")
        for unit in ("Ban Dân tộc", "Ban Dân tộx"):
            await mute(s, "BDT22-I.1", officer=None, unit=unit)
        await s.commit()
    async with sessions() as s:
        await merge_units(s, "Ban Dân tộx", "Ban Dân tộc")
        await s.commit()
    async with sessions() as s:
        rows = (await s.scalars(select(Mute))).all()
        target = await find_unit(s, "Ban Dân tộc")
    assert [(m.unit_id, m.officer_id) for m in rows] == [(target.id, None)]
