"""The bot's words: every chat message text is built here, as plain Vietnamese text.

Channels format it (escape for HTML, split long ones); nothing here knows a channel.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.reminder_words import due_phrase
from data.models import ExtensionRequest, StatusUpdate
from data.progress import RecordedUpdate
from data.vn_dates import vn_date
from data.work_items import Summary, UnitCompletion, WorkItem
from scheduler.clock import TZ

STATE_LABELS = {
    "not_started": "Chưa thực hiện",
    "in_progress": "Đang thực hiện",
    "done": "Hoàn thành",
    "blocked": "Vướng mắc",
    "extension_requested": "Xin gia hạn",
    "cancelled": "Đã hủy",
}
SORRY = "Xin lỗi, có lỗi khi xử lý tin nhắn. Vui lòng thử lại sau ít phút."
UNKNOWN_CHAT = (
    "Xin chào! Tài khoản này chưa được liên kết với Nhắc việc.\n"
    "Vui lòng xin mã mời ở Văn phòng, rồi gửi mã đó vào đây (ví dụ: NV-ABCD-EFGH)."
)
NOT_TEXT = "Nhắc việc chỉ đọc được tin nhắn chữ. Gõ /huongdan để xem cách trả lời."
NOT_ALLOWED = "Xin lỗi, lệnh này dành cho lãnh đạo; tài khoản của bạn không dùng được."
ASK_STATE = "Bạn muốn cập nhật {code} thế nào?"
ASK_WHICH = "Bạn muốn cập nhật việc nào? Chọn mã việc (hoặc gõ kèm mã, ví dụ «xong {code}»)."
ASK_PERCENT = "{code}: đã thực hiện được bao nhiêu phần trăm? (ví dụ: 60)"
ASK_REASON = "{code}: vướng mắc gì? Vui lòng ghi ngắn gọn lý do."
ASK_NEW_DUE = "{code}: xin gia hạn đến ngày nào? (ví dụ: 30/6/2022)"
TRUNCATED = "(Tin nhắn dài: chỉ đọc phần đầu, lưu tối đa 4000 ký tự.)"
NO_OPEN = "Bạn không còn việc nào đang mở. Cảm ơn!"
THANKS = "Cảm ơn, đã nhận. Khi có tiến độ, bạn trả lời «xong <mã>», «đang làm 50% <mã>»…"
TOO_MANY = "Bạn gửi quá nhiều tin nhắn; vui lòng đợi một phút."
ERROR_TOAST = "Có lỗi"
NOT_LINKED_TOAST = "Tài khoản chưa được liên kết."
INVALID_BUTTON = "Nút không hợp lệ."
BUTTON_GONE = "Nút này không còn hiệu lực."
LINKED = (
    "Xin chào {name}! Tài khoản đã được liên kết; "
    "từ nay bạn nhận nhắc việc ở đây. Gõ /huongdan để xem cách trả lời."
)
GREETING = "Xin chào {name}! Gõ /huongdan để xem cách dùng."
UNKNOWN_COMMAND = "Không có lệnh /{name}. Gõ /huongdan để xem các lệnh."
NO_TASK = "Không tìm thấy việc mã {code}."
NOT_YOURS = "{code} do {units} thực hiện; bạn không cập nhật được việc này."
OTHER_UNITS = "đơn vị khác"
ALREADY_DONE = "{code} đã hoàn thành. Cảm ơn!"
NOT_UNDERSTOOD = (
    "Mình chưa hiểu ý bạn. Bạn có thể trả lời, ví dụ: «xong BDT22-I.1», «đang làm 60%», "
    "«vướng: chờ số liệu», «xin gia hạn đến 30/6» — hoặc gõ /viec để chọn việc."
)
UNREADABLE_DATE = "Mình chưa đọc được ngày. Vui lòng gõ dạng 30/6/2022."
NEW_DUE_TOO_EARLY = "Ngày xin gia hạn phải sau {floor}. Xin gia hạn {code} đến ngày nào?"
RECORDED_TOAST = "Đã ghi nhận"
BUNDLE_HEADING = "Nhắc việc:"
PREVIOUS_PAGE = "‹ Trước"
NEXT_PAGE = "Sau ›"
ITEMS_HINT = "Trả lời «xong <mã>», «đang làm 50% <mã>»… để cập nhật."
UPDATE_USAGE = "Cú pháp: /capnhat MÃ nội dung — ví dụ: /capnhat BDT22-I.1 đang làm 60%"
HISTORY_USAGE = "Cú pháp: /lichsu MÃ — ví dụ: /lichsu BDT22-I.1"
UNIT_USAGE = "Cú pháp: /donvi TÊN ĐƠN VỊ — ví dụ: /donvi van phong"
CONSOLE_NEEDS_NO_UNLINK = "Kênh console không cần hủy liên kết."
UNLINKED = "Đã hủy liên kết. Bạn sẽ không nhận nhắc việc ở đây nữa."
NOT_LINKED_HERE = "Tài khoản này chưa liên kết."
OWN_UNIT_ONLY = "Bạn chỉ xem được tổng hợp của đơn vị mình."
NOT_YOUR_PLAN = "Kế hoạch {plan} không thuộc phạm vi bạn phụ trách."
NOTHING_TO_REPORT = "Không có đơn vị nào còn việc phải báo cáo."
NO_PLAN_TO_REPORT = "Chưa có kế hoạch nào trong phạm vi bạn phụ trách để báo cáo."
NO_PENDING_EXTENSIONS = "Không có đề nghị gia hạn nào đang chờ duyệt."
PENDING_EXTENSIONS = "Đề nghị gia hạn chờ duyệt:"
APPROVE = "Duyệt #{id}"
REFUSE = "Từ chối #{id}"
LEADERS_DECIDE = "Chỉ lãnh đạo mới duyệt được đề nghị gia hạn."
NO_SUCH_REQUEST = "Không tìm thấy đề nghị gia hạn này."
NOBODY_TO_REMIND = "{code}: không còn ai cần nhắc (đã hoàn thành hoặc chưa có cán bộ)."
STATUS_BUTTONS = (
    ("d", "Hoàn thành"),
    ("p", "Đang thực hiện"),
    ("b", "Vướng mắc"),
    ("x", "Xin gia hạn"),
)
"""The four status buttons: (callback action, label)."""

HELP_INTRO = """Hướng dẫn Nhắc việc
• Trả lời tin nhắc việc, hoặc gõ kèm mã việc:
  «xong BDT22-I.1» · «đang làm 60% BDT22-I.1» · «vướng: chờ số liệu» · «xin gia hạn đến 30/6»"""
HELP_LEADERS = "Lệnh của lãnh đạo"


def help_text(general: Sequence[str], restricted: Sequence[str]) -> str:
    """``/huongdan``: how to answer, every officer's commands, then the leaders' if any.

    Each entry is a command's help (``bot/chat/registry.py``), one bullet per line.
    """
    lines = [HELP_INTRO, *_bullets(general)]
    if restricted:
        lines += [HELP_LEADERS, *_bullets(restricted)]
    return "\n".join(lines)


def _bullets(entries: Sequence[str]) -> list[str]:
    return [f"• {line}" for entry in entries for line in entry.splitlines()]


REMIND_USAGE = "Cú pháp: /nhacngay MÃ [gấp] — ví dụ: /nhacngay BDT22-I.1 (thêm «gấp» để gửi ngay)"
URGENT_WORDS = frozenset({"gap", "ngay"})
"""Words after ``/nhacngay CODE`` (without diacritics) that send it at night or on a day off."""


def reminded_text(code: str, officers: int, at: datetime, now: datetime) -> str:
    """What ``/nhacngay`` did: sent now, or held for the next working morning."""
    if at <= now:
        return f"Đã gửi nhắc {code} cho {officers} cán bộ."
    local = at.astimezone(TZ)
    return (
        f"Đã xếp nhắc {code} cho {officers} cán bộ; ngoài giờ làm việc nên tin sẽ gửi lúc "
        f"{local:%H:%M} ngày {vn_date(local.date())}. Gửi ngay: /nhacngay {code} gấp"
    )


PROMISE_WHICH = "Bạn hẹn cho việc nào? Gửi lại kèm mã, ví dụ «{code} mai nộp»."
SNOOZE_WHICH = (
    "Bạn muốn nhắc lại việc nào? Gõ «NHACLAI <mã> 2h», «NHACLAI <mã> mai» hoặc "
    "«NHACLAI <mã> thu 2» (ví dụ: NHACLAI {code} mai)."
)
SNOOZE_USAGE = "Cú pháp: /nhaclai MÃ 2h|mai|thu 2 — ví dụ: /nhaclai BDT22-I.1 mai"
SNOOZE_ASK = "Nhắc lại {code} khi nào?"
SNOOZE_BUTTON = "⏰ Nhắc lại sau"
SNOOZE_OPTIONS = (("2h", "2 giờ"), ("sm", "Sáng mai"), ("t2", "Thứ Hai"))
"""The snooze button's choices: callback option and label."""
PRESSED = "[nút {payload}]"
"""The audit's raw text of a button press."""


