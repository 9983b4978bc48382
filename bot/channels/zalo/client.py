"""A small async client for the Zalo Bot Platform Bot API, on httpx.

What the API is (checked against the Zalo Bot Platform docs, bot.zaloplatforms.com/docs,
as mirrored by SDK READMEs and open clients, e.g. the OpenClaw Zalo extension, the
go-zalo-bot SDK and the PHP zalo-bot-php-sdk):
- ``POST {base}/bot<TOKEN>/<method>`` with a JSON body, base
  ``https://bot-api.zaloplatforms.com``; methods ``getMe``, ``getUpdates`` (``timeout``
  in seconds, sent as a string, default 30), ``setWebhook`` (``url``, ``secret_token``
  of 8–256 characters), ``deleteWebhook``, ``getWebhookInfo``, ``sendMessage``
  (``chat_id``, ``text`` of 1–2000 characters; answers ``{message_id, date}``),
  ``sendChatAction`` (``action``: ``typing``).
- Files: the outgoing methods are ``sendMessage``, ``sendPhoto``, ``sendSticker`` and
  ``sendChatAction``; there is no ``sendDocument`` nor any upload method. ``sendPhoto``
  takes ``chat_id``, ``photo`` (a string: the picture's link, fetched by Zalo) and
  ``caption`` (1–2000 characters). A chart or a report made here has no public link,
  so nothing is sent as a file (``render.file_note``).
- Answers are ``{"ok": true, "result": …}`` or ``{"ok": false, "error_code": N,
  "description": …}``; some deliveries come flat (no envelope): both are accepted.
- ``getUpdates`` has no offset and returns one update (``{"event_name", "message"}``)
  per call; a poll that saw nothing answers ``error_code`` 408 "Request timeout".
  That is the normal empty answer, returned here as ``[]``.

Error codes: the docs list none for ``sendMessage``; the codes seen in the wild follow
HTTP meanings (401 bad token, 408 empty poll, 429 too many requests), so ``_classify``
maps them the HTTP way, in one place. Which ones mean "this chat can never be reached"
(``PERMANENT``) is a judgement, commented there; a bad token (401) is our
configuration error, not the officer's, so it is *not* permanent.

Retries: idempotent calls (everything but ``sendMessage``) are retried a few times
on transient errors; ``sendMessage`` is retried only when the request never reached
the server (connect errors), because a resend could deliver twice. Delivery retries
belong to the outbox (``scheduler/dispatcher.py``).
The token is part of every URL: it never appears in our errors; keep the ``httpx``
logger at WARNING in production, as its INFO lines print request URLs.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

from scheduler.sender import SendError

DEFAULT_API_URL = "https://bot-api.zaloplatforms.com"
MAX_TEXT = 2000
EMPTY_POLL = 408
DEFAULT_RETRY_AFTER = 5.0
PERMANENT = {
    403: "the user blocked the bot, or the bot may not write to this chat",
    404: "no such chat or user",
}
"""Give-up codes: retrying cannot help, so the dispatcher falls back to the other channel."""
_CHAT_GONE_HINTS = ("chat not found", "invalid chat", "user not found", "blocked")
"""A 400 whose description says the chat itself is wrong is permanent too."""
IDEMPOTENT = frozenset(
    {"getMe", "getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo", "sendChatAction"}
)

Json = dict[str, Any]
Sleep = Callable[[float], Awaitable[None]]


class ZaloError(SendError):
    """A failed Bot API call; ``code`` is Zalo's ``error_code`` (or the HTTP status)."""

    def __init__(
        self,
        reason: str,
        *,
        code: int | None = None,
        permanent: bool = False,
        retry_after: float | None = None,
        reached: bool = True,
    ) -> None:
        super().__init__(reason, permanent=permanent, retry_after=retry_after)
        self.code, self.reached = code, reached

    def worth_retrying(self, method: str) -> bool:
        """Now, inside one call: unsent requests always; idempotent ones on network/5xx errors."""
        if not self.reached:
            return True
        server_trouble = self.code is None or self.code >= 500
        return method in IDEMPOTENT and server_trouble and not self.permanent


