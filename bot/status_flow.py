"""Officers' status updates: by text, by button, and by answering a question the bot asked.

Which work item a message is about, in order: the reminder it replies to (when
that reminder had one task; else the task code in the text picks one of the
bundle, else the bot asks which), the task code in the text, the officer's only
open item. For a task with several dues the nearest open due is meant.
Nothing is recorded unless both the item and the state are clear: the bot asks
back with buttons instead of guessing (``parse_reply`` never guesses "done").
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete, select

from bot import texts
from bot.callbacks import StatusAction, status_payload
from bot.messages import Answer, Button, Turn
from bot.render import vn_date
from data.errors import UserError
from data.models import Officer, PendingPrompt, Reminder
from data.progress import MAX_RAW, RecordedUpdate, WorkKey, record_update
from data.reports import WorkItem, find_task, nearest_open, open_items, responsible, work_items
from data.status import Reply, parse_reply
from scheduler.planner import plan_reminders

PROMPT_TTL = timedelta(hours=2)
QUICK_PERCENTS = (25, 50, 75)
MAX_CHOICES = 10
_BARE_PERCENT = re.compile(r"\s*(\d{1,3})\s*(?:%|phan tram|phần trăm)?\s*\.?\s*", re.IGNORECASE)
_ACTIONS = (("d", "Hoàn thành"), ("p", "Đang thực hiện"), ("b", "Vướng mắc"), ("x", "Xin gia hạn"))
NOT_UNDERSTOOD = (
    "Mình chưa hiểu ý bạn. Bạn có thể trả lời, ví dụ: «xong BDT22-I.1», «đang làm 60%», "
    "«vướng: chờ số liệu», «xin gia hạn đến 30/6» — hoặc gõ /viec để chọn việc."
)


def action_buttons(
    *, reminder_id: int | None = None, work: tuple[int, int] | None = None, prefix: str = ""
) -> tuple[tuple[Button, ...], ...]:
    """The four status buttons of one item, in two rows (for reminders and questions)."""
    buttons = [
        Button(f"{prefix}{label}", status_payload(act, reminder_id=reminder_id, work=work))
        for act, label in _ACTIONS
    ]
    return (tuple(buttons[:2]), tuple(buttons[2:]))


def _work(item: WorkItem) -> tuple[int, int]:
    return item.assignment_id, item.due_id


def _refuse_unless_responsible(officer: Officer, item: WorkItem) -> None:
    if not responsible(item, officer):
        raise UserError(
            f"{item.task_code} do {item.unit_name} thực hiện; bạn không cập nhật được việc này."
        )


async def _one_item(turn: Turn, assignment_id: int, due_id: int) -> WorkItem | None:
    found = await work_items(turn.session, assignment_id=assignment_id, due_id=due_id)
    return found[0] if found else None


# --- which item ---------------------------------------------------------------


async def _bundle_reminders(turn: Turn, message_id: str) -> list[Reminder]:
    """The officer's reminders sent in the message ``message_id`` on this channel."""
    query = select(Reminder).where(
        Reminder.provider_message_id == message_id,
        Reminder.recipient_id == turn.officer.id,
        Reminder.channel == turn.incoming.channel,
        Reminder.assignment_id.is_not(None),
        Reminder.due_id.is_not(None),
    )
    return list((await turn.session.scalars(query.order_by(Reminder.id))).all())


async def _bundle_items(turn: Turn, message_id: str) -> list[WorkItem]:
    items: dict[tuple[int, int], WorkItem] = {}
    for reminder in await _bundle_reminders(turn, message_id):
        assert reminder.assignment_id is not None and reminder.due_id is not None
        item = await _one_item(turn, reminder.assignment_id, reminder.due_id)
        if item is not None and responsible(item, turn.officer):
            items.setdefault(_work(item), item)
    return list(items.values())


async def _items_of_code(turn: Turn, code: str) -> list[WorkItem]:
    task = await find_task(turn.session, code)
    if task is None:
        raise UserError(f"Không tìm thấy việc mã {code}. Gõ /viec để xem mã các việc của bạn.")
    every = await work_items(turn.session, task_id=task.id)
    mine = [item for item in every if responsible(item, turn.officer)]
    if not mine:
        units = ", ".join(sorted({item.unit_name for item in every})) or "đơn vị khác"
        raise UserError(f"{task.code} do {units} thực hiện; bạn không cập nhật được việc này.")
    still_open = nearest_open(mine)
    if not still_open:
        raise UserError(f"{task.code} đã hoàn thành. Cảm ơn!")
    return still_open


async def candidates(turn: Turn, code: str | None, reply_to: str | None) -> list[WorkItem]:
    """The open items a message may be about (see the module docstring)."""
    if reply_to:
        bundle = [item for item in await _bundle_items(turn, reply_to) if item.open]
        if code:
            bundle = [item for item in bundle if item.task_code.upper() == code.upper()]
        if bundle:
            return bundle
    if code:
        return await _items_of_code(turn, code)
    return await open_items(turn.session, turn.officer, turn.today)


