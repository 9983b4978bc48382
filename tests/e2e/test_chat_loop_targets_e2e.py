"""Issue 12's "never record on the wrong task" end to end: the real Telegram and Zalo
channels against their fake servers, on SQLite and PostgreSQL.

A code naming none of the officer's items is asked back and nothing is recorded;
"xong V.3 rồi, còn V.2 đang làm 30%" records both; a pasted reminder gets the
how-to; the pick menu shows each task's content, pages past ten items (Zalo numbers
the page moves with the items) and keeps the reason already given; "à nhầm, …"
replaces the update of a minute ago.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.chat import texts
from data.models import StatusUpdate
from tests.e2e.test_telegram import World, hung_reminder, payloads, world
from tests.e2e.test_zalo import XUAN, Zalo, zalo
from tests.fake_telegram import Stored
from tests.planning_helpers import seed_with_officers
from tests.test_chat_loop_targets import import_fifteen_more

__all__ = ["world", "zalo"]  # the fixtures, shared with the channels' own e2e tests

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

LE, MAI = "Bùi Thị Lệ", "Trần Thị Mai"  # Lệ: BDT22-V.1, V.2, V.3, IV.2 open; Mai: seven
BLOCKED = "vướng do chưa có kinh phí"


async def _audit(harness: World | Zalo) -> list[tuple[str, str | None]]:
    """(state after, note) of every audit row, oldest first."""
    async with harness.sessions() as s:
        rows = await s.execute(
            select(StatusUpdate.state_after, StatusUpdate.note).order_by(StatusUpdate.id)
        )
        return [(state, note) for state, note in rows]


def _labels(message: Stored) -> list[str]:
    return [button["text"] for button in message.buttons]


# --- Telegram ----------------------------------------------------------------------


async def test_a_code_naming_none_of_the_officers_items_is_asked_back(world: World) -> None:
    chat = await world.link(LE)
    [answer] = await world.say(chat, "xong BDT22-V.9 rồi")
    assert "Không tìm thấy việc mã BDT22-V.9" in answer.plain and "BDT22-V.2" in answer.plain
    assert await _audit(world) == []


async def test_two_tasks_in_one_message_are_both_recorded(world: World) -> None:
    chat = await world.link(LE)
    [answer] = await world.say(chat, "xong V.3 rồi, còn V.2 đang làm 30%")
    assert "BDT22-V.3 — Hoàn thành" in answer.plain and "BDT22-V.2" in answer.plain
    assert (await world.progress("BDT22-V.3", LE)).state == "done"
    v2 = await world.progress("BDT22-V.2", LE)
    assert (v2.state, v2.percent) == ("in_progress", 30)


async def test_a_pasted_reminder_gets_the_how_to_and_records_nothing(world: World) -> None:
    chat, reminder = await hung_reminder(world)
    [answer] = await world.say(chat, reminder.plain)
    assert answer.plain == texts.PASTED_REMINDER
    assert await _audit(world) == []


async def test_the_pick_menu_shows_content_and_keeps_the_reason(world: World) -> None:
    chat = await world.link(LE)
    [menu] = await world.say(chat, BLOCKED)
    [v2] = [b for b in menu.buttons if b["text"].startswith("BDT22-V.2 · Bình xét")]
    assert len(menu.buttons) == 4 and all(len(d.encode()) <= 64 for d in payloads(menu))
    toast, sent = await world.press(chat, menu.message_id, v2["callback_data"])
    assert toast.get("text") == texts.RECORDED_TOAST and sent == []  # no second question
    edited = world.fake.messages[(chat, menu.message_id)]
    assert "BDT22-V.2" in edited.text and "chưa có kinh phí" in edited.text
    assert edited.buttons == []
    assert (await world.progress("BDT22-V.2", LE)).state == "blocked"
    assert await _audit(world) == [("blocked", "chưa có kinh phí")]


async def test_the_pick_menu_pages_past_ten_items(world: World) -> None:
    await import_fifteen_more(world.sessions)
    chat = await world.link(MAI)
    [menu] = await world.say(chat, "xong rồi ạ")
    assert _labels(menu)[-1] == texts.PICK_NEXT and len(menu.buttons) == 11
    _, sent = await world.press(chat, menu.message_id, payloads(menu)[-1])
    assert sent == []  # the menu itself turns the page
    page = world.fake.messages[(chat, menu.message_id)]
    assert "Trang 2/3" in page.text
    assert _labels(page)[-2:] == [texts.PICK_PREVIOUS, texts.PICK_NEXT]


async def test_a_correction_within_minutes_replaces_the_update(world: World) -> None:
    chat = await world.link(XUAN)
    await world.say(chat, "xong BDT22-V.1")
    world.clock.advance(timedelta(minutes=2))
    [answer] = await world.say(chat, "à nhầm, đang làm 50% thôi")
    assert "BDT22-V.1" in answer.plain
    v1 = await world.progress("BDT22-V.1", XUAN)
    assert (v1.state, v1.percent) == ("in_progress", 50)
    assert [state for state, _ in await _audit(world)] == ["done", "in_progress"]


# --- Zalo --------------------------------------------------------------------------


async def test_zalo_asks_back_an_unknown_code_and_records_two_tasks(zalo: Zalo) -> None:
    await seed_with_officers(zalo.sessions)
    chat = await zalo.link(LE)
    [asked] = await zalo.say(chat, "XONG BDT22-V.9", "m-1")
    assert "Không tìm thấy việc mã BDT22-V.9" in asked
    assert await _audit(zalo) == []
    [both] = await zalo.say(chat, "xong V.3 rồi, còn V.2 đang làm 30%", "m-2")
    assert "BDT22-V.3 — Hoàn thành" in both
    assert [state for state, _ in await _audit(zalo)] == ["done", "in_progress"]


async def test_zalo_numbers_the_pick_menu_and_keeps_the_reason(zalo: Zalo) -> None:
    await seed_with_officers(zalo.sessions)
    chat = await zalo.link(LE)
    [menu] = await zalo.say(chat, BLOCKED, "m-1")
    [line] = [line for line in menu.splitlines() if "BDT22-V.2 · Bình xét" in line]
    number = line.partition(".")[0]
    [recorded] = await zalo.say(chat, number, "m-2")
    assert recorded.startswith("Đã ghi nhận: BDT22-V.2") and "chưa có kinh phí" in recorded
    assert await _audit(zalo) == [("blocked", "chưa có kinh phí")]


async def test_zalo_numbers_the_page_moves_with_the_items(zalo: Zalo) -> None:
    await seed_with_officers(zalo.sessions)
    await import_fifteen_more(zalo.sessions)
    chat = await zalo.link(MAI)
    [first] = await zalo.say(chat, "xong rồi ạ", "m-1")
    assert f"11. {texts.PICK_NEXT}" in first and "Trả lời 1–11 để chọn." in first
    [second] = await zalo.say(chat, "11", "m-2")
    assert "Trang 2/3" in second
    assert f"11. {texts.PICK_PREVIOUS}" in second and f"12. {texts.PICK_NEXT}" in second
    [third] = await zalo.say(chat, "12", "m-3")
    assert "Trang 3/3" in third and f"3. {texts.PICK_PREVIOUS}" in third
    assert await _audit(zalo) == []
