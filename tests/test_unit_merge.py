"""A near-miss unit name in a plan is reported, and an admin's merge makes it one unit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.errors import UserError
from data.models import Assignment, Officer, Unit
from data.people import find_unit
from data.plans.importer import import_plan, read_plan_file
from data.unit_merge import merge_units
from tests.planning_helpers import SEED, seed_with_officers

Sessions = async_sessionmaker[AsyncSession]


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
