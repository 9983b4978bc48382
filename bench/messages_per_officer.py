"""Messages per officer per year: what a plan costs the people it reminds (issue 12).

Run by hand: ``python -m bench.messages_per_officer`` (about a minute; not part of
``make test``). Each plan of ``data/samples/`` and two one-task monthly plans
("Trước ngày 05 hằng tháng", "Ngày 31 hằng tháng"; lead Ban Dân tộc, coordinating
Văn phòng) is imported with the sample officers into its own throw-away SQLite
file, and 2022 is played through ``scheduler.simulation.simulate`` (the real
planner and dispatcher on a fake clock, a recording channel) twice:

- ``silent``: nobody ever answers;
- ``on time``: the lead unit reports each occurrence done two days before it falls
  due (on the due day when that is sooner); coordinating units never answer: the
  lead's report is what closes the work.

It prints, per recipient, the messages (bundles) and the items they carried, and
the most lines one message held about a single task (two occurrences of one
monthly report in one message count two).
"""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.commands.people import ROSTER_CONTACTS
from data.db import create_engine, sessionmaker, upgrade
from data.models import Assignment, Officer
from data.people import add_unit, import_roster, load_registry
from data.plans.importer import import_plan, read_plan_file
from data.plans.parsed import ParsedPlan
from data.plans.text_plan import parse_plan_text
from data.progress import WorkKey, record_update
from data.status import Reply
from data.work_items import work_items
from scheduler.clock import TZ, FakeClock
from scheduler.dispatcher import Dispatcher
from scheduler.planner import load_people
from scheduler.sender import Bundle
from scheduler.simulation import DayHook, simulate

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
YEAR = 2022
MONTHLY_PLAN = """Số: 07/KH-BDT

Bình Phước, ngày 10 tháng 01 năm 2022

**KẾ HOẠCH**

**Báo cáo định kỳ năm 2022**

Số TT\tNội dung công việc\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện
<b>I</b>\t<b>Chế độ báo cáo</b>\t\t\t
1\tBáo cáo tình hình thực hiện nhiệm vụ tháng.\tBan Dân tộc\tVăn phòng (Ban Dân tộc)\t{deadline}
"""
"""A one-task monthly plan; ``{deadline}`` is the cell under test."""
ANSWER_DAYS_EARLY = 2


@dataclass
class Tally:
    """What one recipient received over the year."""

    messages: int = 0
    items: int = 0
    most_lines_one_task: int = 0


@dataclass
class Recorder:
    """A channel that records bundles, taking officers who linked no chat (as the console)."""

    channel: str = "console"
    accepts_unlinked: bool = True
    tallies: dict[str, Tally] = field(default_factory=dict)

    async def send(self, bundle: Bundle) -> str:
        tally = self.tallies.setdefault(bundle.recipient_name, Tally())
        tally.messages += 1
        tally.items += len(bundle.items)
        per_task = Counter(item.task_code for item in bundle.items if item.task_code)
        tally.most_lines_one_task = max(tally.most_lines_one_task, *per_task.values(), 0)
        return f"bench-{tally.messages}"


def monthly_plan(deadline: str) -> ParsedPlan:
    return parse_plan_text(MONTHLY_PLAN.format(deadline=deadline), source=f"{deadline}.txt")


async def _load(sessions: async_sessionmaker[AsyncSession], plan: ParsedPlan) -> None:
    """The plan, then the sample roster (its units the plan does not name registered first)."""
    async with sessions() as session:
        await import_plan(session, plan, year=YEAR)
        roster = (SAMPLES / "officers.csv").read_text("utf-8")
        for row in csv.DictReader(io.StringIO(roster)):
            registry, _ = await load_registry(session)
            if registry.resolve(row["unit"]) is None:
                await add_unit(session, row["unit"])
        await import_roster(session, roster, ROSTER_CONTACTS)
        await session.commit()


def _answer_on_time(sessions: async_sessionmaker[AsyncSession], clock: FakeClock) -> DayHook:
    """The day hook of the ``on time`` run: the lead unit reports what falls due soon."""

    async def answer(day: date) -> None:
        async with sessions() as session:
            leads = set(
                await session.scalars(select(Assignment.id).where(Assignment.role == "lead"))
            )
            people = await load_people(session)
            for item in await work_items(session, today=day):
                due_in = (item.due_on - day).days if item.due_on is not None else -1
                if item.assignment_id not in leads or not 0 <= due_in <= ANSWER_DAYS_EARLY:
                    continue
                if not item.open:
                    continue
                recipients = people.for_assignment(item)
                if not recipients:
                    continue
                officer = await session.get(Officer, recipients[0])
                assert officer is not None
                await record_update(
                    session,
                    officer=officer,
                    key=WorkKey(item.assignment_id, item.due_id, item.instance),
                    reply=Reply("done", task_code=item.task_code),
                    raw_text=f"xong {item.task_code}",
                    channel="console",
                    provider_update_id=None,
                    now=clock.now(),
                    today=day,
                )
            await session.commit()

    return answer


async def play_year(plan: ParsedPlan, on_time: bool) -> dict[str, Tally]:
    """Import ``plan`` into a fresh SQLite file and play 2022; the tallies by recipient."""
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{folder}/bench.db")
        try:
            await upgrade(engine)
            sessions = sessionmaker(engine)
            await _load(sessions, plan)
            clock = FakeClock(datetime.combine(date(YEAR, 1, 1), time(0), TZ))
            recorder = Recorder()
            dispatcher = Dispatcher(sessions, {"console": recorder}, clock)
            hook = _answer_on_time(sessions, clock) if on_time else None
            await simulate(
                sessions, dispatcher, clock, date(YEAR, 1, 1), date(YEAR, 12, 31), after_day=hook
            )
            return recorder.tallies
        finally:
            await engine.dispose()


def _plans() -> list[tuple[str, ParsedPlan]]:
    samples = [(path.name, read_plan_file(path)) for path in sorted(SAMPLES.glob("*.txt"))]
    deadlines = ("Trước ngày 05 hằng tháng", "Ngày 31 hằng tháng")
    return samples + [(f"monthly: {text}", monthly_plan(text)) for text in deadlines]


def _table(name: str, runs: Sequence[tuple[str, dict[str, Tally]]]) -> list[str]:
    lines = [
        f"### {name}",
        "",
        "| recipient | scenario | messages | items | most lines about one task in a message |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for scenario, tallies in runs:
        for person, tally in sorted(tallies.items()):
            lines.append(
                f"| {person} | {scenario} | {tally.messages} | {tally.items} "
                f"| {tally.most_lines_one_task} |"
            )
    return [*lines, ""]


async def main() -> None:
    for name, plan in _plans():
        runs = [
            (scenario, await play_year(plan, on_time))
            for scenario, on_time in (("silent", False), ("on time", True))
        ]
        print("\n".join(_table(name, runs)), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
