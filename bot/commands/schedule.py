"""``nhacviec schedule …``, ``policy …`` and ``calendar …``: when reminders go out."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands.runner import console, in_session, replanned, run
from bot.commands.types import as_date, window
from bot.render import slot_label
from data.errors import UserError
from data.people import find_officer
from data.plans.view import find_plan
from data.vn_dates import vn_date, vn_weekday_date
from scheduler.clock import TZ
from scheduler.policy import PolicyError
from scheduler.preview import PreviewMessage, preview
from scheduler.settings import list_calendar, load_policy, set_calendar_day, set_policy

schedule = typer.Typer(help="Lịch nhắc việc.", no_args_is_help=True)
policy = typer.Typer(help="Chính sách nhắc việc.", no_args_is_help=True)
calendar = typer.Typer(help="Lịch làm việc: ngày nghỉ bù, ngày làm bù.", no_args_is_help=True)

PlanOption = Annotated[str | None, typer.Option("--plan", help="Mã, số hoặc id kế hoạch")]


async def _preview(
    session: AsyncSession, plan: str | None, first: date, last: date, officer: str | None
) -> list[PreviewMessage]:
    plan_id = (await find_plan(session, plan)).id if plan else None
    officer_id = (await find_officer(session, officer)).id if officer else None
    return await preview(session, first, last, plan_id=plan_id, officer_id=officer_id)


def _json(messages: list[PreviewMessage]) -> str:
    """Times in Vietnam's offset, dates ISO: what a script comparing with a plan expects."""
    rows = [{**asdict(m), "at": m.at.astimezone(TZ).isoformat()} for m in messages]
    return json.dumps(rows, ensure_ascii=False, indent=2, default=date.isoformat)


def _table(messages: list[PreviewMessage]) -> Table:
    table = Table(title=f"{len(messages)} tin nhắn")
    table.add_column("Thời điểm", no_wrap=True)
    table.add_column("Người nhận")
    table.add_column("Nội dung")
    for m in messages:
        local = m.at.astimezone(TZ)
        lines = [
            f"{i.code or '—'} · {slot_label(i.kind, i.slot)}"
            + (f" · hạn {vn_date(i.due)}" if i.due else "")
            for i in m.items
        ]
        who = Text.assemble(m.recipient, "\n", (m.unit or "", "dim"))
        table.add_row(f"{vn_weekday_date(local.date())} {local:%H:%M}", who, "\n".join(lines))
    return table


@schedule.command("preview")
def preview_command(
    plan: PlanOption = None,
    start: Annotated[date | None, typer.Option("--from", parser=as_date, help="Từ ngày")] = None,
    until: Annotated[date | None, typer.Option("--until", parser=as_date, help="Đến ngày")] = None,
    officer: Annotated[str | None, typer.Option(help="Chỉ tin nhắn của cán bộ này")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON")] = False,
) -> None:
    """Những gì sẽ được gửi, khi nào, cho ai — không gửi gì."""
    first = start or date.today()
    first, last = window(first, until or date(first.year, 12, 31))
    messages = run(in_session(lambda s: _preview(s, plan, first, last, officer), commit=False))
    if as_json:
        typer.echo(_json(messages))
    else:
        console.print(_table(messages))


@policy.command("show")
def policy_show(plan: PlanOption = None) -> None:
    """Xem chính sách nhắc việc (chung, hoặc của một kế hoạch)."""

    async def work(session: AsyncSession) -> dict[str, object]:
        plan_id = (await find_plan(session, plan)).id if plan else None
        return (await load_policy(session, plan_id)).to_dict()

    for key, value in run(in_session(work)).items():
        console.print(f"{key} = {value}", markup=False)


@policy.command("set")
def policy_set(
    key: Annotated[str, typer.Argument(help="Tên thiết lập, ví dụ offsets_lead")],
    value: Annotated[str, typer.Argument(help="Giá trị, ví dụ 10,5,2,0")],
    plan: PlanOption = None,
) -> None:
    """Đổi một thiết lập; lịch nhắc được lập lại ở lần chạy tới."""

    async def work(session: AsyncSession) -> object:
        plan_id = (await find_plan(session, plan)).id if plan else None
        try:
            policy = await set_policy(session, key, value, plan_id)
            return await replanned(session, policy.to_dict()[key], plan_id=plan_id)
        except PolicyError as exc:
            raise UserError(str(exc)) from exc

    console.print(f"{key} = {run(in_session(work))}", markup=False)


def _set_day(when: date, working: bool, label: str) -> None:
    async def work(session: AsyncSession) -> None:
        await set_calendar_day(session, when, working=working, label=label)
        await replanned(session, None)

    run(in_session(work))
    kind = "ngày làm việc" if working else "ngày nghỉ"
    console.print(f"{vn_weekday_date(when)}: {kind} ({label})", markup=False)


@calendar.command("add-off")
def calendar_add_off(
    when: Annotated[
        date, typer.Argument(parser=as_date, metavar="NGÀY", help="Ngày, ví dụ 2026-01-02")
    ],
    label: Annotated[str, typer.Argument(help="Lý do")] = "Nghỉ bù",
) -> None:
    """Thêm một ngày nghỉ (nghỉ bù, nghỉ đột xuất)."""
    _set_day(when, False, label)


@calendar.command("add-workday")
def calendar_add_workday(
    when: Annotated[
        date, typer.Argument(parser=as_date, metavar="NGÀY", help="Ngày, ví dụ 2026-01-10")
    ],
    label: Annotated[str, typer.Argument(help="Lý do")] = "Làm bù",
) -> None:
    """Thêm một ngày làm việc (thứ Bảy làm bù)."""
    _set_day(when, True, label)


@calendar.command("list")
def calendar_list() -> None:
    """Các ngày đã khai báo thêm."""
    table = Table()
    for column in ("Ngày", "Loại", "Ghi chú"):
        table.add_column(column)
    for row in run(in_session(list_calendar)):
        kind = "làm việc" if row.working else "nghỉ"
        table.add_row(vn_weekday_date(row.day), kind, row.label)
    console.print(table)
