"""``nhacviec officer show [OFFICER]`` and ``nhacviec officer prefer OFFICER CHANNEL``.

Which chats an officer is linked to, and where reminders go first. The route shown
is the dispatcher's own (``scheduler.dispatch_rules.routes``) so the table can never
disagree with what will happen; a fallback is tried only on a permanent failure.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.registry import CHANNELS
from bot.commands.runner import console, in_session, run
from data.errors import UserError
from data.invites import TRUSTED
from data.models import Officer
from data.people import find_officer
from scheduler.dispatch_rules import routes
from scheduler.sender import Bundle

links = typer.Typer(help="Liên kết kênh nhắn tin của cán bộ.", no_args_is_help=True)
LINKABLE = tuple(name for name in CHANNELS if name != TRUSTED)
"""The channels an officer links a chat on, in the registry's order (the dispatcher's)."""
NOT_LINKED = "—"


class _Linked:
    """Stands for a configured sender: ``routes`` only needs the channel names."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    async def send(self, bundle: Bundle) -> str:
        raise NotImplementedError("used for routing only")


_SENDERS = {name: _Linked(name) for name in LINKABLE}


def route_label(officer: Officer) -> str:
    """``zalo → telegram``: the channels tried in order, or why there are none."""
    found = routes(
        officer.addresses, officer.preferred_channel, _SENDERS, unlinked_address=officer.name
    )
    return " → ".join(channel for channel, _ in found) or "chưa liên kết kênh nào"


def _row(officer: Officer) -> tuple[str, ...]:
    unit = officer.unit.name if officer.unit else ""
    linked = (officer.addresses.get(channel, NOT_LINKED) for channel in LINKABLE)
    status = "không liên lạc được" if officer.unreachable_at else ""
    return (officer.name, unit, *linked, route_label(officer), status)


@links.command("show")
def show(
    officer: Annotated[str | None, typer.Argument(help="Tên hoặc số id; bỏ trống: tất cả")] = None,
) -> None:
    """Các kênh đã liên kết của cán bộ và thứ tự gửi nhắc việc."""

    async def work(session: AsyncSession) -> list[tuple[str, ...]]:
        if officer is not None:
            return [_row(await find_officer(session, officer))]
        everyone = await session.scalars(select(Officer).where(Officer.active).order_by(Officer.id))
        return [_row(o) for o in everyone]

    table = Table()
    for column in ("Cán bộ", "Đơn vị", *(c.capitalize() for c in LINKABLE), "Gửi qua", "Ghi chú"):
        table.add_column(column)
    for row in run(in_session(work, commit=False)):
        table.add_row(*row)
    console.print(table)


@links.command("prefer")
def prefer(
    officer: Annotated[str, typer.Argument(help="Tên hoặc số id cán bộ")],
    channel: Annotated[str, typer.Argument(help=" | ".join(LINKABLE))],
) -> None:
    """Chọn kênh nhận nhắc việc trước; kênh kia là dự phòng khi kênh này hỏng hẳn."""
    wanted = channel.strip().lower()

    async def work(session: AsyncSession) -> tuple[str, bool, str]:
        if wanted not in LINKABLE:
            raise UserError(f"Không có kênh «{channel}»; chọn một trong: {', '.join(LINKABLE)}.")
        found = await find_officer(session, officer)
        found.preferred_channel = wanted
        return found.name, wanted in found.addresses, route_label(found)

    name, linked, route = run(in_session(work))
    console.print(f"{name}: nhắc việc gửi qua {route}.", markup=False)
    if not linked:
        console.print(
            f"Lưu ý: {name} chưa liên kết {wanted}; "
            "kênh này được dùng ngay khi cán bộ gửi mã mời cho bot.",
            markup=False,
        )
