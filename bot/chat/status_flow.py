"""Officers' status updates: by text, by button, and by answering a question the bot asked.

Nothing is recorded unless both the item (``bot/targets.py``) and the state are
clear: the bot asks back with buttons instead of guessing (``parse_reply`` never
guesses "done"), and asks for what a state needs (``bot/prompts.py``). Every
record replans that due's reminders at once; a request for an extension is
announced to the leaders through the outbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.chat import marks, pasted, pick, prompts, targets, texts
from bot.chat.callbacks import StatusAction, status_payload
from bot.chat.messages import Answer, Button, Turn
from data.leaders import active_leader_ids
from data.models import PendingPrompt
from data.progress import (
    MAX_RAW,
    RECORDABLE,
    RecordedUpdate,
    WorkKey,
    last_own_update,
    lock_tasks,
    record_update,
    undo_update,
)
from data.prompts import question_in
from data.reminder_messages import officers_reminder
from data.reply_parts import Part, correction, split_parts
from data.status import Reply, parse_reply
from data.vn_dates import vn_date
from data.work_items import WorkItem
from scheduler import outbox
from scheduler.outbox import About
from scheduler.planner import plan_reminders


def action_buttons(
    *, reminder_id: int | None = None, work: tuple[int, int] | None = None, prefix: str = ""
) -> tuple[tuple[Button, ...], ...]:
    """The four status buttons of one item in two rows, then "Nhắc lại sau" (for reminders,
    questions and the redrawn reminder)."""
    buttons = [
        Button(f"{prefix}{label}", status_payload(act, reminder_id=reminder_id, work=work))
        for act, label in texts.STATUS_BUTTONS
    ]
    later = marks.snooze_button(reminder_id=reminder_id, work=work, prefix=prefix)
    return (tuple(buttons[:2]), tuple(buttons[2:]), (later,))


# --- recording ----------------------------------------------------------------


async def _missing(turn: Turn, item: WorkItem, reply: Reply) -> Answer | None:
    """A question to ask first when ``reply`` lacks what recording it needs."""
    if reply.state == "blocked" and not reply.reason:
        return await prompts.prompt(turn, item, "reason")
    if reply.state != "extension_requested":
        return None
    if reply.new_due is None:
        return await prompts.prompt(turn, item, "new_due")
    floor = max(turn.today, item.due_on) if item.due_on else turn.today
    if reply.new_due <= floor:
        await prompts.prompt(turn, item, "new_due")
        question = texts.NEW_DUE_TOO_EARLY.format(floor=vn_date(floor), code=item.task_code)
        return Answer(question, force_reply=True)
    return None


async def record(
    turn: Turn, item: WorkItem, reply: Reply, raw_text: str, corrects: int | None = None
) -> RecordedUpdate:
    """Record ``reply`` on ``item``, replan that due's reminders, tell leaders of requests."""
    recorded = await record_update(
        turn.session,
        officer=turn.officer,
        key=WorkKey(item.assignment_id, item.due_id, item.instance),
        reply=reply,
        raw_text=raw_text,
        channel=turn.incoming.channel,
        provider_update_id=turn.incoming.update_id,
        now=turn.now,
        today=turn.today,
        corrects=corrects,
    )
    await prompts.drop_prompts(turn)
    await plan_reminders(turn.session, turn.now, due_ids={recorded.due_id})
    if reply.promised is not None and recorded.state_after != "done":
        await marks.follow_up(turn, item, reply)
    if recorded.extension_id is not None and reply.new_due is not None:
        await _tell_leaders(turn, item, reply)
    return recorded


async def _tell_leaders(turn: Turn, item: WorkItem, reply: Reply) -> None:
    assert reply.new_due is not None
    body = texts.extension_request_notice(
        turn.officer.name, item.unit_name, item.task_code, reply.new_due, reply.reason
    )
    about = About(item.due_id, item.assignment_id, item.instance)
    leaders = await active_leader_ids(turn.session, item.plan_id)  # scoped leaders: theirs
    await outbox.notify_extension_request(turn.session, leaders, about, body, turn.now)


async def apply(turn: Turn, item: WorkItem, reply: Reply, raw_text: str) -> Answer:
    """Record ``reply`` on ``item`` and confirm, or ask for what is missing."""
    question = await _missing(turn, item, reply)
    if question is not None:
        return question
    recorded = await record(turn, item, reply, raw_text)
    return Answer(texts.confirmation(recorded, reply.reason))


# --- entry points ---------------------------------------------------------------


async def handle_text(turn: Turn, text: str) -> Answer:
    """A free-text message (or ``/capnhat``'s arguments) about the officer's work."""
    parts = split_parts(text, turn.today)
    if parts is None:
        return Answer(texts.SEVERAL_UNCLEAR)
    if len(parts) > 1:
        return await _record_parts(turn, parts, text)
    reply = parts[0].reply
    if reply.state == "acknowledged" or reply.snooze is not None:
        return await marks.handle(turn, reply, text)
    items = await targets.candidates(turn, reply.task_code, turn.incoming.reply_to)
    if reply.state in ("question", "unknown"):
        picked = await pick.picked_by_code(turn, items) if reply.task_code else None
        if picked is not None:  # the code answers the officer's "which task?" menu
            return await apply(turn, picked[0], picked[1].reply, picked[1].text)
        if len(items) == 1 and (reply.task_code or turn.incoming.reply_to):
            question = texts.ASK_STATE.format(code=items[0].task_code)
            return Answer(question, buttons=action_buttons(work=targets.work_ref(items[0])))
        return Answer(texts.NOT_UNDERSTOOD)
    if not items:
        return Answer(texts.NO_OPEN)
    if len(items) > 1:
        return await pick.ask_which(turn, items, reply, text)
    answer = await apply(turn, items[0], reply, text)
    if len(text) > MAX_RAW:
        return Answer(
            f"{answer.text}\n{texts.TRUNCATED}", answer.buttons, force_reply=answer.force_reply
        )
    return answer


