"""The overview's figures, read from the kept counts, are the report's as of today.

Random changes go through the product's writers (``tests/test_summary_counts``'s steps,
plus work done while its extension waits and approved after, and tasks removed from
their plan); then, for every plan in force, ``report_head`` (the counts) must give the
figures, the figures by unit and the latest audit rows that ``build_report`` gives by
replaying the audit — today, and a month and a half later when more is overdue — and
"who has not reported" (each unit asked whether it has an update since the point) what
reading every update since the point gave (``bench/summary_before``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bench import summary_before
from bot.web.dashboard import RECENT, recent_days
from data.errors import UserError
from data.models import Assignment, Due, Officer, Plan, Task, Unit
from data.progress import WorkKey, decide_extension, record_update
from data.report_figures import report_head
from data.report_model import DONE_LATE, DONE_ON_TIME
from data.report_states import build_report
from data.reporting import not_reported
from data.status import Reply
from data.vn_dates import VN_TZ
from tests.examples import through_storage
from tests.planning_helpers import seed_once_with_monthly
from tests.test_summary_counts import NOW, PICK, STEP, TODAY, Sessions, _apply, _item, _picked

_lead = aliased(Assignment)
ONE_LEAD = select(_lead.task_id).where(_lead.role == "lead").group_by(_lead.task_id)
ONE_LEAD = ONE_LEAD.having(func.count() == 1)
DAYS = (TODAY, TODAY + timedelta(days=45))
OWN_STEP = st.one_of(
    st.tuples(st.just("done_then_extended"), PICK, st.integers(1, 60), st.booleans()),
    st.tuples(st.just("remove"), PICK),
)


async def _say(
    s: AsyncSession, found: tuple[WorkKey, Officer] | None, reply: Reply, now: datetime = NOW
) -> int | None:
    if found is None:
        return None
    key, officer = found
    recorded = await record_update(
        s,
        officer=officer,
        key=key,
        reply=reply,
        raw_text="thử",
        channel="telegram",
        provider_update_id=None,
        now=now,
        today=now.astimezone(VN_TZ).date(),
    )
    return recorded.extension_id


async def _done_then_extended(
    s: AsyncSession,
    found: tuple[WorkKey, Officer] | None,
    days: int,
    said_late: bool,
    now: datetime = NOW,
) -> None:
    """The work is asked more time, done (late or not, as said), and the request approved."""
    new_due = now.astimezone(VN_TZ).date() + timedelta(days)
    request = await _say(s, found, Reply("extension_requested", new_due=new_due), now)
    await _say(s, found, Reply("done", late=said_late), now)
    leader = await s.scalar(select(Officer).where(Officer.role == "leader"))
    assert leader is not None
    if request is not None:
        await decide_extension(
            s,
            request_id=request,
            leader=leader,
            approve=True,
            channel="telegram",
            provider_update_id=None,
            now=now,
        )


async def _apply_own(s: AsyncSession, step: tuple[Any, ...]) -> None:
    if step[0] == "remove":  # an amended version dropped it (one not recorded: removed at any D)
        task = await _picked(s, Task, step[1])
        task.removed_in = 99
    else:
        await _done_then_extended(s, await _item(s, step[1]), step[2], step[3])


async def _same_figures(s: AsyncSession, days: tuple[date, ...] = DAYS) -> None:
    """Every day asked comes after the audit's last row: the counts are as of now."""
    plans = (await s.scalars(select(Plan).where(Plan.archived_at.is_(None)))).all()
    for plan in plans:
        for day in days:
            period = recent_days(day)
            head = await report_head(s, plan, day, period, RECENT)
            report = await build_report(s, plan, day, period=period)
            assert head.figures.counts == report.figures.counts
            assert [(u.unit, u.counts.counts) for u in head.by_unit] == [
                (u.unit, u.counts.counts) for u in report.by_unit
            ]
            assert head.audit == report.audit[-RECENT:]
            for unit in (None, *(await s.scalars(select(Unit.id).order_by(Unit.id)))):
                expected = await summary_before.not_reported(s, plan.id, day, unit)
                assert await not_reported(s, plan.id, day, unit) == expected


async def apply_steps(sessions: Sessions, steps: list[tuple[Any, ...]]) -> None:
    """Each step through the real writers in its own transaction; a refused one keeps nothing,
    as a person told no would."""
    for step in steps:
        try:
            async with sessions.begin() as s:
                await (_apply_own if step[0] in ("remove", "done_then_extended") else _apply)(
                    s, step
                )
        except UserError:
            pass  # refused as a person would be told: nothing kept


@through_storage(30)
@given(steps=st.lists(st.one_of(STEP, OWN_STEP), min_size=1, max_size=6))
async def test_the_overview_reads_the_reports_figures(
    sessions: Sessions, tmp_path: Path, steps: list[tuple[Any, ...]]
) -> None:
    await seed_once_with_monthly(sessions, tmp_path)
    await apply_steps(sessions, steps)
    async with sessions() as s:
        await _same_figures(s)


@pytest.mark.parametrize("said_late", [False, True])
async def test_work_done_after_its_due_while_an_extension_waited(
    sessions: Sessions, tmp_path: Path, said_late: bool
) -> None:
    """Late by its old due, on time by the extension approved after: the report judges it
    on the due in force, so it is late only when the officer said so."""
    await seed_once_with_monthly(sessions, tmp_path)
    async with sessions.begin() as s:
        row = (
            await s.execute(
                select(Assignment.id, Due.id, Due.due_on, Officer)
                .join(Due, Due.task_id == Assignment.task_id)
                .join(Officer, Officer.unit_id == Assignment.unit_id)
                .where(Due.kind != "recurring", Due.due_on.is_not(None), Assignment.role == "lead")
                .where(Assignment.task_id.in_(ONE_LEAD))
                .order_by(Assignment.id, Due.id, Officer.id)
            )
        ).first()
        assert row is not None
        done_at = datetime.combine(row[2] + timedelta(days=3), time(9), VN_TZ)  # 3 days late
        await _done_then_extended(s, (WorkKey(row[0], row[1]), row[3]), 30, said_late, done_at)
    days = (done_at.date() + timedelta(days=1), done_at.date() + timedelta(days=60))
    async with sessions() as s:
        await _same_figures(s, days)
        plan = await s.scalar(select(Plan).order_by(Plan.id))
        assert plan is not None
        figures = (await report_head(s, plan, days[0], recent_days(days[0]), RECENT)).figures
        assert figures[DONE_LATE if said_late else DONE_ON_TIME] >= 1