def snoozes_line(count: int) -> str:
    """The leader summary's last line: how often officers put reminders off lately."""
    return f"Hoãn nhắc («Nhắc lại sau») trong 7 ngày qua: {count} lượt."


def _local_time(at: datetime) -> str:
    local = at.astimezone(TZ)
    return f"{local:%H:%M} {vn_date(local.date())}"


def promised_text(code: str, promised: date, followup: datetime) -> str:
    """A promise recorded, and when the bot comes back if nothing is reported."""
    return (
        f"Đã ghi nhận hẹn: {code} xong ngày {vn_date(promised)}. Nếu chưa nhận được báo cáo, "
        f"bot sẽ nhắc lại lúc {_local_time(followup)}."
    )


def snoozed_text(code: str, until: datetime) -> str:
    """A snooze recorded: the one time the item comes back."""
    return f"Đã hoãn nhắc {code}: bot sẽ nhắc lại lúc {_local_time(until)}."


def snooze_past_due(code: str, due: date, until: datetime) -> str:
    """Refused: a snooze may not carry an item past its due date."""
    return (
        f"Không thể hoãn nhắc {code} đến {_local_time(until)} vì hạn là {vn_date(due)}. "
        f"Nếu cần thêm thời gian, hãy gửi «xin gia hạn {code} đến <ngày>»."
    )


