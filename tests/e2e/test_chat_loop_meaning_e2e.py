"""Issue 12's "keep the whole meaning" end to end: the real channels, webhook and Dispatcher
against the fake Telegram and Zalo servers, on SQLite and PostgreSQL.

Xuân has one open item, BDT22-V.1, due Thursday 31/3/2022. A promise ("mai em nộp")
is followed up once on the working morning after the promised day; a snooze by the
"Nhắc lại sau" button (Telegram), by its numbered options or by ``NHACLAI`` (Zalo)
comes back once, at the chosen working time; "OK" is recorded as seen.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from bot.chat import texts
from data.models import Reminder, StatusUpdate
from scheduler.clock import TZ
from scheduler.dispatcher import Dispatcher
from tests.e2e.test_telegram import World, payloads, world
from tests.e2e.test_zalo import SECRET, XUAN, Zalo, zalo
from tests.fake_telegram import Stored
from tests.fake_zalo_api import text_update
from tests.planning_helpers import seed_with_officers

__all__ = ["world", "zalo"]  # the fixtures, shared with the channels' own e2e tests

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

CODE = "BDT22-V.1"


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2022, 3, day, hour, minute, tzinfo=TZ)


async def _rows(sessions: World | Zalo, kind: str) -> list[Reminder]:
    async with sessions.sessions() as s:
        query = select(Reminder).where(Reminder.kind == kind).order_by(Reminder.id)
        return list((await s.scalars(query)).all())


async def _kinds(sessions: World | Zalo) -> list[str]:
    async with sessions.sessions() as s:
        return list(await s.scalars(select(StatusUpdate.kind).order_by(StatusUpdate.id)))


async def _dispatch(world: World, at: datetime, chat: int) -> list[Stored]:
    """Dispatch what is due at ``at``; the messages ``chat`` got from it."""
    before = len(world.fake.sent_to(chat))
    world.clock.set(at)
    await world.dispatcher.dispatch_once()
    return world.fake.sent_to(chat)[before:]


def _button(message: Stored, label: str) -> str:
    return str(next(b["callback_data"] for b in message.buttons if b["text"].endswith(label)))


# --- Telegram ----------------------------------------------------------------------


async def test_a_promise_is_followed_up_once_on_the_next_working_morning(world: World) -> None:
    chat = await world.link(XUAN)
    await world.remind(_at(28, 9))  # planned, and Monday's reminders sent
    [answer] = await world.say(chat, "mai em nộp ạ")
    assert "29/03/2022" in answer.plain and "08:00 30/03/2022" in answer.plain
    assert await _dispatch(world, _at(29, 10), chat) == []  # the promised day: left alone
    [followup] = await _dispatch(world, _at(30, 8), chat)
    assert f"Theo hẹn · {CODE}" in followup.plain
    assert "Đã hẹn xong: Thứ Ba, 29/03/2022" in followup.plain
    assert "Hạn: Thứ Năm, 31/03/2022 — còn 1 ngày" in followup.plain
    assert len(payloads(followup)) == 5  # the status buttons and "Nhắc lại sau"
    assert await _dispatch(world, _at(30, 11), chat) == []  # once
    [row] = await _rows(world, "followup")
    assert row.state == "sent" and row.provider_message_id == str(followup.message_id)
    assert await _kinds(world) == ["promise"]


async def test_the_snooze_button_brings_the_item_back_once_at_the_chosen_time(
    world: World,
) -> None:
    chat = await world.link(XUAN)
    world.clock.set(_at(28, 9))
    [question] = await world.say(chat, f"{CODE} thế nào rồi")
    toast, [when] = await world.press(chat, question.message_id, _button(question, "Nhắc lại sau"))
    assert toast.get("text") is None and when.plain == texts.SNOOZE_ASK.format(code=CODE)
    assert [b["text"] for b in when.buttons] == ["2 giờ", "Sáng mai", "Thứ Hai"]
    _, edited = await world.press(chat, when.message_id, _button(when, "Sáng mai"))
    assert edited == []  # the question itself now says it, without its choices
    [shown] = [m for m in world.fake.sent_to(chat) if m.message_id == when.message_id]
    assert "08:00 29/03/2022" in shown.plain and shown.buttons == []
    assert await _dispatch(world, _at(28, 17), chat) == []
    [back] = await _dispatch(world, _at(29, 8), chat)
    assert f"Nhắc lại · {CODE}" in back.plain and len(payloads(back)) == 5
    assert await _dispatch(world, _at(29, 11), chat) == []  # once
    assert await _kinds(world) == ["snooze"]


async def test_ok_in_answer_to_a_reminder_is_recorded_as_seen(world: World) -> None:
    chat = await world.link(XUAN)
    await world.remind(_at(28, 9))
    await world.say(chat, "mai em nộp ạ")
    [followup] = await _dispatch(world, _at(30, 8), chat)
    [thanks] = await world.say(chat, "OK", reply_to=followup.message_id)
    assert thanks.plain == texts.THANKS
    assert await _kinds(world) == ["promise", "acknowledged"]
    assert (await world.progress(CODE, XUAN)).state == "not_started"


# --- Zalo --------------------------------------------------------------------------


async def _zalo_dispatch(zalo: Zalo, at: datetime, chat: str) -> list[str]:
    before = len(zalo.fake.texts(chat))
    zalo.clock.set(at)
    await Dispatcher(zalo.sessions, {"zalo": zalo.channel.sender}, zalo.clock).dispatch_once()
    return zalo.fake.texts(chat)[before:]


async def _say(zalo: Zalo, chat: str, text: str, message_id: str) -> str:
    before = len(zalo.fake.texts(chat))
    assert await zalo.fake.push(text_update(chat, text, message_id), zalo.webhook, SECRET) == 200
    [answer] = zalo.fake.texts(chat)[before:]
    return answer


async def test_nhaclai_on_zalo_brings_the_item_back_once_two_hours_later(zalo: Zalo) -> None:
    await seed_with_officers(zalo.sessions)
    chat = await zalo.link(XUAN)
    answer = await _say(zalo, chat, f"NHACLAI {CODE} 2h", "m-1")
    assert "11:00 28/03/2022" in answer
    assert await _zalo_dispatch(zalo, _at(28, 10, 50), chat) == []
    [back] = await _zalo_dispatch(zalo, _at(28, 11), chat)
    assert f"Nhắc lại: [{CODE}]" in back
    assert f"NHACLAI {CODE} 2h" in back  # what to type to put it off again
    assert await _zalo_dispatch(zalo, _at(28, 14), chat) == []  # once
    assert await _kinds(zalo) == ["snooze"]


async def test_zalo_numbers_offer_the_same_snooze_choice(zalo: Zalo) -> None:
    await seed_with_officers(zalo.sessions)
    chat = await zalo.link(XUAN)
    question = await _say(zalo, chat, f"{CODE} thế nào rồi", "m-1")
    assert "5. ⏰ Nhắc lại sau" in question
    when = await _say(zalo, chat, "5", "m-2")
    assert "1. 2 giờ\n2. Sáng mai\n3. Thứ Hai" in when
    done = await _say(zalo, chat, "2", "m-3")
    assert "08:00 29/03/2022" in done
    [back] = await _zalo_dispatch(zalo, _at(29, 8), chat)
    assert f"Nhắc lại: [{CODE}]" in back
    assert await _zalo_dispatch(zalo, _at(29, 11), chat) == []
