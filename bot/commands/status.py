"""``nhacviec status``: the numbers of ``/metrics``, for a person at a terminal.

Read from the database, so it tells the truth of every instance, even with none
running. Send latency is measured inside each running process: only ``/metrics``
has it.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from bot.commands.runner import console, in_session, run
from scheduler.clock import TZ, SystemClock
from scheduler.metrics import NO_CHANNEL, OutboxSnapshot, collect

STATES = {
    "planned": "Đã lập lịch",
    "pending": "Chờ gửi",
    "sending": "Đang gửi",
    "sent": "Đã gửi",
    "failed": "Lỗi",
    "cancelled": "Đã hủy",
}
KINDS = {
    "before": "trước hạn",
    "on_day": "đến hạn",
    "checkin": "hỏi tiến độ",
    "overdue": "quá hạn",
    "escalation": "báo cấp trên",
    "digest": "tổng hợp tuần",
    "manual": "lãnh đạo nhắc",
    "notice": "thông báo",
}
CHANNELS = {NO_CHANNEL: "chưa chọn kênh", "console": "màn hình"}


def duration(seconds: float) -> str:
    """``2 ngày 3 giờ``, ``5 phút 10 giây``: the two largest units are enough to act on."""
    parts: list[str] = []
    left = int(seconds)
    for size, unit in ((86400, "ngày"), (3600, "giờ"), (60, "phút"), (1, "giây")):
        if left >= size or (size == 1 and not parts):
            parts.append(f"{left // size} {unit}")
            left %= size
    return " ".join(parts[:2])


def _table(
    title: str, heading: str, rows: dict[str, dict[str, int]], names: dict[str, str]
) -> Table:
    table = Table(title=title)
    table.add_column(heading)
    for label in STATES.values():
        table.add_column(label, justify="right")
    total: dict[str, int] = {}
    for name, counts in rows.items():
        table.add_row(names.get(name, name), *(str(counts.get(s, 0)) for s in STATES))
        for state, count in counts.items():
            total[state] = total.get(state, 0) + count
    table.add_row("Tổng", *(str(total.get(s, 0)) for s in STATES), style="bold")
    return table


def _by_channel(counts: dict[str, int]) -> str:
    return ", ".join(f"{CHANNELS.get(c, c)} {n}" for c, n in sorted(counts.items())) or "0"


def show(snapshot: OutboxSnapshot) -> None:
    """Print the snapshot as two tables and a few lines."""
    console.print(_table("Nhắc việc theo kênh", "Kênh", snapshot.totals("channel"), CHANNELS))
    console.print(_table("Nhắc việc theo loại", "Loại", snapshot.totals("kind"), KINDS))
    waiting = (
        f", mục lâu nhất đã chờ {duration(snapshot.oldest_due_age)}" if snapshot.queue_depth else ""
    )
    console.print(f"Hàng đợi đến hạn: {snapshot.queue_depth} mục{waiting}.")
    last = snapshot.last_sent_at
    console.print(
        f"Lần gửi gần nhất: {last.astimezone(TZ):%H:%M %d/%m/%Y}." if last else "Chưa gửi tin nào."
    )
    console.print(f"Tin nhận được (còn lưu): {_by_channel(dict(snapshot.updates_received))}.")
    console.print(f"Cập nhật tiến độ đã ghi: {_by_channel(dict(snapshot.status_updates))}.")


def as_json(snapshot: OutboxSnapshot) -> dict[str, Any]:
    """The snapshot for scripts: the same names as the Prometheus metrics."""
    last = snapshot.last_sent_at
    return {
        "now": snapshot.now.isoformat(),
        "reminders": [
            {"state": s, "kind": k, "channel": c, "count": n}
            for (s, k, c), n in sorted(snapshot.reminders.items())
        ],
        "by_channel": snapshot.totals("channel"),
        "queue_depth": snapshot.queue_depth,
        "queue_oldest_due_age_seconds": snapshot.oldest_due_age,
        "last_sent_at": last.isoformat() if last else None,
        "updates_received": dict(snapshot.updates_received),
        "status_updates": dict(snapshot.status_updates),
    }


def status_command(
    json_output: Annotated[bool, typer.Option("--json", help="In dạng JSON")] = False,
) -> None:
    """Số liệu của dịch vụ: nhắc việc đã lập lịch, đã gửi, lỗi, hàng đợi, tin nhận được."""
    now = SystemClock().now()
    snapshot = run(in_session(lambda session: collect(session, now), commit=False))
    if json_output:
        typer.echo(json.dumps(as_json(snapshot), ensure_ascii=False, indent=2))
    else:
        show(snapshot)
