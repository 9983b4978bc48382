"""``/viec/{code}``: a task's page; the form that records progress; its products' files.

The page shows what a leader asks about one task: its state (the report's, as of
today), the full history of updates, the reminders sent and planned for it, and
the files officers sent. An officer (their unit head, an admin) records progress
here with the same ``data.progress.record_update`` the chat uses, on channel
``web``, and the task's reminders are replanned at once as after a chat update.
Asking for an extension stays in chat: it needs a new date and goes to leaders
through the outbox, which the chat's flow does.

Everything is looked up through ``reach.visible_task``: a task, or a product of
it, outside the reader's reach is "not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast
from urllib.parse import quote

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.web.reach import Reach, may_update, reach_of, report_for, visible_task
from bot.web.visit import Visit, page
from bot.web.words import word
from data.errors import UserError
from data.models import Assignment, Officer, Plan, Progress, Reminder, StatusUpdate, Task, Unit
from data.people import officer_names
from data.products import ListedProduct, products_of, read_content
from data.progress import MAX_RAW, WorkKey, history, record_update
from data.status import Reply, ReplyState
from data.vn_dates import vn_date
from data.work_items import WorkItem, nearest_open, work_items
from scheduler.planner import plan_reminders

WEB_STATES = ("in_progress", "done", "blocked")
"""What the form records (an extension request stays in chat, see the module)."""
HISTORY_LIMIT = 200
REMINDERS_LIMIT = 20
RECORDED = "da-ghi"
"""Query flag of the page shown after a recorded update (POST, then redirect, then GET)."""


@dataclass(frozen=True)
class Part:
    """One open work item the reader may update, as the form offers it."""

    value: str
    label: str
    item: WorkItem


def _part(item: WorkItem) -> Part:
    due = vn_date(item.due_on) if item.due_on else "—"
    value = f"{item.assignment_id}:{item.due_id}:{item.instance}"
    return Part(value, f"{item.unit_name} · {due}", item)


async def updatable(session: AsyncSession, officer: Officer, task: Task, today: date) -> list[Part]:
    """The task's open items the officer may update, the nearest due of each assignment."""
    items = await work_items(session, task_id=task.id, today=today)
    return [_part(i) for i in nearest_open([i for i in items if may_update(officer, i)])]


async def _history(
    session: AsyncSession, reach: Reach, task: Task
) -> tuple[list[StatusUpdate], dict[int, str], dict[int, str]]:
    """The task's updates within reach, with the officers' names and, by progress, the unit."""
    updates = await history(
        session, task.id, None if reach.full else reach.unit_id, limit=HISTORY_LIMIT
    )
    if not reach.full and reach.unit_id is None:
        updates = [u for u in updates if u.officer_id == reach.officer_id]
    names = await officer_names(session, (u.officer_id for u in updates if u.officer_id))
    progress_ids = {u.progress_id for u in updates if u.progress_id}
    units = await session.execute(
        select(Progress.id, Unit.name)
        .join(Assignment, Assignment.id == Progress.assignment_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Progress.id.in_(progress_ids))
    )
    return updates, names, {progress_id: name for progress_id, name in units}


async def _reminders(
    session: AsyncSession, reach: Reach, task: Task
) -> tuple[list[Reminder], list[Reminder], dict[int, str]]:
    """(sent, newest first; planned, soonest first; recipients' names) for the task's
    assignments within reach."""
    assignments = select(Assignment.id).where(Assignment.task_id == task.id)
    own = reach.assignment_filter()
    if own is not None:
        assignments = assignments.where(own)
    query = select(Reminder).where(Reminder.assignment_id.in_(assignments))
    sent = await session.scalars(
        query.where(Reminder.state == "sent")
        .order_by(Reminder.sent_at.desc(), Reminder.id.desc())
        .limit(REMINDERS_LIMIT)
    )
    planned = await session.scalars(
        query.where(Reminder.state.in_(("pending", "sending")))
        .order_by(Reminder.scheduled_at, Reminder.id)
        .limit(REMINDERS_LIMIT)
    )
    sent_rows, planned_rows = list(sent), list(planned)
    names = await officer_names(session, (r.recipient_id for r in sent_rows + planned_rows))
    return sent_rows, planned_rows, names


def _may_see(reach: Reach, entry: ListedProduct) -> bool:
    """Within reach: every product for admins and leaders (the task is); for a unit head
    or an officer, their unit's part and what they sent themselves."""
    if reach.full:
        return True
    own_unit = reach.unit_id is not None and entry.unit_id == reach.unit_id
    return own_unit or entry.product.officer_id == reach.officer_id


async def _visible(visit: Visit) -> tuple[Reach, Task] | None:
    """The reader's reach and the URL's task, or ``None`` when it is outside that reach."""
    assert visit.officer is not None  # page() signs in
    reach = await reach_of(visit.session, visit.officer)
    task = await visible_task(visit.session, reach, visit.request.match_info["code"])
    return (reach, task) if task is not None else None


