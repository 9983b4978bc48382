"""Incremental planning leaves the outbox exactly as a full replan would.

Each change replans only the dues it affects (``plan_reminders(due_ids=…)``,
``replan_plan``) and the tick only plans the days entering the horizon
(``advance``). On random sequences of changes — status updates, extensions, task
edits, mutes, plan and global policy changes, calendar days, time moving — a full
replan run afterwards must find nothing to do: every row, its state and its time
already what it would make them. And the first planning, every due in one pass,
writes exactly the rows that planning each due alone writes. Each example runs in one
transaction rolled back at its end, so all examples share one seeded database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import Assignment, Due, Officer, Plan, Progress, Reminder, Task, Unit
from data.mutes import mute, unmute
from data.plans.importer import import_plan, read_plan_file
from scheduler import outbox, outbox_aside, outbox_copy, planner
from scheduler.clock import TZ
from scheduler.planner import (
    MANAGED_KINDS,
    advance,
    dues_of,
    load_people,
    plan_reminders,
    replan_plan,
    replan_tasks,
)
from scheduler.policy import expand_recurring
from scheduler.settings import set_calendar_day, set_policy
from tests.examples import examples, through_storage
from tests.planning_helpers import MONTHLY, START, seed_once_with_monthly, seed_with_officers

Sessions = async_sessionmaker[AsyncSession]
STATES = ("not_started", "in_progress", "blocked", "done", "cancelled")
POLICY = (
    ("horizon_days", "90"),
    ("horizon_days", "20"),
    ("offsets_lead", "10,5,1,0"),
    ("overdue_every", "2"),
    ("overdue_max", "3"),
    ("escalate_leader_after_days", "3"),
    ("continuous_checkin", "off"),
    ("send_time", "09:30"),
    ("reporting_deadline", "Trước ngày 20 hằng tháng"),
)
PICK = st.integers(min_value=0, max_value=10_000)
CHANGE = st.one_of(
    st.tuples(st.just("progress"), PICK, st.sampled_from(STATES)),
    st.tuples(st.just("extend"), PICK, st.integers(min_value=-10, max_value=60)),
    st.tuples(st.just("edit"), PICK, st.integers(min_value=-40, max_value=40)),
    st.tuples(st.just("mute"), PICK, st.booleans()),
    st.tuples(st.just("policy"), st.sampled_from(POLICY), st.booleans()),
    st.tuples(st.just("calendar"), st.integers(min_value=0, max_value=120), st.booleans()),
)
STEP = st.one_of(CHANGE, st.tuples(st.just("time"), st.integers(min_value=1, max_value=24 * 9)))
"""One change: which work item or setting (an index taken modulo), and how."""


@dataclass(frozen=True)
class Item:
    """One assignment's part of one due (one occurrence of a recurring one)."""

    assignment_id: int
    due_id: int
    instance: str
    day: date | None
    code: str
    plan_id: int
    unit: str
    officer_id: int | None


