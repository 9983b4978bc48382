"""Leaders' commands: /tonghop, /quahan, /donvi, /chuabaocao, /giahan (and decisions), /nhacngay,
/baocao.

Admins see everything; a leader sees the plans they lead (all when no scope was
given, ``data/leaders.py``); a unit head sees their own unit only and cannot
decide on extensions; officers are refused politely. ``remind_now`` is also the
CLI's ``nhacviec remind now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat import marks, texts
from bot.chat.messages import Answer, Button, Turn
from bot.chat.report_files import report_file, summary_chart
from data.errors import UserError
from data.leaders import led_plan_ids, request_plans, unit_named
from data.models import Officer, Plan, Unit
from data.plans.view import find_plan
from data.progress import decide_extension, pending_extensions
from data.reporting import not_reported, not_reported_text, plans_in
from data.text import fold
from data.vn_dates import VN_TZ
from data.work_items import find_task, nearest_open, overdue, plan_summary, work_items
from scheduler import outbox
from scheduler.outbox import About
from scheduler.planner import assignees, plan_reminders

FULL_ROLES = ("leader", "admin")


def scope(officer: Officer) -> int | None:
    """The unit an officer's summaries are limited to (None: everything); refuses officers."""
    if officer.role in FULL_ROLES:
        return None
    if officer.role == "unit_head" and officer.unit_id is not None:
        return officer.unit_id
    raise UserError(texts.NOT_ALLOWED)


@dataclass(frozen=True)
class Target:
    """What a leader's command covers: a plan or the plans led, and a unit or all units."""

    plans: int | frozenset[int] | None
    unit_id: int | None

    @property
    def plan_id(self) -> int | None:
        """The one plan named, if one was."""
        return self.plans if isinstance(self.plans, int) else None


async def _reach(turn: Turn) -> Target:
    """Everything the asker may see: their unit (a unit head), their plans (a leader)."""
    unit_scope = scope(turn.officer)
    plans = None
    if turn.officer.role == "leader":
        plans = await led_plan_ids(turn.session, turn.officer.id)
    return Target(plans, unit_scope)


def _own_unit_only(unit_scope: int | None, unit: Unit) -> None:
    if unit_scope is not None and unit.id != unit_scope:
        raise UserError(texts.OWN_UNIT_ONLY)


async def _target(turn: Turn, args: str) -> Target:
    """``PLAN`` or ``UNIT`` typed after a command, within what the asker may see."""
    reach = await _reach(turn)
    if not args:
        return reach
    try:
        plan = await find_plan(turn.session, args)
    except UserError:
        unit = await unit_named(turn.session, args)
        _own_unit_only(reach.unit_id, unit)
        return Target(reach.plans, unit.id)
    if isinstance(reach.plans, frozenset) and plan.id not in reach.plans:
        raise UserError(texts.NOT_YOUR_PLAN.format(plan=plan.code_prefix))
    return Target(plan.id, reach.unit_id)


async def summary(turn: Turn, args: str) -> Answer:
    """``/tonghop [plan|unit]``: tasks by state, on time / late, overdue, units furthest behind;
    with the chart of completion by unit when it is about one plan (``report_files``)."""
    target = await _target(turn, args)
    result = await plan_summary(turn.session, target.plans, target.unit_id, turn.today)
    snoozed = await marks.recent_snoozes(turn, target.unit_id)
    chart = await summary_chart(turn.session, target.plans, target.unit_id, turn.today)
    text = f"{texts.summary_text(result, turn.today)}\n{texts.snoozes_line(snoozed)}"
    return Answer(text, file=chart)


async def _report_target(turn: Turn, args: str) -> tuple[Plan, int | None]:
    """``[PLAN] [UNIT]`` after /baocao: the plan (the newest in reach when not named) and
    the unit (a unit head's own when not named), within what the asker may see."""
    reach = await _reach(turn)
    first, _, rest = args.partition(" ")
    try:
        plan = await find_plan(turn.session, first) if first else None
    except UserError:
        plan, rest = None, args  # not a plan: all of it names a unit, as in /tonghop
    if plan is None:
        ids = await plans_in(turn.session, reach.plans)  # oldest first
        plan = await turn.session.get(Plan, ids[-1]) if ids else None
        if plan is None:
            raise UserError(texts.NO_PLAN_TO_REPORT)
    elif isinstance(reach.plans, frozenset) and plan.id not in reach.plans:
        raise UserError(texts.NOT_YOUR_PLAN.format(plan=plan.code_prefix))
    if not rest.strip():
        return plan, reach.unit_id
    unit = await unit_named(turn.session, rest.strip())
    _own_unit_only(reach.unit_id, unit)
    return plan, unit.id


async def report(turn: Turn, args: str) -> Answer:
    """``/baocao [PLAN] [UNIT]``: the Word report as of today, to sign (``report_files``)."""
    plan, unit_id = await _report_target(turn, args)
    caption, file = await report_file(turn.session, plan, unit_id, turn.today, turn.pages_url)
    return Answer(caption, file=file)


async def overdue_list(turn: Turn, args: str) -> Answer:
    """``/quahan [plan|unit]``: the lead units' open items past their due date."""
    target = await _target(turn, args)
    found = await overdue(turn.session, turn.today, target.unit_id, target.plans)
    return Answer(texts.overdue_text(found.top, turn.today, total=found.total))


