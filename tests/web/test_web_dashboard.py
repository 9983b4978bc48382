"""The overview as each role sees it: the secretary every unit, a unit head theirs, an
officer their own tasks, a leader the plans they lead."""

from __future__ import annotations

import re
from collections import OrderedDict
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.reports.charts import unit_chart_png
from bot.web import dashboard
from data.models import Assignment, Due, LeaderScope, Progress, Task
from data.report_model import PlanReport
from tests.planning_helpers import BAO, HUNG, MAI
from tests.web.seeded import THU, clock, seed
from tests.web.web_server import sign_in, web_client

OTHER_UNITS = ("UBND các huyện, thị, thành phố", "Cơ quan công tác dân tộc cấp huyện")


async def test_the_secretary_sees_every_unit_the_chart_and_who_is_late(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    people = await seed(sessions)
    now = clock()
    async with web_client(sessions, now) as client:
        csrf = await sign_in(client, sessions, people[MAI], now)
        form = {"csrf": csrf, "tinh-trang": "done", "ghi-chu": "đã phát động"}
        assert (await client.post("/viec/BDT22-I.2", data=form)).status == 200
    async with web_client(sessions, now) as client:
        await sign_in(client, sessions, people[THU], now)
        page = await (await client.get("/")).text()
    assert "BDT22" in page and "16 nhiệm vụ" in page
    assert re.search(r'<img class="chart" src="data:image/png;base64,[A-Za-z0-9+/=]{200,}"', page)
    assert all(f"<td>{name}</td>" in page for name in OTHER_UNITS)  # the by-unit table
    ban = page.split("<td>Ban Dân tộc</td>", 1)[1].split("</tr>", 1)[0]
    assert "14,3%" in ban  # its part of I.2 done: 1 of its 7 tasks (the task waits for the
    assert "Tỷ lệ hoàn thành: <strong>0,0%" in page  # other lead unit: the plan's is 0)
    overdue = page.split("Việc quá hạn", 1)[1].split("Chưa báo cáo", 1)[0]
    assert "BDT22-I.1" in overdue and "BDT22-V.1" in overdue and "5 ngày" in overdue
    assert "Cập nhật gần đây" in page and "đã phát động" in page


async def test_a_unit_head_sees_only_their_unit(sessions: async_sessionmaker[AsyncSession]) -> None:
    people = await seed(sessions)
    now = clock()
    async with web_client(sessions, now) as client:
        await sign_in(client, sessions, people[HUNG], now)  # Ban Dân tộc
        page = await (await client.get("/")).text()
    assert "Số liệu của đơn vị: Ban Dân tộc" in page
    assert "<td>Ban Dân tộc</td>" in page
    assert not any(name in page for name in OTHER_UNITS)
    assert "BDT22-V.1" not in page  # UBND's overdue task


async def test_an_officer_sees_their_own_tasks_open_first(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    people = await seed(sessions)
    now = clock()
    async with web_client(sessions, now) as client:
        csrf = await sign_in(client, sessions, people[MAI], now)
        form = {"csrf": csrf, "tinh-trang": "done"}
        assert (await client.post("/viec/BDT22-I.1", data=form)).status == 200
        page = await (await client.get("/")).text()
    codes = re.findall(r'<td><a href="/viec/([^"]+)">', page)
    assert "Việc của tôi" in page and "BDT22-V.1" not in codes
    assert codes[-1] == "BDT22-I.1" and codes[0] == "BDT22-I.2"  # done last, nearest due first
    assert page.count("#cap-nhat") == len(codes) - 1  # no "Cập nhật" on done work


async def test_a_leader_sees_only_the_plans_they_lead(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    people = await seed(sessions)
    async with sessions.begin() as session:
        session.add(LeaderScope(officer_id=people[BAO], issuer="Sở Nội vụ"))
    now = clock()
    async with web_client(sessions, now) as client:
        await sign_in(client, sessions, people[BAO], now)
        page = await (await client.get("/")).text()
        assert "Chưa có kế hoạch nào đang thực hiện." in page and "BDT22" not in page
        assert (await client.get("/ke-hoach/BDT22")).status == 404
        assert (await client.get("/viec/BDT22-I.1")).status == 404


async def test_the_chart_is_redrawn_only_when_the_figures_change(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    people = await seed(sessions)
    drawn: list[str] = []

    def counting(report: PlanReport) -> bytes:
        drawn.append(report.plan_code)
        return unit_chart_png(report)

    monkeypatch.setattr(dashboard, "unit_chart", counting)
    monkeypatch.setattr(dashboard, "_charts", OrderedDict())
    now = clock()
    async with web_client(sessions, now) as client:
        await sign_in(client, sessions, people[THU], now)
        first = await (await client.get("/")).text()
        again = await (await client.get("/")).text()
        assert drawn == ["BDT22"] and first == again
        csrf = await sign_in(client, sessions, people[MAI], now)
        form = {"csrf": csrf, "tinh-trang": "in_progress", "phan-tram": "10"}
        assert (await client.post("/viec/BDT22-I.1", data=form)).status == 200
        await sign_in(client, sessions, people[THU], now)
        changed = await (await client.get("/")).text()
    assert drawn == ["BDT22", "BDT22"] and changed != first


async def test_recent_updates_show_after_the_plans_year_has_ended(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """A 2022 plan's update recorded in January 2023 is still "recent" on the overview."""
    people = await seed(sessions)
    now = clock()
    now.set(datetime(2023, 1, 9, 3, 0, tzinfo=UTC))
    async with web_client(sessions, now) as client:
        csrf = await sign_in(client, sessions, people[MAI], now)
        form = {"csrf": csrf, "tinh-trang": "done", "ghi-chu": "nộp muộn sau Tết dương"}
        assert (await client.post("/viec/BDT22-I.2", data=form)).status == 200
    async with web_client(sessions, now) as client:
        await sign_in(client, sessions, people[THU], now)
        page = await (await client.get("/")).text()
    assert "nộp muộn sau Tết dương" in page.split("Cập nhật gần đây", 1)[1]


async def test_a_stopped_task_has_its_own_chip_so_the_chips_add_up_to_the_total(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Before, the overview left "stopped" out: 16 tasks, chips summing to 15."""
    people = await seed(sessions)
    async with sessions.begin() as session:
        task = await session.scalar(select(Task).where(Task.code == "BDT22-V.1"))
        assert task is not None
        pairs = await session.execute(
            select(Assignment.id, Due.id)
            .join(Due, Due.task_id == Assignment.task_id)
            .where(Assignment.task_id == task.id)
        )
        for assignment_id, due_id in pairs:
            session.add(Progress(assignment_id=assignment_id, due_id=due_id, state="cancelled"))
    now = clock()
    async with web_client(sessions, now) as client:
        await sign_in(client, sessions, people[THU], now)
        page = await (await client.get("/")).text()
    chips = page.split('<ul class="state-counts">', 1)[1].split("</ul>", 1)[0]
    counts = [int(c) for c in re.findall(r"<strong>(\d+)</strong>", chips)]
    assert "Không thực hiện / dừng" in chips and len(counts) == 6
    assert sum(counts) == 16 and counts[-1] == 1
    header = page.split('<table class="by-unit">', 1)[1].split("</thead>", 1)[0]
    assert "Không thực hiện / dừng" in header  # and a column in the by-unit table


async def test_without_a_stopped_task_the_overview_keeps_five_chips(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    people = await seed(sessions)
    now = clock()
    async with web_client(sessions, now) as client:
        await sign_in(client, sessions, people[THU], now)
        page = await (await client.get("/")).text()
    chips = page.split('<ul class="state-counts">', 1)[1].split("</ul>", 1)[0]
    assert len(re.findall(r"<strong>(\d+)</strong>", chips)) == 5 and "dừng" not in chips
