"""The summaries' counts kept by each transaction equal a recount from scratch.

Random changes go through the product's writers — status updates, extension
requests and decisions, task edits (deadline, lead, officer), archiving a plan,
renaming and merging units — each in its own committed transaction, as the
service makes them; afterwards ``summary_counts`` must hold exactly what counting
every task anew gives (``data/summary_counts.count_tasks``), each task's rows
must be what a rebuild writes, and /tonghop must read the same from the kept
counts as from a rebuilt table. Examples share one database, which keeps
changing from one to the next.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data import summary_counts
from data.corrections import TaskEdit, archive_plan, edit_task, rename_unit
from data.errors import UserError
from data.models import (
    Assignment,
    Due,
    Officer,
    Plan,
    Progress,
    SummaryCount,
    Task,
    TaskCount,
    Unit,
)
from data.progress import WorkKey, decide_extension, record_update
from data.reporting import is_report
from data.status import Reply
from data.summary_counts import Key, count_tasks, rebuild, recount
from data.unit_merge import merge_units
from data.work_items import plan_summary
from tests.examples import through_storage
from tests.planning_helpers import seed_once_with_monthly, seed_with_officers

Sessions = async_sessionmaker[AsyncSession]
NOW = datetime(2022, 4, 20, 2, 0, tzinfo=UTC)
TODAY = date(2022, 4, 20)
STATES = ("in_progress", "blocked", "done", "not_started")
PICK = st.integers(min_value=0, max_value=10_000)
STEP = st.one_of(
    st.tuples(st.just("update"), PICK, st.sampled_from(STATES), st.booleans()),
    st.tuples(st.just("extend"), PICK, st.integers(min_value=-30, max_value=90), st.booleans()),
    st.tuples(st.just("deadline"), PICK, st.integers(min_value=1, max_value=12)),
    st.tuples(st.just("lead"), PICK, PICK),
    st.tuples(st.just("officer"), PICK, PICK),
    st.tuples(st.just("archive"), PICK),
    st.tuples(st.just("merge"), PICK, PICK),
    st.tuples(st.just("rename"), PICK, st.integers(min_value=0, max_value=9)),
)
"""One change: which work item, task, unit or officer (an index taken modulo), and how."""
SAME = through_storage(25)


async def _picked(s: AsyncSession, model: Any, index: int) -> Any:
    rows = (await s.scalars(select(model).order_by(model.id))).all()
    return rows[index % len(rows)] if rows else None


async def _item(s: AsyncSession, index: int) -> tuple[WorkKey, Officer] | None:
    """A one-off work item and an officer of its unit (None when its unit has nobody)."""
    rows = (
        await s.execute(
            select(Assignment.id, Due.id, Officer)
            .join(Due, Due.task_id == Assignment.task_id)
            .join(Officer, Officer.unit_id == Assignment.unit_id)
            .where(Due.kind != "recurring")
            .order_by(Assignment.id, Due.id, Officer.id)
        )
    ).all()
    if not rows:
        return None
    assignment, due, officer = rows[index % len(rows)]
    return WorkKey(assignment, due), officer


async def _apply(s: AsyncSession, step: tuple[Any, ...]) -> None:
    kind = step[0]
    if kind in ("update", "extend"):
        found = await _item(s, step[1])
        if found is None:
            return
        key, officer = found
        if kind == "update":
            reply = Reply(step[2], late=step[3])
        else:
            reply = Reply("extension_requested", new_due=TODAY + timedelta(days=step[2]))
        recorded = await record_update(
            s,
            officer=officer,
            key=key,
            reply=reply,
            raw_text="thử",
            channel="telegram",
            provider_update_id=None,
            now=NOW,
            today=TODAY,
        )
        if kind == "extend" and recorded.extension_id is not None:
            leader = await s.scalar(select(Officer).where(Officer.role == "leader"))
            assert leader is not None
            await decide_extension(
                s,
                request_id=recorded.extension_id,
                leader=leader,
                approve=step[3],
                channel="telegram",
                provider_update_id=None,
                now=NOW,
            )
    elif kind in ("deadline", "lead", "officer"):
        task = await _picked(s, Task, step[1])
        if kind == "deadline":
            edit = TaskEdit(deadline=f"Tháng {step[2]}/2022")
        elif kind == "lead":
            edit = TaskEdit(lead=(await _picked(s, Unit, step[2])).name)
        else:
            edit = TaskEdit(officer=str((await _picked(s, Officer, step[2])).id))
        await edit_task(s, task.code, edit, now=NOW)
    elif kind == "archive":
        plan = await _picked(s, Plan, step[1])
        if plan.archived_at is not None:
            plan.archived_at = None  # back in force, for the next examples
        else:
            await archive_plan(s, plan.code_prefix, now=NOW)
    elif kind == "rename":  # a new name sorts the unit's overdue items elsewhere
        unit = await _picked(s, Unit, step[1])
        await rename_unit(s, unit.name, f"{step[2]} {unit.name}"[:300], now=NOW)
    elif kind == "merge":
        source, target = await _picked(s, Unit, step[1]), await _picked(s, Unit, step[2])
        await merge_units(s, source.name, target.name, now=NOW)


async def _kept(s: AsyncSession) -> Counter[Key]:
    rows = await s.execute(
        select(
            SummaryCount.plan_id,
            SummaryCount.measure,
            SummaryCount.unit_id,
            SummaryCount.officer_id,
            SummaryCount.state,
            SummaryCount.late,
            SummaryCount.due_on,
            SummaryCount.n,
        )
    )
    return Counter({Key(*row[:-1]): row[-1] for row in rows if row[-1]})


async def _shares(s: AsyncSession) -> list[tuple[Any, ...]]:
    """Every task's rows, with the code and unit name its overdue items are listed by."""
    rows = await s.execute(select(TaskCount.__table__).order_by(*TaskCount.__table__.primary_key))
    return [tuple(row) for row in rows]


