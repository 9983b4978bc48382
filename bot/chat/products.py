"""Products officers send in the chat (a PDF, a Word file, a photo of a signed page) and
``/sanpham`` that gives them back.

Which task a file is for, in order (a file is never dropped, nor guessed onto a task):
1. the reminder it replies to (its items, done ones too: the product often follows
   "xong"), narrowed by the caption's code when the reminder had several;
2. the caption's code, read like a text reply (``targets``: a mistyped code is asked
   back with the officer's items, never applied to another task); a task already
   done still takes its product;
3. the task the officer marked done in the last ``AFTER_DONE`` ("xong" then the file);
4. the officer's only open item.
Several candidates: the file is parked (``data/products.py``, a pending prompt that
asking other questions leaves alone) and the officer picks the task with a button
(Zalo: a number) or by typing its code; nothing has to be sent again.
A caption with a status ("xong BDT22-I.1") records the status too, in the same
transaction; a refused file (too big, wrong type) stores nothing and records nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.chat import status_flow, targets, texts
from bot.chat.callbacks import FileAction, file_payload
from bot.chat.commands_leader import FULL_ROLES
from bot.chat.messages import Answer, Button, FileOut, Turn
from bot.chat.prompts import PROMPT_TTL
from data.errors import UserError
from data.leaders import led_plan_ids
from data.models import Officer, PendingPrompt, Progress, Task
from data.people import officer_names
from data.products import (
    ListedProduct,
    ParkedFile,
    checked,
    display_name,
    park,
    parked_file,
    parked_in,
    products_of,
    read_content,
    store,
    unpark,
)
from data.progress import RECORDABLE, WorkKey, get_or_create_progress, last_own_update
from data.status import Reply, parse_reply
from data.task_codes import is_bare
from data.work_items import WorkItem, find_task, nearest_open, open_items, responsible, work_items

AFTER_DONE = PROMPT_TTL
"""How long after "xong" a file without a code is taken as that task's product."""
MENU_SIZE = 10


# --- receiving ------------------------------------------------------------------------


async def receive(turn: Turn, text: str) -> Answer:
    """A file from an officer: checked, then stored with its task, or parked and asked."""
    file = turn.incoming.file
    assert file is not None
    checked(file.name, file.content, file.size, turn.products)  # refused before anything else
    reply = parse_reply(text, turn.today) if text else None
    items = await _candidates(turn, reply.task_code if reply else None)
    if len(items) == 1:
        return await _attach(turn, items[0], file.name, file.content, text)
    if not items:
        raise UserError(texts.PRODUCT_NO_TASK)
    await park(
        turn.session,
        officer_id=turn.officer.id,
        channel=turn.incoming.channel,
        name=file.name,
        content=file.content,
        caption=text,
        work=[targets.work_ref(item) for item in items],
        now=turn.now,
        expires_at=turn.now + PROMPT_TTL,
    )
    return _menu(display_name(file.name, ""), items)