async def unit_summary(turn: Turn, args: str) -> Answer:
    """``/donvi NAME``: one unit's summary."""
    reach = await _reach(turn)
    if not args:
        return Answer(texts.UNIT_USAGE)
    unit = await unit_named(turn.session, args)
    _own_unit_only(reach.unit_id, unit)
    result = await plan_summary(turn.session, reach.plans, unit.id, turn.today)
    return Answer(texts.summary_text(result, turn.today))


async def not_reported_list(turn: Turn, args: str) -> Answer:
    """``/chuabaocao [plan|unit]``: per plan, the units and officers silent since the last
    reporting point, grouped by unit, with how many times each was reminded."""
    target = await _target(turn, args)
    parts = []
    for plan_id in await plans_in(turn.session, target.plans):
        report = await not_reported(turn.session, plan_id, turn.today, target.unit_id)
        if report.expected or target.plan_id:
            parts.append(not_reported_text(report))
    return Answer("\n\n".join(parts) if parts else texts.NOTHING_TO_REPORT)


async def extensions(turn: Turn, _args: str) -> Answer:
    """``/giahan``: pending extension requests, with Duyệt / Từ chối for leaders."""
    reach = await _reach(turn)
    unit_scope = reach.unit_id
    pending = await pending_extensions(turn.session, unit_scope)
    if isinstance(reach.plans, frozenset):  # a scoped leader decides on their plans only
        plans = await request_plans(turn.session, [request.id for request, _, _ in pending])
        pending = [p for p in pending if plans.get(p[0].id) in reach.plans]
    if not pending:
        return Answer(texts.NO_PENDING_EXTENSIONS)
    lines = [texts.PENDING_EXTENSIONS]
    rows = []
    for request, code, name in pending:
        lines.append(texts.extension_line(request, code, name))
        if unit_scope is None:
            rows.append(
                (
                    Button(texts.APPROVE.format(id=request.id), f"g:a:{request.id}"),
                    Button(texts.REFUSE.format(id=request.id), f"g:r:{request.id}"),
                )
            )
    return Answer("\n".join(lines), buttons=tuple(rows))


async def decide(turn: Turn, request_id: int, approve: bool) -> Answer:
    """A Duyệt / Từ chối press: decide, tell the officer (outbox notice), replan the due."""
    if turn.officer.role not in FULL_ROLES:
        return Answer("", toast=texts.LEADERS_DECIDE)
    led = (await _reach(turn)).plans
    if isinstance(led, frozenset):
        plan_id = (await request_plans(turn.session, [request_id])).get(request_id)
        if plan_id not in led:  # the same words as a request that does not exist
            raise UserError(texts.NO_SUCH_REQUEST)
    decision = await decide_extension(
        turn.session,
        request_id=request_id,
        leader=turn.officer,
        approve=approve,
        channel=turn.incoming.channel,
        provider_update_id=turn.incoming.update_id,
        now=turn.now,
    )
    code, until = decision.task_code, decision.requested_due
    if decision.officer_id is not None:
        await outbox.notify_decision(
            turn.session,
            decision.officer_id,
            About(decision.due_id, decision.assignment_id),
            request_id=decision.request_id,
            approved=approve,
            body=texts.decision_notice(code, until, decision.approved, turn.officer.name),
            now=turn.now,
        )
    about = About(decision.due_id, decision.assignment_id)
    await outbox.cancel_request_notices(turn.session, about)
    await plan_reminders(turn.session, turn.now, due_ids={decision.due_id})
    text = texts.decision_done(approve, decision.request_id, code, until)
    return Answer(text, edit=True, toast=texts.decision_verdict(approve))


async def remind_now(
    session: AsyncSession,
    code: str,
    now: datetime,
    unit_id: int | None = None,
    *,
    urgent: bool = False,
) -> list[int]:
    """Queue a ``manual`` reminder for each open assignee of task ``code``; officer ids.

    It goes out at the next working time (now, in office hours); ``urgent`` sends it
    now even at night or on a day off, and only a leader's explicit word sets it.
    """
    task = await find_task(session, code)
    if task is None:
        raise UserError(texts.NO_TASK.format(code=code))
    today = now.astimezone(VN_TZ).date()
    items = nearest_open(await work_items(session, task_id=task.id, unit_id=unit_id, today=today))
    recipients: list[int] = []
    for item in items:
        officers = await assignees(session, item)
        about = About(item.due_id, item.assignment_id, item.instance)
        await outbox.remind_manually(session, officers, about, now, urgent=urgent)
        recipients += officers
    return recipients


async def remind(turn: Turn, args: str) -> Answer:
    """``/nhacngay CODE [gấp]``: remind the units that have not finished, now or at the next
    working time; ``gấp`` (``gap``, ``ngay``) sends it now even at night or on a day off."""
    unit_scope = scope(turn.officer)
    words = args.split()
    if not words:
        return Answer(texts.REMIND_USAGE)
    code = words[0]
    urgent = any(fold(word) in texts.URGENT_WORDS for word in words[1:])
    recipients = await remind_now(turn.session, code, turn.now, unit_scope, urgent=urgent)
    if not recipients:
        return Answer(texts.NOBODY_TO_REMIND.format(code=code.upper()))
    at = turn.now if urgent else await outbox.next_working_time(turn.session, turn.now)
    return Answer(texts.reminded_text(code.upper(), len(recipients), at, turn.now))