async def _recounted(s: AsyncSession) -> Counter[Key]:
    shares = await s.run_sync(lambda sync: count_tasks(sync, None))
    total: Counter[Key] = Counter()
    for share in shares.values():
        total.update(share)
    return total


@SAME
@given(steps=st.lists(STEP, min_size=1, max_size=6))
async def test_kept_counts_equal_a_recount(
    sessions: Sessions, tmp_path: Path, steps: list[tuple[Any, ...]]
) -> None:
    await seed_once_with_monthly(sessions, tmp_path)
    for step in steps:
        try:
            async with sessions.begin() as s:
                await _apply(s, step)
        except UserError:
            pass  # refused as a person would be told (already done, same unit…): nothing kept
    async with sessions() as s:
        kept = await _kept(s)
        assert kept == await _recounted(s)
        plans = (await s.scalars(select(Plan.id).where(Plan.archived_at.is_(None)))).all()
        read = [await plan_summary(s, p, None, TODAY) for p in plans]
        shares = await _shares(s)
        await s.run_sync(rebuild)
        assert await _shares(s) == shares
        assert [await plan_summary(s, p, None, TODAY) for p in plans] == read
        await s.rollback()


async def test_a_status_update_moves_its_task_in_the_counts(sessions: Sessions) -> None:
    """The first update of the seed plan moves one task from not started to done."""
    plan_id = await seed_with_officers(sessions)
    async with sessions() as s:
        before = (await plan_summary(s, plan_id, None, TODAY)).by_state
    async with sessions.begin() as s:
        found = await _item(s, 0)
        assert found is not None
        await record_update(
            s,
            officer=found[1],
            key=found[0],
            reply=Reply("done"),
            raw_text="xong",
            channel="telegram",
            provider_update_id=None,
            now=NOW,
            today=TODAY,
        )
        task = await s.scalar(
            select(Task.id).join(Assignment).where(Assignment.id == found[0].assignment_id)
        )
        leads = await s.scalar(
            select(func.count())
            .select_from(Assignment)
            .where(Assignment.task_id == task, Assignment.role == "lead")
        )
    async with sessions() as s:
        after = (await plan_summary(s, plan_id, None, TODAY)).by_state
        progress = await s.scalar(select(func.count(Progress.id)))
    assert progress == 1
    moved = "done" if leads == 1 else "in_progress"
    assert after[moved] == before[moved] + 1
    assert after["not_started"] == before["not_started"] - 1


