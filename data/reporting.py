"""Who has not reported: the units and officers with no update since a plan's last reporting point.

A plan's reporting points are the due dates of its report tasks — a task whose
product (column "Sản phẩm") says "báo cáo", or, when the plan has no product
column, whose content starts with "Báo cáo" — and the dates of the plan's
``reporting_deadline`` policy setting ("trước ngày 15 hằng tháng"), read by
``data/deadlines.py``. At a point, the units that still have open work they lead
in the plan and whose people recorded nothing since the point before are "not
reported", each with the officers concerned and how often they were reminded.

The words are here, as the digest's are, because the dispatcher (which may not
import ``bot/``) sends the scheduled message and ``/chuabaocao`` shows the same one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.rrule import rrulestr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from data.deadlines import parse_deadline
from data.models import (
    Assignment,
    Due,
    Officer,
    Plan,
    PolicySetting,
    Progress,
    Reminder,
    StatusUpdate,
    SummaryCount,
    Task,
    TaskCount,
    Unit,
)
from data.text import fold
from data.vn_dates import VN_TZ, vn_date
from data.work_items import open_work

REPORT_WORD = "bao cao"
SETTING = "reporting_deadline"
"""The policy setting naming a plan-level reporting deadline."""
POINT_DUE_KINDS = ("date", "period", "range", "recurring")
LEADS = ("unit_head", "officer")
"""Roles expected to report for their unit (leaders and admins are not chased)."""


def is_report(product: str, content: str) -> bool:
    """A task whose product is a report (or, without a product, whose content opens with one)."""
    if product.strip():
        return REPORT_WORD in fold(product)
    return fold(content).lstrip(" -•+").startswith(REPORT_WORD)


def _expand(rule: str, anchor: date, first: date, last: date) -> list[date]:
    dates = rrulestr(rule, dtstart=datetime.combine(anchor, time(0)))
    window = (datetime.combine(first, time(0)), datetime.combine(last, time(0)))
    return [moment.date() for moment in dates.between(*window, inc=True)]


async def plan_setting(session: AsyncSession, plan_id: int) -> str:
    """The plan's ``reporting_deadline`` text, else the global one, else empty."""
    return (await _settings_of(session, [plan_id])).get(plan_id, "")


async def _settings_of(session: AsyncSession, plan_ids: list[int]) -> dict[int, str]:
    """``plan_setting`` of each of ``plan_ids`` (those with a text)."""
    rows = await session.execute(
        select(PolicySetting.plan_id, PolicySetting.settings).where(
            PolicySetting.plan_id.in_(plan_ids) | PolicySetting.plan_id.is_(None)
        )
    )
    found = {owner: str((settings or {}).get(SETTING) or "") for owner, settings in rows}
    texts = {plan_id: found.get(plan_id) or found.get(None) or "" for plan_id in plan_ids}
    return {plan_id: text for plan_id, text in texts.items() if text}


async def reporting_points(
    session: AsyncSession, plan_id: int, first: date, last: date
) -> list[date]:
    """The plan's reporting points from ``first`` to ``last``, in order, each once."""
    return (await reporting_points_of(session, [plan_id], first, last)).get(plan_id, [])


POINTS_CHUNK = 1000
"""Plans read per statement by ``reporting_points_of``."""


async def reporting_points_of(
    session: AsyncSession, plan_ids: Collection[int], first: date, last: date
) -> dict[int, list[date]]:
    """``reporting_points`` of each of ``plan_ids`` that exist, in four statements per
    ``POINTS_CHUNK`` plans: a first planning asks every plan (500 at a million
    assignments), and five statements a plan were 0.3 s of its 5 s at 100,000."""
    found: dict[int, list[date]] = {}
    ids = sorted(plan_ids)
    for start in range(0, len(ids), POINTS_CHUNK):
        found |= await _points_of(session, ids[start : start + POINTS_CHUNK], first, last)
    return found


