"""``nhacviec web link OFFICER``: a one-time sign-in link for the web pages.

How the first administrator gets in (everyone else types ``/web`` in chat). The
link is printed, not sent: whoever runs the command on the server is trusted.
"""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands.runner import console, in_session, run
from bot.settings import load_settings
from data.people import find_officer
from data.web_auth import LINK_MINUTES, issue_link, sign_in_url
from scheduler.clock import SystemClock

app = typer.Typer(help="Trang web của Nhắc việc.", no_args_is_help=True)


@app.command("link")
def link_command(
    officer: Annotated[str, typer.Argument(help="Tên hoặc số id cán bộ")],
) -> None:
    """In liên kết đăng nhập trang web (dùng một lần, hiệu lực 15 phút) cho cán bộ OFFICER."""
    base = load_settings().pages_url

    async def work(session: AsyncSession) -> tuple[str, str]:
        found = await find_officer(session, officer)
        return found.name, await issue_link(session, found, SystemClock().now())

    name, token = run(in_session(work))
    console.print(
        f"Liên kết đăng nhập của {name} (dùng một lần, {LINK_MINUTES} phút):", markup=False
    )
    console.print(sign_in_url(base, token), markup=False, soft_wrap=True)
