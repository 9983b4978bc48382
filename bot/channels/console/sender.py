"""A ``Sender`` that prints bundles: the demo's and a developer's channel, no token needed.

It accepts officers with no linked chat (``accepts_unlinked``; the address is
the officer's name) so a fresh database can be played through end to end.
Output is plain Vietnamese text, the same words an officer would read in a chat.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import TextIO

from rich.console import Console

from data.vn_dates import due_phrase, vn_weekday_date
from scheduler.sender import Bundle, ReminderItem

_HEADINGS = {
    "overdue": "QUÁ HẠN",
    "escalation": "Báo cáo chậm trễ",
    "checkin": "Cập nhật tiến độ",
    "on_day": "Đến hạn hôm nay",
    "digest": "Tổng hợp",
}
_ROLES = {"lead": "chủ trì", "coordinate": "phối hợp"}
FOOTER = "Trả lời: “xong <mã>”, “đang làm 50% <mã>”, “vướng: …” hoặc “xin gia hạn đến 30/6”."


def _line(number: int, item: ReminderItem, today: date) -> list[str]:
    heading = _HEADINGS.get(item.kind)
    code = f"[{item.task_code}] " if item.task_code else ""
    first = f"{number}. {heading + ': ' if heading else ''}{code}{item.content}".rstrip()
    lines = [first]
    if item.kind == "escalation" and item.subject:
        lines.append(f"   Cán bộ/đơn vị: {item.subject}{' — ' + item.note if item.note else ''}")
    elif item.note:
        lines.append(f"   {item.note}")
    if item.unit:
        role = _ROLES.get(item.role or "")
        lines.append(f"   Đơn vị: {item.unit}{f' ({role})' if role else ''}")
    if item.due is not None:
        lines.append(f"   Hạn: {due_phrase(item.due, today)}")
    return lines


def render_bundle(bundle: Bundle) -> str:
    """The whole message as plain text, items numbered in the bundle's order."""
    lines = [f"Kính gửi {bundle.recipient_name},", f"Nhắc việc {vn_weekday_date(bundle.today)}:"]
    for number, item in enumerate(bundle.items, start=1):
        lines += _line(number, item, bundle.today)
    lines.append(FOOTER)
    return "\n".join(lines)


class ConsoleSender:
    """Prints each bundle to a rich ``Console`` or a text stream; message ids count up."""

    channel = "console"
    accepts_unlinked = True

    def __init__(self, out: Console | TextIO | None = None) -> None:
        self._out = out if out is not None else sys.stdout
        self._count = 0

    async def send(self, bundle: Bundle) -> str:
        """Print ``bundle`` and return ``console-<n>``; never fails."""
        text = render_bundle(bundle)
        header = f"── {bundle.channel} → {bundle.address} ──"
        if isinstance(self._out, Console):
            self._out.print(header, text, sep="\n", markup=False, highlight=False)
        else:
            self._out.write(f"{header}\n{text}\n")
        self._count += 1
        return f"console-{self._count}"
