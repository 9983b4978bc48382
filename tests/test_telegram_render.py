"""Telegram rendering (HTML, buttons, splitting), error classification and token checks."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.channels.telegram.channel import TelegramChannel, validate_token
from bot.channels.telegram.render import LIMIT, MAX_CONTENT, MAX_ITEMS, answer_parts, bundle_parts
from bot.channels.telegram.sender import _classify
from bot.chat.callbacks import MAX_BYTES, SnoozeAction, StatusAction, parse
from bot.chat.messages import Answer, Button
from data.errors import UserError
from scheduler.sender import Bundle, ReminderItem

TODAY = date(2022, 3, 28)
TOKEN = "123456789:AAF-fake-token-for-tests_0123456789abcdef"
ACTIONS = ["Hoàn thành", "Đang thực hiện", "Vướng mắc", "Xin gia hạn", "⏰ Nhắc lại sau"]


def item(
    n: int, kind: str = "before", content: str = "Tổ chức hội nghị", **kw: object
) -> ReminderItem:
    fields: dict[str, object] = {
        "task_code": f"BDT22-I.{n}",
        "unit": "Ban Dân tộc",
        "due": date(2022, 3, 31),
        "role": "lead",
    }
    fields.update(kw)
    return ReminderItem(n, kind, content=content, **fields)  # type: ignore[arg-type]


def bundle(*items: ReminderItem, name: str = "Trần Thị Mai") -> Bundle:
    return Bundle(1, name, "telegram", "4242", TODAY, items)


def plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def payloads(buttons: tuple[tuple[Button, ...], ...]) -> list[str]:
    return [b.payload for row in buttons for b in row]


def test_it_renders_an_item_with_code_unit_role_and_the_vietnamese_due_phrase() -> None:
    [part] = bundle_parts(bundle(item(1)))
    text = plain(part.html)
    assert "Kính gửi Trần Thị Mai," in text
    assert "Nhắc việc — Thứ Hai, 28/03/2022" in text
    assert "1. BDT22-I.1" in text and "Tổ chức hội nghị" in text
    assert "Đơn vị: Ban Dân tộc (chủ trì)" in text
    assert "Hạn: Thứ Năm, 31/03/2022 — còn 3 ngày" in text
    assert "xong <mã>" in text  # the footer says how to answer


def test_it_escapes_everything_that_came_from_people_or_plans() -> None:
    evil = item(1, content="<script>alert(1)</script> & <b>", unit="Phòng <A&B>")
    [part] = bundle_parts(bundle(evil, name="<i>Mai</i>"))
    assert "<script>" not in part.html and "&lt;script&gt;" in part.html
    assert "Phòng &lt;A&amp;B&gt;" in part.html and "&lt;i&gt;Mai&lt;/i&gt;" in part.html
    assert re.findall(r"</?(\w+)", part.html) and set(re.findall(r"</?(\w+)", part.html)) <= {
        "b",
        "i",
    }


def test_each_reminder_item_gets_its_buttons_naming_its_reminder_row() -> None:
    [single] = bundle_parts(bundle(item(7)))
    assert [b.label for row in single.buttons for b in row] == ACTIONS
    assert payloads(single.buttons) == ["s:d:r7", "s:p:r7", "s:b:r7", "s:x:r7", "z:r7"]
    [double] = bundle_parts(bundle(item(7), item(8)))
    labels = [b.label for row in double.buttons for b in row]
    assert labels == [f"I.7: {a}" for a in ACTIONS] + [f"I.8: {a}" for a in ACTIONS]
    for payload in payloads(double.buttons):
        action = parse(payload)
        assert isinstance(action, StatusAction | SnoozeAction) and action.reminder_id in (7, 8)
        assert len(payload.encode()) <= MAX_BYTES


def test_digests_notices_and_escalations_have_no_buttons() -> None:
    notice = item(2, "notice", content="", task_code=None, due=None, note="Dòng 1\nDòng <2>")
    digest = item(3, "digest", content="Tổng hợp tuần", task_code=None, due=None)
    escalation = item(4, "escalation", subject="Lê Văn Hùng", note="không nhận được")
    [part] = bundle_parts(bundle(notice, digest, escalation))
    assert part.buttons == ()
    text = plain(part.html)
    assert "Dòng 1\nDòng <2>" in text
    assert "Cán bộ/đơn vị: Lê Văn Hùng — không nhận được" in text
    assert "xong <mã>" not in text  # nothing to answer


def test_long_content_is_shortened_at_a_word() -> None:
    [part] = bundle_parts(bundle(item(1, content="rất dài " * 200)))
    line = next(line for line in plain(part.html).splitlines() if line.startswith("rất"))
    assert len(line) <= MAX_CONTENT and line.endswith("dài…")


def test_a_long_bundle_is_split_under_the_limit_with_each_items_buttons_on_its_part() -> None:
    items = [
        item(n, content=f"Nhiệm vụ {n} " + "nội dung & <chi tiết> " * 30) for n in range(1, 61)
    ]
    parts = bundle_parts(bundle(*items))
    assert len(parts) >= 6
    assert sum(len(payloads(p.buttons)) for p in parts) == 5 * len(items)  # 4 states, snooze
    for number, part in enumerate(parts, start=1):
        assert len(part.html) <= LIMIT
        assert part.html.count("<b>") == part.html.count("</b>")
        assert part.html.endswith(f"<i>({number}/{len(parts)})</i>")
        codes = set(re.findall(r"BDT22-I\.(\d+)</b>", part.html))
        reminder_ids = {p.split(":r")[1] for p in payloads(part.buttons)}
        assert reminder_ids == codes and len(codes) <= MAX_ITEMS
    assert "Kính gửi" in parts[0].html and "Kính gửi" not in parts[1].html
    assert "xong &lt;mã&gt;" in parts[-1].html


def test_a_smaller_limit_splits_too() -> None:
    parts = bundle_parts(bundle(*(item(n) for n in range(1, 6))), limit=700)
    assert len(parts) > 1 and all(len(p.html) <= 700 for p in parts)


def test_an_answer_is_escaped_split_losslessly_and_buttons_go_last() -> None:
    text = "Việc <của> bạn & tôi\n" + "x<" * 6000
    buttons = ((Button("Trang 2", "v:2"),),)
    parts = answer_parts(Answer(text, buttons))
    assert len(parts) > 2 and all(len(p.html) <= LIMIT for p in parts)
    assert all(p.buttons == () for p in parts[:-1]) and parts[-1].buttons == buttons
    joined = "".join(re.sub(r"\n?<i>\(\d/\d\)</i>$", "", p.html) for p in parts)
    assert html.unescape(joined).replace("\n", "", 1) == text.replace("\n", "", 1)


def test_emoji_count_twice_as_telegram_counts_them() -> None:
    parts = answer_parts(Answer("👍" * 3000))
    assert len(parts) == 2
    assert all(len(p.html.encode("utf-16-le")) // 2 <= LIMIT for p in parts)


def test_a_short_answer_is_one_part_without_a_marker() -> None:
    [part] = answer_parts(Answer("Cảm ơn, đã nhận."))
    assert part.html == "Cảm ơn, đã nhận." and part.buttons == ()


# --- errors ------------------------------------------------------------------------------


ERRORS: list[tuple[Callable[[], TelegramError], bool, float | None]] = [
    (lambda: Forbidden("Forbidden: bot was blocked by the user"), True, None),
    (lambda: Forbidden("Forbidden: user is deactivated"), True, None),
    (lambda: BadRequest("Bad Request: chat not found"), True, None),
    (lambda: BadRequest("Bad Request: can't parse entities"), True, None),
    (lambda: ChatMigrated(-100123), True, None),
    (lambda: RetryAfter(7), False, 7.0),
    (lambda: RetryAfter(timedelta(seconds=2.5)), False, 2.5),
    (TimedOut, False, None),
    (lambda: NetworkError("httpx.ConnectError"), False, None),
    (InvalidToken, False, None),
    (lambda: TelegramError("Invalid server response"), False, None),
]
"""Built lazily: PTB's ``RetryAfter`` warns about its int/timedelta migration when created."""


