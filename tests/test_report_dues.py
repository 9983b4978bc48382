"""The "who has not reported" messages of several plans, read at once (``plan_report_dues``):
each plan's points, its own leaders (scoped ones hear of their plans only), its own time."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.leaders import add_scope
from data.models import PolicySetting, Reminder
from data.people import OfficerInput, add_officer, find_officer
from data.plans.view import find_plan
from scheduler.clock import TZ
from scheduler.report_dues import plan_report_dues
from tests.planning_helpers import BAO, START, seed_once_with_monthly


async def test_each_plans_points_go_to_its_own_leaders_at_its_own_time(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await seed_once_with_monthly(sessions, tmp_path)
    async with sessions() as s:
        seed, monthly = (await find_plan(s, "BDT22")).id, (await find_plan(s, "BC22")).id
        own = {"reporting_deadline": "Trước ngày 20 hằng tháng", "send_time": "09:30"}
        s.add(PolicySetting(plan_id=seed, settings=own))
        scoped = await add_officer(s, OfficerInput("Nguyễn Lãnh Đạo", None, "leader"))
        await add_scope(s, scoped, plan=await find_plan(s, "BC22"))
        scoped_id = scoped.id
        bao = (await find_officer(s, BAO)).id
        planned = await plan_report_dues(s, START, date(2022, 5, 10))
        query = select(Reminder.recipient_id, Reminder.slot, Reminder.scheduled_at)
        rows = set((await s.execute(query.where(Reminder.kind == "report_due"))).all())
        await s.rollback()

    def at(day: int, month: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2022, month, day, hour, minute, tzinfo=TZ)

    assert rows == {
        (bao, f"report-{seed}@2022-04-19", at(20, 4, 9, 30)),
        (bao, f"report-{monthly}@2022-04-04", at(5, 4, 8)),
        (scoped_id, f"report-{monthly}@2022-04-04", at(5, 4, 8)),
        (bao, f"report-{monthly}@2022-05-04", at(5, 5, 8)),
        (scoped_id, f"report-{monthly}@2022-05-04", at(5, 5, 8)),
    }
    assert planned == 5