def history_detail(update: StatusUpdate) -> str:
    """What an audit row adds to its state: the note, the promise, the snooze."""
    parts = []
    if update.kind == "acknowledged":
        parts.append("đã xem")
    if update.kind == "product":
        parts.append(f"gửi sản phẩm «{update.note}»")
    if update.expected_on is not None:
        parts.append(f"hẹn xong {vn_date(update.expected_on)}")
    if update.snoozed_until is not None:
        parts.append(f"hoãn nhắc đến {_local_time(update.snoozed_until)}")
    if update.note and update.kind not in ("acknowledged", "snooze", "product"):
        parts.append(f"«{short(update.note, 200)}»")
    return f" — {'; '.join(parts)}" if parts else ""


def items_heading(count: int, page: int, pages: int) -> str:
    """``/viec``'s first line: how many items are open, and which page this is."""
    where = f" (trang {page + 1}/{pages})" if pages > 1 else ""
    return f"Việc của bạn: {count} việc đang mở{where}"


CHOICE_CONTENT = 32
"""Characters of a task's content on a pick button: enough to tell tasks apart on a phone."""


def choice_label(item: WorkItem) -> str:
    """A button naming one item when the bot asks which one is meant: code, what, due."""
    due = f" · hạn {vn_date(item.due_on)}" if item.due_on else ""
    return f"{item.task_code} · {short(item.content, CHOICE_CONTENT)}{due}"


PICK_PREVIOUS = "‹ Trang trước"
PICK_NEXT = "Trang sau ›"


def ask_which(code: str, page: int, pages: int) -> str:
    """The pick menu's question, with the page shown when the items take several."""
    where = f"\nTrang {page + 1}/{pages}" if pages > 1 else ""
    return f"{ASK_WHICH.format(code=code)}{where}"


SHOWN_CODES = 10
"""Open items named when a code is asked back; /viec lists them all."""


PASTED_REMINDER = (
    "Đây là nội dung tin nhắc việc; bot chưa ghi nhận gì. Để báo cáo, trả lời một dòng "
    "ngắn kèm mã việc, ví dụ: «xong BDT22-I.1», «đang làm 50% BDT22-I.1», "
    "«vướng BDT22-I.1 chờ số liệu», «xin gia hạn BDT22-I.1 đến 30/6»."
)
SEVERAL_UNCLEAR = (
    "Tin nhắn nói về nhiều việc nhưng mình chưa rõ trạng thái của từng việc; chưa ghi nhận gì. "
    "Vui lòng gửi mỗi việc một dòng kèm mã, ví dụ: «xong BDT22-V.3» rồi «đang làm 30% BDT22-V.2»."
)


