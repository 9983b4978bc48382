"""Importing the seed plan writes exactly what the plan says, once, atomically."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.commands.people import ROSTER_CONTACTS
from data.errors import UserError
from data.models import Assignment, Due, Officer, OfficerContact, Plan, Section, Task, Unit
from data.people import import_roster
from data.plans.importer import import_plan, read_plan_file
from data.plans.view import plan_json
from tests.planning_helpers import SEED_UNITS

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
SEED = SAMPLES / "ke-hoach-thi-dua-khen-thuong-2022.txt"

Sessions = async_sessionmaker[AsyncSession]


async def _import_seed(sessions: Sessions) -> int:
    async with sessions() as s:
        report = await import_plan(s, read_plan_file(SEED))
        await s.commit()
    assert report.plan_id is not None
    return report.plan_id


async def _count(sessions: Sessions, model: type) -> int:
    async with sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


async def test_it_imports_the_seed_as_written(sessions: Sessions) -> None:
    plan_id = await _import_seed(sessions)
    async with sessions() as s:
        document = await plan_json(s, plan_id)
        unit_names = set((await s.scalars(select(Unit.name))).all())
    sections = document["sections"]
    tasks = {t["code"]: t for sec in sections for t in sec["tasks"]}
    dues = [d for t in tasks.values() for d in t["dues"]]
    assert [sec["number"] for sec in sections] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert sections[6]["title"] == "Công tác khác"
    assert len(tasks) == 16
    assert len(dues) == 17
    assert sum(1 for d in dues if d["due"]) == 16
    assert tasks["BDT22-III.1"]["dues"] == [
        {"kind": "on_request", "due": None, "start": None, "rule": None}
    ]
    assert [d["due"] for d in tasks["BDT22-VI.1"]["dues"]] == ["2022-06-30", "2022-12-31"]
    assert [d["due"] for d in tasks["BDT22-IV.2"]["dues"]] == ["2023-01-31"]
    assert tasks["BDT22-I.1"]["dues"][0]["due"] == "2022-03-31"
    assert unit_names == SEED_UNITS
    used = {u["name"] for t in tasks.values() for u in t["units"]}
    assert used == SEED_UNITS
    assert tasks["BDT22-VI.2"]["units"] == [
        {"name": "Văn phòng (Ban Dân tộc)", "role": "lead", "officer": None},
        {"name": "Phòng Tuyên truyền và Địa bàn (Ban Dân tộc)", "role": "lead", "officer": None},
    ]
    assert document["plan"]["year"] == 2022
    assert document["plan"]["number"] is None


async def test_it_keeps_the_closing_paragraph_and_recipients_as_notes(sessions: Sessions) -> None:
    plan_id = await _import_seed(sessions)
    async with sessions() as s:
        plan = await s.get(Plan, plan_id)
    assert plan is not None
    notes = "\n".join(plan.notes)
    assert "Trưởng ban giao Văn phòng ban chủ trì" in notes
    assert "Nơi nhận" in notes


async def test_it_imports_the_same_file_twice_without_change(sessions: Sessions) -> None:
    await _import_seed(sessions)
    counts = [await _count(sessions, m) for m in (Plan, Section, Task, Assignment, Due, Unit)]
    async with sessions() as s:
        report = await import_plan(s, read_plan_file(SEED))
        await s.commit()
    assert report.already_imported
    assert [
        await _count(sessions, m) for m in (Plan, Section, Task, Assignment, Due, Unit)
    ] == counts


async def test_it_writes_nothing_when_a_later_step_fails(
    sessions: Sessions, tmp_path: Path
) -> None:
    await _import_seed(sessions)
    other = tmp_path / "other.txt"
    other.write_text(SEED.read_text(encoding="utf-8").replace("Quý I/2022", "Quý I/2022 "), "utf-8")
    async with sessions() as s:
        with pytest.raises(UserError, match="BDT22"):
            await import_plan(s, read_plan_file(other))
        await s.rollback()
    assert await _count(sessions, Plan) == 1
    assert await _count(sessions, Task) == 16


async def test_it_takes_the_year_from_the_command_line(sessions: Sessions, tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").replace("Quý I/2022", "Quý I")
    path = tmp_path / "no-year.txt"
    path.write_text(text.replace("ngày tháng năm 2022", "ngày tháng năm"), "utf-8")
    async with sessions() as s:
        report = await import_plan(s, read_plan_file(path), year=2024, prefix="BDT24")
        await s.commit()
    first = report.tasks[0]
    assert first.code == "BDT24-I.1"
    assert first.occurrences[0].due == date(2024, 3, 31)


async def test_it_registers_the_sample_officers_in_the_seed_units(sessions: Sessions) -> None:
    await _import_seed(sessions)
    async with sessions() as s:
        added = await import_roster(
            s, (SAMPLES / "officers.csv").read_text("utf-8"), ROSTER_CONTACTS
        )
        await s.commit()
    assert len(added.added) == 16
    async with sessions() as s:
        bao = select(Officer.id).where(Officer.name == "Phạm Quốc Bảo").scalar_subquery()
        contacts = await s.execute(
            select(OfficerContact.channel, OfficerContact.handle)
            .where(OfficerContact.officer_id == bao)
            .order_by(OfficerContact.channel)
        )
        assert contacts.all() == [("telegram", "pqbao"), ("zalo", "Phạm Quốc Bảo")]
    async with sessions() as s:
        roles = set((await s.scalars(select(Officer.role))).all())
        units = (
            await s.scalars(select(Unit.id).where(~Unit.id.in_(select(Officer.unit_id))))
        ).all()
    assert roles == {"officer", "unit_head", "leader", "admin"}
    assert units == [], "every seed unit has someone to remind"


async def test_it_refuses_a_roster_with_an_unknown_unit_and_writes_nothing(
    sessions: Sessions,
) -> None:
    await _import_seed(sessions)
    roster = "name,unit,role\nNguyễn A,Ban Dân tộc,officer\nTrần B,Sở Không Có,officer\n"
    async with sessions() as s:
        with pytest.raises(UserError, match="Dòng 3: Không có đơn vị «Sở Không Có»"):
            await import_roster(s, roster, ROSTER_CONTACTS)
        await s.rollback()
    assert await _count(sessions, Officer) == 0


async def test_it_refuses_a_duplicate_officer(sessions: Sessions) -> None:
    await _import_seed(sessions)
    roster = "name,unit\nNguyễn A,Ban Dân tộc\nNguyễn A,ban dan toc\n"
    async with sessions() as s:
        with pytest.raises(UserError, match="Dòng 3: Cán bộ «Nguyễn A» \\(Ban Dân tộc\\) đã có"):
            await import_roster(s, roster, ROSTER_CONTACTS)


async def test_the_seed_imports_without_a_warning(sessions: Sessions) -> None:
    """Its two councils are distinct units, not a near-miss of each other."""
    async with sessions() as s:
        report = await import_plan(s, read_plan_file(SEED))
    assert report.warnings == []
