"""``nhacviec chat --as OFFICER`` (the console channel) and ``nhacviec remind now TASK``."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Annotated

import typer

from bot.channels.console.repl import play
from bot.chat.commands_leader import remind_now
from bot.chat.conversation import Conversation
from bot.commands.runner import console, in_session, run
from bot.commands.types import as_moment
from bot.settings import load_settings
from data.db import open_database
from data.people import find_officer
from scheduler.clock import Clock, FakeClock, SystemClock

chat = typer.Typer(help="Trò chuyện với bot qua bàn phím (kênh console).")
remind = typer.Typer(help="Nhắc việc thủ công.", no_args_is_help=True)

NowOption = Annotated[
    datetime | None,
    typer.Option(
        "--now", parser=as_moment, help="Coi như bây giờ là lúc này (ISO, ví dụ 2022-03-28T09:00)"
    ),
]


def clock_at(now: datetime | None) -> Clock:
    """The wall clock, or a fixed instant for demos (naive times are Vietnamese time)."""
    return FakeClock(now) if now else SystemClock()


async def _chat(officer_ref: str, clock: Clock) -> None:
    async with open_database() as sessions:
        async with sessions() as session:
            officer = await find_officer(session, officer_ref)
        if sys.stdin.isatty():
            console.print(
                f"Đang trò chuyện với tư cách {officer.name}. Gõ tin nhắn, Ctrl-D để thoát.",
                markup=False,
            )
        pages = load_settings().pages_url
        conversation = Conversation(sessions, clock, pages_url=pages)
        await play(conversation, officer.id, sys.stdin, sys.stdout)


@chat.callback(invoke_without_command=True)
def chat_as(
    officer: Annotated[str, typer.Option("--as", help="Tên hoặc số id cán bộ")],
    now: NowOption = None,
) -> None:
    """Gửi tin nhắn (mỗi dòng một tin) như cán bộ OFFICER và in trả lời của bot."""
    run(_chat(officer, clock_at(now)))


@remind.command("now")
def remind_task_now(
    task: Annotated[str, typer.Argument(help="Mã việc, ví dụ BDT22-I.1")],
    now: NowOption = None,
) -> None:
    """Nhắc ngay các đơn vị chưa hoàn thành việc TASK (gửi ở lượt gửi kế tiếp)."""
    at = clock_at(now).now()
    recipients = run(in_session(lambda session: remind_now(session, task, at)))
    console.print(f"Đã xếp {len(recipients)} tin nhắc {task.upper()}.", markup=False)
