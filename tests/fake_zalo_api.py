"""A fake Zalo Bot Platform Bot API on 127.0.0.1 (real HTTP, a free port), for end-to-end tests.

It answers ``POST /bot<TOKEN>/<method>`` like the real service (``{"ok", "result"}``
envelope, ``error_code``/``description`` on failure), records what the bot sends,
serves queued updates through ``getUpdates`` one at a time (an empty long poll
answers error 408 "Request timeout"), pushes updates to a webhook with the
``X-Bot-Api-Secret-Token`` header, and injects faults on demand.

(It lives beside ``tests/fakes.py``: a ``tests/fakes/`` package would shadow that module.)
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict, deque
from dataclasses import dataclass
from itertools import count
from typing import Any

import aiohttp
from aiohttp import web

TOKEN = "1234567890:fake-zalo-token"
FAULTS = ("timeout", "500", "429", "malformed")


@dataclass(frozen=True)
class Sent:
    chat_id: str
    text: str
    message_id: str


def _error(code: int, description: str, **extra: Any) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description, **extra}


class FakeZaloApi:
    """Start with ``await fake.start()``; ``fake.url`` is the ``ZALO_API_URL`` to use."""

    def __init__(self, token: str = TOKEN, *, hang: float = 2.0, delay: float = 0.0) -> None:
        self.token = token
        self.hang = hang
        # ``sendMessage`` answers ``delay`` seconds *after* recording the message: a slow
        # provider, where a client killed meanwhile leaves a delivered, unconfirmed send.
        self.delay = delay
        self.sent: list[Sent] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.webhook: dict[str, str] = {"url": "", "secret_token": ""}
        self.blocked: set[str] = set()
        self._updates: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._closing = asyncio.Event()
        self._faults: dict[str, deque[str]] = defaultdict(deque)
        self._ids = count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""
        self.photos: dict[str, bytes] = {}
        """Photos users sent, by name, served at ``/photos/<name>`` as Zalo's CDN would."""
        self.downloads: list[str] = []

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/photos/{name}", self._photo)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        self._closing.set()  # a long poll in progress answers now instead of holding shutdown
        if self._runner is not None:
            await self._runner.cleanup()

    # --- scripting -------------------------------------------------------------------

    def fail_next(self, method: str, *faults: str) -> None:
        """The next calls of ``method`` fail with ``faults`` (see ``FAULTS``), one each."""
        assert all(fault in FAULTS for fault in faults), faults
        self._faults[method].extend(faults)

    def queue(self, update: dict[str, Any]) -> None:
        """Serve ``update`` to the next ``getUpdates``."""
        self._updates.put_nowait(update)

    def host_photo(self, name: str, content: bytes) -> str:
        """Serve ``content`` as a sent photo; its link, for ``photo_update``."""
        self.photos[name] = content
        return f"{self.url}/photos/{name}"

    async def _photo(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in self.photos:
            return web.json_response(_error(404, "Not Found"), status=404)
        self.downloads.append(name)
        return web.Response(body=self.photos[name], content_type="image/jpeg")

    def texts(self, chat_id: str) -> list[str]:
        return [m.text for m in self.sent if m.chat_id == chat_id]

    async def push(
        self, update: dict[str, Any], url: str, secret: str | None, *, raw: bytes | None = None
    ) -> int:
        """POST ``update`` (enveloped as Zalo does) to a webhook; the HTTP status it got."""
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Bot-Api-Secret-Token"] = secret
        body = raw if raw is not None else json.dumps({"ok": True, "result": update}).encode()
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=body, headers=headers) as response,
        ):
            return response.status

    async def wait_sent(self, chat_id: str, n: int = 1, timeout: float = 5.0) -> list[str]:
        """The texts sent to ``chat_id`` once there are at least ``n`` (polling mode)."""
        async with asyncio.timeout(timeout):
            while len(self.texts(chat_id)) < n:
                await asyncio.sleep(0.01)
        return self.texts(chat_id)

    # --- the API -----------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(_error(401, "Unauthorized"), status=401)
        method = request.match_info["method"]
        try:
            payload = await request.json()
        except ValueError:
            return web.json_response(_error(400, "Bad Request: invalid JSON"), status=400)
        self.calls.append((method, payload))
        if self._faults[method]:
            return await self._fault(self._faults[method].popleft())
        chat_id = str(payload.get("chat_id", ""))
        if method == "sendMessage" and chat_id in self.blocked:
            return web.json_response(_error(403, "Forbidden: user blocked the bot"), status=403)
        answer = await self._answer(method, payload)
        if method == "sendMessage" and self.delay:
            await asyncio.sleep(self.delay)
        return web.json_response(answer)

    async def _fault(self, fault: str) -> web.StreamResponse:
        if fault == "timeout":
            await asyncio.sleep(self.hang)  # longer than the client's timeout
            return web.json_response(_error(504, "Gateway Timeout"), status=504)
        if fault == "500":
            return web.json_response(_error(500, "Internal Server Error"), status=500)
        if fault == "429":
            limited = _error(429, "Too Many Requests", parameters={"retry_after": 7})
            return web.json_response(limited, status=429)
        return web.Response(text='{"ok": tru', content_type="application/json")  # malformed

    async def _answer(self, method: str, payload: dict[str, Any]) -> dict[str, Any]:
        if method == "getMe":
            return {"ok": True, "result": {"id": "42", "account_name": "bot.NhacViec"}}
        if method == "sendMessage":
            sent = Sent(str(payload["chat_id"]), str(payload["text"]), f"zm-{next(self._ids)}")
            assert 1 <= len(sent.text) <= 2000, len(sent.text)
            self.sent.append(sent)
            return {"ok": True, "result": {"message_id": sent.message_id, "date": 0}}
        if method == "getUpdates":
            return await self._long_poll(float(payload.get("timeout", 30)))
        if method in ("setWebhook", "deleteWebhook"):
            self.webhook = {
                "url": str(payload.get("url", "")),
                "secret_token": str(payload.get("secret_token", "")),
            }
            return {"ok": True, "result": {"url": self.webhook["url"], "updated_at": 0}}
        if method == "getWebhookInfo":
            return {"ok": True, "result": {"url": self.webhook["url"], "updated_at": 0}}
        if method == "sendChatAction":
            return {"ok": True}
        return _error(404, f"Not Found: method {method}")

    async def _long_poll(self, wait: float) -> dict[str, Any]:
        """The next queued update, or error 408 after ``wait`` seconds (or at shutdown)."""
        getter = asyncio.ensure_future(self._updates.get())
        closing = asyncio.ensure_future(self._closing.wait())
        await asyncio.wait({getter, closing}, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
        closing.cancel()
        if getter.done():
            return {"ok": True, "result": getter.result()}
        getter.cancel()
        return _error(408, "Request timeout")

    def block(self, chat_id: str) -> None:
        """From now on ``sendMessage`` to ``chat_id`` fails 403, as when a user blocks the bot."""
        self.blocked.add(chat_id)


def text_update(chat_id: str, text: str, message_id: str) -> dict[str, Any]:
    """A ``message.text.received`` update from a private chat."""
    return {
        "event_name": "message.text.received",
        "message": {
            "message_id": message_id,
            "from": {"id": chat_id, "display_name": "Cán bộ"},
            "chat": {"id": chat_id, "chat_type": "PRIVATE"},
            "date": 1_700_000_000_000,
            "text": text,
        },
    }


def photo_update(
    chat_id: str, photo: str, message_id: str, caption: str | None = None
) -> dict[str, Any]:
    """A ``message.image.received`` update: ``photo`` is the picture's link, ``caption`` the
    text typed with it (the Zalo Bot Platform's webhook payload; no other file is received)."""
    update = text_update(chat_id, "", message_id)
    update["event_name"] = "message.image.received"
    del update["message"]["text"]
    update["message"]["photo"] = photo
    if caption is not None:
        update["message"]["caption"] = caption
    return update


def sticker_update(chat_id: str, message_id: str) -> dict[str, Any]:
    """A ``message.sticker.received`` update (no text)."""
    update = text_update(chat_id, "", message_id)
    update["event_name"] = "message.sticker.received"
    del update["message"]["text"]
    update["message"]["sticker"] = "0e078a2fb66a5f34067b"
    return update
