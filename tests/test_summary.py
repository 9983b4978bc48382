"""/tonghop counted by the database gives exactly what counting every work item gives."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import PROGRESS_STATES, Progress
from data.people import find_unit
from data.plans.importer import import_plan, read_plan_file
from data.work_items import (
    OVERDUE_SHOWN,
    Summary,
    UnitCompletion,
    WorkItem,
    plan_summary,
    work_items,
)
from tests.planning_helpers import MONTHLY, seed_with_officers, work_ids

Sessions = async_sessionmaker[AsyncSession]
TODAY = date(2022, 4, 12)
DONE_AT = datetime(2022, 4, 2, 3, tzinfo=UTC)


async def _reference(session: AsyncSession, plan_id: int | None, today: date) -> Summary:
    """The plain reading of the issue: every work item one by one, tasks decided by leads."""
    items = await work_items(session, plan_id=plan_id, today=today)
    deciding = [i for i in items if i.deciding]
    per_task: dict[str, list[WorkItem]] = defaultdict(list)
    for i in deciding:
        per_task[i.task_code].append(i)
    by_state = Counter(dict.fromkeys(PROGRESS_STATES, 0))
    done_on_time = done_late = 0
    for task_items in per_task.values():
        states = [i.state for i in task_items]
        open_states = [st for st in states if st not in ("done", "cancelled")]
        if all(st == "cancelled" for st in states):
            state = "cancelled"
        elif not open_states:
            state = "done"
            late = any(i.late for i in task_items if i.state == "done")
            done_late += late
            done_on_time += not late
        else:
            order = ("blocked", "extension_requested", "in_progress")
            started = "in_progress" if "done" in states else "not_started"
            state = next((st for st in order if st in states), started)
        by_state[state] += 1
    per_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i in deciding:
        if i.state != "cancelled":
            per_unit[i.unit_name][0] += 1
            per_unit[i.unit_name][1] += i.state == "done"
    late_items = sorted(
        (i for i in deciding if i.days_overdue(today) > 0),
        key=lambda i: (-i.days_overdue(today), i.task_code, i.unit_name),
    )
    overdue = Counter(i.unit_name for i in late_items)
    units = sorted(
        (UnitCompletion(n, t, d, overdue[n]) for n, (t, d) in per_unit.items()),
        key=lambda u: (-u.overdue, u.percent, u.unit_name),
    )
    pairs = {(i.assignment_id, i.due_id) for i in await work_items(session, plan_id=plan_id)}
    return Summary(
        plan_title=None,
        unit_name=None,
        tasks=len(per_task),
        assignments=len(pairs),
        by_state=dict(by_state),
        done_on_time=done_on_time,
        done_late=done_late,
        overdue=tuple(late_items[:OVERDUE_SHOWN]),
        units=tuple(units),
        overdue_total=len(late_items),
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
    # I.1: Ban Dân tộc done late, the district still working; V.1: one lead cancelled.
    assert got.by_state["in_progress"] == 2 and got.by_state["cancelled"] == 0
    # March's report is done; February's is past the 45-day window; April's is overdue.
    assert {i.instance for i in got.overdue if i.task_code == monthly} == {"2022-04-04"}
