"""Re-importing a grown or corrected officers CSV: new people added, changed ones updated,
every bad line reported at once, nothing written on any error (issue 13 §5.3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.commands.people import ROSTER_CONTACTS
from data.errors import UserError
from data.models import Officer, OfficerContact
from data.people import import_roster
from data.plans.importer import import_plan, read_plan_file

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
SEED = SAMPLES / "ke-hoach-thi-dua-khen-thuong-2022.txt"
ROSTER = (SAMPLES / "officers.csv").read_text("utf-8")

Sessions = async_sessionmaker[AsyncSession]


async def _seed_with_roster(sessions: Sessions) -> None:
    async with sessions() as s:
        await import_plan(s, read_plan_file(SEED))
        await import_roster(s, ROSTER, ROSTER_CONTACTS)
        await s.commit()


async def _officer(sessions: Sessions, name: str) -> tuple[str | None, str, str | None]:
    async with sessions() as s:
        officer = await s.scalar(select(Officer).where(Officer.name == name))
        assert officer is not None
        return officer.unit.name if officer.unit else None, officer.role, officer.phone


async def _count(sessions: Sessions) -> int:
    async with sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(Officer)) or 0)


async def test_the_same_roster_again_changes_nothing(sessions: Sessions) -> None:
    await _seed_with_roster(sessions)
    async with sessions() as s:
        result = await import_roster(s, ROSTER, ROSTER_CONTACTS)
        await s.commit()
    assert (len(result.added), len(result.updated)) == (0, 0)
    assert await _count(sessions) == 16


async def test_a_grown_roster_adds_the_new_and_updates_the_changed(sessions: Sessions) -> None:
    await _seed_with_roster(sessions)
    grown = (
        ROSTER.replace(
            "Trần Thị Mai,Ban Dân tộc,officer,0901000003,ttmai",
            "Tran Thi Mai,Văn phòng (Ban Dân tộc),unit_head,0909999999,@maitt",
        )
        + "Vũ Văn Mới,Ban Dân tộc,officer,0901000099,vvmoi,\n"
    )
    async with sessions() as s:
        result = await import_roster(s, grown, ROSTER_CONTACTS)
        await s.commit()
    assert [o.name for o in result.added] == ["Vũ Văn Mới"]
    assert [o.name for o in result.updated] == ["Trần Thị Mai"]
    assert await _count(sessions) == 17
    assert await _officer(sessions, "Trần Thị Mai") == (
        "Văn phòng (Ban Dân tộc)",
        "unit_head",
        "0909999999",
    )
    async with sessions() as s:
        handle = await s.scalar(
            select(OfficerContact.handle)
            .join(Officer)
            .where(Officer.name == "Trần Thị Mai", OfficerContact.channel == "telegram")
        )
    assert handle == "maitt"


async def test_every_bad_line_is_reported_at_once_and_nothing_is_written(
    sessions: Sessions,
) -> None:
    await _seed_with_roster(sessions)
    roster = (
        "name,unit,role,phone\n"
        "Trần Thị Mai,Ban Dân tộc,unit_head,0911\n"
        "Người Mới,Sở Không Có,officer,\n"
        "Người Khác,Ban Dân tộc,thủ quỹ,\n"
        "Người Thứ Ba,Ban Dân tộc,officer,\n"
    )
    async with sessions() as s:
        with pytest.raises(UserError) as raised:
            await import_roster(s, roster, ROSTER_CONTACTS)
        await s.rollback()
    message = str(raised.value)
    assert "\n" not in message
    assert "Dòng 3: Không có đơn vị «Sở Không Có»" in message
    assert "Dòng 4: Vai trò «thủ quỹ» không hợp lệ" in message
    assert "Dòng 2" not in message and "Dòng 5" not in message
    assert await _count(sessions) == 16
    assert await _officer(sessions, "Trần Thị Mai") == ("Ban Dân tộc", "officer", "0901000003")


async def test_two_namesakes_of_two_units_on_two_lines_are_two_people(
    sessions: Sessions,
) -> None:
    await _seed_with_roster(sessions)
    roster = "name,unit\nNguyễn Văn Trùng,Ban Dân tộc\nNguyễn Văn Trùng,Văn phòng (Ban Dân tộc)\n"
    async with sessions() as s:
        result = await import_roster(s, roster, ROSTER_CONTACTS)
        await s.commit()
    assert len(result.added) == 2
    assert await _count(sessions) == 18
