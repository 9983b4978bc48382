"""The words of a reminder, shared by every channel's renderer.

``scheduler/`` hands a ``Bundle`` of plain data; each channel lays it out its own
way (Telegram: HTML and buttons, Zalo: commands to type, console: plain text), but
the words an officer reads are the same everywhere, so they live here once.
Everything returned is plain text: a renderer escapes it for its own markup.
"""

from __future__ import annotations

from datetime import date

from data.vn_dates import vn_weekday_date
from scheduler.sender import Bundle, ReminderItem

TITLE = "Nhắc việc"
DUE_LABEL = "Hạn"
FOOTER = "Trả lời: “xong <mã>”, “đang làm 50% <mã>”, “vướng: …” hoặc “xin gia hạn đến 30/6”."
"""How to answer in words; a channel with buttons or typed commands adds its own."""

HEADINGS = {
    "overdue": "QUÁ HẠN",
    "escalation": "Báo cáo chậm trễ",
    "checkin": "Cập nhật tiến độ",
    "on_day": "Đến hạn hôm nay",
    "digest": "Tổng hợp",
    "followup": "Theo hẹn",
    "snooze": "Nhắc lại",
}
"""Why an item is sent, shown before it; a plain "before" reminder needs none."""
ROLES = {"lead": "chủ trì", "coordinate": "phối hợp"}
ACTIONABLE = frozenset({"before", "on_day", "checkin", "overdue", "manual", "followup", "snooze"})
"""Kinds about the recipient's own work: only these invite an answer (buttons, commands)."""
REASONS = {
    "unreachable": "không nhận được nhắc việc (đã chặn bot hoặc tài khoản không còn)",
    "unreported": "Quá hạn, chưa báo cáo — kỳ sau đã đến hạn.",
}
"""What ``ReminderItem.reason`` says, in words."""
PROMISED_LABEL = "Đã hẹn xong"
ASKED = frozenset({"followup", "snooze"})
"""Kinds the officer's own words asked for: they show the date the officer promised."""


def greeting(name: str) -> str:
    """``Kính gửi Nguyễn Văn A,`` — the first line of every reminder."""
    return f"Kính gửi {name},"


def dated_title(today: date, separator: str = " ") -> str:
    """``Nhắc việc Thứ Hai, 28/03/2022``; Telegram puts an em dash between the two."""
    return f"{TITLE}{separator}{vn_weekday_date(today)}"


def heading(kind: str) -> str | None:
    """The item's heading (``QUÁ HẠN``), or None for an ordinary reminder."""
    return HEADINGS.get(kind)


def is_actionable(item: ReminderItem) -> bool:
    """Whether the item is the recipient's own task, so an answer about it makes sense."""
    return item.kind in ACTIONABLE and bool(item.task_code)


def footer(bundle: Bundle) -> str | None:
    """How to answer, only when the bundle holds the recipient's own work: a leader's
    digest, escalation or notice asks nothing of them, so it carries no reply footer."""
    return FOOTER if any(is_actionable(item) for item in bundle.items) else None


def note_of(item: ReminderItem) -> str:
    """The item's free text: its reason in words, else the note it carries."""
    return REASONS.get(item.reason or "", item.note)


def subject_line(item: ReminderItem, note: str) -> str | None:
    """An escalation's ``Cán bộ/đơn vị: … — note``; None for other items, and when the
    subject is the item's unit, which the unit line already names."""
    if item.kind != "escalation" or not item.subject or item.subject == item.unit:
        return None
    return f"Cán bộ/đơn vị: {item.subject}{' — ' + note if note else ''}"


def unit_line(item: ReminderItem) -> str | None:
    """``Đơn vị: Ban Dân tộc (chủ trì)``; None when the item names no unit."""
    if not item.unit:
        return None
    role = ROLES.get(item.role or "")
    return f"Đơn vị: {item.unit}{f' ({role})' if role else ''}"


def promised_line(item: ReminderItem) -> str | None:
    """``Đã hẹn xong: Thứ Tư, 30/03/2022`` on a follow-up or a snooze whose officer
    promised a date; None otherwise (an ordinary reminder would show a stale promise)."""
    if item.kind not in ASKED or item.promised is None:
        return None
    return f"{PROMISED_LABEL}: {vn_weekday_date(item.promised)}"


def due_phrase(due: date, today: date) -> str:
    """``Thứ Năm, 31/03/2022 — còn 3 ngày`` / ``— hạn hôm nay`` / ``— quá hạn 2 ngày``."""
    days = (due - today).days
    if days > 0:
        left = f"còn {days} ngày"
    elif days == 0:
        left = "hạn hôm nay"
    else:
        left = f"quá hạn {-days} ngày"
    return f"{vn_weekday_date(due)} — {left}"


def plain_body(bundle: Bundle) -> str:
    """The bundle as plain text without a footer: the console prints it, Zalo sends it."""
    lines = [greeting(bundle.recipient_name), f"{dated_title(bundle.today)}:"]
    for number, item in enumerate(bundle.items, start=1):
        lines += _plain_item(number, item, bundle.today)
    return "\n".join(lines)


def _plain_item(number: int, item: ReminderItem, today: date) -> list[str]:
    title = heading(item.kind)
    code = f"[{item.task_code}] " if item.task_code else ""
    head = f"{title + ': ' if title else ''}{code}{item.content}".rstrip()
    note = note_of(item)
    notes = (subject_line(item, note) or note).splitlines()
    if not head and notes:  # a message of its own ("who has not reported"): it heads the item
        head, notes = notes[0], notes[1:]
    # Every line of a note under the item, not only its first (a digest's, a report's).
    lines = [f"{number}. {head}".rstrip(), *(f"   {line}" for line in notes)]
    unit = unit_line(item)
    if unit:
        lines.append(f"   {unit}")
    if item.due is not None:
        lines.append(f"   {DUE_LABEL}: {due_phrase(item.due, today)}")
    promised = promised_line(item)
    if promised:
        lines.append(f"   {promised}")
    return lines
