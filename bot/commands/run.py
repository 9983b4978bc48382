"""``nhacviec run``: the real service (channels, scheduler, webhooks) in one process.

The channels and their settings (tokens, other API servers) come from the
environment or ``.env``, as each channel in ``bot/channels/registry.py`` names them.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from bot.app import run_service
from bot.channels.console.channel import PLUGIN as CONSOLE
from bot.commands.runner import run
from bot.commands.types import whole
from bot.logs import configure_logging
from bot.settings import load_settings, with_channel_setting, with_options


def run_command(
    role: Annotated[str, typer.Option(help="all | bot | dispatcher | web")] = "all",
    webhook_url: Annotated[
        str | None, typer.Option(help="URL công khai nhận webhook (mặc định: long polling)")
    ] = None,
    port: Annotated[
        int | None, typer.Option(parser=whole(0, 65535), help="Cổng của máy chủ webhook")
    ] = None,
    console: Annotated[
        bool, typer.Option("--console", help="In nhắc việc ra màn hình (kênh console)")
    ] = False,
) -> None:
    """Chạy dịch vụ: các kênh chat đã cấu hình và bộ lập lịch nhắc việc."""
    settings = with_options(load_settings(), role=role, webhook_url=webhook_url, port=port)
    if console:
        settings = with_channel_setting(settings, CONSOLE.switch, "1")
    configure_logging(json=os.environ.get("LOG_FORMAT", "json") != "text", secrets=settings.secrets)
    run(run_service(settings))
