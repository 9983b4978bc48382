"""``nhacviec invite create OFFICER``: a single-use code that links a chat to an officer."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands.runner import console, in_session, run
from bot.commands.types import whole
from data.invites import create_invite
from data.people import find_officer
from scheduler.clock import SystemClock

invite = typer.Typer(help="Mã mời liên kết Telegram / Zalo.", no_args_is_help=True)


def telegram_link(code: str) -> str | None:
    """``https://t.me/<bot>?start=<code>``: opening it sends the code to the bot; None when
    the bot's username is not configured."""
    username = os.environ.get("TELEGRAM_BOT_USERNAME", "").strip().lstrip("@")
    return f"https://t.me/{username}?start={code}" if username else None


def deep_link(code: str) -> str:
    """The Telegram link, or how to get it when the bot is not configured."""
    return telegram_link(code) or (
        "(đặt TELEGRAM_BOT_USERNAME để in đường dẫn https://t.me/<bot>?start=<mã>)"
    )


@invite.command("create")
def invite_create(
    officer: Annotated[str, typer.Argument(help="Tên hoặc số id cán bộ")],
    days: Annotated[int, typer.Option(parser=whole(1, 90), help="Số ngày hiệu lực")] = 7,
) -> None:
    """Tạo mã mời dùng một lần cho cán bộ OFFICER (hiệu lực 7 ngày)."""

    async def work(session: AsyncSession) -> tuple[str, str]:
        found = await find_officer(session, officer)
        return found.name, await create_invite(session, found.id, SystemClock().now(), days)

    name, code = run(in_session(work))
    console.print(f"Mã mời của {name} (dùng một lần, {days} ngày): {code}", markup=False)
    console.print(f"Telegram: {deep_link(code)}", markup=False)
    console.print(f"Zalo: gửi mã {code} cho bot Nhắc việc.", markup=False)
