"""Templates: Jinja2 with autoescaping on for every template (a task's content is
whatever a plan said, and plans come from outside)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from bot.web.words import word
from data.vn_dates import VN_TZ, vn_date

ENV = Environment(
    loader=PackageLoader("bot.web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters["vn_date"] = vn_date
ENV.filters["vn_time"] = lambda moment: moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
"""A moment as people in Vietnam read it (stored times are UTC)."""
STATIC = Path(__file__).resolve().parent / "static"
_VERSION = hashlib.sha256(
    b"".join(p.read_bytes() for p in sorted(STATIC.iterdir()) if p.is_file())
).hexdigest()[:12]
ENV.globals["static"] = lambda name: f"/static/{name}?v={_VERSION}"
"""Static URLs carry the files' hash, so a browser never keeps an old script after an update."""


def html(template: str, language: str, status: int = 200, **context: Any) -> web.Response:
    """A page rendered from ``template`` in ``language``."""
    body = ENV.get_template(template).render(
        lang=language, w=lambda key, **p: word(key, language, **p), **context
    )
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")