@pytest.mark.parametrize(("make", "permanent", "retry_after"), ERRORS)
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_it_classifies_each_telegram_error(
    make: Callable[[], TelegramError], permanent: bool, retry_after: float | None
) -> None:
    error = make()
    classified = _classify(error)
    assert classified.permanent is permanent
    assert classified.retry_after == retry_after
    assert str(classified).startswith("telegram: ")
    assert error.message in str(classified)


def test_a_bad_request_keeps_its_reason() -> None:
    assert str(_classify(BadRequest("Bad Request: chat not found"))) == (
        "telegram: Chat not found"  # PTB drops the "Bad Request: " prefix
    )


# --- token ---------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "", "   "])
def test_a_missing_token_says_how_to_get_one(token: str | None) -> None:
    with pytest.raises(UserError, match=r"Thiếu TELEGRAM_BOT_TOKEN.*BotFather"):
        validate_token(token)


@pytest.mark.parametrize(
    "token", ["abc", "123456:short", "bot123456:" + "A" * 35, "12:" + "é" * 35]
)
def test_a_malformed_token_is_refused_without_echoing_it(token: str) -> None:
    with pytest.raises(UserError, match="không đúng dạng") as refused:
        validate_token(token)
    assert token not in str(refused.value)


def test_a_valid_token_passes_trimmed() -> None:
    assert validate_token(f"  {TOKEN}\n") == TOKEN


def test_the_channel_refuses_a_bad_token() -> None:
    with pytest.raises(UserError):
        TelegramChannel("nope", conversation=None)  # type: ignore[arg-type]