def unknown_code(code: str, open_codes: Sequence[str]) -> str:
    """A code that names none of the officer's items: asked back, nothing recorded."""
    head = f"Không tìm thấy việc mã {code} trong các việc của bạn; chưa ghi nhận gì."
    if not open_codes:
        return f"{head} Bạn không còn việc nào đang mở."
    shown = ", ".join(open_codes[:SHOWN_CODES])
    more = f" và {len(open_codes) - SHOWN_CODES} việc khác" if len(open_codes) > SHOWN_CODES else ""
    return f"{head} Các việc đang mở: {shown}{more}. Vui lòng gửi lại kèm đúng mã."


def closed_toast(item: WorkItem) -> str:
    """A press on a finished item's button: ``BDT22-I.1 đã hoàn thành.``"""
    return f"{item.task_code} đã {state_text(item.state).lower()}."


def bundle_line(item: WorkItem, today: date) -> str:
    """One task of a redrawn reminder: its state now and its due."""
    state = state_text(item.state, item.percent)
    return f"• {item.task_code} — {state} · hạn {due_text(item.due_on, today)}"


def extension_request_notice(
    officer_name: str, unit_name: str, code: str, new_due: date, reason: str | None
) -> str:
    """What leaders are told when an officer asks for more time."""
    why = f" Lý do: {reason}." if reason else ""
    return (
        f"{officer_name} ({unit_name}) xin gia hạn {code} đến {vn_date(new_due)}.{why} "
        "Gõ /giahan để duyệt."
    )


def decision_notice(code: str, until: date | None, approved: bool, leader_name: str) -> str:
    """What the officer is told of a leader's decision on their request."""
    verdict = "đã được duyệt" if approved else "không được duyệt"
    return f"Đề nghị gia hạn {code} đến {_until(until)} {verdict}. ({leader_name})"


def decision_verdict(approved: bool) -> str:
    """The toast a leader sees on pressing Duyệt / Từ chối."""
    return "Đã duyệt" if approved else "Đã từ chối"


def decision_done(approved: bool, request_id: int, code: str, until: date | None) -> str:
    """The leader's message, edited in place, once the request is decided."""
    return f"{decision_verdict(approved)} đề nghị #{request_id}: {code} đến {_until(until)}."


def _until(day: date | None) -> str:
    return vn_date(day) if day else "—"


def state_text(state: str, percent: int | None = None) -> str:
    """``Đang thực hiện 60%`` / ``Hoàn thành``."""
    label = STATE_LABELS.get(state, state)
    return f"{label} {percent}%" if state == "in_progress" and percent is not None else label


def due_text(day: date | None, today: date) -> str:
    """The due phrase, or a note that the task has no fixed date."""
    return due_phrase(day, today) if day is not None else "không có hạn cụ thể"


def item_line(item: WorkItem, today: date) -> str:
    """Two lines per item: code and the task's short content, then unit, due and state."""
    state = state_text(item.state, item.percent)
    return (
        f"{item.task_code} · {short(item.content)}\n"
        f"   {item.unit_name} · Hạn: {due_text(item.due_on, today)} · {state}"
    )


SHORT = 70
"""Characters of a task's content shown in a list: enough to recognise it, one line on a phone."""


def short(text: str, limit: int = SHORT) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def confirmation(recorded: RecordedUpdate, reason: str | None = None) -> str:
    """``Đã ghi nhận: BDT22-I.1 — Hoàn thành (đúng hạn).``"""
    state = state_text(recorded.state_after, recorded.percent)
    code = recorded.task_code
    if recorded.occurrence is not None:  # a recurring task: say which of its dues
        code = f"{code} (kỳ hạn {vn_date(recorded.occurrence)})"
    head = f"Đã ghi nhận: {code} — {state}"
    if not recorded.changed:
        return f"{recorded.task_code} vẫn là: {state} (không có gì thay đổi)."
    if recorded.state_after == "done":
        return f"{head} ({'trễ hạn' if recorded.late else 'đúng hạn'}). Cảm ơn!"
    if recorded.state_after == "blocked":
        return f"{head}: {reason or 'chưa rõ lý do'}."
    if recorded.state_after == "extension_requested":
        return f"{head} — chờ lãnh đạo duyệt."
    return f"{head}."


