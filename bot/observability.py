"""``GET /metrics`` and ``GET /healthz`` on an aiohttp app, or on a server of their own.

In webhook mode they join the webhook server (one port to expose); in polling mode
there is no server, so ``serve_observability`` starts a small one.

``/healthz`` answers 200 "ok" only when the database answers ``SELECT 1`` within
``HEALTH_TIMEOUT``: an instance that cannot reach the outbox can neither send nor
record, and a load balancer should stop routing webhooks to it. Otherwise 503 with
the reason's first line (URLs and passwords are not in driver messages).

``/metrics`` always answers 200: when the database is down it says so
(``nhacviec_database_up 0``) and still shows this process's send latency, since
an alert needs a scrape that succeeds.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduler.clock import Clock, SystemClock
from scheduler.metrics import Registry, collect, render

logger = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
HEALTH_TIMEOUT = 3.0
"""Seconds; a load balancer's probe usually gives up after 5."""


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return f"no answer in {HEALTH_TIMEOUT:g} s"
    message = str(getattr(exc, "orig", None) or exc).strip()
    return (message.splitlines() or [type(exc).__name__])[0]


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
            return web.Response(status=503, text=f"database unreachable: {_reason(exc)}")
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
) -> web.AppRunner:
    """A server with only ``/metrics`` and ``/healthz``; ``await runner.cleanup()`` stops it."""
    app = web.Application()
    add_observability(app, sessions, registry, clock)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    logger.info("metrics and health on %s:%d", host, port)
    return runner