async def _items(s: AsyncSession) -> list[Item]:
    rows = await s.execute(
        select(
            Assignment.id,
            Due.id,
            Due.kind,
            Due.due_on,
            Due.start_on,
            Due.rule,
            Task.code,
            Task.plan_id,
            Unit.name,
            Assignment.officer_id,
        )
        .join(Task, Task.id == Assignment.task_id)
        .join(Due, Due.task_id == Task.id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .order_by(Assignment.id, Due.id)
    )
    items = []
    for assignment, due, kind, due_on, start_on, rule, code, plan, unit, officer in rows:
        if kind == "recurring" and rule:
            start = start_on or date(2022, 1, 1)
            for day in expand_recurring(rule, start, date(2022, 2, 1), date(2022, 9, 30)):
                items.append(Item(assignment, due, day.isoformat(), day, code, plan, unit, officer))
        else:
            items.append(Item(assignment, due, "-", due_on, code, plan, unit, officer))
    return items


async def _outbox(s: AsyncSession) -> list[tuple[Any, ...]]:
    await s.flush()
    rows = await s.execute(
        select(Reminder.key, Reminder.state, Reminder.scheduled_at, Reminder.last_error).order_by(
            Reminder.key
        )
    )
    return [tuple(row) for row in rows]


async def _set_progress(s: AsyncSession, item: Item, now: datetime, **values: object) -> None:
    row = await s.scalar(
        select(Progress).where(
            Progress.assignment_id == item.assignment_id,
            Progress.due_id == item.due_id,
            Progress.instance == item.instance,
        )
    )
    if row is None:
        row = Progress(assignment_id=item.assignment_id, due_id=item.due_id, instance=item.instance)
        s.add(row)
    for name, value in {"updated_at": now, **values}.items():
        setattr(row, name, value)
    await s.flush()


def _replans_everything(step: tuple[Any, ...]) -> bool:
    """A global policy or a calendar day: the change itself replans every due."""
    return step[0] == "calendar" or (step[0] == "policy" and not step[2])


def _item(step: tuple[Any, ...], items: list[Item]) -> Item | None:
    """The work item a change is about, if it is about one."""
    if step[0] in ("progress", "extend", "edit", "mute"):
        return items[int(step[1]) % len(items)]
    return None


async def _change(s: AsyncSession, step: tuple[Any, ...], items: list[Item], now: datetime) -> None:
    """Make one change, without replanning."""
    kind, item = step[0], _item(step, items)
    if kind == "progress" and item is not None:
        await _set_progress(s, item, now, state=step[2])
    elif kind == "extend" and item is not None and item.day is not None:
        moved = item.day + timedelta(days=step[2])
        await _set_progress(s, item, now, state="in_progress", extended_to=moved)
    elif kind == "edit" and item is not None and item.instance == "-" and item.day is not None:
        due = await s.get(Due, item.due_id)
        assert due is not None
        due.due_on = item.day + timedelta(days=step[2])
        await s.flush()
    elif kind == "mute" and item is not None:
        who = {"officer": str(item.officer_id), "unit": None} if item.officer_id else {}
        who = who if step[2] and who else {"officer": None, "unit": item.unit}
        if not await mute(s, item.code, **who):
            await unmute(s, item.code, **who)
    elif kind == "policy":
        (key, value), own = step[1], step[2]
        await set_policy(s, key, value, items[0].plan_id if own else None)
    elif kind == "calendar":
        day = START.date() + timedelta(days=step[1])
        await set_calendar_day(s, day, working=step[2], label="thử")


async def _apply(s: AsyncSession, step: tuple[Any, ...], items: list[Item], now: datetime) -> None:
    """Make one change and replan what it affects, as the product does."""
    await _change(s, step, items, now)
    kind, item = step[0], _item(step, items)
    if kind in ("progress", "extend") and item is not None:
        await plan_reminders(s, now, due_ids={item.due_id})
    elif kind in ("edit", "mute") and item is not None:
        await replan_tasks(s, now, [item.code])
    elif kind == "policy" and step[2]:
        await replan_plan(s, now, items[0].plan_id)
    else:  # a global policy or a calendar day
        await plan_reminders(s, now)


SAME = through_storage(30)


@SAME
@given(steps=st.lists(STEP, min_size=1, max_size=8))
async def test_incremental_planning_equals_a_full_replan(
    sessions: Sessions, tmp_path: Path, steps: list[tuple[Any, ...]]
) -> None:
    await seed_once_with_monthly(sessions, tmp_path)
    async with sessions() as s:
        now = START
        await advance(s, now)  # the first tick plans everything
        items = await _items(s)
        for step in steps:
            if step[0] == "time":
                now += timedelta(hours=step[1])
                await advance(s, now)
                continue
            if _replans_everything(step):
                await _assert_nothing_to_replan(s, now)  # before it hides a difference
            await _apply(s, step, items, now)
        await _assert_nothing_to_replan(s, now)
        await s.rollback()


async def _assert_nothing_to_replan(s: AsyncSession, now: datetime) -> None:
    before = await _outbox(s)
    result = await plan_reminders(s, now)
    assert (result.created, result.cancelled, result.restored) == (0, 0, 0)
    assert await _outbox(s) == before


async def test_a_tick_with_the_day_unchanged_reads_no_dues(sessions: Sessions) -> None:
    """Nothing entered the horizon: the tick changes nothing, even where a full replan would
    (a due edited behind the planner's back is the change's own job to replan)."""
    await seed_with_officers(sessions)
    async with sessions() as s:
        first = await advance(s, START)
        assert first.created > 0
        task = await s.scalar(select(Task).where(Task.code == "BDT22-I.1"))
        assert task is not None
        due = await s.scalar(select(Due).where(Due.task_id == task.id))
        assert due is not None and due.due_on is not None
        due.due_on += timedelta(days=14)
        later = START + timedelta(hours=3)
        assert (await advance(s, later)).wanted == 0
        assert (await plan_reminders(s, later)).created > 0
        await s.rollback()


async def test_a_new_day_plans_the_day_entering_the_horizon(sessions: Sessions) -> None:
    """The tick after midnight creates the rows of the day that entered the horizon, and
    only those: the same as a full replan then."""
    await seed_with_officers(sessions)
    async with sessions() as s:
        await advance(s, START)
        next_week = START + timedelta(days=7)
        result = await advance(s, next_week)
        assert result.created > 0
        entered = (next_week + timedelta(days=60)).astimezone(TZ).date()
        newest = await s.scalar(select(func.max(Reminder.scheduled_at)))
        assert newest is not None and newest.astimezone(TZ).date() <= entered
        await _assert_nothing_to_replan(s, next_week)
        await s.rollback()


async def test_a_plans_longer_horizon_holds_when_one_due_is_replanned(
    sessions: Sessions, tmp_path: Path
) -> None:
    """A due replanned alone after a status update keeps the rows another plan's longer
    horizon planned (it once took its own plan's, and cancelled the rest until the tick)."""
    await seed_with_officers(sessions)
    path = tmp_path / "monthly.txt"
    path.write_text(MONTHLY, "utf-8")
    async with sessions() as s:
        seed = await s.scalar(select(Plan.id))
        monthly = (await import_plan(s, read_plan_file(path), prefix="BC22")).plan_id
        assert seed is not None and monthly is not None
        await set_policy(s, "horizon_days", "200", monthly)
        await plan_reminders(s, START)
        beyond = select(func.count(Reminder.id)).where(
            Reminder.state == "pending",
            Reminder.scheduled_at > START + timedelta(days=61),
            Reminder.due_id.in_(await dues_of(s, plan_id=seed)),
        )
        planned = await s.scalar(beyond)
        assert planned
        await plan_reminders(s, START, due_ids=await dues_of(s, plan_id=seed))
        assert await s.scalar(beyond) == planned
        await s.rollback()


async def test_officers_are_read_by_unit_when_few_dues_are_replanned(sessions: Sessions) -> None:
    """Replanning one due reads its units' officers and the leaders, not everyone's."""
    await seed_with_officers(sessions)
    async with sessions() as s:
        unit = await s.scalar(select(Unit).where(Unit.name == "Ban Dân tộc"))
        assert unit is not None
        people = await load_people(s, [unit.id])
        officers = await s.scalars(select(Officer).where(Officer.active.is_(True)))
        units = {o.unit_id for o in officers if o.role != "leader"}
        assert set(people.heads) | set(people.members) == {unit.id} != units
        assert people.leaders


async def _dues_rows(s: AsyncSession) -> list[tuple[Any, ...]]:
    """Every row the planner keeps for a due, as the outbox holds it."""
    await s.flush()
    rows = await s.execute(
        select(Reminder.key, Reminder.state, Reminder.scheduled_at, Reminder.last_error)
        .where(Reminder.due_id.is_not(None), Reminder.kind.in_(MANAGED_KINDS))
        .order_by(Reminder.key)
    )
    return [tuple(row) for row in rows]


@settings(SAME, max_examples=examples(5))
@given(
    changes=st.lists(CHANGE, max_size=6),
    hours=st.integers(min_value=0, max_value=24 * 70),
)
async def test_planning_every_due_at_once_equals_planning_each_alone(
    sessions: Sessions,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    changes: list[tuple[Any, ...]],
    hours: int,
) -> None:
    """The first planning's fast path (every due in one pass, slots worked out once per due
    date, the rows copied straight into the outbox on PostgreSQL) writes exactly the rows
    that planning each due alone writes (a few rows: the batched insert)."""
    _copy_as_a_first_planning(monkeypatch)
    await seed_once_with_monthly(sessions, tmp_path)
    async with sessions() as s:
        now = START + timedelta(hours=hours)
        items = await _items(s)
        for change in changes:
            await _change(s, change, items, now)
        await s.execute(delete(Reminder))
        together = await s.begin_nested()
        assert (await plan_reminders(s, now)).created > 0
        at_once = await _dues_rows(s)
        await together.rollback()
        for due_id in sorted({item.due_id for item in items}):
            await plan_reminders(s, now, due_ids={due_id})
        assert await _dues_rows(s) == at_once
        await s.rollback()


@settings(SAME, max_examples=examples(5))
@given(
    changes=st.lists(CHANGE, max_size=6),
    hours=st.integers(min_value=0, max_value=24 * 70),
    later=st.integers(min_value=0, max_value=24 * 40),
    chunk=st.integers(min_value=1, max_value=3),
)
async def test_a_planning_in_chunks_writes_the_rows_of_one_pass(
    sessions: Sessions,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    changes: list[tuple[Any, ...]],
    hours: int,
    later: int,
    chunk: int,
) -> None:
    """A full planning ``chunk`` dues at a time (``planner.CHUNK_DUES``, and
    ``FIRST_CHUNK_DUES`` for the first, which runs in one pass) leaves the outbox
    as one pass over every due does: a first planning (its rows copied with the foreign
    keys checked once on PostgreSQL), then a full replan later, after changes. A row lost
    or written twice at a chunk's edge, or a digest planned per chunk, shows."""
    _copy_as_a_first_planning(monkeypatch)
    await seed_once_with_monthly(sessions, tmp_path)
    async with sessions() as s:
        now = START + timedelta(hours=hours)
        items = await _items(s)
        await s.execute(delete(Reminder))
        await _plan_in_chunks(s, now, monkeypatch, chunk)
        for change in changes:
            await _change(s, change, items, now)
        await _plan_in_chunks(s, now + timedelta(hours=later), monkeypatch, chunk)
        await s.rollback()


def _copy_as_a_first_planning(monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL, the seed's few hundred rows take the way of a first planning's
    325,040: copied, the foreign keys checked once, and, into an outbox of any size, the
    indexes and the keys' index set aside and the rows copied as they are made."""
    monkeypatch.setattr(outbox, "_COPY_FROM", 1)
    monkeypatch.setattr(outbox_copy, "RECHECK_FROM", 1)
    monkeypatch.setattr(outbox_aside, "REBUILD_SHARE", 10**9)


async def _plan_in_chunks(
    s: AsyncSession, now: datetime, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """A full planning at ``now`` in one pass (rolled back), then in chunks of ``chunk``
    dues: the same result, the same outbox (the chunked one stays)."""
    one_pass = await s.begin_nested()
    monkeypatch.setattr(planner, "CHUNK_DUES", None)
    monkeypatch.setattr(planner, "FIRST_CHUNK_DUES", None)
    expected = await plan_reminders(s, now)
    rows = await _outbox(s)
    await one_pass.rollback()
    monkeypatch.setattr(planner, "CHUNK_DUES", chunk)
    monkeypatch.setattr(planner, "FIRST_CHUNK_DUES", chunk)
    foreign_keys = await _foreign_keys(s)
    assert await plan_reminders(s, now) == expected
    assert await _outbox(s) == rows
    assert await _foreign_keys(s) == foreign_keys  # put back once, after the last chunk


async def _foreign_keys(s: AsyncSession) -> list[str]:
    """The outbox's foreign keys on PostgreSQL (which a bulk copy may drop for a while)."""
    if s.get_bind().dialect.name != "postgresql":
        return []
    return list(await s.scalars(text(outbox_copy.FOREIGN_KEYS)))
