"""A small fake Telegram Bot API server on 127.0.0.1: real HTTP for the real PTB ``Application``.

``async with FakeTelegram() as fake:`` starts it on a free port; point PTB at
``fake.base_url`` (``ApplicationBuilder().base_url(...)``). It answers the
methods the bot uses (getMe, sendMessage, sendPhoto, sendDocument, editMessageText,
editMessageReplyMarkup, answerCallbackQuery, setMyCommands, setWebhook,
deleteWebhook, getUpdates) under ``/bot<TOKEN>/<method>`` (method names in any
case), records every call, and serves updates the test pushes
(``push_message``, ``push_callback``, ``push_sticker``, ``push_document``,
``push_photo``) to long polling, or posts them to the bot's webhook (``post_pushed``),
running a call the bot carries in its response as Telegram does. A user's file is
served as Telegram does: ``getFile`` gives its path, ``/file/bot<TOKEN>/<path>`` its
bytes (``downloads`` records each).
Updates stay queued until a later ``getUpdates`` confirms them with ``offset``,
as on Telegram, so a poll cancelled mid-wait loses nothing.

Faults are scripted per chat or for everyone with ``fail(kind, ...)``: the
bodies are Telegram's own ("Forbidden: bot was blocked by the user", …).
Parameters arrive form-encoded (PTB's default, nested values as JSON strings),
as JSON, or in the query string; all three are read. A photo or document comes as
multipart/form-data: its name and bytes are kept on the ``Stored`` message (``file``),
whose ``text`` is the caption.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, web
from aiohttp.web_request import FileField

TOKEN = "123456789:AAF-fake-token-for-tests_0123456789abcdef"
BOT_ID = 123456789
JsonDict = dict[str, Any]

FAULTS: dict[str, tuple[int, JsonDict]] = {
    "blocked": (403, {"description": "Forbidden: bot was blocked by the user"}),
    "chat_not_found": (400, {"description": "Bad Request: chat not found"}),
    "flood": (429, {"description": "Too Many Requests: retry after 7"}),
    "server": (500, {"description": "Internal Server Error"}),
}
"""Error answers by fault kind; ``garbage`` (200, not JSON) and ``timeout`` (a sleep) are extra."""


@dataclass
class Call:
    """One request the bot made: the method (as Telegram spells it) and its parameters."""

    method: str
    params: JsonDict


@dataclass
class Fault:
    kind: str
    chat_id: int | None
    method: str | None
    remaining: int | None
    retry_after: int = 7
    delay: float = 0.0


@dataclass(frozen=True)
class SentFile:
    """A photo or document the bot uploaded: ``kind`` is ``photo`` or ``document``."""

    kind: str
    name: str
    content: bytes


@dataclass
class Stored:
    """A message as the fake server keeps it (the bot's, after any edits; a file's caption)."""

    chat_id: int
    message_id: int
    text: str
    reply_markup: JsonDict | None = None
    edits: list[str] = field(default_factory=list)
    file: SentFile | None = None

    @property
    def plain(self) -> str:
        """The text as the user reads it: tags dropped, entities decoded."""
        return html.unescape(re.sub(r"<[^>]+>", "", self.text))

    @property
    def buttons(self) -> list[JsonDict]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]


class FakeTelegram:
    """The server; see the module docstring."""

    def __init__(self, token: str = TOKEN, username: str = "nhacviec_test_bot") -> None:
        self.token, self.username = token, username
        self.calls: list[Call] = []
        self.in_responses: list[Call] = []
        """Calls the bot carried in its webhook responses (``post_pushed``)."""
        self.messages: dict[tuple[int, int], Stored] = {}
        self.sent: list[Stored] = []
        self.callback_answers: list[JsonDict] = []
        self.commands: dict[str, list[JsonDict]] = {}
        self._faults: list[Fault] = []
        self._updates: list[JsonDict] = []
        self._pushed = asyncio.Event()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.files: dict[str, tuple[str, bytes]] = {}
        """Files users sent, by file id: (file path, bytes), for ``getFile`` and downloads."""
        self.downloads: list[str] = []
        """The file paths the bot downloaded, in order."""

    # --- lifecycle -------------------------------------------------------------------

    async def __aenter__(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._pushed.set()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- what the test scripts ---------------------------------------------------------

    def fail(
        self,
        kind: str,
        *,
        chat_id: int | None = None,
        method: str | None = "sendMessage",
        times: int | None = None,
        retry_after: int = 7,
        delay: float = 0.0,
    ) -> None:
        """Answer matching calls with fault ``kind`` (``times`` times, or until ``clear``)."""
        if kind not in (*FAULTS, "garbage", "timeout"):
            raise ValueError(f"unknown fault {kind!r}")
        self._faults.append(Fault(kind, chat_id, method, times, retry_after, delay))

    def clear_faults(self) -> None:
        self._faults.clear()

    def push_message(
        self, chat_id: int, text: str, *, reply_to: int | None = None, language: str = "vi"
    ) -> int:
        """A user's text message; a leading ``/word`` becomes a bot_command entity."""
        message = self._user_message(chat_id, language)
        message["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            length = len(command.encode("utf-16-le")) // 2
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if reply_to is not None:
            stored = self.messages.get((chat_id, reply_to))
            message["reply_to_message"] = self._bot_message(
                chat_id, reply_to, stored.text if stored else ""
            )
        return self._push({"message": message})

    def push_document(
        self,
        chat_id: int,
        name: str,
        content: bytes,
        *,
        caption: str | None = None,
        reply_to: int | None = None,
        file_size: int | None = None,
        mime: str = "application/pdf",
    ) -> int:
        """A user's file (``file_size``: what Telegram announces, by default the real size)."""
        file_id = self._keep_file(f"documents/{name}", content)
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": name,
            "mime_type": mime,
            "file_size": len(content) if file_size is None else file_size,
        }
        return self._push_file(chat_id, {"document": document}, caption, reply_to)

    def push_photo(
        self,
        chat_id: int,
        content: bytes,
        *,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> int:
        """A user's photo, in a thumbnail and the full size (the bot should take the larger)."""
        small = self._keep_file("photos/small.jpg", content[:100])
        full = self._keep_file("photos/full.jpg", content)
        sizes = [
            {"file_id": small, "file_unique_id": f"u{small}", "width": 90, "height": 120},
            {"file_id": full, "file_unique_id": f"u{full}", "width": 900, "height": 1200},
        ]
        sizes[0]["file_size"], sizes[1]["file_size"] = min(len(content), 100), len(content)
        return self._push_file(chat_id, {"photo": sizes}, caption, reply_to)

    def _keep_file(self, path: str, content: bytes) -> str:
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = (f"{path}.{file_id}", content)
        return file_id

    def _push_file(
        self, chat_id: int, body: JsonDict, caption: str | None, reply_to: int | None
    ) -> int:
        message = self._user_message(chat_id, "vi") | body
        if caption is not None:
            message["caption"] = caption
        if reply_to is not None:
            stored = self.messages.get((chat_id, reply_to))
            message["reply_to_message"] = self._bot_message(
                chat_id, reply_to, stored.text if stored else ""
            )
        return self._push({"message": message})

    def push_raw(self, body: JsonDict) -> int:
        """An update of any shape (a malformed one, say), given its id."""
        return self._push(body)

    def push_sticker(self, chat_id: int) -> int:
        message = self._user_message(chat_id, "vi")
        message["sticker"] = {
            "file_id": "sticker-file",
            "file_unique_id": "sticker-unique",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self._push({"message": message})

    def push_callback(self, chat_id: int, message_id: int, data: str) -> int:
        """A press on a button of message ``message_id``."""
        stored = self.messages.get((chat_id, message_id))
        message = self._bot_message(chat_id, message_id, stored.text if stored else "…")
        if stored is not None and stored.reply_markup:
            message["reply_markup"] = stored.reply_markup
        query = {
            "id": f"cb-{next(self._message_ids)}",
            "from": self._user(chat_id, "vi"),
            "chat_instance": f"ci-{chat_id}",
            "message": message,
            "data": data,
        }
        return self._push({"callback_query": query})

    async def post_pushed(self, url: str, secret: str) -> list[int]:
        """Push the queued updates to a bot's webhook at ``url`` in order, as Telegram does
        in webhook mode (an update answered other than 200 stays queued for redelivery);
        a call carried in a response's body is run as Telegram runs it: recorded in
        ``in_responses`` (not ``calls``: the bot made no request), its result unseen, and
        a scripted fault drops it silently. The HTTP statuses, in order."""
        statuses: list[int] = []
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
        async with ClientSession() as client:
            for update in list(self._updates):
                async with client.post(url, json=update, headers=headers) as response:
                    statuses.append(response.status)
                    json_body = response.content_type == "application/json"
                    body = await response.json() if json_body else None
                if response.status == 200:
                    self._updates.remove(update)
                if isinstance(body, dict) and "method" in body:
                    await self.run_from_response(body)
        return statuses

    async def run_from_response(self, body: JsonDict) -> None:
        """Run the call a webhook response carried, as Telegram would (see ``post_pushed``)."""
        name = _METHODS[str(body["method"]).lower()]
        params = {key: _decoded(value) for key, value in body.items() if key != "method"}
        self.in_responses.append(Call(name, params))
        if self._fault(name, params) is None:
            await getattr(self, f"_m_{name}")(params)

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Until ``predicate()`` holds; fails with the recorded calls after ``timeout``."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                methods = [call.method for call in self.calls]
                raise AssertionError(f"timed out waiting; calls so far: {methods}")
            await asyncio.sleep(0.005)

    def sent_to(self, chat_id: int) -> list[Stored]:
        return [message for message in self.sent if message.chat_id == chat_id]

    # --- building updates ----------------------------------------------------------------

    def _push(self, body: JsonDict) -> int:
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **body})
        self._pushed.set()
        return update_id

    @staticmethod
    def _user(chat_id: int, language: str) -> JsonDict:
        return {
            "id": chat_id,
            "is_bot": False,
            "first_name": f"User {chat_id}",
            "language_code": language,
        }

    def _bot_user(self) -> JsonDict:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Nhắc việc",
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    @staticmethod
    def _chat(chat_id: int) -> JsonDict:
        return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}

    def _user_message(self, chat_id: int, language: str) -> JsonDict:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": self._user(chat_id, language),
        }

    def _bot_message(self, chat_id: int, message_id: int, text: str) -> JsonDict:
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": self._bot_user(),
            "text": text,
        }

    # --- the HTTP side ---------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        head, _, method = request.path.strip("/").partition("/")
        if head == "file":
            return self._download(method)
        if not head.startswith("bot"):
            return _error(404, "Not Found")
        if head[3:] != self.token:
            return _error(401, "Unauthorized")
        params = await _params(request)
        name = _METHODS.get(method.lower())
        self.calls.append(Call(name or method, params))
        if name is None:
            return _error(404, "Not Found: method not found")
        fault = self._fault(name, params)
        if fault is not None:
            return await self._faulty(fault)
        result = await getattr(self, f"_m_{name}")(params)
        return web.json_response({"ok": True, "result": result})

    def _fault(self, method: str, params: JsonDict) -> Fault | None:
        chat = params.get("chat_id")
        for fault in self._faults:
            if fault.method is not None and fault.method.lower() != method.lower():
                continue
            if fault.chat_id is not None and str(fault.chat_id) != str(chat):
                continue
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
            return fault
        return None

    async def _faulty(self, fault: Fault) -> web.StreamResponse:
        if fault.kind == "timeout":
            await asyncio.sleep(fault.delay)
            return _error(504, "Gateway Timeout")
        if fault.kind == "garbage":
            return web.Response(text="<html>502 oops</html>", content_type="text/html")
        status, body = FAULTS[fault.kind]
        if fault.kind == "flood":
            body = {**body, "parameters": {"retry_after": fault.retry_after}}
        return web.json_response({"ok": False, "error_code": status, **body}, status=status)

    # --- methods ---------------------------------------------------------------------------

    def _download(self, tail: str) -> web.Response:
        """``/file/bot<TOKEN>/<file path>``: the bytes of a file a user sent."""
        token, _, path = tail.partition("/")
        if token != f"bot{self.token}":
            return _error(401, "Unauthorized")
        found = next((c for p, c in self.files.values() if p == path), None)
        if found is None:
            return _error(404, "Not Found")
        self.downloads.append(path)
        return web.Response(body=found, content_type="application/octet-stream")

    async def _m_getFile(self, params: JsonDict) -> JsonDict:
        file_id = str(params["file_id"])
        if file_id not in self.files:
            raise web.HTTPBadRequest(
                text=json.dumps(
                    {"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"}
                ),
                content_type="application/json",
            )
        path, content = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(content),
            "file_path": path,
        }

    async def _m_getMe(self, params: JsonDict) -> JsonDict:
        return self._bot_user()

    async def _m_sendMessage(self, params: JsonDict) -> JsonDict:
        chat_id = int(params["chat_id"])
        stored = Stored(chat_id, next(self._message_ids), str(params["text"]))
        stored.reply_markup = params.get("reply_markup")
        self.sent.append(stored)
        self.messages[(chat_id, stored.message_id)] = stored
        return self._message_result(stored)

    async def _m_sendPhoto(self, params: JsonDict) -> JsonDict:
        return self._send_file("photo", params)

    async def _m_sendDocument(self, params: JsonDict) -> JsonDict:
        return self._send_file("document", params)

    def _send_file(self, kind: str, params: JsonDict) -> JsonDict:
        """An uploaded file; a file id or URL instead of an upload is refused (never used)."""
        upload = params.get(kind)
        if not isinstance(upload, FileField):
            raise web.HTTPBadRequest(
                text=json.dumps(
                    {"ok": False, "error_code": 400, "description": f"Bad Request: no {kind}"}
                ),
                content_type="application/json",
            )
        chat_id = int(params["chat_id"])
        sent = SentFile(kind, upload.filename, upload.file.read())
        stored = Stored(chat_id, next(self._message_ids), str(params.get("caption") or ""))
        stored.reply_markup, stored.file = params.get("reply_markup"), sent
        self.sent.append(stored)
        self.messages[(chat_id, stored.message_id)] = stored
        return self._message_result(stored)

    async def _m_editMessageText(self, params: JsonDict) -> JsonDict:
        stored = self._stored(params)
        stored.edits.append(stored.text)
        stored.text = str(params["text"])
        stored.reply_markup = params.get("reply_markup")
        return self._message_result(stored)

    async def _m_editMessageReplyMarkup(self, params: JsonDict) -> JsonDict:
        stored = self._stored(params)
        stored.reply_markup = params.get("reply_markup")
        return self._message_result(stored)

    async def _m_answerCallbackQuery(self, params: JsonDict) -> bool:
        self.callback_answers.append(params)
        return True

    async def _m_setMyCommands(self, params: JsonDict) -> bool:
        self.commands[str(params.get("language_code") or "")] = params["commands"]
        return True

    async def _m_setWebhook(self, params: JsonDict) -> bool:
        return True

    async def _m_deleteWebhook(self, params: JsonDict) -> bool:
        return True

    async def _m_getUpdates(self, params: JsonDict) -> list[JsonDict]:
        offset = int(params.get("offset") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and float(params.get("timeout") or 0) > 0:
            self._pushed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._pushed.wait(), float(params["timeout"]))
        return self._updates[: int(params.get("limit") or 100)]

    def _stored(self, params: JsonDict) -> Stored:
        key = (int(params["chat_id"]), int(params["message_id"]))
        if key not in self.messages:  # Telegram's answer for an unknown message
            raise web.HTTPBadRequest(
                text=json.dumps(
                    {
                        "ok": False,
                        "error_code": 400,
                        "description": "Bad Request: message to edit not found",
                    }
                ),
                content_type="application/json",
            )
        return self.messages[key]

    def _message_result(self, stored: Stored) -> JsonDict:
        result = self._bot_message(stored.chat_id, stored.message_id, stored.text)
        if stored.reply_markup and "inline_keyboard" in stored.reply_markup:
            result["reply_markup"] = stored.reply_markup
        return result


_METHODS = {
    name.lower(): name
    for name in (
        "getMe",
        "getFile",
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "editMessageText",
        "editMessageReplyMarkup",
        "answerCallbackQuery",
        "setMyCommands",
        "setWebhook",
        "deleteWebhook",
        "getUpdates",
    )
}


def _error(status: int, description: str) -> web.Response:
    body = {"ok": False, "error_code": status, "description": description}
    return web.json_response(body, status=status)


def _decoded(value: Any) -> Any:
    """PTB form-encodes nested values (reply_markup, commands) as JSON strings."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


async def _params(request: web.Request) -> JsonDict:
    params: JsonDict = dict(request.query)
    if request.content_type == "application/json":
        params.update(await request.json())
    elif request.can_read_body:
        params.update({key: value for key, value in (await request.post()).items()})
    return {key: _decoded(value) for key, value in params.items()}