def _menu(name: str, items: list[WorkItem]) -> Answer:
    hours = int(PROMPT_TTL.total_seconds() // 3600)
    lines = [texts.PRODUCT_WHICH.format(name=name, hours=hours)]
    if len(items) > MENU_SIZE:
        lines.append(texts.PRODUCT_MORE.format(count=len(items) - MENU_SIZE))
    rows = tuple(
        (Button(texts.choice_label(item), file_payload(targets.work_ref(item))),)
        for item in items[:MENU_SIZE]
    )
    return Answer("\n".join(lines), buttons=rows)


async def _candidates(turn: Turn, code: str | None) -> list[WorkItem]:
    """The items a file may be for (see the module docstring)."""
    reply_to = turn.incoming.reply_to
    if reply_to:
        bundle = await targets.bundle_items(turn, reply_to)
        if code:
            bundle = [item for item in bundle if targets.names(code, item)]
        if bundle:
            return bundle
    if code:
        return await _items_of_code(turn, code)
    just_done = await _just_done(turn)
    if just_done is not None:
        return [just_done]
    return await open_items(turn.session, turn.officer, turn.today)


async def _items_of_code(turn: Turn, code: str) -> list[WorkItem]:
    """The officer's items of task ``code``: the open ones, else the last one done."""
    task = None if is_bare(code) else await find_task(turn.session, code)
    if task is None:  # a bare code, or no such task: read as a text reply reads it
        return await targets.candidates(turn, code, None)
    every = await work_items(turn.session, task_id=task.id, today=turn.today)
    mine = [item for item in every if responsible(item, turn.officer)]
    if not mine:  # not the officer's: the same refusal as a status update gets
        return await targets.candidates(turn, code, None)
    done = sorted((i for i in mine if i.state == "done"), key=lambda i: i.done_at or turn.now)
    return nearest_open(mine) or done[-1:]


async def _just_done(turn: Turn) -> WorkItem | None:
    """The item the officer's own "xong" of the last ``AFTER_DONE`` was about."""
    last = await last_own_update(turn.session, turn.officer.id, turn.now, AFTER_DONE)
    if last is None or last.state_after != "done" or last.progress_id is None:
        return None
    progress = await turn.session.get(Progress, last.progress_id)
    if progress is None:
        return None
    instance = progress.instance if progress.instance != "-" else None
    return await targets.one_item(turn, progress.assignment_id, progress.due_id, instance)


async def _attach(turn: Turn, item: WorkItem, name: str, content: bytes, caption: str) -> Answer:
    """Store the file as ``item``'s product; record the caption's status first, if it has one."""
    targets.refuse_unless_responsible(turn.officer, item)
    reply = parse_reply(caption, turn.today) if caption else Reply("unknown")
    status: Answer | None = None
    lines = []
    if reply.state in RECORDABLE and item.open:
        status = await status_flow.apply(turn, item, reply, caption)
    elif reply.state in RECORDABLE:
        lines.append(texts.PRODUCT_STATUS_SKIPPED.format(code=item.task_code))
    key = WorkKey(item.assignment_id, item.due_id, item.instance)
    progress = await get_or_create_progress(turn.session, key)
    update_id = turn.incoming.update_id
    stored = await store(
        turn.session,
        turn.products,
        task_id=await _task_id(turn, item),
        progress=progress,
        officer_id=turn.officer.id,
        name=name,
        content=content,
        channel=turn.incoming.channel,
        provider_update_id=f"{update_id}.sp" if update_id else None,  # the status row has the id
        now=turn.now,
    )
    await unpark(turn.session, turn.officer.id, turn.incoming.channel)
    saved = texts.product_saved(item.task_code, stored.product.file_name, stored.duplicate)
    lines.insert(0, saved)
    if status is None:
        return Answer("\n".join(lines))
    lines.append(status.text)
    return Answer("\n".join(lines), status.buttons, force_reply=status.force_reply)


async def _task_id(turn: Turn, item: WorkItem) -> int:
    task = await find_task(turn.session, item.task_code)
    assert task is not None  # the item was read from it in this transaction
    return task.id


async def press(turn: Turn, action: FileAction) -> Answer:
    """A task picked for the parked file (a button, or a number on Zalo)."""
    parked = await _live_parked(turn)
    work = (action.assignment_id, action.due_id)
    if parked is None or work not in parked.work:
        raise UserError(texts.PRODUCT_PARKED_GONE)
    item = await targets.one_item(turn, *work)
    if item is None or not responsible(item, turn.officer):
        raise UserError(texts.BUTTON_GONE)
    answer = await _attach(turn, item, parked.name, parked.content, parked.caption)
    return Answer(answer.text, answer.buttons, edit=not answer.force_reply)


async def answer_parked(turn: Turn, text: str, waiting: Sequence[PendingPrompt]) -> Answer | None:
    """A code typed alone, naming one of the parked file's items, stores it there; else None
    (a status update naming a task is about that update, not the file). ``waiting``: the
    officer's ``waiting_rows``, read once for this and the pending question."""
    parked = parked_in(waiting)
    if parked is None:
        return None
    said = parse_reply(text, turn.today)
    code = said.task_code
    if not code or said.state not in ("question", "unknown"):
        return None
    for work in parked.work:
        item = await targets.one_item(turn, *work)
        if item is not None and targets.names(code, item):
            return await _attach(turn, item, parked.name, parked.content, parked.caption)
    return None


async def _live_parked(turn: Turn) -> ParkedFile | None:
    return await parked_file(turn.session, turn.officer.id, turn.incoming.channel, turn.now)


# --- /sanpham ---------------------------------------------------------------------------


async def send_product(turn: Turn, args: str) -> Answer:
    """``/sanpham MÃ [SỐ]``: the latest product (or number SỐ, newest first), as a file."""
    words = args.split()
    if not words or len(words) > 2 or (len(words) == 2 and not words[1].isdigit()):
        return Answer(texts.PRODUCT_USAGE)
    task = await find_task(turn.session, words[0])
    if task is None:
        return Answer(texts.NO_TASK.format(code=words[0]))
    listed = await products_of(turn.session, task.id)
    if not listed:
        return Answer(texts.PRODUCT_NONE.format(code=task.code))
    visible = [entry for entry in listed if await _may_see(turn, task, entry)]
    if not visible:
        raise UserError(texts.PRODUCT_NOT_ALLOWED.format(code=task.code))
    number = int(words[1]) if len(words) == 2 else 1
    if not 1 <= number <= len(visible):
        count = len(visible)
        return Answer(texts.PRODUCT_NO_NUMBER.format(code=task.code, number=number, count=count))
    senders = (entry.product.officer_id for entry in visible if entry.product.officer_id)
    names = await officer_names(turn.session, senders)
    lines = [
        texts.product_line(
            n, p.product.file_name, names.get(p.product.officer_id or 0, "—"), p.product.created_at
        )
        for n, p in enumerate(visible, start=1)
    ]
    chosen = visible[number - 1].product
    content = read_content(chosen, turn.products)
    caption = texts.product_caption(task.code, number, lines)
    return Answer(caption, file=FileOut(chosen.file_name, content, "document"))


async def _may_see(turn: Turn, task: Task, entry: ListedProduct) -> bool:
    """Leaders (of the task's plan, when scoped) and admins, the head of the unit the
    product was sent for, and the officer who sent it."""
    officer: Officer = turn.officer
    if entry.product.officer_id == officer.id or officer.role == "admin":
        return True
    if officer.role in FULL_ROLES:
        led = await led_plan_ids(turn.session, officer.id)
        return led is None or task.plan_id in led
    return officer.role == "unit_head" and entry.unit_id == officer.unit_id