# --- recording ----------------------------------------------------------------


def _act(reply: Reply) -> str:
    """The button action that records ``reply`` once an item is chosen."""
    if reply.state == "in_progress" and reply.percent and reply.percent < 100:
        return f"p{reply.percent}"
    if reply.state == "extension_requested" and reply.new_due is not None:
        return f"x{reply.new_due:%Y%m%d}"
    return {"done": "d", "not_started": "n", "blocked": "b", "extension_requested": "x"}.get(
        reply.state, "p"
    )


def _ask_which(items: list[WorkItem], reply: Reply) -> Answer:
    act = _act(reply)
    rows = tuple(
        (
            Button(
                f"{item.task_code} · hạn {vn_date(item.due_on)}" if item.due_on else item.task_code,
                status_payload(act, work=_work(item)),
            ),
        )
        for item in items[:MAX_CHOICES]
    )
    return Answer(texts.ASK_WHICH.format(code=items[0].task_code), buttons=rows)


async def drop_prompts(turn: Turn) -> None:
    """Forget the officer's pending questions on this channel (answered or overtaken)."""
    await turn.session.execute(
        delete(PendingPrompt).where(
            PendingPrompt.officer_id == turn.officer.id,
            PendingPrompt.channel == turn.incoming.channel,
        )
    )


async def prompt(turn: Turn, item: WorkItem, kind: str) -> Answer:
    """Ask for the missing percent / reason / new date, and remember the question."""
    await drop_prompts(turn)
    turn.session.add(
        PendingPrompt(
            officer_id=turn.officer.id,
            channel=turn.incoming.channel,
            kind=kind,
            task_ids=[f"w{item.assignment_id}.{item.due_id}"],
            expires_at=turn.now + PROMPT_TTL,
            created_at=turn.now,
        )
    )
    await turn.session.flush()
    if kind == "percent":
        quick = tuple(
            Button(f"{n}%", status_payload(f"p{n}", work=_work(item))) for n in QUICK_PERCENTS
        )
        done = Button("Hoàn thành", status_payload("d", work=_work(item)))
        return Answer(texts.ASK_PERCENT.format(code=item.task_code), buttons=(quick, (done,)))
    question = texts.ASK_REASON if kind == "reason" else texts.ASK_NEW_DUE
    return Answer(question.format(code=item.task_code), force_reply=True)


async def _missing(turn: Turn, item: WorkItem, reply: Reply) -> Answer | None:
    """A question to ask first when ``reply`` lacks what recording it needs."""
    if reply.state == "blocked" and not reply.reason:
        return await prompt(turn, item, "reason")
    if reply.state != "extension_requested":
        return None
    if reply.new_due is None:
        return await prompt(turn, item, "new_due")
    floor = max(turn.today, item.due_on) if item.due_on else turn.today
    if reply.new_due <= floor:
        await prompt(turn, item, "new_due")
        return Answer(
            f"Ngày xin gia hạn phải sau {vn_date(floor)}. "
            f"Xin gia hạn {item.task_code} đến ngày nào?",
            force_reply=True,
        )
    return None


async def record(turn: Turn, item: WorkItem, reply: Reply, raw_text: str) -> RecordedUpdate:
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
    )
    await drop_prompts(turn)
    await plan_reminders(turn.session, turn.now, due_ids={recorded.due_id})
    if recorded.extension_id is not None and reply.new_due is not None:
        await _tell_leaders(turn, item, reply)
    return recorded


async def _tell_leaders(turn: Turn, item: WorkItem, reply: Reply) -> None:
    assert reply.new_due is not None
    leaders = await turn.session.scalars(
        select(Officer.id).where(Officer.role == "leader", Officer.active.is_(True))
    )
    reason = f" Lý do: {reply.reason}." if reply.reason else ""
    body = (
        f"{turn.officer.name} ({item.unit_name}) xin gia hạn {item.task_code} đến "
        f"{vn_date(reply.new_due)}.{reason} Gõ /giahan để duyệt."
    )
    stamp = f"{turn.now:%Y%m%dT%H%M%S}"
    for leader_id in leaders.all():
        turn.session.add(
            Reminder(
                key=f"notice:extreq:{item.assignment_id}.{item.due_id}:{leader_id}:{stamp}",
                due_id=item.due_id,
                assignment_id=item.assignment_id,
                recipient_id=leader_id,
                kind="notice",
                slot=f"notice@{stamp}",
                scheduled_at=turn.now,
                body=body,
            )
        )
    await turn.session.flush()


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
    reply = parse_reply(text, turn.today)
    if reply.state == "acknowledged" and not reply.task_code:
        return Answer(texts.THANKS)
    items = await candidates(turn, reply.task_code, turn.incoming.reply_to)
    if reply.state in ("question", "unknown", "acknowledged"):
        if len(items) == 1 and (reply.task_code or turn.incoming.reply_to):
            question = texts.ASK_STATE.format(code=items[0].task_code)
            return Answer(question, buttons=action_buttons(work=_work(items[0])))
        return Answer(texts.THANKS if reply.state == "acknowledged" else NOT_UNDERSTOOD)
    if not items:
        return Answer(texts.NO_OPEN)
    if len(items) > 1:
        return _ask_which(items, reply)
    answer = await apply(turn, items[0], reply, text)
    if len(text) > MAX_RAW:
        return Answer(
            f"{answer.text}\n{texts.TRUNCATED}", answer.buttons, force_reply=answer.force_reply
        )
    return answer


