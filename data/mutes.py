"""Silencing one task's reminders for an officer or a whole unit (and undoing it).

A mute is a row the planner reads: muted work keeps its progress and still shows
in summaries; only the reminders stop (the next planning run cancels them).
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from data.errors import UserError
from data.models import Mute, Task
from data.people import find_officer, find_unit


async def _task(session: AsyncSession, code: str) -> Task:
    task = await session.scalar(select(Task).where(Task.code == code.strip().upper()))
    if task is None:
        raise UserError(f"Không tìm thấy việc mã {code}.")
    return task


async def _who(
    session: AsyncSession, officer: str | None, unit: str | None
) -> tuple[int | None, int | None]:
    if (officer is None) == (unit is None):
        raise UserError("Chọn một: --officer (một cán bộ) hoặc --unit (cả đơn vị).")
    if officer is not None:
        return (await find_officer(session, officer)).id, None
    assert unit is not None
    return None, (await find_unit(session, unit)).id


async def mute(session: AsyncSession, code: str, *, officer: str | None, unit: str | None) -> bool:
    """Stop reminders of task ``code`` for one officer or one unit; False if already muted."""
    task = await _task(session, code)
    officer_id, unit_id = await _who(session, officer, unit)
    existing = await session.scalar(
        select(Mute.id).where(
            Mute.task_id == task.id, Mute.officer_id == officer_id, Mute.unit_id == unit_id
        )
    )
    if existing is not None:
        return False
    session.add(Mute(task_id=task.id, officer_id=officer_id, unit_id=unit_id))
    await session.flush()
    return True


async def unmute(
    session: AsyncSession, code: str, *, officer: str | None, unit: str | None
) -> bool:
    """Undo ``mute``; False when there was nothing to undo."""
    task = await _task(session, code)
    officer_id, unit_id = await _who(session, officer, unit)
    result = await session.execute(
        delete(Mute).where(
            Mute.task_id == task.id, Mute.officer_id == officer_id, Mute.unit_id == unit_id
        )
    )
    return bool(getattr(result, "rowcount", 0))
