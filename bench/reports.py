"""Report building for a plan of 2,000 tasks (issue 14): the states as of a date, the
charts, and each file format, in wall and CPU seconds.

``python -m bench.reports`` prints a Markdown table; ``--tasks N`` changes the size.
Run by hand: the PDF alone takes tens of seconds at this size (WeasyPrint lays out
about four pages a second), which is why it is not part of ``make test``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench.markdown import table
from bot.reports.formats import charts_png, render
from bot.reports.header import ReportHeader
from data.db import create_engine, sessionmaker, upgrade
from data.models import Assignment, Due, Plan, Progress, StatusUpdate, Task
from data.plans.importer import import_plan, read_plan_file
from data.report_model import PlanReport
from data.report_states import build_report
from tests.planning_helpers import seed_with_officers

UNITS = (
    "Ban Dân tộc",
    "Văn phòng (Ban Dân tộc)",
    "Phòng Tuyên truyền và Địa bàn (Ban Dân tộc)",
    "Hội đồng Thi đua - Khen thưởng cơ sở",
)
DEADLINES = ("Quý I/2022", "Quý II/2022", "Trước ngày 15/9/2022", "Trong năm 2022", "Thường xuyên")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
AS_OF = date(2022, 12, 31)


def plan_text(tasks: int) -> str:
    """A plan in the seed's text form: ten Roman sections of numbered tasks."""
    lines = [
        "Số: 99/KH-BDT",
        "",
        "Bình Phước, ngày 10 tháng 01 năm 2022",
        "",
        "**KẾ HOẠCH**",
        "",
        "**Triển khai các nhiệm vụ năm 2022**",
        "",
        "Số TT\tNội dung công việc\tCơ quan thực hiện\tThời gian thực hiện",
    ]
    per = tasks // len(ROMAN)
    for s, roman in enumerate(ROMAN):
        lines.append(f"<b>{roman}</b>\t<b>Phần {s + 1}</b>\t\t")
        for i in range(per):
            k = s * per + i
            units = ", ".join(UNITS[(k + j) % len(UNITS)] for j in range(k % 2 + 1))
            content = f"Nhiệm vụ số {k}: triển khai nội dung {k * 7919 % 10007} của kế hoạch."
            lines.append(f"{i + 1}\t{content}\t{units}\t{DEADLINES[k % len(DEADLINES)]}")
    return "\n".join(lines) + "\n"


async def _load(folder: Path, tasks: int) -> Any:
    engine = create_engine(f"sqlite+aiosqlite:///{folder / 'bench.db'}")
    await upgrade(engine)
    sessions = sessionmaker(engine)
    await seed_with_officers(sessions)
    source = folder / "plan.txt"
    source.write_text(plan_text(tasks), "utf-8")
    async with sessions.begin() as session:
        await import_plan(session, read_plan_file(source), prefix="BIG")
    async with sessions.begin() as session:
        rows = (
            await session.execute(
                select(Assignment.id, Due.id)
                .join(Task, Task.id == Assignment.task_id)
                .join(Due, Due.task_id == Task.id)
                .where(Due.kind != "recurring")
            )
        ).all()
        start = datetime(2022, 2, 1, 3, tzinfo=UTC)
        for n, (assignment_id, due_id) in enumerate(rows):
            progress = Progress(assignment_id=assignment_id, due_id=due_id, state="in_progress")
            session.add(progress)
            await session.flush()
            at = start + timedelta(hours=n)
            done = n % 3 == 0
            session.add(
                StatusUpdate(
                    progress_id=progress.id,
                    channel="telegram",
                    raw_text="xong" if done else "đang làm",
                    state_before="not_started",
                    state_after="done" if done else "in_progress",
                    percent=100 if done else 50,
                    created_at=at,
                )
            )
    return engine, sessions, len(rows)


def _timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


async def measure(tasks: int) -> list[list[str]]:
    with tempfile.TemporaryDirectory() as folder:
        engine, sessions, items = await _load(Path(folder), tasks)
        try:
            async with sessions() as session:
                plan = await session.scalar(select(Plan).where(Plan.code_prefix == "BIG"))
                assert plan is not None
                wall, cpu = time.perf_counter(), time.process_time()
                report: PlanReport = await build_report(session, plan, AS_OF)
                built = (time.perf_counter() - wall, time.process_time() - cpu)
        finally:
            await engine.dispose()
    header = ReportHeader(issuer="BAN DÂN TỘC", place="Bình Phước")
    charts, chart_wall, chart_cpu = _timed(lambda: charts_png(report))
    rows = [
        ["states as of 31/12 (build_report)", f"{built[0]:.2f}", f"{built[1]:.2f}", ""],
        [
            "two charts (PNG)",
            f"{chart_wall:.2f}",
            f"{chart_cpu:.2f}",
            f"{sum(map(len, charts)):,} B",
        ],
    ]
    for fmt in ("docx", "xlsx", "pdf"):
        content, wall_s, cpu_s = _timed(lambda f=fmt: render(report, header, f))  # type: ignore[misc]
        rows.append([fmt, f"{wall_s:.2f}", f"{cpu_s:.2f}", f"{len(content):,} B"])
    print(f"{tasks} tasks, {items} dated work items, load {os.getloadavg()[0]:.1f}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=2000)
    tasks = parser.parse_args().tasks
    rows = asyncio.run(measure(tasks))
    print(table(["step", "wall s", "CPU s", "size"], rows))


if __name__ == "__main__":
    main()
