"""/tonghop counted by the database gives exactly what counting every work item gives."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import PROGRESS_STATES, Progress
from data.people import find_unit
from data.plans.importer import import_plan, read_plan_file
from data.work_items import Summary, UnitCompletion, plan_summary, work_items
from tests.planning_helpers import MONTHLY, seed_with_officers, work_ids

Sessions = async_sessionmaker[AsyncSession]
TODAY = date(2022, 4, 12)
DONE_AT = datetime(2022, 4, 2, 3, tzinfo=UTC)


async def _reference(session: AsyncSession, plan_id: int | None, today: date) -> Summary:
    """The plain reading of the issue: count every work item one by one."""
    items = await work_items(session, plan_id=plan_id, today=today)
    by_state = Counter(dict.fromkeys(PROGRESS_STATES, 0))
    by_state.update(i.state for i in items)
    per_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i in items:
        if i.state != "cancelled":
            per_unit[i.unit_name][0] += 1
            per_unit[i.unit_name][1] += i.state == "done"
    done = [i for i in items if i.state == "done"]
    late = sorted(
        (i for i in items if i.days_overdue(today) > 0),
        key=lambda i: (-i.days_overdue(today), i.task_code),
    )
    units = sorted(
        (UnitCompletion(n, t, d) for n, (t, d) in per_unit.items()),
        key=lambda u: (u.percent, u.unit_name),
    )
    return Summary(
        plan_title=None,
        unit_name=None,
        total=len(items),
        by_state=dict(by_state),
        done_on_time=sum(not i.late for i in done),
        done_late=sum(i.late for i in done),
        overdue=tuple(late),
        units=tuple(units),
    )


async def test_the_database_count_equals_the_item_by_item_count(
    sessions: Sessions, tmp_path: Path
) -> None:
    await seed_with_officers(sessions)
    path = tmp_path / "monthly.txt"
    path.write_text(MONTHLY, "utf-8")
    async with sessions() as s:
        report = await import_plan(s, read_plan_file(path), prefix="BC22")
        monthly = report.tasks[0].code
        await s.flush()
        ban = (await find_unit(s, "Ban Dân tộc")).id
        district = (await find_unit(s, "Cơ quan công tác dân tộc cấp huyện")).id
        council = (await find_unit(s, "Hội đồng Thi đua - Khen thưởng cơ sở")).id
        changes = [
            ("BDT22-I.1", ban, "-", {"state": "done", "late": True, "done_at": DONE_AT}),
            ("BDT22-I.1", district, "-", {"state": "in_progress", "percent": 60}),
            ("BDT22-V.1", council, "-", {"state": "cancelled"}),
            (
                "BDT22-I.2",
                ban,
                "-",
                {"state": "extension_requested", "extended_to": date(2022, 4, 1)},
            ),
            (monthly, ban, "2022-03-04", {"state": "done", "done_at": DONE_AT}),
        ]
        for code, unit_id, instance, values in changes:
            assignment_id, due_id = await work_ids(s, code, unit_id)
            s.add(Progress(assignment_id=assignment_id, due_id=due_id, instance=instance, **values))
        await s.commit()
    async with sessions() as s:
        got = await plan_summary(s, None, None, TODAY)
        expected = await _reference(s, None, TODAY)
    assert got == expected
    assert got.done_late == 1 and got.by_state["cancelled"] == 1
    # March's report is done; February's is past the 45-day window; April's is overdue.
    assert {i.instance for i in got.overdue if i.task_code == monthly} == {"2022-04-04"}
