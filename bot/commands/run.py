"""``nhacviec run``: the real service (channels, scheduler, webhooks) in one process."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from bot.app import run_service
from bot.commands.runner import run
from bot.logs import configure_logging
from bot.settings import load_settings, with_options


def run_command(
    role: Annotated[str, typer.Option(help="all | bot | dispatcher")] = "all",
    telegram_api_url: Annotated[
        str | None, typer.Option(help="Máy chủ Bot API khác (telegram-bot-api tự chạy, giả lập)")
    ] = None,
    zalo_api_url: Annotated[str | None, typer.Option(help="Máy chủ Zalo Bot API khác")] = None,
    webhook_url: Annotated[
        str | None, typer.Option(help="URL công khai nhận webhook (mặc định: long polling)")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Cổng của máy chủ webhook")] = None,
) -> None:
    """Chạy dịch vụ: bot Telegram/Zalo và bộ lập lịch nhắc việc."""
    settings = with_options(
        load_settings(),
        role=role,
        telegram_api_url=telegram_api_url,
        zalo_api_url=zalo_api_url,
        webhook_url=webhook_url,
        port=port,
    )
    configure_logging(
        json=os.environ.get("LOG_FORMAT", "json") != "text",
        secrets=(settings.telegram_token, settings.zalo_token, settings.webhook_secret),
    )
    run(run_service(settings))
