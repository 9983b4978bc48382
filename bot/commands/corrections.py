"""``plan archive``, ``unit rename``, ``officer edit`` and ``officer remove``: corrections
registered in their subjects' groups (``bot/cli.py``); each replans in its transaction and
is written in the admin audit (``data/corrections.py``)."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands.runner import console, in_session, replanned, run
from bot.i18n import t
from data.corrections import (
    OfficerEdit,
    archive_plan,
    edit_officer,
    remove_officer,
    rename_unit,
)
from scheduler.clock import SystemClock
from scheduler.outbox import cancel_officer_reminders, cancel_plan_reminders


def archive_command(
    plan: Annotated[str, typer.Argument(help="Kế hoạch (mã, số hoặc id)")],
) -> None:
    """Lưu trữ một kế hoạch: dừng mọi nhắc việc của nó, giữ lịch sử."""

    async def work(session: AsyncSession) -> tuple[str, int]:
        archived = await archive_plan(session, plan, now=SystemClock().now())
        cancelled = await cancel_plan_reminders(session, archived.id)
        return await replanned(session, (archived.code_prefix, cancelled))

    code, count = run(in_session(work))
    console.print(t("plan_archived", code=code, count=count), markup=False)


def rename_command(
    old: Annotated[str, typer.Argument(help="Tên đơn vị hiện tại")],
    new: Annotated[str, typer.Argument(help="Tên mới (tên cũ được giữ làm tên gọi khác)")],
) -> None:
    """Đổi tên một đơn vị; tên cũ vẫn được nhận ra trong kế hoạch và danh sách cán bộ."""

    async def work(session: AsyncSession) -> tuple[str, str]:
        unit = await rename_unit(session, old, new, now=SystemClock().now())
        return await replanned(session, (old, unit.name))

    old_name, new_name = run(in_session(work))
    console.print(t("unit_renamed", old=old_name, new=new_name), markup=False)


def edit_officer_command(
    officer: Annotated[str, typer.Argument(help="Cán bộ (tên hoặc id)")],
    name: Annotated[str | None, typer.Option(help="Họ tên mới")] = None,
    unit: Annotated[str | None, typer.Option(help="Đơn vị mới (tên đã đăng ký)")] = None,
    role: Annotated[str | None, typer.Option(help="officer | unit_head | leader | admin")] = None,
    phone: Annotated[str | None, typer.Option(help="Số điện thoại")] = None,
) -> None:
    """Sửa họ tên, đơn vị, vai trò hoặc số điện thoại của một cán bộ."""
    edit = OfficerEdit(name, unit, role, phone)

    async def work(session: AsyncSession) -> tuple[str, str, str]:
        found = await edit_officer(session, officer, edit, now=SystemClock().now())
        unit_name = found.unit.name if found.unit else "—"
        return await replanned(session, (found.name, unit_name, found.role))

    name_, unit_, role_ = run(in_session(work))
    console.print(t("officer_edited", name=name_, unit=unit_, role=role_), markup=False)


def remove_officer_command(
    officer: Annotated[str, typer.Argument(help="Cán bộ (tên hoặc id)")],
) -> None:
    """Cho một cán bộ thôi nhận nhắc việc (nghỉ, chuyển công tác); lịch sử được giữ."""

    async def work(session: AsyncSession) -> tuple[str, int]:
        removed = await remove_officer(session, officer, now=SystemClock().now())
        cancelled = await cancel_officer_reminders(session, removed.id)
        return await replanned(session, (removed.name, cancelled))

    name, count = run(in_session(work))
    console.print(t("officer_removed", name=name, count=count), markup=False)
