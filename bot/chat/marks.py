"""Answers that change no state but must not be lost: "dạ/OK", a promise, a snooze.

"OK" is recorded as ``acknowledged`` on the items it answers (the reminder it
replies to, or the code it names; a bare "OK" is one row about the officer), so
the officer counts as having answered. A promise ("mai nộp") becomes the item's expected
date with one follow-up on the working morning after it. A snooze ("nhắc lại
sau 2 ngày", ``NHACLAI MÃ mai``, the "Nhắc lại sau" button) brings the item back
once at the chosen working time, and is refused past the due date: that needs
an extension, which a leader decides. The button and ``/nhaclai MÃ`` without a
time ask when, with the three choices as buttons (Zalo numbers them).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.chat import targets, texts
from bot.chat.callbacks import SnoozeAction, snooze_payload
from bot.chat.messages import Answer, Button, Turn
from data.progress import WorkKey, record_mark, snoozes_since
from data.status import Reply, parse_reply
from data.status_dates import Snooze
from data.work_items import WorkItem
from scheduler import outbox
from scheduler.clock import TZ
from scheduler.outbox import About

MAX_ACKNOWLEDGED = 10
"""Items one "OK" acknowledges at most (a bundle holds a morning's reminders)."""
SUMMARY_WINDOW = timedelta(days=7)
"""The leader's summary counts the snoozes of this window (``texts.snoozes_line``)."""


def _key(item: WorkItem) -> WorkKey:
    return WorkKey(item.assignment_id, item.due_id, item.instance)


def _about(item: WorkItem) -> About:
    return About(item.due_id, item.assignment_id, item.instance)


async def _mark(
    turn: Turn,
    key: WorkKey | None,
    kind: str,
    text: str,
    *,
    first: bool = True,
    promised: date | None = None,
    snoozed_until: datetime | None = None,
) -> None:
    """One audit row of ``turn``'s message; only the ``first`` carries its update id
    (the ledger records a provider update once)."""
    await record_mark(
        turn.session,
        officer=turn.officer,
        key=key,
        kind=kind,
        raw_text=text,
        channel=turn.incoming.channel,
        provider_update_id=turn.incoming.update_id if first else None,
        now=turn.now,
        promised=promised,
        snoozed_until=snoozed_until,
    )


async def handle(turn: Turn, reply: Reply, text: str) -> Answer:
    """Record an acknowledgement, a promise or a snooze sent as text."""
    items = await targets.candidates(turn, reply.task_code, turn.incoming.reply_to)
    if reply.snooze is not None:
        if not items:
            return Answer(texts.NO_OPEN)
        if len(items) > 1:
            return Answer(texts.SNOOZE_WHICH.format(code=items[0].task_code))
        return await snooze(turn, items[0], reply.snooze, text)
    if reply.promised is not None and len(items) == 1:
        return await promise(turn, items[0], reply, text)
    if reply.promised is not None and items:
        return Answer(texts.PROMISE_WHICH.format(code=items[0].task_code))
    named = reply.task_code or turn.incoming.reply_to
    keys = [_key(item) for item in items[:MAX_ACKNOWLEDGED]] if named else [None]
    for number, key in enumerate(keys):
        await _mark(turn, key, "acknowledged", text, first=number == 0)
    return Answer(texts.THANKS)


async def promise(turn: Turn, item: WorkItem, reply: Reply, text: str) -> Answer:
    """Record a promise that changes no state, and its one follow-up."""
    assert reply.promised is not None
    await _mark(turn, _key(item), "promise", text, promised=reply.promised)
    at = await follow_up(turn, item, reply)
    return Answer(texts.promised_text(item.task_code, reply.promised, at))


async def follow_up(turn: Turn, item: WorkItem, reply: Reply) -> datetime:
    """Schedule the promise's follow-up to the officer who promised."""
    assert reply.promised is not None
    return await outbox.schedule_followup(
        turn.session, turn.officer.id, _about(item), reply.promised, turn.now
    )


async def snooze(turn: Turn, item: WorkItem, asked: Snooze, raw_text: str) -> Answer:
    """Bring ``item`` back once at the asked time, unless that is past its due date."""
    until = await outbox.snooze_until(turn.session, asked, turn.now)
    if item.due_on is not None and until.astimezone(TZ).date() > item.due_on:
        return Answer(texts.snooze_past_due(item.task_code, item.due_on, until))
    await _mark(turn, _key(item), "snooze", raw_text, snoozed_until=until)
    await outbox.schedule_snooze(turn.session, turn.officer.id, _about(item), until, turn.now)
    return Answer(texts.snoozed_text(item.task_code, until))


def snooze_button(
    *, reminder_id: int | None = None, work: tuple[int, int] | None = None, prefix: str = ""
) -> Button:
    """The "Nhắc lại sau" button of one item (beside the status buttons)."""
    payload = snooze_payload(None, reminder_id=reminder_id, work=work)
    return Button(f"{prefix}{texts.SNOOZE_BUTTON}", payload)


def _ask_when(item: WorkItem, reminder_id: int | None) -> Answer:
    """The question "Nhắc lại … khi nào?" with the three choices, about the same item."""
    work = None if reminder_id is not None else targets.work_ref(item)
    choices = tuple(
        Button(label, snooze_payload(when, reminder_id=reminder_id, work=work))
        for when, label in texts.SNOOZE_OPTIONS
    )
    return Answer(texts.SNOOZE_ASK.format(code=item.task_code), buttons=(choices,))


async def press(turn: Turn, action: SnoozeAction, payload: str) -> Answer:
    """The snooze button (ask when) or one of its choices (snooze, replacing the question)."""
    item = await targets.button_item(turn, action)
    if not item.open:
        return Answer("", toast=texts.closed_toast(item))
    if action.snooze is None:
        return _ask_when(item, action.reminder_id)
    answer = await snooze(turn, item, action.snooze, texts.PRESSED.format(payload=payload))
    return Answer(answer.text, edit=True)  # the question's choices go: one press is enough


async def snooze_command(turn: Turn, args: str) -> Answer:
    """``/nhaclai MÃ 2h|mai|thu 2``, read as the typed ``NHACLAI`` is; without a time, asks."""
    reply = parse_reply(f"NHACLAI {args}", turn.today)
    if reply.snooze is not None:
        return await handle(turn, reply, f"/nhaclai {args}")
    items = await targets.candidates(turn, reply.task_code, turn.incoming.reply_to)
    if len(items) == 1 and (reply.task_code or turn.incoming.reply_to):
        return _ask_when(items[0], None)
    return Answer(texts.SNOOZE_USAGE)


async def recent_snoozes(turn: Turn, unit_id: int | None) -> int:
    """Snoozes asked in the last ``SUMMARY_WINDOW`` (one unit's, or all), for ``/tonghop``."""
    return await snoozes_since(turn.session, turn.now - SUMMARY_WINDOW, unit_id)