def extension_line(request: ExtensionRequest, code: str, officer_name: str) -> str:
    """One pending request: who, which task, to when, why."""
    until = vn_date(request.requested_due) if request.requested_due else "chưa rõ ngày"
    reason = f" — {request.reason}" if request.reason else ""
    return f"#{request.id} {code} · {officer_name}: đến {until}{reason}"


def history_text(code: str, updates: Sequence[StatusUpdate], names: dict[int, str]) -> str:
    """The audit of one task, newest first."""
    if not updates:
        return f"{code}: chưa có cập nhật nào."
    lines = [f"Lịch sử cập nhật {code}:"]
    for update in updates:
        when = update.created_at.astimezone(TZ).strftime("%d/%m/%Y %H:%M")
        who = names.get(update.officer_id or 0, "—")
        state = state_text(update.state_after or "", update.percent)
        lines.append(f"• {when} · {who} ({update.channel}): {state}{history_detail(update)}")
    return "\n".join(lines)


UNITS_SHOWN = 15
"""Units listed in /tonghop; a province has hundreds, a chat message holds 4,096 characters."""


def summary_scope(summary: Summary) -> str:
    """What a summary covers: the plan (code and short title), the unit, or everything."""
    plan = (
        f"Kế hoạch {summary.plan_code} «{short(summary.plan_title, 60)}»"
        if summary.plan_title
        else None
    )
    return " — ".join(part for part in (plan, summary.unit_name) if part) or "tất cả kế hoạch"


def summary_text(summary: Summary, today: date, limit: int = 10) -> str:
    """A leader's summary: tasks by state, on time / late, the overdue list, units behind."""
    counts = " · ".join(
        f"{STATE_LABELS[state]}: {count}" for state, count in summary.by_state.items() if count
    )
    lines = [
        f"Tổng hợp tiến độ — {summary_scope(summary)} ({vn_date(today)})",
        f"{summary.tasks} nhiệm vụ, {summary.assignments} lượt giao việc.",
        f"Nhiệm vụ theo báo cáo của đơn vị chủ trì: {counts}",
        f"Hoàn thành đúng hạn: {summary.done_on_time} · trễ hạn: {summary.done_late}",
    ]
    lines.append(overdue_text(summary.overdue, today, limit, summary.overdue_total))
    if summary.units and summary.unit_name is None:
        shown = summary.units[:UNITS_SHOWN]  # furthest behind first: one screen, not a census
        lines.append("Đơn vị chậm nhất trước (nhiều việc quá hạn, rồi tỷ lệ hoàn thành thấp):")
        lines += [unit_line(u) for u in shown]
        if len(summary.units) > UNITS_SHOWN:
            rest = len(summary.units) - UNITS_SHOWN
            lines.append(f"… và {rest} đơn vị khác (/donvi TÊN để xem một đơn vị)")
    return "\n".join(lines)


def unit_line(unit: UnitCompletion) -> str:
    """``• Ban Dân tộc: 1/7 (14%) · quá hạn 2``."""
    late = f" · quá hạn {unit.overdue}" if unit.overdue else ""
    return f"• {unit.unit_name}: {unit.done}/{unit.total} ({unit.percent}%){late}"


def overdue_text(
    items: Sequence[WorkItem], today: date, limit: int = 20, total: int | None = None
) -> str:
    """The lead units' overdue items, most overdue first, capped with a count of the rest;
    ``total`` when ``items`` is only the top the database sent."""
    total = len(items) if total is None else total
    if not total:
        return "Không có việc quá hạn."
    lines = [f"Quá hạn ({total}):"]
    for item in items[:limit]:
        state = state_text(item.state, item.percent)
        late = item.days_overdue(today)
        lines.append(f"• {item.task_code} · {item.unit_name}: quá hạn {late} ngày ({state})")
    if total > min(limit, len(items)):
        lines.append(f"… và {total - min(limit, len(items))} việc khác.")
    return "\n".join(lines)


# --- products officers send (bot/chat/products.py) ------------------------------------

