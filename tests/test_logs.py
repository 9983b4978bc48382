"""Structured logs: one JSON object per line with the context given, and no token, ever."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.logs import QUIET, Redactor, configure_logging

TELEGRAM = "123456789:AAHk3xVw-_fakeTokenForTests0123456789ab"
ZALO = "zl8Q2r.secret-zalo"
API = f"https://api.telegram.org/bot{TELEGRAM}/sendMessage"
Lines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def lines() -> Iterator[Lines]:
    """Configure logging into a buffer; restore the root logger afterwards."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, [logging.getLogger(n).level for n in QUIET])
    buffer = io.StringIO()
    configure_logging(json=True, level="INFO", secrets=[TELEGRAM, ZALO, None], stream=buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name, level in zip(QUIET, saved[2], strict=True):
        logging.getLogger(name).setLevel(level)


def test_it_writes_one_json_object_per_event_with_the_extras(lines: Lines) -> None:
    logging.getLogger("scheduler.dispatcher").info(
        "sent %d rows", 3, extra={"officer_id": 7, "channel": "telegram", "reminder_id": 42}
    )
    (line,) = lines()
    assert set(line) == {"ts", "level", "logger", "event", "officer_id", "channel", "reminder_id"}
    assert line["ts"].endswith("+00:00")
    assert (line["level"], line["logger"], line["event"]) == (
        "INFO",
        "scheduler.dispatcher",
        "sent 3 rows",
    )
    assert (line["officer_id"], line["channel"], line["reminder_id"]) == (7, "telegram", 42)


def test_it_keeps_vietnamese_readable(lines: Lines) -> None:
    logging.getLogger("bot").warning("Cán bộ %s chưa liên kết", "Nguyễn Văn Ánh")
    assert lines()[0]["event"] == "Cán bộ Nguyễn Văn Ánh chưa liên kết"


def test_it_never_writes_a_token_in_a_message_an_arg_an_extra_or_a_url(lines: Lines) -> None:
    log = logging.getLogger("telegram.ext")
    log.info(f"token is {TELEGRAM}")
    log.info("HTTP Request: POST %s", API)
    log.warning("zalo poll failed: %s", f"https://bot-api.zaloplatforms.com/bot{ZALO}/getUpdates")
    log.info("zalo token %s", ZALO, extra={"url": API, "update_id": 9})
    log.info("unknown bot at https://example.org/botS0me0therSecret/getMe")
    text = json.dumps(lines())
    assert TELEGRAM not in text and ZALO not in text and "S0me0therSecret" not in text
    assert "AAHk3xVw" not in text
    assert "/bot<token>/sendMessage" in text and "/bot<token>/getUpdates" in text


def test_it_redacts_tracebacks(lines: Lines) -> None:
    try:
        raise ConnectionError(f"cannot reach {API}")
    except ConnectionError:
        logging.getLogger("bot.channels.telegram.channel").exception(
            "send failed", extra={"officer_id": 3}
        )
    (line,) = lines()
    assert "ConnectionError" in line["exc"] and TELEGRAM not in line["exc"]
    assert line["officer_id"] == 3


def test_it_silences_httpx_per_request_lines(lines: Lines) -> None:
    logging.getLogger("httpx").info("HTTP Request: POST %s", API)
    logging.getLogger("httpx").warning("retrying")
    assert [line["event"] for line in lines()] == ["retrying"]


def test_the_redactor_leaves_ordinary_text_alone() -> None:
    redact = Redactor([ZALO])
    assert redact("Họp lúc 08:30, hạn 15/6/2022") == "Họp lúc 08:30, hạn 15/6/2022"
    assert redact(f"/bot{TELEGRAM}/x and {ZALO}") == "/bot<token>/x and <token>"


def test_plain_text_mode_is_redacted_too() -> None:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    buffer = io.StringIO()
    try:
        configure_logging(json=False, secrets=[TELEGRAM], stream=buffer)
        logging.getLogger("x").info("GET %s", API)
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    assert TELEGRAM not in buffer.getvalue() and "INFO x: GET" in buffer.getvalue()