@page()
async def task_page(visit: Visit) -> web.StreamResponse:
    """``GET /viec/{code}``."""
    found = await _visible(visit)
    if found is None:
        return visit.message("not_found", 404)
    reach, task = found
    assert visit.officer is not None
    plan = await visit.session.get(Plan, task.plan_id)
    assert plan is not None  # the foreign key cascades
    report = await report_for(visit.session, reach, plan, visit.today, tasks_of=Task.id == task.id)
    row = next((r for s in report.sections for r in s.rows if r.code == task.code), None)
    updates, names, update_units = await _history(visit.session, reach, task)
    sent, planned, recipients = await _reminders(visit.session, reach, task)
    listed = [e for e in await products_of(visit.session, task.id) if _may_see(reach, e)]
    senders = await officer_names(
        visit.session, (e.product.officer_id for e in listed if e.product.officer_id)
    )
    context: dict[str, Any] = {
        "task": task,
        "plan": plan,
        "row": row,
        "updates": updates,
        "names": names,
        "update_units": update_units,
        "sent": sent,
        "planned": planned,
        "recipients": recipients,
        "products": listed,
        "senders": senders,
        "parts": await updatable(visit.session, visit.officer, task, visit.today),
        "may_record": visit.officer.role in ("admin", "unit_head", "officer"),
        "web_states": WEB_STATES,
        "recorded": RECORDED in visit.request.query,
    }
    return visit.render("tasks_task.html", **context)


def _reply(form: Any, code: str) -> tuple[Reply, str]:
    """The form's state, percent and note as the chat's ``Reply``, and the audit's raw text."""
    state = str(form.get("tinh-trang", ""))
    if state not in WEB_STATES:
        raise UserError("Hãy chọn tình trạng: đang thực hiện, hoàn thành hoặc vướng mắc.")
    note = " ".join(str(form.get("ghi-chu", "")).split())[:MAX_RAW]
    given = str(form.get("phan-tram", "")).strip()
    if given and not (given.isdigit() and 0 <= int(given) <= 100):
        raise UserError(f"Tỷ lệ thực hiện «{given}» phải là số từ 0 đến 100.")
    if state == "blocked" and not note:
        raise UserError("Hãy ghi rõ vướng mắc ở ô Ghi chú.")
    percent = int(given) if given and state == "in_progress" else None
    reason = note if state == "blocked" else None
    reply = Reply(cast(ReplyState, state), percent=percent, task_code=code, reason=reason)
    return reply, note or f"[nút {word('item_' + state)}]"  # no note: as a chat button


@page("admin", "unit_head", "officer")
async def record(visit: Visit) -> web.StreamResponse:
    """``POST /viec/{code}``: record the form's update, then show the page again."""
    found = await _visible(visit)
    if found is None:
        return visit.message("not_found", 404)
    task = found[1]
    assert visit.officer is not None
    parts = await updatable(visit.session, visit.officer, task, visit.today)
    chosen = str(visit.form.get("phan-viec", "")) or (parts[0].value if len(parts) == 1 else "")
    part = next((p for p in parts if p.value == chosen), None)
    if part is None:
        raise UserError(f"Phần việc này của {task.code} không còn mở, hoặc không do bạn cập nhật.")
    reply, raw_text = _reply(visit.form, task.code)
    item = part.item
    recorded = await record_update(
        visit.session,
        officer=visit.officer,
        key=WorkKey(item.assignment_id, item.due_id, item.instance),
        reply=reply,
        raw_text=raw_text,
        channel="web",
        provider_update_id=None,
        now=visit.now,
        today=visit.today,
    )
    await plan_reminders(visit.session, visit.now, due_ids={recorded.due_id})
    return web.Response(status=303, headers={"Location": f"/viec/{task.code}?{RECORDED}=1"})


@page()
async def product_file(visit: Visit) -> web.StreamResponse:
    """``GET /viec/{code}/san-pham/{id}``: the stored file, as an attachment."""
    found = await _visible(visit)
    if found is None:
        return visit.message("not_found", 404)
    reach, task = found
    wanted = visit.request.match_info["product"]
    listed = await products_of(visit.session, task.id)
    entry = next((e for e in listed if str(e.product.id) == wanted and _may_see(reach, e)), None)
    if entry is None:
        return visit.message("not_found", 404)
    product = entry.product
    content = read_content(product, visit.config.products)
    disposition = f"attachment; filename*=UTF-8''{quote(product.file_name)}"
    return web.Response(
        body=content,
        content_type=product.mime,
        headers={"Content-Disposition": disposition, "Cache-Control": "private, no-store"},
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/viec/{code}", task_page)
    app.router.add_post("/viec/{code}", record)
    app.router.add_get("/viec/{code}/san-pham/{product}", product_file)
