"""Answers that change no state but must not be lost: "dạ/OK", a promise, a snooze.

"OK" is recorded as ``acknowledged`` on the items it answers (the reminder it
replies to, or the code it names; a bare "OK" is one row about the officer), so
the officer counts as having answered. A promise ("mai nộp") becomes the item's expected
date with one follow-up on the working morning after it. A snooze ("nhắc lại
sau 2 ngày", ``NHACLAI MÃ mai``, the "Nhắc lại sau" button) brings the item back
once at the chosen working time, and is refused past the due date: that needs
an extension, which a leader decides.
"""

from __future__ import annotations

from datetime import datetime

from bot.chat import targets, texts
from bot.chat.messages import Answer, Turn
from data.progress import WorkKey, record_mark
from data.status import Reply
from data.status_dates import Snooze
from data.work_items import WorkItem
from scheduler import outbox
from scheduler.clock import TZ
from scheduler.outbox import About

MAX_ACKNOWLEDGED = 10
"""Items one "OK" acknowledges at most (a bundle holds a morning's reminders)."""


def _key(item: WorkItem) -> WorkKey:
    return WorkKey(item.assignment_id, item.due_id, item.instance)


def _about(item: WorkItem) -> About:
    return About(item.due_id, item.assignment_id, item.instance)


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
        await record_mark(
            turn.session,
            officer=turn.officer,
            key=key,
            kind="acknowledged",
            raw_text=text,
            channel=turn.incoming.channel,
            provider_update_id=turn.incoming.update_id if number == 0 else None,
            now=turn.now,
        )
    return Answer(texts.THANKS)


async def promise(turn: Turn, item: WorkItem, reply: Reply, text: str) -> Answer:
    """Record a promise that changes no state, and its one follow-up."""
    assert reply.promised is not None
    await record_mark(
        turn.session,
        officer=turn.officer,
        key=_key(item),
        kind="promise",
        raw_text=text,
        channel=turn.incoming.channel,
        provider_update_id=turn.incoming.update_id,
        now=turn.now,
        promised=reply.promised,
    )
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
    await record_mark(
        turn.session,
        officer=turn.officer,
        key=_key(item),
        kind="snooze",
        raw_text=raw_text,
        channel=turn.incoming.channel,
        provider_update_id=turn.incoming.update_id,
        now=turn.now,
        snoozed_until=until,
    )
    await outbox.schedule_snooze(turn.session, turn.officer.id, _about(item), until, turn.now)
    return Answer(texts.snoozed_text(item.task_code, until))
