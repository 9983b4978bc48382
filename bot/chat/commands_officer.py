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
    where = f" (trang {page + 1}/{pages})" if pages > 1 else ""
    lines = [f"Việc của bạn: {len(items)} việc đang mở{where}"]
    lines += [
        f"{n}. {texts.item_line(item, turn.today)}"
        for n, item in enumerate(shown, start=page * PAGE_SIZE + 1)
    ]
    lines.append("Trả lời «xong <mã>», «đang làm 50% <mã>»… để cập nhật.")
    nav = []
    if page > 0:
        nav.append(Button("‹ Trước", f"v:{page - 1}"))
    if page < pages - 1:
        nav.append(Button("Sau ›", f"v:{page + 1}"))
    return Answer("\n".join(lines), buttons=(tuple(nav),) if nav else (), edit=edit)


async def update(turn: Turn, args: str) -> Answer:
    """``/capnhat CODE …``: the same as a free-text update naming the task."""
    if not args:
        return Answer("Cú pháp: /capnhat MÃ nội dung — ví dụ: /capnhat BDT22-I.1 đang làm 60%")
    return await status_flow.handle_text(turn, args)


async def task_history(turn: Turn, args: str) -> Answer:
    """``/lichsu CODE``: the updates recorded on that task (the officer's unit's part)."""
    code = args.split()[0] if args.split() else ""
    if not code:
        return Answer("Cú pháp: /lichsu MÃ — ví dụ: /lichsu BDT22-I.1")
    task = await find_task(turn.session, code)
    if task is None:
        return Answer(f"Không tìm thấy việc mã {code}.")
    everything = turn.officer.role in ("leader", "admin")
    updates = await history(
        turn.session, task.id, unit_id=None if everything else turn.officer.unit_id
    )
    names = await officer_names(turn.session, (u.officer_id for u in updates if u.officer_id))
    return Answer(texts.history_text(task.code, updates, names))


async def unlink_chat(turn: Turn, _args: str) -> Answer:
    """``/huydangky``: this chat stops receiving reminders for the officer."""
    if turn.incoming.channel == "console":
        return Answer("Kênh console không cần hủy liên kết.")
    if await unlink(turn.session, turn.officer, turn.incoming.channel):
        return Answer("Đã hủy liên kết. Bạn sẽ không nhận nhắc việc ở đây nữa.")
    return Answer("Tài khoản này chưa liên kết.")