async def handle_prompt_answer(
    turn: Turn, text: str, waiting: Sequence[PendingPrompt]
) -> Answer | None:
    """Record the answer to the officer's pending question (in ``waiting``, the officer's
    ``waiting_rows``); None when ``text`` is not one.

    A pasted reminder and a correction come first: neither is the answer asked for.
    """
    if pasted.is_pasted_reminder(text):
        return Answer(texts.PASTED_REMINDER)
    corrected = correction(text)
    if corrected is not None and parse_reply(corrected, turn.today).state in RECORDABLE:
        return await _correct(turn, corrected, text)
    found = await prompts.pending_reply(turn, text, question_in(waiting))
    if found is None or isinstance(found, Answer):
        return found
    item, reply = found
    return await apply(turn, item, reply, text)


async def _record_parts(turn: Turn, parts: list[Part], text: str) -> Answer:
    """Several tasks in one message: each its own status, all recorded or none (asked)."""
    chosen: list[tuple[WorkItem, Reply]] = []
    for part in parts:
        reply = part.reply
        incomplete = (reply.state == "blocked" and not reply.reason) or (
            reply.state == "extension_requested" and reply.new_due is None
        )
        if reply.state not in RECORDABLE or incomplete:
            return Answer(texts.SEVERAL_UNCLEAR)
        items = await targets.candidates(turn, reply.task_code, turn.incoming.reply_to)
        if len(items) != 1:
            return Answer(texts.SEVERAL_UNCLEAR)
        chosen.append((items[0], reply))
    if len(chosen) > 1:
        await lock_tasks(turn.session, [item.due_id for item, _ in chosen])
    lines = []
    for number, (item, reply) in enumerate(chosen):
        part_turn = _part_turn(turn, number)
        lines.append(texts.confirmation(await record(part_turn, item, reply, text), reply.reason))
    return Answer("\n".join(lines))


def _part_turn(turn: Turn, number: int) -> Turn:
    """The turn of a message's ``number``-th part: its audit row gets its own update id
    (``<id>.<n>``), since one update id may be audited once per channel."""
    update_id = turn.incoming.update_id
    if number == 0 or update_id is None:
        return turn
    return replace(turn, incoming=replace(turn.incoming, update_id=f"{update_id}.{number}"))


async def _correct(turn: Turn, corrected: str, text: str) -> Answer:
    """ "à nhầm, xong rồi": the status the officer meant instead of their last one.

    It answers a pending question's item, else replaces the officer's own update of the
    last minutes (both stay in the audit), else it is an ordinary update.
    """
    reply = parse_reply(corrected, turn.today)
    asked = None if reply.task_code else await prompts.asked_item(turn)
    if asked is not None:
        return await apply(turn, asked, reply, text)
    last = await last_own_update(turn.session, turn.officer.id, turn.now)
    if reply.task_code or last is None:
        return await handle_text(turn, corrected)
    key = await undo_update(turn.session, last)
    item = await targets.one_item(turn, key.assignment_id, key.due_id, key.instance)
    if item is None:
        return await handle_text(turn, corrected)
    question = await _missing(turn, item, reply)
    if question is not None:
        return question
    recorded = await record(turn, item, reply, text, corrects=last.id)
    return Answer(texts.confirmation(recorded, reply.reason))


async def handle_button(turn: Turn, action: StatusAction, payload: str) -> Answer:
    """A status button: record it (editing the message) or ask what is missing."""
    item = await targets.button_item(turn, action)
    if not item.open:
        return Answer("", toast=texts.closed_toast(item))
    kept = await pick.kept_for(turn, item, payload)
    if kept is not None:  # picked from the "which task?" menu: what was said is recorded
        answer = await apply(turn, item, kept.reply, kept.text)
        return replace(answer, edit=not answer.force_reply, toast=texts.RECORDED_TOAST)
    if action.state == "in_progress" and action.percent is None:
        return await prompts.prompt(turn, item, "percent")
    reply = Reply(action.state, percent=action.percent, new_due=action.new_due)  # type: ignore[arg-type]
    question = await _missing(turn, item, reply)
    if question is not None:
        return question
    recorded = await record(turn, item, reply, f"[nút {payload}]")
    text = texts.confirmation(recorded)
    buttons: tuple[tuple[Button, ...], ...] = ()
    if action.reminder_id is not None:
        view, buttons = await _bundle_view(turn, action.reminder_id)
        text = f"{text}\n\n{view}" if view else text
    return Answer(text, buttons, edit=True, toast=texts.RECORDED_TOAST)


async def _bundle_view(turn: Turn, reminder_id: int) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """The reminder message redrawn: each task's state now, buttons for those still open."""
    reminder = await officers_reminder(turn.session, turn.officer.id, reminder_id)
    reminders = [reminder] if reminder is not None else []
    if reminder is not None and reminder.provider_message_id:
        reminders = await targets.bundle_reminders(turn, reminder.provider_message_id) or reminders
    lines: list[str] = [texts.BUNDLE_HEADING]
    rows: list[tuple[Button, ...]] = []
    for row in reminders:
        if row.assignment_id is None or row.due_id is None:
            continue
        item = await targets.one_item(turn, row.assignment_id, row.due_id)
        if item is None:
            continue
        lines.append(texts.bundle_line(item, turn.today))
        if item.open:
            prefix = f"{item.task_code.partition('-')[2]}: " if len(reminders) > 1 else ""
            rows += action_buttons(reminder_id=row.id, prefix=prefix)
    return ("\n".join(lines) if len(lines) > 1 else ""), tuple(rows)