async def test_a_transaction_reads_its_own_changes_in_the_counts(sessions: Sessions) -> None:
    """Counts read before commit include the transaction's writes (the planner replans a
    moved report task's points before the edit commits)."""
    plan_id = await seed_with_officers(sessions)
    async with sessions() as s:
        found = await _item(s, 0)
        assert found is not None
        before = (await plan_summary(s, plan_id, None, TODAY)).by_state["not_started"]
        await _started(found, s)
        assert (await plan_summary(s, plan_id, None, TODAY)).by_state["not_started"] == before - 1
        await s.rollback()
    async with sessions() as s:  # rolled back: nothing kept
        assert (await plan_summary(s, plan_id, None, TODAY)).by_state["not_started"] == before


async def test_a_savepoint_rolled_back_after_a_read_of_the_counts_loses_no_recount(
    sessions: Sessions,
) -> None:
    """A write, then a savepoint in which the counts are read (which recounts the write),
    rolled back: the recount went with it, the write did not. Found by the chunked
    planning's property test (one pass in a savepoint, rolled back, then the chunks): the
    counts were left as they were before the write, one reporting point short."""
    plan_id = await seed_with_officers(sessions)
    async with sessions() as s:
        found = await _item(s, 0)
        assert found is not None
        await _started(found, s)
        savepoint = await s.begin_nested()
        await plan_summary(s, plan_id, None, TODAY)
        await savepoint.rollback()
        await s.commit()
    async with sessions() as s:
        assert await _kept(s) == await _recounted(s)


async def test_the_second_lead_made_sole_lead_keeps_its_own_assignment(sessions: Sessions) -> None:
    """Found by the random changes: making a task's second lead unit its only lead moved the
    first lead's assignment onto it, and the unique key (task, unit, role) failed."""
    await seed_with_officers(sessions)
    second = "Cơ quan công tác dân tộc cấp huyện"
    async with sessions.begin() as s:
        kept = await s.scalar(
            select(Assignment.id)
            .join(Task)
            .join(Unit)
            .where(Task.code == "BDT22-I.1", Unit.name == second, Assignment.role == "lead")
        )
        await edit_task(s, "BDT22-I.1", TaskEdit(lead=second), now=NOW)
    async with sessions() as s:
        leads = await s.execute(
            select(Assignment.id, Unit.name)
            .join(Task)
            .join(Unit)
            .where(Task.code == "BDT22-I.1", Assignment.role == "lead")
        )
        assert leads.all() == [(kept, second)]


async def test_two_recounts_of_one_task_in_a_row_keep_it_counted_once(
    pg_sessions: Sessions,
) -> None:
    """A recount waiting for another transaction's lock on its task reads the task's kept
    share after that one committed: reading it in the statement that waited gave the share
    as it was before, taken back a second time (issue 16's count of the commit's statements
    had put the lock and the read in one)."""
    await seed_with_officers(pg_sessions)
    async with pg_sessions() as first, pg_sessions() as second:
        found = await _item(first, 0)
        assert found is not None
        await _started(found, first)
        await first.flush()
        task = await first.scalar(
            select(Assignment.task_id).where(Assignment.id == found[0].assignment_id)
        )
        assert task is not None
        await first.run_sync(lambda sync: recount(sync, [task]))  # its share replaced, locked
        pid = await second.scalar(text("SELECT pg_backend_pid()"))
        waiting = asyncio.create_task(second.run_sync(lambda sync: recount(sync, [task])))
        async with pg_sessions() as watch:
            while not await watch.scalar(_waits_for_a_lock, {"pid": pid}):
                await asyncio.sleep(0.01)
        await first.commit()
        await waiting
        await second.commit()
    async with pg_sessions() as s:
        assert await _kept(s) == await _recounted(s)


