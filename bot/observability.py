"""``GET /metrics`` and ``GET /healthz`` on an aiohttp app, or on a server of their own.

In webhook mode they join the webhook server (one port to expose); in polling mode
there is no server, so ``serve_observability`` starts a small one.

``/healthz`` answers 200 "ok" only when the database answers ``SELECT 1`` within
``HEALTH_TIMEOUT``: an instance that cannot reach the outbox can neither send nor
record, and a load balancer should stop routing webhooks to it. Otherwise 503
saying only "database unavailable": the endpoint is public, and a driver's
message names hosts, users and databases; the reason goes to the log.

``/metrics`` always answers 200: when the database is down it says so
(``nhacviec_database_up 0``) and still shows this process's send latency, since
an alert needs a scrape that succeeds.

In polling mode the small server is started by ``bot/webhook.py``'s ``serve``, with
the same limits for slow and many clients as the webhook server.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.http_limits import Limits
from bot.webhook import serve
from data.outage import reason
from scheduler.clock import Clock, SystemClock
from scheduler.metrics import Registry, collect, render

logger = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
HEALTH_TIMEOUT = 3.0
"""Seconds; a load balancer's probe usually gives up after 5."""


UNHEALTHY = "database unavailable"
"""All ``/healthz`` tells the outside when the database does not answer."""


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return f"no answer in {HEALTH_TIMEOUT:g} s"
    return reason(exc)


async def _ping(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        await session.execute(text("SELECT 1"))


def add_observability(
    app: web.Application,
    sessions: async_sessionmaker[AsyncSession],
    registry: Registry,
    clock: Clock | None = None,
) -> None:
    """Route ``/metrics`` and ``/healthz`` on ``app`` (which must not route them already)."""
    taken = {resource.canonical for resource in app.router.resources()}
    if taken & {"/metrics", "/healthz"}:
        # aiohttp would keep the first route and silently ignore ours.
        raise ValueError("/metrics or /healthz is already routed on this app")
    clock = clock or SystemClock()

    async def healthz(_: web.Request) -> web.Response:
        try:
            await asyncio.wait_for(_ping(sessions), HEALTH_TIMEOUT)
        except Exception as exc:  # whatever the driver raises, the answer is "not healthy"
            logger.warning("healthz: database unreachable: %s", _reason(exc))
            return web.Response(status=503, text=UNHEALTHY)
        return web.Response(text="ok")

    async def metrics(_: web.Request) -> web.Response:
        try:
            async with sessions() as session:
                snapshot = await collect(session, clock.now())
        except Exception as exc:  # reported as nhacviec_database_up 0
            logger.warning("metrics: database unreachable: %s", _reason(exc))
            snapshot = None
        body = render(snapshot, registry).encode()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)


async def serve_observability(
    sessions: async_sessionmaker[AsyncSession],
    registry: Registry,
    host: str,
    port: int,
    clock: Clock | None = None,
    limits: Limits | None = None,
) -> web.AppRunner:
    """A server with only ``/metrics`` and ``/healthz``; ``await runner.cleanup()`` stops it."""
    app = web.Application()
    add_observability(app, sessions, registry, clock)
    return await serve(app, host, port, limits)