def _percent_answer(text: str) -> int | None:
    match = _BARE_PERCENT.fullmatch(text)
    value = int(match.group(1)) if match else parse_reply(text).percent
    return value if value is not None and 0 <= value <= 100 else None


async def handle_prompt_answer(turn: Turn, text: str) -> Answer | None:
    """The answer to the officer's pending question, or None when there is none to answer.

    A message naming another task is not an answer: the question is dropped.
    """
    prompt_row = await turn.session.scalar(
        select(PendingPrompt)
        .where(
            PendingPrompt.officer_id == turn.officer.id,
            PendingPrompt.channel == turn.incoming.channel,
            PendingPrompt.expires_at > turn.now,
        )
        .order_by(PendingPrompt.id.desc())
    )
    if prompt_row is None or not prompt_row.task_ids:
        return None
    first, _, second = prompt_row.task_ids[0][1:].partition(".")
    item = await _one_item(turn, int(first), int(second))
    said = parse_reply(text, turn.today)
    other_task = said.task_code and item and said.task_code.upper() != item.task_code.upper()
    if item is None or not item.open or not responsible(item, turn.officer) or other_task:
        await turn.session.delete(prompt_row)
        return None  # the question is moot: the message is handled on its own
    if prompt_row.kind == "percent":
        percent = _percent_answer(text)
        if said.state == "done" and not said.task_code:
            reply = said  # "xong rồi" answers "how far?" too
        elif percent is None:
            await turn.session.delete(prompt_row)
            return None
        else:
            reply = Reply("done") if percent == 100 else Reply("in_progress", percent=percent)
    elif prompt_row.kind == "reason":
        reply = Reply("blocked", reason=" ".join(text.split())[:500])
    else:
        new_due = parse_reply(f"xin gia hạn đến {text}", turn.today).new_due
        if new_due is None:
            return Answer("Mình chưa đọc được ngày. Vui lòng gõ dạng 30/6/2022.", force_reply=True)
        reply = Reply("extension_requested", new_due=new_due)
    return await apply(turn, item, reply, text)


async def handle_button(turn: Turn, action: StatusAction, payload: str) -> Answer:
    """A status button: record it (editing the message) or ask what is missing."""
    item = await _button_item(turn, action)
    if not item.open:
        return Answer("", toast=f"{item.task_code} đã {texts.state_text(item.state).lower()}.")
    if action.state == "in_progress" and action.percent is None:
        return await prompt(turn, item, "percent")
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
    return Answer(text, buttons, edit=True, toast="Đã ghi nhận")


async def _button_item(turn: Turn, action: StatusAction) -> WorkItem:
    gone = UserError("Nút này không còn hiệu lực.")
    assignment_id, due_id = action.assignment_id, action.due_id
    if action.reminder_id is not None:
        reminder = await turn.session.get(Reminder, action.reminder_id)
        if reminder is None or reminder.recipient_id != turn.officer.id:
            raise gone
        assignment_id, due_id = reminder.assignment_id, reminder.due_id
    if assignment_id is None or due_id is None:
        raise gone
    item = await _one_item(turn, assignment_id, due_id)
    if item is None:
        raise gone
    _refuse_unless_responsible(turn.officer, item)
    return item


async def _bundle_view(turn: Turn, reminder_id: int) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """The reminder message redrawn: each task's state now, buttons for those still open."""
    reminder = await turn.session.get(Reminder, reminder_id)
    reminders = [reminder] if reminder is not None else []
    if reminder is not None and reminder.provider_message_id:
        reminders = await _bundle_reminders(turn, reminder.provider_message_id) or reminders
    lines: list[str] = ["Nhắc việc:"]
    rows: list[tuple[Button, ...]] = []
    for row in reminders:
        if row.assignment_id is None or row.due_id is None:
            continue
        item = await _one_item(turn, row.assignment_id, row.due_id)
        if item is None:
            continue
        state = texts.state_text(item.state, item.percent)
        lines.append(
            f"• {item.task_code} — {state} · hạn {texts.due_text(item.due_on, turn.today)}"
        )
        if item.open:
            prefix = f"{item.task_code.partition('-')[2]}: " if len(reminders) > 1 else ""
            rows += action_buttons(reminder_id=row.id, prefix=prefix)
    return ("\n".join(lines) if len(lines) > 1 else ""), tuple(rows)
