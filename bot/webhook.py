"""One small HTTP server for both channels' webhooks, on one port.

Why aiohttp: it is already a dependency (the tests' fake Bot API servers run on
it too), one ``web.Application`` serves both channels, and it needs no ASGI server
(uvicorn) or framework on top; we need three routes, not a web framework.

Routes (fixed paths, secrets in headers, not in the URL, so they stay out of
access logs and proxies):
- ``POST /telegram``: ``X-Telegram-Bot-Api-Secret-Token`` (``secret_token`` of Telegram's
  ``setWebhook``);
- ``POST /zalo``: ``X-Bot-Api-Secret-Token`` (``secret_token`` of Zalo's ``setWebhook``);
- ``GET /healthz`` and ``GET /metrics`` are added by ``bot/observability.py``.

Each channel checks its own secret in constant time (``process_webhook`` returns
False → 403, nothing changed). A body over 1 MiB is refused with 413 before it is
read; a body that is not a JSON object gets 400. A webhook is answered after the
update is processed: a redelivery after a crash is harmless (``InboundUpdate``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, Protocol

from aiohttp import web

logger = logging.getLogger(__name__)

MAX_BODY = 1 << 20
SECRET_HEADERS = {
    "telegram": "X-Telegram-Bot-Api-Secret-Token",
    "zalo": "X-Bot-Api-Secret-Token",
}


class WebhookHandler(Protocol):
    """A channel that takes pushed updates (``TelegramChannel``, ``ZaloChannel``)."""

    async def process_webhook(self, payload: dict[str, Any], secret_header: str | None) -> bool: ...


def _endpoint(handler: WebhookHandler, header: str) -> Any:
    async def receive(request: web.Request) -> web.Response:
        if (request.content_length or 0) > MAX_BODY:
            return web.Response(status=413, text="too large")
        try:
            payload = json.loads(await request.read())
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413, text="too large")
        except (ValueError, RecursionError):  # bad JSON or UTF-8; nesting too deep to parse
            return web.Response(status=400, text="bad json")
        if not isinstance(payload, dict):
            return web.Response(status=400, text="bad json")
        if not await handler.process_webhook(payload, request.headers.get(header)):
            return web.Response(status=403, text="forbidden")
        return web.Response(text="ok")

    return receive


def build_app(channels: Mapping[str, WebhookHandler]) -> web.Application:
    """The server for ``{"telegram": …, "zalo": …}`` (either may be missing)."""
    app = web.Application(client_max_size=MAX_BODY)
    for name, handler in channels.items():
        app.router.add_post(f"/{name}", _endpoint(handler, SECRET_HEADERS[name]))
    return app


async def serve(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Start ``app`` on ``host:port``; ``await runner.cleanup()`` stops it."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    logger.info("webhooks listening on %s:%d", host, port)
    return runner


def bound_port(runner: web.AppRunner) -> int:
    """The port actually bound (``port=0`` picks a free one, as the tests do)."""
    for site in runner.sites:
        server = getattr(site, "_server", None)
        for sock in getattr(server, "sockets", None) or ():
            return int(sock.getsockname()[1])
    raise RuntimeError("server not started")
