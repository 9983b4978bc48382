"""``nhacviec db upgrade``: bring the schema to the newest revision."""

from __future__ import annotations

import typer

from bot.commands.runner import console, run
from bot.i18n import t
from data.db import create_engine, upgrade

app = typer.Typer(help="Cơ sở dữ liệu.", no_args_is_help=True)


async def _upgrade() -> None:
    engine = create_engine()
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


@app.command("upgrade")
def upgrade_command() -> None:
    """Áp dụng các bản nâng cấp lược đồ (cũng tự chạy khi khởi động)."""
    run(_upgrade())
    console.print(t("db_upgraded"))
