"""The pages joined to the service's HTTP server (``bot/webhook.py`` builds it).

``add_web`` registers the routes of each page module, the static files and the
security headers, and keeps the ``WebConfig`` the handlers read. The signing key
is a service secret made once and stored, so every instance behind a load
balancer accepts the same cookies.
"""

from __future__ import annotations

import secrets

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.web import auth, dashboard, imports, people, plans, reports, tasks
from bot.web.render import STATIC
from bot.web.security import add_headers
from bot.web.visit import CONFIG, WebConfig
from data.products import DEFAULT_SETTINGS, ProductSettings
from data.service_secrets import stored_secret
from scheduler.clock import Clock

KEY_NAME = "web_signing_key"


async def web_config(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    base_url: str,
    products: ProductSettings = DEFAULT_SETTINGS,
) -> WebConfig:
    """The pages' settings, with the signing key read (or made, the first time)."""
    async with sessions.begin() as session:
        key = await stored_secret(session, KEY_NAME, lambda: secrets.token_urlsafe(32))
    return WebConfig(sessions, clock, key, base_url.rstrip("/"), products)


def add_web(app: web.Application, config: WebConfig) -> None:
    """Serve the pages on ``app`` (before it starts; built with ``max_request=UPLOAD_BYTES``)."""
    app[CONFIG] = config
    app.on_response_prepare.append(add_headers)
    auth.add_routes(app)
    dashboard.add_routes(app)
    plans.add_routes(app)
    tasks.add_routes(app)
    imports.add_routes(app)
    people.add_routes(app)
    reports.add_routes(app)
    app.router.add_static("/static", STATIC)
