"""Corrections without a file: a task's deadline or units, a plan archived, a unit renamed,
an officer edited or removed (issue 13 §5.2).

An import gets some cells wrong and people move; re-importing a whole plan to fix
one deadline would be out of proportion. Each function here changes what it names,
keeps every history row (progress, audit, sent reminders: dues and assignments are
rewritten in place, never dropped and re-created when one can be kept), and writes
its ``admin_changes`` row. The caller replans the outbox in the same transaction
(the scheduler is above this layer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from data.admin_audit import record_change
from data.deadlines import parse_deadline
from data.errors import UserError
from data.models import Assignment, Due, Officer, Plan, Task, Unit, UnitAlias
from data.people import OfficerInput, add_alias, find_officer, find_unit, load_registry
from data.people import update_officer as apply_officer_input
from data.plans.view import find_plan
from data.text import nfc
from data.unit_registry import unit_key
from data.work_items import work_items


@dataclass(frozen=True)
class TaskEdit:
    """What ``task edit`` was asked to change (None / empty: leave as is)."""

    deadline: str | None = None
    lead: str | None = None
    coordinate: Sequence[str] = ()
    officer: str | None = None
    no_coordinate: bool = False
    """Remove every coordinating unit (``--no-coordinate``): an empty ``coordinate``
    means "leave as is", so clearing needs its own word."""


async def edit_task(
    session: AsyncSession,
    code: str,
    edit: TaskEdit,
    *,
    now: datetime,
    before_is_previous_day: bool = True,
) -> Task:
    """Correct one task's deadline, lead unit, coordinating units or officer in charge."""
    if edit == TaskEdit():
        raise UserError(
            "Không có gì để sửa: dùng --deadline, --lead, --coordinate, --no-coordinate"
            " hoặc --officer."
        )
    if edit.coordinate and edit.no_coordinate:
        raise UserError("Chỉ dùng một trong hai: --coordinate hoặc --no-coordinate.")
    task = await _load_task(session, code)
    before = _task_fields(task)
    if edit.deadline is not None:
        plan = await session.get(Plan, task.plan_id)
        await _set_deadline(
            session, task, edit.deadline, plan.year if plan else None, before_is_previous_day
        )
    if edit.lead is not None:
        await _set_lead(session, task, await find_unit(session, edit.lead))
    if edit.coordinate or edit.no_coordinate:
        await _set_coordinators(
            session, task, [await find_unit(session, n) for n in edit.coordinate]
        )
    if edit.officer:
        _set_officer(task, await find_officer(session, edit.officer))
    await session.flush()
    task = await _load_task(session, task.code, fresh=True)
    await record_change(session, "task edit", task.code, before, _task_fields(task), at=now)
    return task


async def _load_task(session: AsyncSession, code: str, *, fresh: bool = False) -> Task:
    """The task with its assignments (and their units) and dues; ``fresh`` reloads them
    after a change (a moved assignment's unit is otherwise the one loaded before)."""
    query = (
        select(Task)
        .where(func.upper(Task.code) == code.strip().upper())
        .options(selectinload(Task.assignments), selectinload(Task.dues))
        .execution_options(populate_existing=fresh)
    )
    task = await session.scalar(query)
    if task is None:
        raise UserError(f"Không có nhiệm vụ «{code}» (xem mã bằng nhacviec plan show).")
    return task


def _task_fields(task: Task) -> dict[str, Any]:
    """A task's correctable fields as the audit keeps them."""
    return {
        "deadline": task.deadline_text,
        "dues": [[d.kind, d.due_on.isoformat() if d.due_on else None, d.rule] for d in task.dues],
        "lead": [a.unit.name for a in task.assignments if a.role == "lead"],
        "coordinate": [a.unit.name for a in task.assignments if a.role != "lead"],
        "officer_ids": sorted({a.officer_id for a in task.assignments if a.officer_id}),
    }


