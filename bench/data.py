"""Synthetic agencies, plans and outboxes for the benchmark, written with bulk inserts.

The shapes follow the real data: every task has one period due (a month or a
quarter of the next six months, as "Tháng 02/2026" or "Quý I/2026" read) and
one lead unit, and every unit has a head officer, who gets the reminders since
no officer is named. A few leaders make escalations and digests real too.
Ids are given explicitly so rows can point at each other without RETURNING.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import String, Table, cast, insert, literal, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from data.db import create_engine, upgrade
from data.models import (
    Assignment,
    Due,
    Officer,
    OfficerLink,
    Plan,
    Progress,
    Section,
    Task,
    Unit,
)

NOW = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
"""Monday 5 January 2026, 08:00 in Hà Nội: the fixed instant every measurement plans from."""

_CHUNK = 5_000


@dataclass(frozen=True)
class Sizes:
    """How big each part of the benchmark is; ``quick`` divides everything by ten."""

    plans: int
    tasks_per_plan: int
    units: int
    leaders: int
    pending_rows: int
    due_rows: int
    naive_jobs: int
    naive_timed: int
    naive_replace_sample: int
    claims: int
    scale_plans: int = 500
    """Plans of the larger agency incremental planning is timed on too (``scaled``)."""

    @property
    def assignments(self) -> int:
        return self.plans * self.tasks_per_plan

    def scaled(self) -> Sizes:
        """The same agency with ``scale_plans`` plans (1,000,000 assignments at full size)."""
        return replace(self, plans=self.scale_plans)

    @classmethod
    def full(cls) -> Sizes:
        return cls(50, 2_000, 1_000, 5, 1_000_000, 5_000, 100_000, 20_000, 10_000, 10)

    @classmethod
    def quick(cls) -> Sizes:
        return cls(5, 2_000, 100, 5, 100_000, 500, 10_000, 2_000, 1_000, 10, 50)


@dataclass(frozen=True)
class Period:
    """A due window: "Tháng 3/2026" is 1–31 March, "Quý I/2026" is 1 January–31 March."""

    text: str
    start: date
    end: date


def _month(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(f"Tháng {month:02d}/{year}", date(year, month, 1), date(year, month, last))


def _quarter(year: int, quarter: int, roman: str) -> Period:
    first = _month(year, 3 * quarter - 2).start
    return Period(f"Quý {roman}/{year}", first, _month(year, 3 * quarter).end)


def periods_from(day: date) -> tuple[Period, ...]:
    """The six months from ``day``'s and the two quarters from ``day``'s, in equal shares."""
    counted = [day.year * 12 + day.month - 1 + k for k in range(6)]
    months = [(n // 12, n % 12 + 1) for n in counted]
    quarters = [(year, (month - 1) // 3 + 1) for year, month in months[::3]]
    return (
        *(_month(year, month) for year, month in months),
        *(_quarter(year, q, ("I", "II", "III", "IV")[q - 1]) for year, q in quarters),
    )


PERIODS = periods_from(NOW.date())
"""The mix of dues: the six months ahead and the two quarters they make, in equal shares."""


def head_of(unit_id: int) -> int:
    """Each unit's head officer has the unit's id (leaders come after the heads)."""
    return unit_id


def code_of(task_id: int, tasks_per_plan: int) -> str:
    """A task code shaped as the real ones ("BDT22-VI.1"): plan prefix, section I, position."""
    plan_id = (task_id - 1) // tasks_per_plan + 1
    return f"B{plan_id:02d}-I.{task_id - (plan_id - 1) * tasks_per_plan}"


def unit_of(task_id: int, units: int) -> int:
    """Tasks are dealt to units in turn, so every unit leads the same number of tasks."""
    return (task_id - 1) % units + 1


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), _CHUNK):
        yield rows[start : start + _CHUNK]


async def _bulk(conn: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    for chunk in _chunks(rows):
        await conn.execute(insert(table), chunk)


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


async def load_agency(
    engine: AsyncEngine, sizes: Sizes, periods: Sequence[Period] = PERIODS
) -> None:
    """Units with their heads, leaders, plans with one section each, tasks, dues, assignments;
    the dues' ``periods`` the months ahead of ``NOW`` unless told (a service on the real clock)."""
    units = [
        {"id": u, "name": f"Đơn vị {u:04d}", "key": f"don vi {u:04d}"}
        for u in range(1, sizes.units + 1)
    ]
    officers = [
        {"id": head_of(u), "name": f"Trưởng đơn vị {u:04d}", "unit_id": u, "role": "unit_head"}
        for u in range(1, sizes.units + 1)
    ] + [
        {"id": sizes.units + n, "name": f"Lãnh đạo {n}", "unit_id": None, "role": "leader"}
        for n in range(1, sizes.leaders + 1)
    ]
    plans = [
        {
            "id": p,
            "code_prefix": f"B{p:02d}",
            "title": f"Kế hoạch thử tải số {p}",
            "year": 2026,
            "source": f"bench-{p}.txt",
            "checksum": f"{p:064x}",
        }
        for p in range(1, sizes.plans + 1)
    ]
    sections = [
        {"id": p, "plan_id": p, "number": "I", "title": "Nhiệm vụ", "position": 1}
        for p in range(1, sizes.plans + 1)
    ]
    tasks, dues, assignments = [], [], []
    for task_id in range(1, sizes.assignments + 1):
        plan_id = (task_id - 1) // sizes.tasks_per_plan + 1
        period = periods[task_id % len(periods)]
        tasks.append(
            {
                "id": task_id,
                "plan_id": plan_id,
                "section_id": plan_id,
                "code": code_of(task_id, sizes.tasks_per_plan),
                "content": f"Nhiệm vụ thử tải {task_id}",
                "deadline_text": period.text,
                "position": task_id,
            }
        )
        dues.append(
            {
                "id": task_id,
                "task_id": task_id,
                "position": 0,
                "kind": "period",
                "due_on": period.end,
                "start_on": period.start,
                "text": period.text,
            }
        )
        assignments.append(
            {
                "id": task_id,
                "task_id": task_id,
                "unit_id": unit_of(task_id, sizes.units),
                "role": "lead",
            }
        )
    async with engine.begin() as conn:
        for model, rows in (
            (Unit, units),
            (Officer, officers),
            (Plan, plans),
            (Section, sections),
            (Task, tasks),
            (Due, dues),
            (Assignment, assignments),
        ):
            await _bulk(conn, _table(model), rows)


