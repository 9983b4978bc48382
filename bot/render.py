"""Plans and dues as a person wants to read them in a terminal (rich tables).

Rendering works from the ``plan show --json`` document, so what people see and
what scripts read can never disagree.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.table import Table
from rich.text import Text

from bot.i18n import t
from data.vn_dates import vn_date
from scheduler.policy import UNREPORTED


def _due_label(due: dict[str, Any]) -> str:
    if due["due"] is None:
        return f"— ({t('no_due')}: {t('due_' + due['kind'])})"
    day = vn_date(date.fromisoformat(due["due"]))
    if due["kind"] == "recurring":
        return f"{day} ↻ {due['rule']}"
    if due["start"] and due["kind"] in ("range", "period"):
        return f"{vn_date(date.fromisoformat(due['start']))} → {day}"
    return day


def _units_label(units: list[dict[str, str]]) -> Text:
    label = Text()
    for i, unit in enumerate(units):
        if i:
            label.append("\n")
        label.append(unit["name"])
        if unit["role"] == "coordinate":
            label.append(f" ({t('coordinate')})", style="dim")
    return label


def plan_table(document: dict[str, Any]) -> Table:
    """One table: a bold row per section, then its tasks with units and parsed dues."""
    plan = document["plan"]
    caption = f"Số: {plan['number'] or '…'} · {plan['source']}"
    if plan["version"] > 1:
        caption += f" · {t('plan_version', version=plan['version'])}"
    table = Table(title=plan["title"], caption=caption, show_lines=False, expand=False)
    table.add_column(t("col_code"), no_wrap=True, style="cyan")
    table.add_column(t("col_task"), ratio=5, overflow="fold")
    table.add_column(t("col_units"), ratio=3)
    table.add_column(t("col_deadline"), ratio=2)
    table.add_column(t("col_dues"), no_wrap=True, style="green")
    for section in document["sections"]:
        table.add_section()
        table.add_row("", Text(f"{section['number']}. {section['title']}", style="bold"))
        for task in section["tasks"]:
            dues = "\n".join(_due_label(d) for d in task["dues"])
            removed = task["removed_in"]
            table.add_row(
                task["code"],
                t("removed_task", version=removed, content=task["content"])
                if removed
                else task["content"],
                _units_label(task["units"]),
                task["deadline_text"],
                dues,
            )
    return table


def plan_summary(document: dict[str, Any]) -> str:
    """One line of counts, the first thing to check after an import."""
    tasks = [
        task
        for section in document["sections"]
        for task in section["tasks"]
        if not task["removed_in"]  # dropped by an amended version: no longer counted
    ]
    dues = [due for task in tasks for due in task["dues"]]
    units = {unit["name"] for task in tasks for unit in task["units"]}
    return t(
        "summary",
        sections=len(document["sections"]),
        tasks=len(tasks),
        dues=len(dues),
        dated=sum(1 for due in dues if due["due"]),
        units=len(units),
    )


def slot_label(kind: str, slot: str) -> str:
    """Why a reminder is sent, in words: "trước 3 ngày làm việc", "quá hạn (lần 2)" …"""
    name, _, number = slot.partition("@")[0].rpartition("-")
    if kind == "before" and number.isdigit():
        return f"trước {number} ngày làm việc"
    if kind == "overdue" and number.isdigit():
        return f"quá hạn (lần {number})"
    if kind == "overdue" and slot.startswith(UNREPORTED):
        return "quá hạn, chưa báo cáo"  # a newer occurrence came due (scheduler.policy)
    fixed = {
        "on_day": "đến hạn hôm nay",
        "digest": "tổng hợp tuần",
        "manual": "lãnh đạo nhắc",
        "checkin": "hỏi tiến độ",
    }
    if kind == "escalation":
        return "báo lãnh đạo" if "leader" in slot else "báo trưởng đơn vị"
    return fixed.get(kind, name or kind)
