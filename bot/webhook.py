"""The one HTTP server: every channel's webhook, plus ``/healthz`` and ``/metrics``.

Why aiohttp and not Starlette on uvicorn: it is already a dependency (the tests'
fake Bot API servers run on it too), one ``web.Application`` serves every
channel, and what hardening needs fits in this module: a refusal before the body
is read is a plain handler, the limits below are a server setting and one small
listening site. Issue 15's web pages may still move to Starlette; these handlers
are a few lines each.

Routes come from the channels (``bot/channels/base.py``): each posts to its
``webhook_path`` with its secret in ``secret_header`` (never in the URL, so it
stays out of access logs). A request is judged cheapest first, so a flood of
forged requests costs almost nothing:

1. a wrong or missing secret: 403, and the body is never read;
2. a declared ``Content-Length`` over the channel's ``max_body``: 413, unread;
3. the body is read with a hard cap (a chunked body too: 413 once it passes
   ``max_body``) and a deadline (408);
4. not a JSON object: 400;
5. ``process_webhook``; ``StorageUnavailable`` (the database is down) gives 503,
   so the provider redelivers later (updates are de-duplicated by id); else 200,
   its body the reply when the channel offered one for the response
   (``bot/channels/webhook_reply.py``: Telegram runs it, a request saved).

A refused request's connection is closed rather than drained (``lingering_time``
0), so a forged megabyte is never read. ``serve`` adds the limits for slow and
many clients (``bot/http_limits.py``).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Protocol

from aiohttp import web

from bot.channels.webhook_reply import WebhookReply, answering_in_response
from bot.http_limits import Limits, start_site
from data.errors import StorageUnavailable

logger = logging.getLogger(__name__)

RETRY_AFTER = "30"
"""Seconds a provider is asked to wait before redelivering after a 503."""


class Webhook(Protocol):
    """What the server needs of a channel (a subset of ``bot.channels.base.Channel``)."""

    name: str
    webhook_path: str
    secret_header: str
    max_body: int

    def secret_ok(self, header: str | None) -> bool: ...

    async def process_webhook(self, payload: Mapping[str, Any]) -> None: ...


class _TooLarge(Exception):
    """The body passed the channel's ``max_body`` while being read."""


def _refuse(status: int, reason: str) -> web.Response:
    """An answer that closes the connection: whatever the client still sends is not read."""
    response = web.Response(status=status, text=reason)
    response.force_close()
    return response


async def _read_capped(request: web.Request, limit: int) -> bytes:
    """The body, refusing it as soon as it passes ``limit`` bytes (chunked bodies too)."""
    body = bytearray()
    async for chunk in request.content.iter_any():
        body += chunk
        if len(body) > limit:
            raise _TooLarge
    return bytes(body)


def _endpoint(
    channel: Webhook, body_timeout: float
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def receive(request: web.Request) -> web.StreamResponse:
        if not channel.secret_ok(request.headers.get(channel.secret_header)):
            return _refuse(403, "forbidden")
        if (request.content_length or 0) > channel.max_body:
            return _refuse(413, "too large")
        try:
            async with asyncio.timeout(body_timeout):
                body = await _read_capped(request, channel.max_body)
        except _TooLarge:
            return _refuse(413, "too large")
        except TimeoutError:
            return _refuse(408, "body too slow")
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):  # bad JSON or UTF-8; nesting too deep to parse
            return web.Response(status=400, text="bad json")
        if not isinstance(payload, dict):
            return web.Response(status=400, text="bad json")
        try:
            with answering_in_response() as replies:
                await channel.process_webhook(payload)
        except StorageUnavailable:
            logger.warning("%s update not recorded: database unavailable (503)", channel.name)
            return web.Response(status=503, text="try again", headers={"Retry-After": RETRY_AFTER})
        if replies:
            return await _reply_in_response(request, replies[0])
        return web.Response(text="ok")

    return receive


async def _reply_in_response(request: web.Request, reply: WebhookReply) -> web.StreamResponse:
    """The reply as the response's body; when it cannot be written (the provider hung up),
    the reply goes out through its own request instead of being lost with the response."""
    response = web.Response(body=json.dumps(reply.body).encode(), content_type="application/json")
    try:
        await response.prepare(request)
        await response.write_eof()
    except ConnectionError:
        logger.info("webhook response not delivered: the reply is sent on its own")
        await reply.fallback()
    return response


def build_app(
    channels: Iterable[Webhook], limits: Limits | None = None, *, max_request: int = 1024
) -> web.Application:
    """The server's app: a POST route per channel that takes webhooks (none is fine).

    ``max_request`` caps what aiohttp itself reads (the web pages' forms and uploads);
    webhook bodies are read by ``_endpoint`` with their channel's own, smaller cap.
    """
    limits = limits or Limits()
    hooks = [channel for channel in channels if channel.webhook_path]
    app = web.Application(client_max_size=max(max_request, *(c.max_body for c in hooks), 1024))
    for channel in hooks:
        app.router.add_post(channel.webhook_path, _endpoint(channel, limits.body_timeout))
    return app


async def serve(
    app: web.Application, host: str, port: int, limits: Limits | None = None
) -> web.AppRunner:
    """Start ``app`` on ``host:port`` within ``limits``; ``await runner.cleanup()`` stops it."""
    limits = limits or Limits()
    runner = web.AppRunner(
        app,
        access_log=None,
        keepalive_timeout=limits.header_timeout,
        lingering_time=0,
    )
    await runner.setup()
    await start_site(runner, host, port, limits)
    logger.info("listening on %s:%d", host, port)
    return runner


def bound_port(runner: web.AppRunner) -> int:
    """The port actually bound (``port=0`` picks a free one, as the tests do)."""
    for address in runner.addresses:
        return int(address[1])
    raise RuntimeError("server not started")
