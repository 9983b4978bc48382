"""Provider ids outside their documented ranges are refused where updates are parsed."""

from __future__ import annotations

from telegram import Update

from bot.channels.bounds import telegram_id_ok, telegram_update_ok, zalo_id


def test_telegram_ids_are_non_zero_52_bit_integers() -> None:
    for good in (1, 5_000_000_000, 1_099_511_627_775, -1_001_234_567_890, 2**52 - 1):
        assert telegram_id_ok(good), good
    for bad in (0, 2**52, -(2**52), 2**70, True, "5", 5.0, None, [5]):
        assert not telegram_id_ok(bad), bad


def _update(chat: int, user: int) -> Update:
    message = {
        "message_id": 1,
        "date": 1_650_000_000,
        "chat": {"id": chat, "type": "private"},
        "from": {"id": user, "is_bot": False, "first_name": "X"},
        "text": "xong",
    }
    return Update.de_json({"update_id": 1, "message": message}, None)


def test_a_telegram_update_needs_possible_chat_and_user_ids() -> None:
    assert telegram_update_ok(_update(42, 42))
    assert not telegram_update_ok(_update(2**60, 42))
    assert not telegram_update_ok(_update(42, -(2**60)))
    assert telegram_update_ok(Update.de_json({"update_id": 2}, None))  # no chat: nothing to check


def test_zalo_ids_are_short_scalars() -> None:
    assert zalo_id("2384e4c8be8b57d50e9a") == "2384e4c8be8b57d50e9a"
    assert zalo_id(123) == "123"
    for bad in ("", "x" * 65, None, True, {"id": 1}, ["a"], 1.5):
        assert zalo_id(bad) is None, bad
