"""``nhacviec audit``: the corrections made from the command line, newest first."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands.runner import console, in_session, run
from bot.commands.types import whole
from bot.i18n import t
from data.admin_audit import recent_changes
from data.vn_dates import vn_date
from scheduler.clock import TZ

AUDIT_MAX = 1000


def _changed(before: dict[str, Any], after: dict[str, Any]) -> str:
    """Only the fields that changed, ``field: old → new`` (the rest is noise)."""
    keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    return "; ".join(
        f"{k}: {json.dumps(before.get(k), ensure_ascii=False)} → "
        f"{json.dumps(after.get(k), ensure_ascii=False)}"
        for k in keys
    )


def audit_command(
    limit: Annotated[
        int, typer.Option(help="Số thay đổi gần nhất", parser=whole(1, AUDIT_MAX))
    ] = 20,
) -> None:
    """Các sửa đổi bằng lệnh (task edit, plan archive, unit rename, officer edit|remove)."""
    rows = run(in_session(lambda s: _rows(s, limit), commit=False))
    if not rows:
        console.print(t("no_admin_changes"))
        return
    table = Table()
    for column in ("col_at", "col_actor", "col_command", "col_target", "col_change"):
        table.add_column(t(column))
    for row in rows:
        table.add_row(*row)
    console.print(table)


async def _rows(session: AsyncSession, limit: int) -> list[tuple[str, str, str, str, str]]:
    """The table's cells, read while the session is open."""
    rows = []
    for change in await recent_changes(session, limit):
        local = change.at.astimezone(TZ)
        when = f"{vn_date(local.date())} {local:%H:%M}"
        diff = _changed(change.before, change.after)
        rows.append((when, change.actor, change.command, change.target, diff))
    return rows
