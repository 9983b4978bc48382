"""Wiring of the real service: database, conversation, channels, scheduler, webhooks.

``nhacviec run`` calls ``run_service``. Roles let a deployment split the work
between processes that share one PostgreSQL: ``bot`` receives updates (polling
or webhook) and serves the pages, ``dispatcher`` plans and sends, ``web`` only
serves the pages, ``all`` does everything. Nothing that a
second instance would need lives in memory: the outbox, the inbound update ids
and the pending questions are all in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.base import Channel, Plugin
from bot.channels.registry import CHANNELS
from bot.chat.conversation import Conversation
from bot.i18n import t
from bot.observability import add_observability, serve_observability
from bot.settings import Settings
from bot.web.app import add_web, web_config
from bot.web.visit import UPLOAD_BYTES
from bot.webhook import build_app, serve
from data.db import open_database
from data.errors import UserError
from data.service_secrets import stored_secret
from scheduler.clock import Clock, SystemClock
from scheduler.dispatcher import Dispatcher
from scheduler.limits import RateLimiter
from scheduler.metrics import Registry, timed
from scheduler.pace import SharedPace
from scheduler.runtime import build_scheduler
from scheduler.sender import Sender

logger = logging.getLogger(__name__)


def switched_on(settings: Settings) -> dict[str, Plugin]:
    """The channels ``settings`` switch on; none at all is refused, naming what to set.

    The console used to be the silent fallback: the dispatcher "sent" every due
    reminder to the terminal and marked it sent, so no officer ever got it. It now
    runs only when asked for (``--console``).
    """
    chosen = {n: p for n, p in CHANNELS.items() if p.switch in settings.channels}
    if not chosen:
        reaching = (p.switch for p in CHANNELS.values() if not p.local_only)
        raise UserError(t("no_channel", variables=t("or").join(reaching)))
    return chosen


def build_channels(settings: Settings, conversation: Conversation) -> dict[str, Channel]:
    """The channels switched on in ``settings`` (none: refused by ``switched_on``)."""
    chosen = switched_on(settings)
    return {name: plugin.build(settings.channels, conversation) for name, plugin in chosen.items()}


def senders_for(channels: Mapping[str, Channel], registry: Registry) -> dict[str, Sender]:
    """Each channel's sender, timed for /metrics."""
    return {name: timed(channel.sender, registry) for name, channel in channels.items()}


def limiter_for(channels: Mapping[str, Channel], shared: SharedPace | None = None) -> RateLimiter:
    """The dispatcher's pacing: each channel's own limits (none for the console), the overall
    rate taken from ``shared`` when given, so every dispatcher on the database shares it."""
    paces = {n: c.pacing for n, c in channels.items() if c.pacing is not None}
    return RateLimiter(paces, shared=shared)


async def webhook_secret(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, name: str
) -> str:
    """The channel's own secret: its variable if set, else one made once and stored.

    Stored in the database so every instance behind the URL, and the next start,
    give the provider the same one. Never shared between channels.
    """
    variable = CHANNELS[name].webhook_secret
    given = settings.channels.get(variable) if variable else None
    if given:
        return given
    async with sessions.begin() as session:
        return await stored_secret(
            session, f"{name}_webhook_secret", lambda: secrets.token_urlsafe(32)
        )


async def _serve_http(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    hooks: Iterable[Channel],
    observe: Observability,
) -> web.AppRunner:
    """The one server: the channels' webhooks (when given), /healthz, /metrics and the pages."""
    app = build_app(hooks, max_request=UPLOAD_BYTES)
    observe.add_to(app)
    config = await web_config(sessions, observe.clock, settings.pages_url, settings.products)
    add_web(app, config)
    return await serve(app, settings.listen, settings.port)


async def _start_receiving(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    channels: Mapping[str, Channel],
    observe: Observability,
) -> web.AppRunner:
    """Long polling by default; with a webhook URL, one server for every channel.

    Either way the process serves /healthz, /metrics and the pages on ``settings.port``.
    A channel that takes no webhook (the console) receives the only way it can.
    """
    if not settings.webhook_url:
        for channel in channels.values():
            await channel.start_polling()
        return await _serve_http(sessions, settings, (), observe)
    runner = await _serve_http(sessions, settings, channels.values(), observe)
    for name, channel in channels.items():
        if channel.webhook_path:
            secret = await webhook_secret(sessions, settings, name)
            await channel.start_webhook(settings.webhook_url, secret)
        else:
            await channel.start_polling()
    return runner


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
    pages_only = settings.role == "web"
    channels = (
        {}
        if pages_only
        else build_channels(
            settings,
            Conversation(
                sessions, clock, products=settings.products, pages_url=settings.public_url
            ),
        )
    )
    observe = Observability(sessions, Registry(), clock)
    receiving = settings.role in ("all", "bot")
    dispatching = settings.role in ("all", "dispatcher")
    runner = None
    scheduler = None
    dispatcher: Dispatcher | None = None
    try:
        if receiving:
            runner = await _start_receiving(sessions, settings, channels, observe)
        elif pages_only:
            runner = await _serve_http(sessions, settings, (), observe)
        else:
            for channel in channels.values():
                await channel.start_sending()
            runner = await observe.serve(settings)
        if dispatching:
            senders = senders_for(channels, observe.registry)
            limiter = limiter_for(channels, SharedPace(sessions))
            dispatcher = Dispatcher(sessions, senders, clock, limiter=limiter)
            every = timedelta(seconds=settings.dispatch_seconds)
            retention = timedelta(days=settings.inbound_retention_days)
            scheduler = build_scheduler(
                sessions,
                dispatcher,
                clock,
                dispatch_every=every,
                inbound_retention=retention,
                outbox_months=settings.outbox_retention_months,
            )
            scheduler.start()
        logger.info("running: role=%s channels=%s", settings.role, list(channels))
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
    if settings.role != "web":  # the pages alone need no chat channel
        switched_on(settings)  # before the database is opened or a signal handled
    stop = asyncio.Event()
    _stop_on_signals(stop)
    async with open_database() as sessions:
        await serve_forever(sessions, settings, clock or SystemClock(), stop)