async def test_a_lock_released_with_its_savepoint_is_taken_again_by_the_recount(
    pg_sessions: Sessions,
) -> None:
    """An answer's read of its due locks the task, and the recount at the commit counts on it;
    the web form records inside a savepoint, and rolling that back releases the lock: the
    recount must then take it again (or a second recount of the task would not wait)."""
    await seed_with_officers(pg_sessions)
    async with pg_sessions() as first, pg_sessions() as second:
        found = await _item(first, 0)
        assert found is not None
        task = await first.scalar(
            select(Assignment.task_id).where(Assignment.id == found[0].assignment_id)
        )
        assert task is not None
        savepoint = await first.begin_nested()
        await _started(found, first)
        assert not await _free(second, task)  # the read of the due took the task's lock
        await savepoint.rollback()
        assert await _free(second, task)
        await first.run_sync(lambda sync: recount(sync, [task]))
        assert not await _free(second, task)
        await first.rollback()


async def _free(session: AsyncSession, task: int) -> bool:
    """Whether another transaction could lock ``task`` now (asked without waiting)."""
    try:
        await session.execute(_lock_now, {"task": task})
    except DBAPIError as refused:
        assert "could not obtain lock" in str(refused)
        return False
    finally:
        await session.rollback()
    return True


_lock_now = text("SELECT 1 FROM tasks WHERE id = :task FOR UPDATE NOWAIT")
_waits_for_a_lock = text("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :pid")


async def _started(found: tuple[WorkKey, Officer], session: AsyncSession) -> None:
    """The item ``found`` (its key and officer) said to be 10 % under way, as in chat."""
    await record_update(
        session,
        officer=found[1],
        key=found[0],
        reply=Reply("in_progress", percent=10),
        raw_text="đang làm",
        channel="telegram",
        provider_update_id=None,
        now=NOW,
        today=TODAY,
    )


async def test_items_and_points_read_together_count_as_read_apart(sessions: Sessions) -> None:
    """The recount reads a task's items and its reporting points in one statement (a UNION
    ALL whose point rows carry their columns in the items' places): every task's items and
    points come out as the two reads give them apart, a report known by its product among
    them."""
    await seed_with_officers(sessions)
    async with sessions.begin() as s:  # a report by its product, not its content
        dues = (await s.execute(summary_counts._point_dues(False))).all()
        task = next(row[0] for row in dues if not is_report(row[2] or "", row[3] or ""))
        (await s.get_one(Task, task)).product = "Báo cáo kết quả"
    async with sessions() as s:
        apart = await s.run_sync(
            lambda sync: (
                summary_counts._grouped(sync, summary_counts._items(False), None),
                list(sync.execute(summary_counts._point_dues(False)).all()),
            )
        )
        tasks = sorted(apart[0])
        together = await s.run_sync(lambda sync: count_tasks(sync, tasks[:7]))
        everything = await s.run_sync(lambda sync: count_tasks(sync, None))
    grouped, dues = apart
    points = summary_counts._points(dues)
    assert task in points and any(row[0] == task for row in dues)
    assert points and {key.measure for share in points.values() for key in share} == {"point"}
    for task, share in everything.items():
        read_apart = Counter(summary_counts._share(grouped[task])) if task in grouped else Counter()
        read_apart.update(points.get(task, Counter()))
        assert +Counter({k: n for k, n in share.items() if k.measure != "report"}) == +read_apart
    assert together == {task: everything[task] for task in tasks[:7] if task in everything}
