"""The web pages for secretaries and leaders, served by the service's one HTTP server.

Why still aiohttp and not Starlette on uvicorn (as issue 15 recommends): the
server that takes the providers' webhooks is hardened in aiohttp with tests that
hold it to it (secret before body, body caps, slow-header deadlines, a connection
cap: ``bot/webhook.py``, ``bot/http_limits.py``); aiohttp serves rendered HTML,
forms with uploads, cookies and static files as well, so one server and one
process model stay, with no second framework to harden. Pages are Jinja2
templates (autoescaped) with a little htmx, vendored in ``static/`` with its
licence: offices run on intranets, nothing comes from a CDN.

Every page handler is wrapped by ``visit.page`` (``visit.py``): it opens one
database transaction, finds the signed-in officer from the session cookie,
checks the role the page needs on the server, checks the CSRF token of every
POST, and renders through ``render.py``; ``security.py`` adds the headers
(Content-Security-Policy and friends) to every answer.
"""
