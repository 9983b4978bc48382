"""``nhacviec unit …`` and ``nhacviec officer …``: the registry of units and people."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.commands.runner import console, in_session, replanned, run
from bot.i18n import t
from data.errors import UserError
from data.leaders import add_scope
from data.models import Officer, Unit
from data.people import (
    OfficerInput,
    RosterResult,
    add_officer,
    add_unit,
    find_officer,
    import_roster,
)
from data.plans.view import find_plan
from data.unit_merge import merge_units
from scheduler.clock import SystemClock
from scheduler.planner import replan_report_dues

units = typer.Typer(help="Đơn vị.", no_args_is_help=True)
officers = typer.Typer(help="Cán bộ.", no_args_is_help=True)
ROSTER_CONTACTS = {"telegram_username": "telegram", "zalo_name": "zalo"}
"""The officers CSV's contact columns (a file format people already have) → channel names."""


async def _unit_rows(session: AsyncSession) -> list[tuple[str, str]]:
    parent = aliased(Unit)
    query = select(Unit.name, parent.name).outerjoin(parent, Unit.parent_id == parent.id)
    return [(name, parent_name or "") for name, parent_name in await session.execute(query)]


@units.command("list")
def unit_list() -> None:
    """Các đơn vị đã đăng ký."""
    table = Table()
    table.add_column(t("col_name"))
    table.add_column(t("col_parent"))
    for name, parent in sorted(run(in_session(_unit_rows))):
        table.add_row(name, parent)
    console.print(table)


@units.command("add")
def unit_add(
    name: Annotated[str, typer.Argument(help="Tên đơn vị, ví dụ «Văn phòng (Ban Dân tộc)»")],
    short: Annotated[str | None, typer.Option(help="Tên ngắn")] = None,
) -> None:
    """Đăng ký một đơn vị."""
    unit = run(in_session(lambda s: add_unit(s, name, short_name=short)))
    console.print(t("unit_added", name=unit.name), markup=False)


@units.command("merge")
def unit_merge(
    source: Annotated[str, typer.Argument(help="Đơn vị bị gộp (tên viết khác)")],
    target: Annotated[str, typer.Argument(help="Đơn vị giữ lại")],
) -> None:
    """Gộp hai tên của cùng một đơn vị: việc, cán bộ và tên gọi khác chuyển sang TARGET."""

    async def work(session: AsyncSession) -> str:
        return (await replanned(session, await merge_units(session, source, target))).name

    console.print(f"Đã gộp «{source}» vào «{run(in_session(work))}».", markup=False)


async def _officer_rows(session: AsyncSession) -> list[tuple[str, str, str]]:
    query = select(Officer.name, Unit.name, Officer.role).outerjoin(Unit).order_by(Unit.name)
    return [(name, unit or "", role) for name, unit, role in await session.execute(query)]


@officers.command("list")
def officer_list() -> None:
    """Các cán bộ đã đăng ký."""
    table = Table()
    for column in ("col_name", "col_unit", "col_role"):
        table.add_column(t(column))
    for row in run(in_session(_officer_rows)):
        table.add_row(*row)
    console.print(table)


async def _add(session: AsyncSession, given: OfficerInput) -> tuple[str, str, str]:
    officer = await replanned(session, await add_officer(session, given))
    unit = await session.get(Unit, officer.unit_id) if officer.unit_id else None
    return officer.name, unit.name if unit else "—", officer.role


@officers.command("add")
def officer_add(
    name: Annotated[str, typer.Argument(help="Họ tên")],
    unit: Annotated[
        str | None, typer.Option(help="Đơn vị (tên đã đăng ký; lãnh đạo, quản trị: có thể bỏ)")
    ] = None,
    role: Annotated[str, typer.Option(help="officer | unit_head | leader | admin")] = "officer",
    phone: Annotated[str | None, typer.Option(help="Số điện thoại")] = None,
    telegram: Annotated[str | None, typer.Option(help="Tên người dùng Telegram")] = None,
    zalo: Annotated[str | None, typer.Option(help="Tên Zalo")] = None,
) -> None:
    """Đăng ký một cán bộ."""
    contacts = {
        channel: handle for channel, handle in (("telegram", telegram), ("zalo", zalo)) if handle
    }
    given = OfficerInput(name, unit, role, phone, contacts)
    name_, unit_, role_ = run(in_session(lambda s: _add(s, given)))
    console.print(t("officer_added", name=name_, unit=unit_, role=role_), markup=False)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Không đọc được tệp {path}: {exc}") from exc


@officers.command("import")
def officer_import(
    file: Annotated[
        Path, typer.Argument(help=f"CSV: name,unit,role,phone,{','.join(ROSTER_CONTACTS)}")
    ],
) -> None:
    """Nhập danh sách cán bộ từ CSV (thêm người mới, cập nhật người đã có): tất cả hoặc không."""

    async def work(session: AsyncSession) -> RosterResult:
        roster = _read_text(file)
        return await replanned(session, await import_roster(session, roster, ROSTER_CONTACTS))

    result = run(in_session(work))
    console.print(t("officers_imported", added=len(result.added), updated=len(result.updated)))


@officers.command("scope")
def officer_scope(
    leader: Annotated[str, typer.Argument(help="Lãnh đạo (tên hoặc id)")],
    plan: Annotated[str | None, typer.Option(help="Kế hoạch lãnh đạo phụ trách (mã, số)")] = None,
    issuer: Annotated[
        str | None, typer.Option(help="Cơ quan ban hành: mọi kế hoạch của cơ quan này")
    ] = None,
) -> None:
    """Giao cho lãnh đạo một kế hoạch hoặc một cơ quan ban hành; chưa giao = mọi kế hoạch."""

    async def work(session: AsyncSession) -> tuple[str, str]:
        officer = await find_officer(session, leader)
        found = await find_plan(session, plan) if plan else None
        await add_scope(session, officer, plan=found, issuer=issuer)
        await replan_report_dues(session, SystemClock().now())
        return officer.name, found.code_prefix if found else str(issuer)

    name, scope = run(in_session(work))
    console.print(t("leader_scope_added", name=name, scope=scope), markup=False)
