"""The Zalo Bot API client, its error mapping and the plain-text rendering; no socket opened."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest

from bot.channels.zalo.client import MAX_TEXT, ZaloClient, ZaloError, _classify
from bot.channels.zalo.render import parse_update, render_answer, render_reminder, split_text
from bot.chat.messages import Answer, Button
from data.status import parse_reply
from scheduler.sender import Bundle, ReminderItem
from tests.fake_zalo_api import sticker_update, text_update

Handler = Callable[[httpx.Request], httpx.Response]


async def _no_sleep(_: float) -> None:
    return None


def client_with(handler: Handler, **kw: Any) -> tuple[ZaloClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    transport = httpx.MockTransport(record)
    kw.setdefault("api_url", "https://zalo.test")
    client = ZaloClient("123:abc", transport=transport, **kw)
    return client, seen


def answer(body: object, status: int = 200) -> Handler:
    return lambda _: httpx.Response(status, json=body)


# --- envelope and requests ---------------------------------------------------------------


async def test_it_posts_json_to_bot_token_method_and_unwraps_the_envelope() -> None:
    client, seen = client_with(answer({"ok": True, "result": {"message_id": "m1", "date": 1}}))
    assert await client.send_message("chat-1", "Xin chào") == "m1"
    [request] = seen
    assert request.method == "POST"
    assert str(request.url) == "https://zalo.test/bot123:abc/sendMessage"
    assert json.loads(request.content) == {"chat_id": "chat-1", "text": "Xin chào"}


async def test_it_accepts_a_flat_answer_without_envelope() -> None:
    client, _ = client_with(answer({"id": "42", "account_name": "bot.x"}))
    assert (await client.get_me())["account_name"] == "bot.x"


async def test_it_reads_the_api_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZALO_API_URL", "http://127.0.0.1:9/")
    client, seen = client_with(answer({"ok": True, "result": {}}), api_url=None)
    await client.get_webhook_info()
    assert str(seen[0].url) == "http://127.0.0.1:9/bot123:abc/getWebhookInfo"


async def test_an_empty_long_poll_is_no_update_not_an_error() -> None:
    client, seen = client_with(answer({"ok": False, "error_code": 408, "description": "timeout"}))
    assert await client.get_updates(timeout=5) == []
    assert len(seen) == 1 and json.loads(seen[0].content) == {"timeout": "5"}


async def test_get_updates_returns_the_one_update() -> None:
    update = text_update("c1", "xong", "m9")
    client, _ = client_with(answer({"ok": True, "result": update}))
    assert await client.get_updates() == [update]


async def test_text_over_2000_characters_is_refused_before_sending() -> None:
    client, seen = client_with(answer({"ok": True, "result": {}}))
    with pytest.raises(ValueError):
        await client.send_message("c", "x" * (MAX_TEXT + 1))
    assert seen == []


# --- retries -------------------------------------------------------------------------------


def flaky(*statuses: int) -> Handler:
    replies = iter(statuses)

    def handle(_: httpx.Request) -> httpx.Response:
        status = next(replies, 200)
        body = {"ok": True, "result": {"message_id": "m"}} if status == 200 else {"ok": False}
        return httpx.Response(status, json=body)

    return handle


async def test_idempotent_calls_are_retried_on_5xx() -> None:
    client, seen = client_with(flaky(502, 503), sleep=_no_sleep)
    await client.get_me()
    assert len(seen) == 3


async def test_send_message_is_not_resent_after_a_5xx() -> None:
    client, seen = client_with(flaky(500), sleep=_no_sleep)
    with pytest.raises(ZaloError) as raised:
        await client.send_message("c", "hi")
    assert len(seen) == 1 and not raised.value.permanent


async def test_send_message_is_resent_when_the_request_never_left() -> None:
    calls: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={"ok": True, "result": {"message_id": "m2"}})

    client, _ = client_with(handle, sleep=_no_sleep)
    assert await client.send_message("c", "hi") == "m2"


async def test_network_errors_never_show_the_token() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout(f"timed out reading {request.url}", request=request)

    client, _ = client_with(handle, sleep=_no_sleep, retries=0)
    with pytest.raises(ZaloError) as raised:
        await client.send_message("c", "hi")
    assert "123:abc" not in str(raised.value) and not raised.value.permanent


# --- error mapping ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "permanent", "retry_after"),
    [
        (429, {"ok": False, "error_code": 429, "parameters": {"retry_after": 7}}, False, 7.0),
        (200, {"ok": False, "error_code": 429, "description": "Too Many Requests"}, False, 3.0),
        (403, {"ok": False, "error_code": 403, "description": "Forbidden"}, True, None),
        (200, {"ok": False, "error_code": 404, "description": "Not Found"}, True, None),
        (400, {"ok": False, "error_code": 400, "description": "Chat not found"}, True, None),
        (400, {"ok": False, "error_code": 400, "description": "text is empty"}, False, None),
        (401, {"ok": False, "error_code": 401, "description": "Unauthorized"}, False, None),
        (502, {"ok": False}, False, None),
        (200, None, False, None),
    ],
)
def test_classify(status: int, body: object, permanent: bool, retry_after: float | None) -> None:
    error = _classify(status, body, retry_header="3")
    assert error is not None
    assert (error.permanent, error.retry_after) == (permanent, retry_after)


def test_classify_success_with_and_without_envelope() -> None:
    assert _classify(200, {"ok": True, "result": {}}) is None
    assert _classify(200, {"message_id": "m"}) is None


# --- rendering ------------------------------------------------------------------------------------


def bundle(*codes: str, note: str = "") -> Bundle:
    items = tuple(
        ReminderItem(n, "before", code, f"Nhiệm vụ {code} {note}", "Ban Dân tộc", date(2022, 3, 31))
        for n, code in enumerate(codes, start=1)
    )
    return Bundle(1, "Trần Thị Mai", "zalo", "c1", date(2022, 3, 28), items)


def test_a_reminder_shows_the_commands_to_type_and_they_parse() -> None:
    text = render_reminder(bundle("BDT22-I.1"))
    assert "Thứ Năm, 31/03/2022 — còn 3 ngày" in text
    footer, later = text.splitlines()[-2:]
    assert footer == (
        "Trả lời: XONG BDT22-I.1 · DANG 50 BDT22-I.1 · VUONG BDT22-I.1 <lý do> · "
        "GIAHAN BDT22-I.1 30/6"
    )
    states = [parse_reply(c.strip(), date(2022, 3, 28)).state for c in footer[9:].split("·")]
    assert states == ["done", "in_progress", "blocked", "extension_requested"]
    assert later == "Nhắc lại sau: NHACLAI BDT22-I.1 2h (hoặc mai, thu 2)"
    snoozes = [
        parse_reply(f"NHACLAI BDT22-I.1 {when}", date(2022, 3, 28)).snooze
        for when in ("2h", "mai", "thu 2")
    ]
    assert [(s.unit, s.amount) for s in snoozes if s] == [("hour", 2), ("day", 1), ("weekday", 0)]


def test_a_long_bundle_is_split_under_2000_characters_at_line_ends() -> None:
    codes = [f"BDT22-I.{n}" for n in range(1, 40)]
    text = render_reminder(bundle(*codes, note="x" * 120))
    pieces = split_text(text)
    assert len(pieces) > 1 and all(len(p) <= MAX_TEXT for p in pieces)
    assert "\n".join(pieces) == text
    assert "(thay BDT22-I.1 bằng mã việc khác trong danh sách)" in pieces[-1]


def test_split_cuts_a_line_longer_than_the_limit() -> None:
    assert split_text("a" * 4500) == ["a" * 2000, "a" * 2000, "a" * 500]


def test_buttons_become_numbered_options() -> None:
    reply = Answer("BDT22-I.1: tiến độ thế nào?", buttons=((Button("Hoàn thành", "s:d:r1"),),))
    text, payloads = render_answer(reply)
    assert text.endswith("1. Hoàn thành\nTrả lời 1 để chọn.") and payloads == ("s:d:r1",)
    assert render_answer(Answer("", toast="Nút không hợp lệ.")) == ("Nút không hợp lệ.", ())


def test_updates_parse_with_and_without_envelope() -> None:
    update = text_update("c1", "xong", "m1")
    enveloped = parse_update({"ok": True, "result": update})
    assert enveloped == parse_update(update)
    assert enveloped is not None and (enveloped.chat_id, enveloped.text) == ("c1", "xong")
    sticker = parse_update(sticker_update("c1", "m2"))
    assert sticker is not None and sticker.text is None
    group = text_update("g1", "xong", "m3")
    group["message"]["chat"]["chat_type"] = "GROUP"
    assert parse_update(group) is None
    assert parse_update({"ok": True, "result": {"event_name": "x"}}) is None
