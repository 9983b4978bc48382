"""The "which task?" menu: shown when a message is clear about its state but not its task.

Each button names one item (code, short content, due) with the status the message
said (``s:<act>:w<a>.<d>``), ten to a page with "‹ Trang trước" / "Trang sau ›"
(``k:<prompt id>:<page>``; Zalo numbers them with the items). The menu is a pending
prompt (``data/prompts.py``) listing every candidate and keeping the reply, so
picking an item records what the officer already said ("vướng do chưa có kinh phí":
blocked, with that reason) instead of asking it again. A pressed item button is
still checked like any other; once the prompt is gone (answered, expired, replaced)
the button records its bare status and asks for what is missing.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.chat import texts
from bot.chat.callbacks import PickPageAction, pick_page_payload, status_payload
from bot.chat.messages import Answer, Button, Turn
from bot.chat.prompts import PROMPT_TTL
from bot.chat.targets import one_item, work_ref
from data.errors import UserError
from data.prompts import PICK, Kept, ask, live_prompt, officers_prompt
from data.status import Reply
from data.work_items import WorkItem, responsible

PAGE_SIZE = 10


def act_of(reply: Reply) -> str:
    """The status button action that records ``reply`` once an item is chosen."""
    if reply.state == "in_progress" and reply.percent and reply.percent < 100:
        return f"p{reply.percent}"
    if reply.state == "extension_requested" and reply.new_due is not None:
        return f"x{reply.new_due:%Y%m%d}"
    return {"done": "d", "not_started": "n", "blocked": "b", "extension_requested": "x"}.get(
        reply.state, "p"
    )


async def ask_which(turn: Turn, items: Sequence[WorkItem], reply: Reply, text: str) -> Answer:
    """Ask which of ``items`` the message is about, keeping ``reply`` for the one picked."""
    prompt_id = await ask(
        turn.session,
        turn.officer.id,
        turn.incoming.channel,
        PICK,
        [work_ref(item) for item in items],
        now=turn.now,
        expires_at=turn.now + PROMPT_TTL,
        kept=Kept(reply, text),
    )
    return _menu(prompt_id, items, act_of(reply), 0)


def _menu(
    prompt_id: int, items: Sequence[WorkItem], act: str, page: int, *, edit: bool = False
) -> Answer:
    pages = (len(items) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    rows: list[tuple[Button, ...]] = [
        (Button(texts.choice_label(item), status_payload(act, work=work_ref(item))),)
        for item in items[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    ]
    moves = []
    if page > 0:
        moves.append(Button(texts.PICK_PREVIOUS, pick_page_payload(prompt_id, page - 1)))
    if page < pages - 1:
        moves.append(Button(texts.PICK_NEXT, pick_page_payload(prompt_id, page + 1)))
    if moves:
        rows.append(tuple(moves))
    question = texts.ask_which(items[0].task_code, page, pages)
    return Answer(question, buttons=tuple(rows), edit=edit)


async def turn_page(turn: Turn, action: PickPageAction) -> Answer:
    """Another page of the presser's own live menu (anyone else's: the neutral refusal)."""
    prompt = await officers_prompt(
        turn.session, turn.officer.id, turn.incoming.channel, action.prompt_id, turn.now
    )
    if prompt is None or prompt.kind != PICK or prompt.kept is None:
        raise UserError(texts.BUTTON_GONE)
    items = []
    for assignment_id, due_id in prompt.work:
        item = await one_item(turn, assignment_id, due_id)
        if item is not None and item.open and responsible(item, turn.officer):
            items.append(item)
    if not items:
        raise UserError(texts.BUTTON_GONE)
    return _menu(prompt.id, items, act_of(prompt.kept.reply), action.page, edit=True)


async def kept_for(turn: Turn, item: WorkItem, payload: str) -> Kept | None:
    """What the officer said before the menu, when ``payload`` is the live menu's button
    for ``item``; None for any other button (a reminder's, an older question's)."""
    prompt = await live_prompt(turn.session, turn.officer.id, turn.incoming.channel, turn.now)
    if prompt is None or prompt.kind != PICK or prompt.kept is None:
        return None
    if work_ref(item) not in prompt.work:
        return None
    menu_button = status_payload(act_of(prompt.kept.reply), work=work_ref(item))
    return prompt.kept if payload == menu_button else None


async def picked_by_code(turn: Turn, items: Sequence[WorkItem]) -> tuple[WorkItem, Kept] | None:
    """The item and the live menu's kept reply when the officer answers the menu by typing
    the code of exactly one of its items (``items``: what that code names)."""
    prompt = await live_prompt(turn.session, turn.officer.id, turn.incoming.channel, turn.now)
    if prompt is None or prompt.kind != PICK or prompt.kept is None:
        return None
    listed = [item for item in items if work_ref(item) in prompt.work]
    return (listed[0], prompt.kept) if len(listed) == 1 else None
