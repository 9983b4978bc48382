"""What keeps the pages safe to use: strict response headers, signed cookies, CSRF tokens.

- Content-Security-Policy allows scripts, styles and images from this server only
  (charts are ``data:`` PNGs); no inline script or style is needed, so none is allowed.
- ``Referrer-Policy: no-referrer``: a sign-in link's token is in its URL, and must
  not leak to another site through the Referer header.
- The session cookie holds the session's random token and an HMAC of it under a key
  the service keeps in the database (``service_secrets``): a cookie not made here is
  refused before any lookup. HttpOnly and SameSite=Lax always; Secure when the
  service is reached over HTTPS (behind a reverse proxy, ``X-Forwarded-Proto``).
- CSRF: each form carries an HMAC of the session token; a POST without the right one
  is refused (403) whatever its cookie says.
"""

from __future__ import annotations

import hashlib
import hmac

from aiohttp import web

COOKIE = "nhacviec_phien"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


async def add_headers(_request: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare`` hook: the security headers on every answer."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)


def _mac(key: str, purpose: str, token: str) -> str:
    return hmac.new(key.encode(), f"{purpose}:{token}".encode(), hashlib.sha256).hexdigest()


def sign_cookie(key: str, token: str) -> str:
    """The cookie's value: the session token and its signature."""
    return f"{token}.{_mac(key, 'cookie', token)}"


def cookie_token(key: str, value: str | None) -> str | None:
    """The session token of a cookie signed here, else None (checked in constant time)."""
    if not value or "." not in value:
        return None
    token, signature = value.rsplit(".", 1)
    return token if hmac.compare_digest(signature, _mac(key, "cookie", token)) else None


def csrf_token(key: str, session_token: str) -> str:
    """The token every form of this session carries."""
    return _mac(key, "csrf", session_token)


def csrf_ok(key: str, session_token: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(given, csrf_token(key, session_token))


def is_https(request: web.Request) -> bool:
    """Reached over HTTPS, directly or through a proxy that says so."""
    forwarded = request.headers.get("X-Forwarded-Proto", "")
    return request.secure or forwarded.split(",")[0].strip().lower() == "https"


def set_session_cookie(
    response: web.StreamResponse, request: web.Request, value: str, max_age: int
) -> None:
    response.set_cookie(
        COOKIE,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=is_https(request),
    )


def clear_session_cookie(response: web.StreamResponse) -> None:
    response.del_cookie(COOKIE, path="/")