PRODUCT_NO_TASK = (
    "Đã nhận tệp nhưng bạn không có việc nào đang mở để gắn sản phẩm. "
    "Gửi lại tệp kèm mã việc trong phần chú thích, ví dụ: BDT22-I.1."
)
PRODUCT_WHICH = (
    "Tệp «{name}» là sản phẩm của việc nào? Chọn một việc (tệp được giữ {hours} giờ, "
    "không cần gửi lại)."
)
PRODUCT_MORE = "Còn {count} việc khác: gõ mã việc để chọn."
PRODUCT_PARKED_GONE = "Tệp chờ gắn việc đã hết hạn hoặc đã được lưu; hãy gửi lại tệp kèm mã việc."
PRODUCT_STATUS_SKIPPED = "{code} đã đóng nên chỉ lưu sản phẩm, không ghi trạng thái."
PRODUCT_USAGE = "Cách dùng: /sanpham MÃ [SỐ], ví dụ /sanpham BDT22-I.1 hoặc /sanpham BDT22-I.1 2."
PRODUCT_NONE = "{code}: chưa có sản phẩm nào."
PRODUCT_NOT_ALLOWED = (
    "Bạn không xem được sản phẩm của {code}: chỉ lãnh đạo, quản trị, trưởng đơn vị thực hiện "
    "và người đã gửi sản phẩm mới xem được."
)
PRODUCT_NO_NUMBER = "{code} không có sản phẩm số {number} (có {count})."


def product_saved(code: str, name: str, duplicate: bool) -> str:
    """The confirmation of a product: stored, or recognised as one already received."""
    if duplicate:
        return f"Tệp «{name}» đã nhận trước đó cho {code}; không lưu thêm bản nữa."
    return f"Đã lưu sản phẩm «{name}» cho {code}. Lãnh đạo xem bằng /sanpham {code}."


def product_line(number: int, name: str, who: str, when: datetime) -> str:
    """One product in ``/sanpham``'s list: number, file name, who sent it and when."""
    return f"{number}. {name} · {who} · {when.astimezone(TZ).strftime('%d/%m/%Y %H:%M')}"


def product_caption(code: str, number: int, lines: Sequence[str]) -> str:
    """The caption of a sent product; with several, the list and how to get another."""
    if len(lines) == 1:
        return f"Sản phẩm của {code}: {lines[0].partition('. ')[2]}"
    listing = "\n".join(lines)
    return (
        f"Sản phẩm số {number} của {code} ({len(lines)} sản phẩm, mới nhất trước):\n{listing}\n"
        f"Gõ /sanpham {code} SỐ để nhận sản phẩm khác."
    )


def report_caption(subject: str, summary: str) -> str:
    """What /baocao says with its Word file: what the report is about, then its figures."""
    return f"Báo cáo {subject[:1].lower()}{subject[1:]}.\n{summary}"


REPORT_DOWNLOAD_PATH = "/bao-cao/tai-ve"
"""The web pages' download of a report (``bot/web/reports.py`` routes it)."""


def report_elsewhere(
    plan_code: str,
    fmt: str,
    unit: str | None,
    unit_id: int | None = None,
    pages_url: str | None = None,
) -> str:
    """Where to get the report on a channel that cannot send files: the web pages when
    this deployment serves them (after signing in with /web), else the command line."""
    if pages_url:
        unit_query = f"&don-vi={unit_id}" if unit_id is not None else ""
        url = f"{pages_url}{REPORT_DOWNLOAD_PATH}?ke-hoach={plan_code}&loai={fmt}{unit_query}"
        return f"Tải tệp trên trang web (đăng nhập bằng /web): {url}"
    unit_option = f' --unit "{unit}"' if unit else ""
    return (
        f"Lấy tệp trên máy chủ bằng lệnh: nhacviec report {plan_code} --format {fmt}{unit_option}"
    )


WEB_OFF = "Trang web chưa có địa chỉ công khai trên máy chủ này (WEB_URL); hãy hỏi quản trị viên."


def web_link_text(url: str, minutes: int) -> str:
    """The answer to ``/web``: the link, how long it lasts, and that it is theirs alone."""
    return (
        f"Liên kết đăng nhập trang web Nhắc việc (dùng một lần, hiệu lực {minutes} phút):\n"
        f"{url}\nKhông chuyển liên kết này cho người khác: ai mở nó sẽ đăng nhập bằng tên bạn."
    )