async def _points_of(
    session: AsyncSession, plan_ids: list[int], first: date, last: date
) -> dict[int, list[date]]:
    years = dict(
        (await session.execute(select(Plan.id, Plan.year).where(Plan.id.in_(plan_ids)))).all()
    )
    points: dict[int, set[date]] = {plan_id: set() for plan_id in years}
    # the report tasks' dates are kept with the summaries' counts (``data/summary_counts``):
    # reading every task's product and content took a second on a province's plan
    one_off = select(SummaryCount.plan_id, SummaryCount.due_on).where(
        SummaryCount.plan_id.in_(plan_ids),
        SummaryCount.measure == "point",
        SummaryCount.state == "",
        SummaryCount.n > 0,
        SummaryCount.due_on.between(first, last),
    )
    for plan_id, due_on in await session.execute(one_off):
        points[plan_id].add(due_on)
    recurring = (
        select(TaskCount.plan_id, Due.start_on, Due.rule)
        .join(Due, Due.task_id == TaskCount.task_id)
        .where(
            TaskCount.plan_id.in_(plan_ids),
            TaskCount.measure == "point",
            TaskCount.state == "recurring",
            Due.kind == "recurring",
            Due.rule.is_not(None),
        )
    )
    for plan_id, start_on, rule in await session.execute(recurring):
        anchor = start_on or _year_start(years[plan_id], first)
        points[plan_id].update(_expand(rule or "", anchor, first, last))
    for plan_id, text in (await _settings_of(session, list(years))).items():
        year = years[plan_id]
        for occurrence in parse_deadline(text, year):
            if occurrence.rule:
                anchor = occurrence.start or _year_start(year, first)
                points[plan_id].update(_expand(occurrence.rule, anchor, first, last))
            elif occurrence.due is not None:
                points[plan_id].add(occurrence.due)
    return {
        plan_id: sorted(p for p in found if first <= p <= last) for plan_id, found in points.items()
    }


def _year_start(year: int | None, first: date) -> date:
    """Where a plan's rules start counting when its due gives no start: its year's first day."""
    return date(year or first.year, 1, 1)


@dataclass(frozen=True)
class SilentOfficer:
    """An officer of a silent unit: in charge of its work, or reminded about it."""

    name: str
    reminded: int


@dataclass(frozen=True)
class SilentUnit:
    """A unit with open work it leads in the plan and no update since the last point."""

    name: str
    open_items: int
    officers: tuple[SilentOfficer, ...]


@dataclass(frozen=True)
class NotReported:
    """Who has not reported on one plan since ``since`` (the last reporting point)."""

    plan_code: str
    plan_title: str
    since: date
    point: date | None
    """The reporting point this is about (a scheduled message's), else None."""
    expected: int
    """Units with open work they lead in scope."""
    units: tuple[SilentUnit, ...]


async def plans_in(session: AsyncSession, plan_ids: int | frozenset[int] | None) -> list[int]:
    """The plans of a scope (one plan named, the plans led, every plan when None), oldest first."""
    if isinstance(plan_ids, int):
        return [plan_ids]
    query = select(Plan.id).order_by(Plan.id)
    if plan_ids is not None:
        query = query.where(Plan.id.in_(sorted(plan_ids)))
    return list(await session.scalars(query))


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), VN_TZ)


async def reporting_period(
    session: AsyncSession, plan: Plan, today: date, point: date | None = None
) -> tuple[date, date | None]:
    """(since, point): the period that ended at ``point`` — by default the last reporting
    point before ``today`` — starts after the point before it (the plan year's start when
    none). Asked any day until the next point, the answer is the scheduled message's, less
    whoever has reported since."""
    start = date(plan.year or today.year, 1, 1)
    first = min(start, today) - timedelta(days=366)
    points = await reporting_points(session, plan.id, first, today)
    if point is None:
        point = next((p for p in reversed(points) if p < today), None)
    if point is None:
        return min(start, today), None
    earlier = [p for p in points if p < point]
    return (earlier[-1] if earlier else min(start, point)), point


