"""Corrections without a file (issue 13 §5.2): each changes what it says, replans, and
writes its audit row with the actor; bad input is one line and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner

from bot.cli import app
from data.corrections import (
    OfficerEdit,
    TaskEdit,
    archive_plan,
    edit_officer,
    edit_task,
    remove_officer,
    rename_unit,
)
from data.errors import UserError
from data.models import AdminChange, Assignment, Due, Officer, Plan, Reminder, Task
from data.people import find_unit
from data.work_items import work_items
from scheduler.outbox import cancel_officer_reminders, cancel_plan_reminders
from scheduler.planner import plan_reminders
from tests.planning_helpers import MAI, SEED, START, XUAN, seed_with_officers

Sessions = async_sessionmaker[AsyncSession]


async def _pending_slots(session: AsyncSession, code: str) -> list[str]:
    query = (
        select(Reminder.slot)
        .join(Due, Due.id == Reminder.due_id)
        .join(Task, Task.id == Due.task_id)
        .where(Task.code == code, Reminder.state == "pending")
    )
    return list((await session.scalars(query)).all())


async def _changes(session: AsyncSession) -> list[AdminChange]:
    return list((await session.scalars(select(AdminChange).order_by(AdminChange.id))).all())


async def test_a_new_deadline_moves_the_pending_reminders(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NHACVIEC_ACTOR", "chi.lan")
    await seed_with_officers(sessions)
    async with sessions() as s:
        await plan_reminders(s, START)
        assert any("2022-03-31" in slot for slot in await _pending_slots(s, "BDT22-I.1"))
        await edit_task(s, "bdt22-i.1", TaskEdit(deadline="08/4/2022"), now=START)
        await plan_reminders(s, START)
        await s.commit()
    async with sessions() as s:
        slots = await _pending_slots(s, "BDT22-I.1")
        task = await s.scalar(select(Task).where(Task.code == "BDT22-I.1"))
        [change] = await _changes(s)
    assert slots and all("2022-04-08" in slot for slot in slots), slots
    assert task is not None and task.deadline_text == "08/4/2022"
    assert (change.actor, change.command, change.target) == ("chi.lan", "task edit", "BDT22-I.1")
    assert change.before["dues"][0][1] == "2022-03-31"
    assert change.after["dues"][0][1] == "2022-04-08"


async def test_lead_and_coordinating_units_are_replaced_keeping_the_kept_rows(
    sessions: Sessions,
) -> None:
    await seed_with_officers(sessions)
    async with sessions() as s:
        edit = TaskEdit(lead="Văn phòng", coordinate=("Ban Dân tộc",))
        task = await edit_task(s, "BDT22-I.1", edit, now=START)
        await s.commit()
        lead = [a.unit.name for a in task.assignments if a.role == "lead"]
        others = [a.unit.name for a in task.assignments if a.role != "lead"]
    assert lead == ["Văn phòng (Ban Dân tộc)"]
    assert others == ["Ban Dân tộc"]


async def test_a_bad_edit_changes_nothing(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    async with sessions() as s:
        for code, edit, message in (
            ("BDT22-I.1", TaskEdit(deadline="khi nào rảnh"), "Không đọc được thời hạn"),
            ("BDT22-I.1", TaskEdit(lead="Sở Không Có"), "Không có đơn vị «Sở Không Có»"),
            ("BDT22-I.1", TaskEdit(officer=XUAN), "không thuộc đơn vị nào của nhiệm vụ"),
            ("BDT22-Z.9", TaskEdit(deadline="30/6/2022"), "Không có nhiệm vụ «BDT22-Z.9»"),
            ("BDT22-I.1", TaskEdit(), "Không có gì để sửa"),
        ):
            with pytest.raises(UserError, match=message):
                await edit_task(s, code, edit, now=START)
        await s.rollback()
    async with sessions() as s:
        assert await _changes(s) == []


async def test_an_archived_plan_reminds_nobody_and_leaves_the_lists(sessions: Sessions) -> None:
    plan_id = await seed_with_officers(sessions)
    async with sessions() as s:
        await plan_reminders(s, START)
        assert await _pending_slots(s, "BDT22-I.1")
        plan = await archive_plan(s, "BDT22", now=START)
        cancelled = await cancel_plan_reminders(s, plan.id)
        result = await plan_reminders(s, START)
        await s.commit()
    assert cancelled > 0 and result.created == 0
    async with sessions() as s:
        pending = await s.scalar(
            select(func.count()).select_from(Reminder).where(Reminder.state == "pending")
        )
        digests_only = await s.scalar(
            select(func.count())
            .select_from(Reminder)
            .where(Reminder.state == "pending", Reminder.due_id.is_not(None))
        )
        assert await work_items(s, plan_id=plan_id) == []
        assert await s.get(Plan, plan_id) is not None
        [change] = await _changes(s)
        with pytest.raises(UserError, match="đã được lưu trữ"):
            await archive_plan(s, "BDT22", now=START)
    assert digests_only == 0 and pending is not None
    assert change.command == "plan archive"


async def test_a_renamed_unit_answers_to_both_names(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    async with sessions() as s:
        await rename_unit(s, "Văn phòng (Ban Dân tộc)", "Văn phòng Ban Dân tộc", now=START)
        await s.commit()
    async with sessions() as s:
        assert (await find_unit(s, "Văn phòng (Ban Dân tộc)")).name == "Văn phòng Ban Dân tộc"
        assert (await find_unit(s, "Văn phòng Ban Dân tộc")).name == "Văn phòng Ban Dân tộc"
        with pytest.raises(UserError, match="dùng nhacviec unit merge"):
            await rename_unit(s, "Văn phòng Ban Dân tộc", "Ban Dân tộc", now=START)
        [change] = await _changes(s)
    assert change.before == {"name": "Văn phòng (Ban Dân tộc)"}


async def test_an_officer_is_edited_and_removed_keeping_history(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    async with sessions() as s:
        await plan_reminders(s, START)
        mai = await edit_officer(
            s, "Tran Thi Mai", OfficerEdit(role="unit_head", phone="0912"), now=START
        )
        assert (mai.role, mai.phone) == ("unit_head", "0912")
        with pytest.raises(UserError, match="Vai trò «thủ quỹ» không hợp lệ"):
            await edit_officer(s, MAI, OfficerEdit(role="thủ quỹ"), now=START)
        await remove_officer(s, "Đặng Văn Lợi", now=START)
        with pytest.raises(UserError, match="người duy nhất"):
            await remove_officer(s, XUAN, now=START)  # UBND's last person: its work would go unsaid
        removed = await remove_officer(s, MAI, now=START)
        cancelled = await cancel_officer_reminders(s, removed.id)
        await plan_reminders(s, START)
        await s.commit()
    async with sessions() as s:
        officer = await s.scalar(select(Officer).where(Officer.name == MAI))
        assert officer is not None and not officer.active
        pending = await s.scalar(
            select(func.count())
            .select_from(Reminder)
            .where(Reminder.recipient_id == officer.id, Reminder.state == "pending")
        )
        still_assigned = await s.scalar(
            select(func.count()).select_from(Assignment).where(Assignment.officer_id == officer.id)
        )
        commands = [c.command for c in await _changes(s)]
    assert (pending, still_assigned, cancelled) == (0, 0, 0), "the planner's own went first"
    assert commands == ["officer edit", "officer remove", "officer remove"]


@pytest.fixture
def nhacviec(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run ``nhacviec ARGS`` against the test database as the actor ``chi.lan``."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("NHACVIEC_LANG", "vi")
    monkeypatch.setenv("NHACVIEC_ACTOR", "chi.lan")
    monkeypatch.setenv("NHACVIEC_ERROR_LOG", str(tmp_path / "error.log"))
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


def test_the_commands_say_what_they_did_and_the_audit_lists_who(nhacviec) -> None:  # type: ignore[no-untyped-def]
    assert nhacviec("plan", "import", str(SEED)).exit_code == 0
    bad = nhacviec("task", "edit", "BDT22-I.1", "--deadline", "khi nào rảnh")
    assert bad.exit_code == 1 and len(bad.output.strip().splitlines()) == 1, bad.output
    assert "Chưa có thay đổi nào" in nhacviec("audit").output
    edited = nhacviec("task", "edit", "BDT22-I.1", "--deadline", "30/6/2022")
    assert edited.exit_code == 0 and "Đã sửa nhiệm vụ BDT22-I.1" in edited.output, edited.output
    renamed = nhacviec("unit", "rename", "Văn phòng", "Văn phòng Ban")
    assert renamed.exit_code == 0 and "tên cũ vẫn được nhận ra" in renamed.output
    archived = nhacviec("plan", "archive", "BDT22")
    assert archived.exit_code == 0 and "Đã lưu trữ kế hoạch BDT22" in archived.output
    assert "BDT22 (lưu trữ)" in nhacviec("plan", "list").output
    audit = nhacviec("audit", "--limit", "5").output
    assert audit.count("chi.lan") == 3 and "task edit" in audit and "30/6/2022" in audit
