"""Sign-in pages: a one-time link opens a session; sign out here or everywhere.

Opening a link (GET) only shows a button; pressing it (POST) signs in. Chat apps
fetch the links people receive to show a preview, and a GET that signed in would
spend the link on the preview robot. Failed attempts are counted per address and
refused for a while past ``FAILURES_ALLOWED`` (per server process, kept with its
app: a guess is hopeless anyway, the limit keeps the log and the database quiet).
"""

from __future__ import annotations

from collections import defaultdict, deque
from datetime import datetime, timedelta

from aiohttp import web

from bot.web.security import clear_session_cookie, set_session_cookie, sign_cookie
from bot.web.visit import Visit, page
from data.web_auth import SESSION_HOURS, redeem_link, sign_out, sign_out_everywhere

FAILURES_ALLOWED = 10
FAILURE_WINDOW = timedelta(minutes=10)
ADDRESSES_KEPT = 10_000


class FailedSignIns:
    """Recent failed sign-ins by client address, for one server (kept with its app)."""

    def __init__(self) -> None:
        self._by_address: defaultdict[str, deque[datetime]] = defaultdict(deque)

    def too_many(self, address: str, now: datetime) -> bool:
        if len(self._by_address) > ADDRESSES_KEPT:  # many addresses: forget the quiet ones
            quiet = [
                a for a, t in self._by_address.items() if not t or now - t[-1] > FAILURE_WINDOW
            ]
            for gone in quiet:
                del self._by_address[gone]
        recent = self._by_address[address]
        while recent and now - recent[0] > FAILURE_WINDOW:
            recent.popleft()
        return len(recent) >= FAILURES_ALLOWED

    def add(self, address: str, now: datetime) -> None:
        self._by_address[address].append(now)


FAILURES = web.AppKey("nhacviec_failed_sign_ins", FailedSignIns)


def client_address(request: web.Request) -> str:
    """Who is asking, for counting failures: behind a reverse proxy every request comes
    from the proxy, so the address it appended last to ``X-Forwarded-For`` is taken (the
    earlier entries are the client's to write and could name anyone)."""
    forwarded = request.headers.get("X-Forwarded-For", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    return last or request.remote or "?"


@page(public=True)
async def how_to_sign_in(visit: Visit) -> web.StreamResponse:
    """``/dang-nhap``: where people land when not signed in."""
    return visit.message("sign_in_how")


@page(public=True)
async def confirm_link(visit: Visit) -> web.StreamResponse:
    """``GET /dang-nhap/{token}``: the button that signs in (nothing is spent yet)."""
    return visit.render("sign_in.html", token=visit.request.match_info["token"])


@page(public=True)
async def use_link(visit: Visit) -> web.StreamResponse:
    """``POST /dang-nhap/{token}``: spend the link, open a session, go to the overview."""
    address = client_address(visit.request)
    failures = visit.request.app[FAILURES]
    if failures.too_many(address, visit.now):
        return visit.message("sign_in_too_many", 429)
    session_token = await redeem_link(visit.session, visit.request.match_info["token"], visit.now)
    if session_token is None:
        failures.add(address, visit.now)
        return visit.message("sign_in_bad_link", 403)
    response = web.Response(status=303, headers={"Location": "/"})
    value = sign_cookie(visit.config.key, session_token)
    set_session_cookie(response, visit.request, value, SESSION_HOURS * 3600)
    return response


@page()
async def leave(visit: Visit) -> web.StreamResponse:
    """``POST /dang-xuat``: close this browser's session."""
    await sign_out(visit.session, visit.token or "", visit.now)
    visit.officer, visit.token = None, None
    response = visit.message("signed_out")
    clear_session_cookie(response)
    return response


@page()
async def leave_everywhere(visit: Visit) -> web.StreamResponse:
    """``POST /dang-xuat-moi-noi``: close every session of this officer (a lost phone)."""
    assert visit.officer is not None
    count = await sign_out_everywhere(visit.session, visit.officer.id, visit.now)
    visit.officer, visit.token = None, None
    response = visit.message("signed_out_all", count=count)
    clear_session_cookie(response)
    return response


def add_routes(app: web.Application) -> None:
    app[FAILURES] = FailedSignIns()
    app.router.add_get("/dang-nhap", how_to_sign_in)
    app.router.add_get("/dang-nhap/{token}", confirm_link)
    app.router.add_post("/dang-nhap/{token}", use_link)
    app.router.add_post("/dang-xuat", leave)
    app.router.add_post("/dang-xuat-moi-noi", leave_everywhere)
