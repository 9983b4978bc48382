"""Read a stored plan back as plain data: the ``plan show --json`` contract and checks.

The JSON shape is a contract for scripts (see README), so it is built here in
one place from the database, never from the import's intermediate objects.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from data.deadlines import parse_deadline
from data.errors import UserError
from data.models import Assignment, Due, Officer, OfficerLink, Plan, Section, Task, Unit
from data.plans.versions import current_version


async def find_plan(session: AsyncSession, ref: str | None) -> Plan:
    """The plan named by id, code prefix (``BDT22``) or number; the newest when ``ref`` is None."""
    query = select(Plan).order_by(Plan.id.desc())
    if ref:
        conditions = [func.upper(Plan.code_prefix) == ref.upper(), Plan.number == ref]
        if ref.isdigit():
            conditions.append(Plan.id == int(ref))
        query = query.where(or_(*conditions))
    plan = await session.scalar(query.limit(1))
    if plan is None:
        raise UserError(
            f"Không tìm thấy kế hoạch «{ref}»." if ref else "Chưa có kế hoạch nào được nhập."
        )
    return plan


async def load_plan(session: AsyncSession, plan_id: int) -> Plan:
    """The plan with its sections, tasks, assignments (with units) and dues loaded."""
    query = (
        select(Plan)
        .where(Plan.id == plan_id)
        .options(
            selectinload(Plan.sections)
            .selectinload(Section.tasks)
            .selectinload(Task.assignments)
            .joinedload(Assignment.unit),
            selectinload(Plan.sections).selectinload(Section.tasks).selectinload(Task.dues),
        )
    )
    plan = await session.scalar(query)
    if plan is None:
        raise UserError(f"Không tìm thấy kế hoạch số {plan_id}.")
    return plan


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


async def plan_json(session: AsyncSession, plan_id: int) -> dict[str, Any]:
    """The JSON contract of ``plan show --json``: the plan as its latest version has it."""
    plan = await load_plan(session, plan_id)
    ids = {a.officer_id for s in plan.sections for t in s.tasks for a in t.assignments}
    query = select(Officer.id, Officer.name).where(Officer.id.in_(ids - {None}))
    officers = {officer_id: name for officer_id, name in (await session.execute(query)).all()}
    return plan_document(plan, await current_version(session, plan_id), officers)


def plan_document(
    plan: Plan, version: int, officers: Mapping[int, str] | None = None
) -> dict[str, Any]:
    """The document of a plan loaded by ``load_plan``; ``version`` is its latest import;
    ``officers`` names the officers in charge of its assignments, by id.

    A task an amended version dropped stays, with ``removed_in`` naming that version:
    it was closed, not deleted, and its history is still there to read. Each unit of a
    task names the officer in charge of its part, or null when the unit answers as a whole.
    """
    names = officers or {}
    return {
        "plan": {
            "id": plan.id,
            "number": plan.number,
            "title": plan.title,
            "issuer": plan.issuer,
            "year": plan.year,
            "source": plan.source,
            "version": version,
        },
        "sections": [
            {
                "number": section.number,
                "title": section.title,
                "tasks": [_task_document(task, names) for task in section.tasks],
            }
            for section in plan.sections
        ],
    }


def _task_document(task: Task, officers: Mapping[int, str]) -> dict[str, Any]:
    return {
        "code": task.code,
        "number": task.number,
        "content": task.content,
        "product": task.product,
        "units": [
            {
                "name": a.unit.name,
                "role": a.role,
                "officer": officers.get(a.officer_id) if a.officer_id else None,
            }
            for a in task.assignments
        ],
        "deadline_text": task.deadline_text,
        "removed_in": task.removed_in,
        "dues": [
            {
                "kind": due.kind,
                "due": _iso(due.due_on),
                "start": _iso(due.start_on),
                "rule": due.rule,
            }
            for due in task.dues
        ],
    }


_DATED_KINDS = ("date", "period", "range")
"""One-off dues: a year missing from their cell was guessed (recurring ones need none).
The whole cell is read: in "Quý II, Quý IV/2022" the first due's year is written."""
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)|\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?!\d)")
"""A four-digit year, or a date written with a two-digit one ("15/6/22")."""


def plan_problems(plan: Plan) -> list[str]:
    """What a person must fix or confirm before the plan's reminders are complete."""
    problems = []
    for section in plan.sections:
        for task in section.tasks:
            if not task.assignments:
                problems.append(f"{task.code}: chưa có đơn vị thực hiện.")
            guesses = _approximations(task, plan.year)
            for due in task.dues:
                if due.due_on is not None and (why := guesses.get((due.text, due.kind))):
                    problems.append(
                        f"{task.code}: thời hạn «{due.text}» là ước lượng: đã chọn ngày"
                        f" {due.due_on:%d/%m/%Y} ({why}), hãy kiểm tra."
                    )
                if due.kind == "unparsed":
                    problems.append(f"{task.code}: không đọc được thời hạn «{due.text}».")
                elif due.kind == "on_request":
                    problems.append(f"{task.code}: thời hạn «{due.text}» — không tự nhắc.")
                elif due.kind in _DATED_KINDS and not _YEAR.search(task.deadline_text):
                    year = due.due_on.year if due.due_on else plan.year
                    problems.append(
                        f"{task.code}: thời hạn «{due.text}» không ghi năm; đã lấy năm"
                        f" {year} của kế hoạch, hãy kiểm tra."
                    )
    return problems


def _approximations(task: Task, year: int | None) -> dict[tuple[str, str], str]:
    """Why each approximate due of ``task`` was read as it was, by fragment and kind.

    Not stored: the reading is the parser's, so it is read again from the task's
    deadline text (the dues were written from that same text).
    """
    return {
        (occurrence.text, occurrence.kind): occurrence.approximate
        for occurrence in parse_deadline(task.deadline_text, year)
        if occurrence.approximate
    }


async def units_without_officers(session: AsyncSession, plan_id: int) -> list[str]:
    """Units of the plan that nobody can be reminded for (no officer registered)."""
    query = (
        select(Unit.name)
        .join(Assignment, Assignment.unit_id == Unit.id)
        .join(Task, Task.id == Assignment.task_id)
        .where(Task.plan_id == plan_id)
        .where(~select(Officer.id).where(Officer.unit_id == Unit.id).exists())
        .distinct()
        .order_by(Unit.name)
    )
    return list((await session.scalars(query)).all())


async def officers_without_chat(session: AsyncSession, plan_id: int) -> list[str]:
    """Officers of the plan's units linked on no channel: reminders cannot reach them yet."""
    query = (
        select(Officer.name)
        .join(Assignment, Assignment.unit_id == Officer.unit_id)
        .join(Task, Task.id == Assignment.task_id)
        .where(
            Task.plan_id == plan_id,
            Officer.active.is_(True),
            ~select(OfficerLink.id).where(OfficerLink.officer_id == Officer.id).exists(),
        )
        .distinct()
        .order_by(Officer.name)
    )
    return list((await session.scalars(query)).all())


async def dues_between(
    session: AsyncSession, start: date, until: date, plan_id: int | None = None
) -> list[tuple[Due, Task]]:
    """Dated dues in [start, until], soonest first, with their tasks."""
    query = (
        select(Due, Task)
        .join(Task, Task.id == Due.task_id)
        .where(Due.due_on.is_not(None), Due.due_on >= start, Due.due_on <= until)
        .order_by(Due.due_on, Task.position)
    )
    if plan_id is not None:
        query = query.where(Task.plan_id == plan_id)
    return [(due, task) for due, task in (await session.execute(query)).all()]
