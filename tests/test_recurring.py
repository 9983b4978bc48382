"""A monthly report: reminders per occurrence, and each "xong" closes one occurrence."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat.conversation import Conversation, Incoming
from data.models import Due, Reminder, Task
from data.people import find_officer
from data.plans.importer import import_plan, read_plan_file
from scheduler.clock import TZ, FakeClock
from scheduler.planner import plan_reminders
from tests.planning_helpers import HUNG, MONTHLY, seed_with_officers

Sessions = async_sessionmaker[AsyncSession]


async def _pending_instances(sessions: Sessions, code: str) -> set[str]:
    async with sessions() as s:
        rows = await s.scalars(
            select(Reminder.instance)
            .join(Due, Due.id == Reminder.due_id)
            .join(Task, Task.id == Due.task_id)
            .where(Task.code == code, Reminder.state == "pending")
        )
        return set(rows.all())


async def test_each_xong_closes_one_occurrence_the_most_overdue_first(
    sessions: Sessions, tmp_path: Path
) -> None:
    await seed_with_officers(sessions)
    path = tmp_path / "monthly.txt"
    path.write_text(MONTHLY, "utf-8")
    clock = FakeClock(datetime(2022, 3, 1, 9, 0, tzinfo=TZ))
    async with sessions() as s:
        report = await import_plan(s, read_plan_file(path), prefix="BC22")
        code = report.tasks[0].code
        await plan_reminders(s, clock.now())
        await s.commit()
        officer = await find_officer(s, HUNG)
    assert await _pending_instances(sessions, code) == {
        "2022-02-04",  # February's report is overdue: its overdue reminders go on
        "2022-03-04",
        "2022-04-04",
        "2022-05-04",
    }
    conversation = Conversation(sessions, clock)
    for closed in ("2022-02-04", "2022-03-04"):  # the most overdue open one first
        answers = await conversation.handle(
            Incoming("console", str(officer.id), text=f"xong {code}")
        )
        assert f"(kỳ hạn {closed[8:]}/{closed[5:7]}/{closed[:4]}) — Hoàn thành" in answers[0].text
        assert closed not in await _pending_instances(sessions, code)
    assert await _pending_instances(sessions, code) == {"2022-04-04", "2022-05-04"}