async def _set_deadline(
    session: AsyncSession, task: Task, text: str, year: int | None, strict: bool
) -> None:
    """Read ``text`` as the plan's reader would and write it over the task's dues in order:
    a kept row keeps its progress; rows the new text no longer has go."""
    occurrences = parse_deadline(nfc(text), year, before_is_previous_day=strict)
    if not text.strip() or all(o.kind == "unparsed" for o in occurrences):
        raise UserError(f"Không đọc được thời hạn «{text}»; ví dụ: 31/3/2026, Quý II/2026.")
    dues = list(task.dues)
    for position, occ in enumerate(occurrences):
        if position == len(dues):
            dues.append(Due(task_id=task.id, position=position))
            session.add(dues[-1])
        due = dues[position]
        due.kind, due.due_on, due.start_on, due.rule, due.text = (
            occ.kind,
            occ.due,
            occ.start,
            occ.rule,
            occ.text,
        )
    for extra in dues[len(occurrences) :]:
        await session.delete(extra)
    task.deadline_text = nfc(text).strip()


async def _set_lead(session: AsyncSession, task: Task, unit: Unit) -> None:
    """``unit`` alone leads: its own lead assignment is kept, else the first one is moved to
    it (keeping its progress)."""
    leads = sorted(
        (a for a in task.assignments if a.role == "lead"), key=lambda a: a.unit_id != unit.id
    )
    for other in [a for a in task.assignments if a.role != "lead" and a.unit_id == unit.id]:
        await session.delete(other)  # a unit does not coordinate what it leads
    if leads:
        if leads[0].unit_id != unit.id:
            leads[0].unit_id, leads[0].officer_id = unit.id, None
        for extra in leads[1:]:
            await session.delete(extra)
    else:
        session.add(Assignment(task_id=task.id, unit_id=unit.id, role="lead", position=0))
    task.lead_text = unit.name


async def _set_coordinators(session: AsyncSession, task: Task, units: list[Unit]) -> None:
    """Exactly ``units`` coordinate: the ones kept keep their progress."""
    wanted = {u.id: u for u in units}
    lead_units = {a.unit_id for a in task.assignments if a.role == "lead"}
    clash = [u.name for u in units if u.id in lead_units]
    if clash:
        raise UserError(f"«{clash[0]}» đang chủ trì nhiệm vụ này, không thể vừa phối hợp.")
    current = {a.unit_id: a for a in task.assignments if a.role != "lead"}
    for unit_id, assignment in current.items():
        if unit_id not in wanted:
            await session.delete(assignment)
    position = max((a.position for a in task.assignments), default=0)
    for unit_id in wanted.keys() - current.keys():
        position += 1
        session.add(
            Assignment(task_id=task.id, unit_id=unit_id, role="coordinate", position=position)
        )
    task.coordinate_text = ", ".join(u.name for u in units)


def _set_officer(task: Task, officer: Officer) -> None:
    """``officer`` answers for their unit's part of the task (lead or coordinating)."""
    mine = [a for a in task.assignments if a.unit_id == officer.unit_id]
    if not mine:
        units = ", ".join(a.unit.name for a in task.assignments) or "chưa có đơn vị"
        raise UserError(f"Cán bộ «{officer.name}» không thuộc đơn vị nào của nhiệm vụ ({units}).")
    for assignment in mine:
        assignment.officer_id = officer.id


async def archive_plan(session: AsyncSession, ref: str, *, now: datetime) -> Plan:
    """Mark a plan archived (its reminders are the caller's to cancel); history stays."""
    plan = await find_plan(session, ref)
    if plan.archived_at is not None:
        raise UserError(f"Kế hoạch {plan.code_prefix} đã được lưu trữ trước đó.")
    plan.archived_at = now
    await record_change(
        session,
        "plan archive",
        plan.code_prefix,
        {"archived_at": None},
        {"archived_at": now.isoformat()},
        at=now,
    )
    return plan