PENDING_SQL = """
INSERT INTO reminders (key, due_id, assignment_id, instance, recipient_id, kind, slot,
                       scheduled_at, state, attempts, urgent, created_at)
SELECT 'bench:' || i, d, d, '-', :units_first + (d - 1) % :units, CAST(:kind AS varchar),
       CAST(:kind AS varchar) || '@bench',
       CASE WHEN i <= :due THEN CAST(:now AS timestamptz) - i * interval '1 second'
            ELSE CAST(:now AS timestamptz) + (i - :due) * (interval '60 days' / :future) END,
       'pending', 0, CAST(:urgent AS boolean), CAST(:now AS timestamptz)
FROM generate_series(1, :rows) AS i, LATERAL (SELECT (i - 1) % :assignments + 1 AS d) AS t
"""
"""``rows`` pending reminders of the agency's dues; the first ``due`` are due, the rest are
spread evenly over the next 60 days. One statement: the server generates the rows."""


async def load_pending(
    engine: AsyncEngine, sizes: Sizes, rows: int, now: datetime, kind: str = "before"
) -> None:
    """Empty the outbox, then add ``rows`` pending rows, ``sizes.due_rows`` of them due.

    ``kind`` "manual" (a leader's /nhacngay) makes rows the planner leaves alone, for a
    running service whose planner would otherwise cancel rows it did not plan itself;
    they are urgent ("/nhacngay MÃ gấp"), so a run at night or on a Sunday still sends
    them instead of holding them for the next working morning.
    """
    params = {
        "kind": kind,
        "urgent": kind == "manual",
        "units_first": head_of(1),
        "units": sizes.units,
        "due": sizes.due_rows,
        "now": now,
        "future": max(rows - sizes.due_rows, 1),  # no future rows: never divided by
        "rows": rows,
        "assignments": sizes.assignments,
    }
    async with engine.begin() as conn:
        await conn.execute(text("TRUNCATE reminders RESTART IDENTITY"))
        await conn.execute(text(PENDING_SQL), params)
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE reminders"))


async def admin_database(url: str, *, create: bool) -> None:
    """(Re)create or drop ``url``'s PostgreSQL database from the maintenance database."""
    target = make_url(url)
    admin = create_async_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            if create:
                await conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        await admin.dispose()


CHAT_BASE = 700_000_000
"""Telegram chat ids of the linked heads: ``CHAT_BASE + officer id`` (private chats are >0)."""


def chat_of(officer_id: int) -> int:
    return CHAT_BASE + officer_id


async def link_heads(engine: AsyncEngine) -> None:
    """Every unit head linked on Telegram, as after each redeemed their invite."""
    officers, links = _table(Officer), _table(OfficerLink)
    heads = officers.c.role == "unit_head"
    async with engine.begin() as conn:
        await conn.execute(update(officers).where(heads).values(preferred_channel="telegram"))
        await conn.execute(
            insert(links).from_select(
                ["officer_id", "channel", "address", "linked_at"],
                select(
                    officers.c.id,
                    literal("telegram"),
                    cast(CHAT_BASE + officers.c.id, String),
                    officers.c.created_at,
                ).where(heads),
            )
        )


PROGRESS_MIX: tuple[tuple[str, int | None], ...] = (
    ("done", 100),
    ("in_progress", 50),
    ("done", 100),
    ("blocked", None),
    ("in_progress", 80),
)
"""States given to the first assignments, in turn; the rest stay not started (no row)."""


async def load_progress(engine: AsyncEngine, assignments: int, share: float) -> None:
    """Progress rows for the first ``share`` of the assignments (one due each: id = task id).

    Every other done item is late, so a summary has on-time and late work to count.
    """
    rows = []
    for n in range(1, int(assignments * share) + 1):
        state, percent = PROGRESS_MIX[n % len(PROGRESS_MIX)]
        done = state == "done"
        rows.append(
            {
                "id": n,
                "assignment_id": n,
                "due_id": n,
                "instance": "-",
                "state": state,
                "percent": percent,
                "done_at": NOW if done else None,
                "late": done and n % 2 == 0,
                "updated_at": NOW,
            }
        )
    async with engine.begin() as conn:
        await _bulk(conn, _table(Progress), rows)


async def fresh_database(url: str) -> AsyncEngine:
    """An engine on a new, migrated database at ``url`` (PostgreSQL recreated, SQLite new file)."""
    if url.startswith("postgresql"):
        await admin_database(url, create=True)
    engine = create_engine(url)
    await upgrade(engine)
    return engine
