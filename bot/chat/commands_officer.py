"""Commands every linked officer may use: /viec, /capnhat, /lichsu, /huydangky."""

from __future__ import annotations

from bot.chat import status_flow, texts
from bot.chat.messages import Answer, Button, Turn
from data.invites import unlink
from data.people import officer_names
from data.progress import history
from data.work_items import find_task, open_items

PAGE_SIZE = 10


async def my_items(turn: Turn, _args: str) -> Answer:
    """``/viec``: the first page of my open items."""
    return await items_page(turn, 0)


async def items_page(turn: Turn, page: int, *, edit: bool = False) -> Answer:
    """A page of my open items, nearest due first, ten per page with ‹ › buttons."""
    items = await open_items(turn.session, turn.officer, turn.today)
    if not items:
        return Answer(texts.NO_OPEN, edit=edit)
    pages = (len(items) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    shown = items[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [texts.items_heading(len(items), page, pages)]
    lines += [
        f"{n}. {texts.item_line(item, turn.today)}"
        for n, item in enumerate(shown, start=page * PAGE_SIZE + 1)
    ]
    lines.append(texts.ITEMS_HINT)
    nav = []
    if page > 0:
        nav.append(Button(texts.PREVIOUS_PAGE, f"v:{page - 1}"))
    if page < pages - 1:
        nav.append(Button(texts.NEXT_PAGE, f"v:{page + 1}"))
    return Answer("\n".join(lines), buttons=(tuple(nav),) if nav else (), edit=edit)


async def update(turn: Turn, args: str) -> Answer:
    """``/capnhat CODE …``: the same as a free-text update naming the task."""
    if not args:
        return Answer(texts.UPDATE_USAGE)
    return await status_flow.handle_text(turn, args)


async def task_history(turn: Turn, args: str) -> Answer:
    """``/lichsu CODE``: the updates recorded on that task (the officer's unit's part)."""
    code = args.split()[0] if args.split() else ""
    if not code:
        return Answer(texts.HISTORY_USAGE)
    task = await find_task(turn.session, code)
    if task is None:
        return Answer(texts.NO_TASK.format(code=code))
    everything = turn.officer.role in ("leader", "admin")
    updates = await history(
        turn.session, task.id, unit_id=None if everything else turn.officer.unit_id
    )
    names = await officer_names(turn.session, (u.officer_id for u in updates if u.officer_id))
    return Answer(texts.history_text(task.code, updates, names))


async def unlink_chat(turn: Turn, _args: str) -> Answer:
    """``/huydangky``: this chat stops receiving reminders for the officer."""
    if turn.incoming.channel == "console":
        return Answer(texts.CONSOLE_NEEDS_NO_UNLINK)
    if await unlink(turn.session, turn.officer, turn.incoming.channel):
        return Answer(texts.UNLINKED)
    return Answer(texts.NOT_LINKED_HERE)