async def rename_unit(session: AsyncSession, old: str, new: str, *, now: datetime) -> Unit:
    """Give a unit its new name; the old one stays as an alias (plans and rosters still say it)."""
    unit = await find_unit(session, old)
    clean = nfc(new).strip(" .;,")
    if not clean:
        raise UserError("Tên đơn vị mới không được để trống.")
    registry, by_name = await load_registry(session)
    taken = registry.resolve(clean)
    if taken is not None and taken.exact and by_name[taken.name].id != unit.id:
        raise UserError(
            f"Đã có đơn vị «{taken.name}»; nếu là cùng một đơn vị, dùng nhacviec unit merge."
        )
    before = {"name": unit.name}
    old_name, key = unit.name, unit_key(clean)
    own_alias = await session.scalar(
        select(UnitAlias).where(UnitAlias.unit_id == unit.id, UnitAlias.key == key)
    )
    if own_alias is not None:  # renamed back to an earlier name: it is the name again
        await session.delete(own_alias)
        await session.flush()
    unit.name, unit.key = clean, key
    await session.flush()
    await add_alias(session, unit, old_name)
    await record_change(session, "unit rename", old_name, before, {"name": unit.name}, at=now)
    return unit


@dataclass(frozen=True)
class OfficerEdit:
    """What ``officer edit`` was asked to change (None: leave as is)."""

    name: str | None = None
    unit: str | None = None
    role: str | None = None
    phone: str | None = None


async def edit_officer(
    session: AsyncSession, ref: str, edit: OfficerEdit, *, now: datetime
) -> Officer:
    """Correct an officer's name, unit, role or phone, checked as ``officer add`` checks."""
    if edit == OfficerEdit():
        raise UserError("Không có gì để sửa: dùng --name, --unit, --role hoặc --phone.")
    officer = await find_officer(session, ref)
    before = _officer_fields(officer)
    unit = edit.unit if edit.unit is not None else (officer.unit.name if officer.unit else None)
    given = OfficerInput(
        name=officer.name, unit=unit or None, role=edit.role or officer.role, phone=edit.phone
    )
    await apply_officer_input(session, officer, given)
    if edit.name is not None:
        name = nfc(edit.name).strip()
        if not name:
            raise UserError("Tên cán bộ không được để trống.")
        officer.name = name
    await session.flush()
    await session.refresh(officer, ["unit"])
    await record_change(
        session, "officer edit", before["name"], before, _officer_fields(officer), at=now
    )
    return officer


async def remove_officer(session: AsyncSession, ref: str, *, now: datetime) -> Officer:
    """Deactivate an officer: no more reminders, their history stays.

    Refused when they are the last active person of a unit with open work: that
    work would then remind nobody. Register the replacement first (or move the
    work with ``task edit --lead``).
    """
    officer = await find_officer(session, ref)
    if not officer.active:
        raise UserError(f"Cán bộ «{officer.name}» đã thôi nhận nhắc việc trước đó.")
    if officer.unit_id is not None and await _last_of_busy_unit(session, officer):
        unit = officer.unit.name if officer.unit else ""
        raise UserError(
            f"«{officer.name}» là người duy nhất của {unit} đang có việc chưa xong; "
            "hãy thêm người thay (nhacviec officer add) trước khi bỏ."
        )
    before = _officer_fields(officer)
    officer.active = False
    assignments = await session.scalars(
        select(Assignment).where(Assignment.officer_id == officer.id)
    )
    for assignment in assignments:
        assignment.officer_id = None  # the unit answers again; its other officers get the reminders
    await session.flush()
    await record_change(
        session, "officer remove", officer.name, before, _officer_fields(officer), at=now
    )
    return officer


async def _last_of_busy_unit(session: AsyncSession, officer: Officer) -> bool:
    others = await session.scalar(
        select(Officer.id).where(
            Officer.unit_id == officer.unit_id, Officer.active.is_(True), Officer.id != officer.id
        )
    )
    if others is not None:
        return False
    return any(item.open for item in await work_items(session, unit_id=officer.unit_id))


def _officer_fields(officer: Officer) -> dict[str, Any]:
    return {
        "name": officer.name,
        "unit": officer.unit.name if officer.unit else None,
        "role": officer.role,
        "phone": officer.phone,
        "active": officer.active,
    }
