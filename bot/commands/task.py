"""``nhacviec task edit``: correct one task without re-importing its plan."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands.runner import console, in_session, replanned, run
from bot.i18n import t
from data.corrections import TaskEdit, edit_task
from scheduler.clock import SystemClock
from scheduler.settings import load_policy

app = typer.Typer(help="Nhiệm vụ: sửa từng nhiệm vụ.", no_args_is_help=True)


@app.command("edit")
def edit_command(
    code: Annotated[str, typer.Argument(help="Mã nhiệm vụ, ví dụ BDT22-I.1")],
    deadline: Annotated[
        str | None, typer.Option(help="Thời hạn mới, viết như trong kế hoạch: «Quý II/2026»")
    ] = None,
    lead: Annotated[str | None, typer.Option(help="Đơn vị chủ trì (tên đã đăng ký)")] = None,
    coordinate: Annotated[
        list[str] | None, typer.Option(help="Đơn vị phối hợp (lặp lại cho nhiều đơn vị)")
    ] = None,
    officer: Annotated[str | None, typer.Option(help="Cán bộ phụ trách (tên hoặc id)")] = None,
    no_coordinate: Annotated[
        bool, typer.Option("--no-coordinate", help="Bỏ mọi đơn vị phối hợp của nhiệm vụ")
    ] = False,
) -> None:
    """Sửa thời hạn, đơn vị hoặc cán bộ của một nhiệm vụ; nhắc việc được lập lại ngay."""
    edit = TaskEdit(deadline, lead, tuple(coordinate or ()), officer, no_coordinate)

    async def work(session: AsyncSession) -> dict[str, str]:
        strict = (await load_policy(session)).before_is_previous_day
        task = await edit_task(
            session, code, edit, now=SystemClock().now(), before_is_previous_day=strict
        )
        units = {
            role: [a.unit.name for a in task.assignments if (a.role == "lead") == role]
            for role in (True, False)
        }
        return await replanned(
            session,
            {
                "code": task.code,
                "deadline": task.deadline_text,
                "lead": ", ".join(units[True]) or "—",
                "coordinate": ", ".join(units[False]) or "—",
            },
            tasks=[task.code],
        )

    console.print(t("task_edited", **run(in_session(work))), markup=False)
