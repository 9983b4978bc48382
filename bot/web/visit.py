"""One page request: the transaction, the signed-in officer, the role and CSRF checks.

``page(...)`` wraps every handler, so no page can forget a check: it finds the
officer from the signed cookie (``security.py``) and the server-side session
(``data/web_auth.py``), refuses a role the page is not for, refuses a POST whose
CSRF token is wrong, and turns a ``UserError`` into a page with its sentence (the
transaction is rolled back, so a refused form changes nothing).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from aiohttp import web
from multidict import MultiDict, MultiDictProxy
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.web.render import html
from bot.web.security import (
    COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    cookie_token,
    csrf_ok,
    csrf_token,
)
from data.errors import UserError
from data.models import Officer
from data.products import DEFAULT_SETTINGS, ProductSettings
from data.web_auth import signed_in
from scheduler.clock import TZ, Clock

UPLOAD_MB = 20
UPLOAD_BYTES = UPLOAD_MB * 1024 * 1024
"""The largest request a page accepts (a plan in Word or Excel, an officers' CSV)."""


@dataclass(frozen=True)
class WebConfig:
    """What every page needs, set once when the server starts."""

    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    key: str
    """The cookie and CSRF signing key (a service secret, shared by every instance)."""
    base_url: str
    """Where people reach the pages ("https://nhacviec.sodtn.gov.vn"), for links sent in chat."""
    products: ProductSettings = DEFAULT_SETTINGS
    """Where officers' files are kept (the chat's setting), for the products' downloads."""


CONFIG = web.AppKey("nhacviec_web", WebConfig)


@dataclass
class Visit:
    """A page request being handled within one database transaction."""

    request: web.Request
    session: AsyncSession
    officer: Officer | None
    now: datetime
    token: str | None
    config: WebConfig
    form: MultiDictProxy[Any] = field(default_factory=lambda: MultiDictProxy(MultiDict()))

    @property
    def language(self) -> str:
        return self.officer.language if self.officer is not None else "vi"

    @property
    def today(self) -> date:
        return self.now.astimezone(TZ).date()

    @property
    def csrf(self) -> str:
        return csrf_token(self.config.key, self.token) if self.token else ""

    def render(self, template: str, status: int = 200, **context: Any) -> web.Response:
        """``template`` with what every page shows (who is signed in, the CSRF token)."""
        return html(
            template, self.language, status, officer=self.officer, csrf=self.csrf, **context
        )

    def message(self, key: str, status: int = 200, **params: Any) -> web.Response:
        """A page that only says one thing (a refusal, a confirmation)."""
        return self.render("message.html", status, key=key, params=params)


Handler = Callable[[Visit], Awaitable[web.StreamResponse]]


def page(*roles: str, public: bool = False) -> Callable[[Handler], Any]:
    """Wrap a handler: signed in (unless ``public``), one of ``roles`` (any when none), CSRF.

    A person not signed in is sent to the page that says how to sign in.
    """

    def wrap(handler: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def run(request: web.Request) -> web.StreamResponse:
            config = request.app[CONFIG]
            now = config.clock.now()
            token = cookie_token(config.key, request.cookies.get(COOKIE))
            if (request.content_length or 0) > UPLOAD_BYTES:
                return html("message.html", "vi", 413, key="too_large", params={"limit": UPLOAD_MB})
            async with config.sessions.begin() as session:
                officer = await signed_in(session, token, now) if token else None
                visit = Visit(request, session, officer, now, token if officer else None, config)
                if officer is None and not public:
                    raise web.HTTPSeeOther("/dang-nhap")
                if roles and (officer is None or officer.role not in roles):
                    return visit.message("forbidden", 403)
                if request.method == "POST":
                    visit.form = await request.post()
                    if not public:
                        given = visit.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
                        if not csrf_ok(config.key, token or "", str(given) if given else None):
                            return visit.message("csrf_refused", 403)
                try:
                    async with session.begin_nested():
                        return await handler(visit)
                except UserError as error:
                    return visit.render("message.html", 400, key=None, text=str(error), params={})

        return run

    return wrap
