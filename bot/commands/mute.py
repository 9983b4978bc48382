"""``nhacviec remind mute|unmute TASK --officer O | --unit U``: silence one task's reminders."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands.runner import console, in_session, replanned, run
from data.mutes import mute, unmute

OfficerOption = Annotated[str | None, typer.Option("--officer", help="Tên hoặc id cán bộ")]
UnitOption = Annotated[str | None, typer.Option("--unit", help="Tên đơn vị")]
TaskArgument = Annotated[str, typer.Argument(help="Mã việc, ví dụ BDT22-I.1")]


def mute_command(
    task: TaskArgument, officer: OfficerOption = None, unit: UnitOption = None
) -> None:
    """Tắt nhắc việc TASK cho một cán bộ hoặc cả đơn vị (tiến độ vẫn được theo dõi)."""

    async def work(session: AsyncSession) -> bool:
        muted = await mute(session, task, officer=officer, unit=unit)
        return await replanned(session, muted, tasks=[task])

    done = run(in_session(work))
    console.print(
        f"Đã tắt nhắc {task.upper()}." if done else f"{task.upper()} đã tắt nhắc từ trước."
    )


def unmute_command(
    task: TaskArgument, officer: OfficerOption = None, unit: UnitOption = None
) -> None:
    """Bật lại nhắc việc TASK."""

    async def work(session: AsyncSession) -> bool:
        unmuted = await unmute(session, task, officer=officer, unit=unit)
        return await replanned(session, unmuted, tasks=[task])

    done = run(in_session(work))
    console.print(
        f"Đã bật lại nhắc {task.upper()}." if done else f"{task.upper()} chưa bị tắt nhắc."
    )
