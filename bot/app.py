"""Wiring of the real service: database, conversation, channels, scheduler, webhooks.

``nhacviec run`` calls ``run_service``. Roles let a deployment split the work
between processes that share one PostgreSQL: ``bot`` receives updates (polling
or webhook), ``dispatcher`` plans and sends, ``all`` does both. Nothing that a
second instance would need lives in memory: the outbox, the inbound update ids
and the pending questions are all in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.console.sender import ConsoleSender
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.zalo.channel import ZaloChannel
from bot.chat.conversation import Conversation
from bot.observability import add_observability, serve_observability
from bot.settings import Settings
from bot.webhook import build_app, serve
from data.db import open_database
from scheduler.clock import Clock, SystemClock
from scheduler.dispatcher import Dispatcher
from scheduler.metrics import Registry, timed
from scheduler.runtime import build_scheduler
from scheduler.sender import Sender

logger = logging.getLogger(__name__)


class Channel(Protocol):
    """What the service needs of a chat channel."""

    @property
    def sender(self) -> Sender: ...

    async def start_polling(self) -> None: ...

    async def stop(self) -> None: ...


def build_channels(settings: Settings, conversation: Conversation) -> dict[str, Channel]:
    """The channels whose tokens are configured (none: the console sender only)."""
    secret = settings.webhook_secret if settings.webhook_url else None
    channels: dict[str, Channel] = {}
    if settings.telegram_token:
        api = (settings.telegram_api_url or "").rstrip("/")
        channels["telegram"] = TelegramChannel(
            settings.telegram_token,
            conversation,
            base_url=f"{api}/bot" if api else None,
            base_file_url=f"{api}/file/bot" if api else None,
            webhook_secret=secret,
        )
    if settings.zalo_token:
        channels["zalo"] = ZaloChannel(
            settings.zalo_token, conversation, api_url=settings.zalo_api_url, webhook_secret=secret
        )
    return channels


def senders_for(channels: Mapping[str, Channel], registry: Registry) -> dict[str, Sender]:
    """Each channel's sender, timed for /metrics; the console when no channel is configured."""
    senders: dict[str, Sender] = {n: timed(c.sender, registry) for n, c in channels.items()}
    return senders or {"console": timed(ConsoleSender(), registry)}


async def _start_receiving(
    settings: Settings, channels: Mapping[str, Channel], observe: Observability
) -> web.AppRunner:
    """Long polling by default; with a webhook URL, one server for every channel.

    Either way the process serves /healthz and /metrics on ``settings.port``.
    """
    telegram = channels.get("telegram")
    if not settings.webhook_url:
        for channel in channels.values():
            await channel.start_polling()
        if isinstance(telegram, TelegramChannel):
            await telegram.register_commands()
        return await observe.serve(settings)
    app = build_app(channels)  # type: ignore[arg-type]
    observe.add_to(app)
    runner = await serve(app, settings.listen, settings.port)
    base = settings.webhook_url.rstrip("/")
    if isinstance(telegram, TelegramChannel):
        await telegram.start_webhook(f"{base}/telegram")
        await telegram.register_commands()
    zalo = channels.get("zalo")
    if isinstance(zalo, ZaloChannel) and settings.webhook_secret:
        await zalo.client.set_webhook(f"{base}/zalo", settings.webhook_secret)
    return runner


async def _prepare_sending(channels: Mapping[str, Channel]) -> None:
    """A dispatcher-only process sends without receiving: the bot still needs its session."""
    telegram = channels.get("telegram")
    if isinstance(telegram, TelegramChannel):
        await telegram.application.initialize()


@dataclass(frozen=True)
class Observability:
    """/healthz and /metrics of this process: on the webhook server, or on their own."""

    sessions: async_sessionmaker[AsyncSession]
    registry: Registry
    clock: Clock

    def add_to(self, app: web.Application) -> None:
        add_observability(app, self.sessions, self.registry, self.clock)

    async def serve(self, settings: Settings) -> web.AppRunner:
        return await serve_observability(
            self.sessions, self.registry, settings.listen, settings.port, self.clock
        )


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)


async def serve_forever(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    clock: Clock,
    stop: asyncio.Event,
) -> None:
    """Run the configured role until ``stop`` is set, then shut everything down."""
    conversation = Conversation(sessions, clock, bot_username=settings.telegram_username)
    channels = build_channels(settings, conversation)
    observe = Observability(sessions, Registry(), clock)
    receiving = settings.role in ("all", "bot")
    dispatching = settings.role in ("all", "dispatcher")
    runner = None
    scheduler = None
    dispatcher: Dispatcher | None = None
    try:
        if receiving:
            runner = await _start_receiving(settings, channels, observe)
        else:
            await _prepare_sending(channels)
            runner = await observe.serve(settings)
        if dispatching:
            dispatcher = Dispatcher(sessions, senders_for(channels, observe.registry), clock)
            every = timedelta(seconds=settings.dispatch_seconds)
            retention = timedelta(days=settings.inbound_retention_days)
            scheduler = build_scheduler(
                sessions, dispatcher, clock, dispatch_every=every, inbound_retention=retention
            )
            scheduler.start()
        logger.info("running: role=%s channels=%s", settings.role, sorted(channels) or ["console"])
        await stop.wait()
    finally:
        if dispatcher is not None:  # SIGTERM: sends in flight finish, unstarted rows go back
            await dispatcher.stop()
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        if runner is not None:
            await runner.cleanup()
        for channel in channels.values():
            await channel.stop()


async def run_service(settings: Settings, clock: Clock | None = None) -> None:
    """``nhacviec run``: open the database (upgrading it), serve until SIGINT/SIGTERM."""
    settings = settings.checked()
    stop = asyncio.Event()
    _stop_on_signals(stop)
    async with open_database() as sessions:
        await serve_forever(sessions, settings, clock or SystemClock(), stop)
