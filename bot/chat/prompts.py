"""Questions the bot asks and waits for: a percent, a reason, a new date.

They are stored by ``data/prompts.py`` (any instance can take the answer), one per
officer and channel, and expire after ``PROMPT_TTL``. The next text from that
officer on that channel answers it, unless it is a command or names another
task: then the question is dropped and the message handled on its own. A "which
task?" menu (``bot/chat/pick.py``) is answered by a button or a code, not here.
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.chat import texts
from bot.chat.callbacks import status_payload
from bot.chat.messages import Answer, Button, Turn
from bot.chat.targets import one_item, work_ref
from data.prompts import PICK, Prompt, ask, forget_prompt, forget_prompts, live_prompt
from data.status import Reply, parse_reply
from data.work_items import WorkItem, responsible

PROMPT_TTL = timedelta(hours=2)
QUICK_PERCENTS = (25, 50, 75)
_BARE_PERCENT = re.compile(r"\s*(\d{1,3})\s*(?:%|phan tram|phần trăm)?\s*\.?\s*", re.IGNORECASE)


async def drop_prompts(turn: Turn) -> None:
    """Forget the officer's pending questions on this channel (answered or overtaken)."""
    await forget_prompts(turn.session, turn.officer.id, turn.incoming.channel)


async def prompt(turn: Turn, item: WorkItem, kind: str) -> Answer:
    """Ask for the missing percent / reason / new date, and remember the question."""
    await ask(
        turn.session,
        turn.officer.id,
        turn.incoming.channel,
        kind,
        [work_ref(item)],
        now=turn.now,
        expires_at=turn.now + PROMPT_TTL,
    )
    if kind == "percent":
        quick = tuple(
            Button(f"{n}%", status_payload(f"p{n}", work=work_ref(item))) for n in QUICK_PERCENTS
        )
        done = Button(texts.STATE_LABELS["done"], status_payload("d", work=work_ref(item)))
        return Answer(texts.ASK_PERCENT.format(code=item.task_code), buttons=(quick, (done,)))
    question = texts.ASK_REASON if kind == "reason" else texts.ASK_NEW_DUE
    return Answer(question.format(code=item.task_code), force_reply=True)


async def _live_question(turn: Turn) -> Prompt | None:
    """The officer's live question about one item on this channel (not a pick menu)."""
    asked = await live_prompt(turn.session, turn.officer.id, turn.incoming.channel, turn.now)
    return asked if asked is not None and asked.kind != PICK else None


async def asked_item(turn: Turn) -> WorkItem | None:
    """The item of the officer's live question on this channel, if it is still theirs and open."""
    asked = await _live_question(turn)
    item = await one_item(turn, asked.assignment_id, asked.due_id) if asked else None
    return item if item is not None and item.open and responsible(item, turn.officer) else None


def _percent_answer(text: str) -> int | None:
    """ "60", "60%", "được 6 phần" -> 60; None unless a percentage in 0..100."""
    match = _BARE_PERCENT.fullmatch(text)
    value = int(match.group(1)) if match else parse_reply(text).percent
    return value if value is not None and 0 <= value <= 100 else None


async def pending_reply(
    turn: Turn, text: str, live: Prompt | None
) -> tuple[WorkItem, Reply] | Answer | None:
    """What ``text`` answers of the ``live`` question: (item, reply) to record, a question
    again, or None (no answer, or no question: a pick menu is answered elsewhere)."""
    asked = live if live is not None and live.kind != PICK else None
    if asked is None:
        return None
    item = await one_item(turn, asked.assignment_id, asked.due_id)
    said = parse_reply(text, turn.today)
    other_task = said.task_code and item and said.task_code.upper() != item.task_code.upper()
    if item is None or not item.open or not responsible(item, turn.officer) or other_task:
        await forget_prompt(turn.session, asked.id)
        return None  # the question is moot: the message is handled on its own
    if asked.kind == "percent":
        percent = _percent_answer(text)
        if said.state == "done" and not said.task_code:
            reply = said  # "xong rồi" answers "how far?" too
        elif percent is None:
            await forget_prompt(turn.session, asked.id)
            return None
        else:
            reply = Reply("done") if percent == 100 else Reply("in_progress", percent=percent)
    elif asked.kind == "reason":
        reply = Reply("blocked", reason=" ".join(text.split())[:500])
    else:
        new_due = parse_reply(f"xin gia hạn đến {text}", turn.today).new_due
        if new_due is None:
            return Answer(texts.UNREADABLE_DATE, force_reply=True)
        reply = Reply("extension_requested", new_due=new_due)
    return item, reply