async def not_reported(
    session: AsyncSession,
    plan_id: int,
    today: date,
    unit_id: int | None = None,
    *,
    point: date | None = None,
) -> NotReported:
    """The units (of ``unit_id`` when given) and officers with no update on the plan in the
    reporting period (``reporting_period``) up to now: late reports count."""
    plan = await session.get(Plan, plan_id)
    if plan is None:
        raise ValueError(f"no plan {plan_id}")
    since, point = await reporting_period(session, plan, today, point)
    since_at = _start_of(since + timedelta(days=1))
    work = await open_work(session, plan_id, unit_id, today)
    reported = await _units_with_updates(session, plan_id, since_at, work)
    silent = sorted((u for u in work if u not in reported), key=lambda u: work[u].unit_name)
    in_charge = {u: found.officers for u, found in work.items()}
    officers = await _silent_officers(session, plan_id, silent, in_charge, since_at)
    units = tuple(
        SilentUnit(work[u].unit_name, work[u].items, tuple(officers.get(u, ()))) for u in silent
    )
    return NotReported(plan.code_prefix, plan.title, since, point, len(work), units)


async def _units_with_updates(
    session: AsyncSession, plan_id: int, since: datetime, units: Collection[int]
) -> set[int]:
    """Of ``units``, those whose work in the plan got any recorded update from ``since`` on.

    Each unit is asked whether one of its updates exists (its assignments, their progress,
    the audit's ``(progress_id, created_at)`` index), so a unit that reported stops at the
    first update found; reading the plan's every update since the point to keep a few
    hundred units took 400 ms at 100,000 assignments."""
    updated = (
        select(StatusUpdate.id)
        .join(Progress, Progress.id == StatusUpdate.progress_id)
        .join(Assignment, Assignment.id == Progress.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        .where(
            Assignment.unit_id == Unit.id,
            Task.plan_id == plan_id,
            StatusUpdate.created_at >= since,
        )
    )
    wanted = select(Unit.id).where(Unit.id.in_(sorted(units)), updated.exists())
    return set(await session.scalars(wanted))


async def _silent_officers(
    session: AsyncSession,
    plan_id: int,
    units: Iterable[int],
    in_charge: Mapping[int, Collection[int]],
    since: datetime,
) -> dict[int, list[SilentOfficer]]:
    """Per unit, its officers in charge of open work or reminded about the plan since ``since``;
    when there are none, every officer and head of the unit (who else would report?)."""
    wanted = list(units)
    if not wanted:
        return {}
    reminded_query = (
        select(Reminder.recipient_id, func.count())
        .join(Due, Due.id == Reminder.due_id)
        .join(Task, Task.id == Due.task_id)
        .where(Task.plan_id == plan_id, Reminder.state == "sent", Reminder.sent_at >= since)
        .group_by(Reminder.recipient_id)
    )
    reminded = {officer: int(n) for officer, n in await session.execute(reminded_query)}
    people = await session.execute(
        select(Officer.id, Officer.name, Officer.unit_id)
        .where(Officer.unit_id.in_(wanted), Officer.active.is_(True), Officer.role.in_(LEADS))
        .order_by(Officer.name)
    )
    found: dict[int, list[SilentOfficer]] = defaultdict(list)
    everyone: dict[int, list[SilentOfficer]] = defaultdict(list)
    for officer_id, name, unit in people:
        if unit is None:  # never: the query asks for these units
            continue
        officer = SilentOfficer(name, reminded.get(officer_id, 0))
        everyone[unit].append(officer)
        if officer_id in reminded or officer_id in in_charge.get(unit, ()):
            found[unit].append(officer)
    # a unit nobody of which was reminded or put in charge still has people to ask
    return {unit: found.get(unit) or people_of for unit, people_of in everyone.items()}


def not_reported_text(report: NotReported) -> str:
    """The message: the plan, the period, then each silent unit with its officers."""
    title = " ".join(report.plan_title.split())
    head = f"Chưa báo cáo — Kế hoạch {report.plan_code} «{title[:60]}"
    head += "…»" if len(title) > 60 else "»"
    if report.point is not None:
        head += f", kỳ báo cáo {vn_date(report.point)}"
    since = vn_date(report.since)
    if not report.units:
        return (
            f"{head}\nTất cả {report.expected} đơn vị đã báo cáo (có cập nhật từ sau ngày {since})."
        )
    lines = [
        head,
        f"{len(report.units)}/{report.expected} đơn vị chưa báo cáo"
        f" (chưa có cập nhật nào từ sau ngày {since}):",
    ]
    for unit in report.units:
        lines.append(f"• {unit.name} ({unit.open_items} việc đang mở)")
        lines += [f"   – {o.name}: đã nhắc {o.reminded} lần" for o in unit.officers]
    return "\n".join(lines)
