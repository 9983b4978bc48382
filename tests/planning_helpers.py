"""Shared set-up for tests that need the seed plan and the sample officers in a database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.commands.people import ROSTER_CONTACTS
from data.models import Assignment, Due, Plan, Task
from data.people import import_roster
from data.plans.importer import import_plan, read_plan_file
from scheduler.clock import TZ

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
SEED = SAMPLES / "ke-hoach-thi-dua-khen-thuong-2022.txt"
SEED_UNITS = {
    "Ban Dân tộc",
    "Cơ quan công tác dân tộc cấp huyện",
    "Thường trực Hội đồng Thi đua - Khen thưởng cơ sở",
    "Hội đồng Thi đua - Khen thưởng cơ sở",
    "UBND các huyện, thị, thành phố",
    "Văn phòng (Ban Dân tộc)",
    "Phòng Tuyên truyền và Địa bàn (Ban Dân tộc)",
}
"""The seed plan's units, exactly (issue 3)."""
START = datetime(2022, 3, 28, 9, 0, tzinfo=TZ)
"""A Monday: BDT22-I.1 and V.1 are due on Thursday 31/3, their "before" reminders at 8:00."""

MONTHLY = """Số: 07/KH-BDT

Bình Phước, ngày 10 tháng 01 năm 2022

**KẾ HOẠCH**

**Báo cáo định kỳ năm 2022**

Số TT\tNội dung công việc\tCơ quan thực hiện\tThời gian thực hiện
<b>I</b>\t<b>Chế độ báo cáo</b>\t\t
1\tBáo cáo tình hình thực hiện nhiệm vụ tháng.\tBan Dân tộc\tTrước ngày 05 hằng tháng
"""
"""A second plan with one monthly report (a recurring due), for Ban Dân tộc."""

# People of the sample roster, by what the tests use them for.
MAI = "Trần Thị Mai"  # officer, Ban Dân tộc: many open items
XUAN = "Mai Thị Xuân"  # officer, UBND các huyện: one open item (BDT22-V.1)
HOA = "Điểu Thị Hoa"  # officer, Phòng Tuyên truyền: BDT22-IV.3 and VI.2
HUNG = "Lê Văn Hùng"  # unit head, Ban Dân tộc
BAO = "Phạm Quốc Bảo"  # leader
PHUONG = "Lý Thị Phương"  # officer, Thường trực HĐ: VI.1 has two dues
LE = "Bùi Thị Lệ"  # officer, Hội đồng Thi đua - Khen thưởng cơ sở: BDT22-IV.2


async def seed_with_officers(sessions: async_sessionmaker[AsyncSession]) -> int:
    """Import the seed plan and the sample roster; returns the plan id."""
    async with sessions() as session:
        report = await import_plan(session, read_plan_file(SEED))
        roster = (SAMPLES / "officers.csv").read_text("utf-8")
        await import_roster(session, roster, ROSTER_CONTACTS)
        await session.commit()
    assert report.plan_id is not None
    return report.plan_id


async def work_ids(session: AsyncSession, code: str, unit_id: int | None) -> tuple[int, int]:
    """(assignment id, first due id) of task ``code`` for ``unit_id``."""
    row = (
        await session.execute(
            select(Assignment.id, Due.id)
            .join(Task, Task.id == Assignment.task_id)
            .join(Due, Due.task_id == Task.id)
            .where(Task.code == code, Assignment.unit_id == unit_id)
            .order_by(Due.position)
        )
    ).first()
    assert row is not None
    return int(row[0]), int(row[1])


async def seed_once_with_monthly(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    """The seed plan with its officers and the monthly recurring plan (``BC22``), once per
    database: a property test's examples all run on the same one, each in a transaction
    rolled back at its end."""
    async with sessions() as s:
        if await s.scalar(select(func.count(Plan.id))):
            return
    await seed_with_officers(sessions)
    path = tmp_path / "monthly.txt"
    path.write_text(MONTHLY, "utf-8")
    async with sessions.begin() as s:
        await import_plan(s, read_plan_file(path), prefix="BC22")
