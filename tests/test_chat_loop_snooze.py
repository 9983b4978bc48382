"""Issue 12's snooze and follow-up, the parts the channels share: the "Nhắc lại sau"
button and its payloads, ``/nhaclai``, the reminder words of ``followup``/``snooze``
rows, the dispatcher's coalescing of them, and the leader's count of snoozes.

Conversation tests run on SQLite and PostgreSQL. ``START`` is Monday 28/3/2022 09:00;
Xuân has one open item, BDT22-V.1, due Thursday 31/3.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.channels.telegram.render import bundle_parts
from bot.channels.zalo.render import render_reminder
from bot.chat import callbacks, texts
from bot.chat.callbacks import SNOOZES, SnoozeAction, parse, snooze_payload
from data.models import Reminder, StatusUpdate
from data.status_dates import Snooze
from scheduler.clock import TZ
from scheduler.dispatch_rules import NEWER, select_items
from scheduler.outbox import ClaimedRow
from scheduler.sender import Bundle, ReminderItem
from tests.planning_helpers import BAO, MAI, START, XUAN
from tests.test_conversation import Chat, chat, flat, labels, sent_reminder

__all__ = ["chat"]  # the fixture, shared with the conversation's tests

CODE = "BDT22-V.1"


def _local(day: int, hour: int) -> datetime:
    return datetime(2022, 3, day, hour, 0, tzinfo=TZ)


async def _rows(chat: Chat) -> list[tuple[str, datetime]]:
    async with chat.sessions() as s:
        query = select(Reminder).where(Reminder.kind == "snooze").order_by(Reminder.id)
        return [(r.state, r.scheduled_at) for r in await s.scalars(query)]


async def _audit(chat: Chat) -> list[tuple[str | None, str]]:
    async with chat.sessions() as s:
        rows = await s.scalars(select(StatusUpdate).order_by(StatusUpdate.id))
        return [(r.kind, r.raw_text) for r in rows]


# --- payloads ----------------------------------------------------------------------


def test_snooze_payloads_round_trip_and_anything_else_is_invalid() -> None:
    assert {when for when, _ in texts.SNOOZE_OPTIONS} == set(SNOOZES)
    for when, snooze in SNOOZES.items():
        payload = snooze_payload(when, reminder_id=123456789012)
        assert len(payload.encode()) <= callbacks.MAX_BYTES
        assert parse(payload) == SnoozeAction(snooze, 123456789012, None, None)
    assert parse(snooze_payload(None, work=(3, 4))) == SnoozeAction(None, None, 3, 4)
    wanted = {"2h": Snooze("hour", 2), "sm": Snooze("day", 1), "t2": Snooze("weekday", 0)}
    assert wanted == SNOOZES
    for forged in ("z:9h:r1", "z:2h:", "z:r", "z:sm:r1:x", "z:sm:r1234567890123", "z::r1"):
        assert parse(forged) is None


# --- the button --------------------------------------------------------------------


async def test_the_button_asks_when_and_a_choice_snoozes_once(chat: Chat) -> None:
    reminder = await sent_reminder(chat, XUAN, CODE, "m-1")
    question = await chat.press(XUAN, f"z:r{reminder}")
    assert question.text == texts.SNOOZE_ASK.format(code=CODE)
    assert labels(question) == ["2 giờ", "Sáng mai", "Thứ Hai"]
    assert flat(question) == [f"z:2h:r{reminder}", f"z:sm:r{reminder}", f"z:t2:r{reminder}"]
    assert await _audit(chat) == []  # asking records nothing
    done = await chat.press(XUAN, f"z:sm:r{reminder}")
    assert done.edit and done.buttons == ()
    assert done.text == texts.snoozed_text(CODE, _local(29, 8))
    assert await _rows(chat) == [("pending", _local(29, 8))]
    assert await _audit(chat) == [("snooze", f"[nút z:sm:r{reminder}]")]


async def test_a_button_snooze_past_the_due_date_is_refused(chat: Chat) -> None:
    reminder = await sent_reminder(chat, XUAN, CODE, "m-1")
    answer = await chat.press(XUAN, f"z:t2:r{reminder}")  # Monday 4/4, due Thursday 31/3
    assert "xin gia hạn" in answer.text
    assert await _rows(chat) == [] and await _audit(chat) == []


async def test_a_snooze_button_on_someone_elses_reminder_or_forged_changes_nothing(
    chat: Chat,
) -> None:
    reminder = await sent_reminder(chat, XUAN, CODE, "m-1")
    assert (await chat.press(MAI, f"z:sm:r{reminder}")).toast == texts.BUTTON_GONE
    assert (await chat.press(XUAN, "z:sm:r999999")).toast == texts.BUTTON_GONE
    assert (await chat.press(XUAN, f"z:9h:r{reminder}")).toast == texts.INVALID_BUTTON
    assert await _rows(chat) == [] and await _audit(chat) == []


async def test_status_questions_carry_the_snooze_button(chat: Chat) -> None:
    question = await chat.one(XUAN, f"{CODE} thế nào rồi")
    assert labels(question)[-1] == texts.SNOOZE_BUTTON
    assert parse(flat(question)[-1]) == SnoozeAction(None, None, *await chat.work(CODE, XUAN))


# --- /nhaclai ----------------------------------------------------------------------


async def test_nhaclai_snoozes_asks_when_or_explains(chat: Chat) -> None:
    answer = await chat.one(XUAN, f"/nhaclai {CODE} 2h")
    assert answer.text == texts.snoozed_text(CODE, _local(28, 11))
    asked = await chat.one(XUAN, f"/nhaclai {CODE}")
    assert asked.text == texts.SNOOZE_ASK.format(code=CODE)
    assert labels(asked) == ["2 giờ", "Sáng mai", "Thứ Hai"]
    assert (await chat.one(XUAN, "/nhaclai")).text == texts.SNOOZE_USAGE
    assert await _rows(chat) == [("pending", _local(28, 11))]
    assert "/nhaclai MÃ 2h|mai|thu2" in (await chat.one(XUAN, "/huongdan")).text


# --- the leader's summary ----------------------------------------------------------


async def test_the_summary_counts_the_last_weeks_snoozes(chat: Chat) -> None:
    await chat.one(XUAN, f"NHACLAI {CODE} 2h")
    await chat.one(XUAN, f"NHACLAI {CODE} mai")
    summary = await chat.one(BAO, "/tonghop")
    assert summary.text.endswith(texts.snoozes_line(2))
    chat.clock.set(START + timedelta(days=8))
    assert (await chat.one(BAO, "/tonghop")).text.endswith(texts.snoozes_line(0))


# --- coalescing and the words of a follow-up ---------------------------------------


def _row(rid: int, kind: str, hour: int = 8) -> ClaimedRow:
    at = _local(30, hour)
    return ClaimedRow(rid, 1, 10, 20, "-", kind, f"s{rid}", at, 0, at + timedelta(minutes=5))


def test_a_followup_speaks_for_its_topic_before_the_due_date() -> None:
    rows = [_row(1, "before"), _row(2, "followup"), _row(3, "checkin", 9)]
    due = {r.id: date(2022, 3, 31) for r in rows}
    selection = select_items(rows, due, set(), date(2022, 3, 30))
    assert [(row.id, kind) for row, kind in selection.items] == [(2, "followup")]
    assert sorted(selection.superseded) == [(1, NEWER), (3, NEWER)]


def test_a_followup_past_the_due_date_goes_out_as_overdue() -> None:
    rows = [_row(2, "followup")]
    selection = select_items(rows, {2: date(2022, 3, 29)}, set(), date(2022, 3, 30))
    assert [(row.id, kind) for row, kind in selection.items] == [(2, "overdue")]


def _followup_bundle(kind: str) -> Bundle:
    item = ReminderItem(
        7,
        kind,
        CODE,
        "Thẩm định hồ sơ khen thưởng",
        "UBND các huyện",
        date(2022, 3, 31),
        role="lead",
        promised=date(2022, 3, 29),
    )
    return Bundle(1, XUAN, "telegram", "4242", date(2022, 3, 30), (item,))


def test_a_followup_reads_why_it_comes_back_with_due_and_promise_and_buttons() -> None:
    [part] = bundle_parts(_followup_bundle("followup"))
    assert f"<b>1. Theo hẹn · {CODE}</b>" in part.html
    assert "Hạn: <b>Thứ Năm, 31/03/2022 — còn 1 ngày</b>" in part.html
    assert "Đã hẹn xong: Thứ Ba, 29/03/2022" in part.html
    assert [b.payload for row in part.buttons for b in row][-1] == "z:r7"
    zalo = render_reminder(_followup_bundle("snooze"))
    assert f"1. Nhắc lại: [{CODE}] Thẩm định hồ sơ khen thưởng" in zalo
    assert "   Đã hẹn xong: Thứ Ba, 29/03/2022" in zalo
    assert f"Trả lời: XONG {CODE}" in zalo and f"NHACLAI {CODE} 2h" in zalo
    [plain] = bundle_parts(_followup_bundle("before"))
    assert "Đã hẹn xong" not in plain.html  # an ordinary reminder shows no old promise