def _classify(status: int, body: object, retry_header: str | None = None) -> ZaloError | None:
    """None when the call succeeded; otherwise the error to raise (see the module docstring)."""
    if not isinstance(body, dict):
        return ZaloError(f"HTTP {status}: phản hồi không đọc được")
    failed = body.get("ok") is False or "error_code" in body or status >= 400
    if not failed:
        return None
    raw_code = body.get("error_code", status)
    code = int(raw_code) if isinstance(raw_code, int | str) and str(raw_code).isdigit() else status
    description = str(body.get("description") or body.get("message") or "lỗi không rõ")
    reason = f"Zalo {code}: {description}"
    if code == 429:
        parameters = body.get("parameters")
        hinted = parameters.get("retry_after") if isinstance(parameters, dict) else None
        return ZaloError(reason, code=code, retry_after=_seconds(hinted or retry_header))
    gone = code == 400 and any(hint in description.lower() for hint in _CHAT_GONE_HINTS)
    return ZaloError(reason, code=code, permanent=code in PERMANENT or gone)


def _seconds(value: object) -> float:
    try:
        return max(float(str(value)), 0.0)
    except ValueError:
        return DEFAULT_RETRY_AFTER


def _result(body: Json) -> Any:
    """The payload of a successful answer, with or without the ``ok``/``result`` envelope."""
    return body.get("result") if "ok" in body and "result" in body else body


class ZaloClient:
    """One bot token's Bot API; ``transport`` lets tests answer without a socket."""

    def __init__(
        self,
        token: str,
        *,
        api_url: str | None = None,
        timeout: float = 10.0,
        retries: int = 2,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        base = api_url or os.environ.get("ZALO_API_URL") or DEFAULT_API_URL
        self._token = token
        self._timeout, self._retries, self._sleep = timeout, retries, sleep
        self._http = httpx.AsyncClient(
            base_url=f"{base.rstrip('/')}/bot{token}/", timeout=timeout, transport=transport
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def call(self, method: str, payload: Mapping[str, Any] | None = None, **kw: Any) -> Any:
        """Call ``method``; the result, or ``ZaloError``. Retries per the module docstring."""
        attempt = 0
        while True:
            try:
                return await self._once(method, payload, **kw)
            except ZaloError as error:
                if attempt >= self._retries or not error.worth_retrying(method):
                    raise
            attempt += 1
            await self._sleep(0.2 * 2**attempt)

    async def _once(self, method: str, payload: Mapping[str, Any] | None, **kw: Any) -> Any:
        try:
            response = await self._http.post(method, json=dict(payload or {}), **kw)
        except httpx.ConnectError as exc:  # never reached the server: safe to resend
            raise ZaloError(f"không kết nối được: {self._redact(exc)}", reached=False) from None
        except httpx.HTTPError as exc:
            reason = f"{type(exc).__name__}: {self._redact(exc)}"
            raise ZaloError(f"lỗi mạng ({reason})") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        error = _classify(response.status_code, body, response.headers.get("Retry-After"))
        if error is not None:
            raise error
        return _result(body) if isinstance(body, dict) else None

    def _redact(self, exc: Exception) -> str:
        return str(exc).replace(self._token, "<token>") or "—"

    async def get_me(self) -> Json:
        return dict(await self.call("getMe"))

    async def get_updates(self, timeout: int = 30) -> list[Json]:
        """Long-poll once: the update(s) received, or ``[]`` when the poll timed out empty."""
        wait = httpx.Timeout(self._timeout, read=timeout + self._timeout)
        try:
            result = await self.call("getUpdates", {"timeout": str(timeout)}, timeout=wait)
        except ZaloError as error:
            if error.code == EMPTY_POLL:
                return []
            raise
        if isinstance(result, list):
            return [u for u in result if isinstance(u, dict)]
        return [result] if isinstance(result, dict) and result else []

    async def set_webhook(self, url: str, secret_token: str) -> Json:
        return dict(await self.call("setWebhook", {"url": url, "secret_token": secret_token}))

    async def delete_webhook(self) -> Json:
        return dict(await self.call("deleteWebhook") or {})

    async def get_webhook_info(self) -> Json:
        return dict(await self.call("getWebhookInfo") or {})

    async def send_message(self, chat_id: str, text: str) -> str:
        """Send one plain-text message (1–2000 characters); returns Zalo's message id."""
        if not 1 <= len(text) <= MAX_TEXT:
            raise ValueError(f"sendMessage text must be 1–{MAX_TEXT} characters, got {len(text)}")
        result = await self.call("sendMessage", {"chat_id": chat_id, "text": text})
        return str((result or {}).get("message_id", "")) if isinstance(result, dict) else ""

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})
