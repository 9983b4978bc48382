"""The words of a reminder: one module of ``bot/`` that every channel's renderer uses."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

from bot.channels.console.sender import render_bundle
from bot.channels.telegram.render import bundle_parts
from bot.channels.zalo.render import render_reminder
from bot.reminder_words import FOOTER, due_phrase
from scheduler.sender import Bundle, ReminderItem

TODAY = date(2022, 3, 28)
ROOT = Path(__file__).resolve().parent.parent


def test_it_renders_due_dates_in_vietnamese() -> None:
    assert due_phrase(date(2022, 3, 31), TODAY) == "Thứ Năm, 31/03/2022 — còn 3 ngày"
    assert due_phrase(date(2022, 3, 26), TODAY) == "Thứ Bảy, 26/03/2022 — quá hạn 2 ngày"
    assert due_phrase(TODAY, TODAY) == "Thứ Hai, 28/03/2022 — hạn hôm nay"
    item = ReminderItem(7, "overdue", "KH-II.3", "Báo cáo sơ kết", "Sở Y tế", date(2022, 3, 26))
    text = render_bundle(Bundle(1, "Nguyễn Văn A", "console", "A", TODAY, (item,)))
    assert text.splitlines()[:3] == [
        "Kính gửi Nguyễn Văn A,",
        "Nhắc việc Thứ Hai, 28/03/2022:",
        "1. QUÁ HẠN: [KH-II.3] Báo cáo sơ kết",
    ]
    assert "   Hạn: Thứ Bảy, 26/03/2022 — quá hạn 2 ngày" in text
    assert text.endswith(FOOTER)


def test_every_channel_says_the_same_words() -> None:
    item = ReminderItem(
        3, "escalation", "KH-I.1", "Tổ chức hội nghị", "Sở Y tế", TODAY, "lead", subject="Lê A"
    )
    bundle = Bundle(1, "Trần B", "x", "1", TODAY, (item,))
    telegram = "\n".join(part.html for part in bundle_parts(bundle))
    for text in (render_bundle(bundle), render_reminder(bundle), telegram):
        assert "Kính gửi Trần B," in text
        assert "Báo cáo chậm trễ" in text
        assert "Cán bộ/đơn vị: Lê A" in text
        assert "Đơn vị: Sở Y tế (chủ trì)" in text
        assert "Thứ Hai, 28/03/2022 — hạn hôm nay" in text


def test_an_escalation_about_a_unit_names_it_once() -> None:
    item = ReminderItem(
        3, "escalation", "KH-I.1", "Tổ chức hội nghị", "Sở Y tế", TODAY, "lead", subject="Sở Y tế"
    )
    text = render_bundle(Bundle(1, "Trần B", "x", "1", TODAY, (item,)))
    assert "Cán bộ/đơn vị" not in text
    assert text.count("Sở Y tế") == 1


def test_the_reason_of_an_item_is_put_in_words_by_the_bot_not_the_scheduler() -> None:
    item = ReminderItem(
        3,
        "escalation",
        "KH-I.1",
        "Tổ chức hội nghị",
        "Sở Y tế",
        TODAY,
        subject="Lê A",
        reason="unreachable",
    )
    bundle = Bundle(1, "Trần B", "x", "1", TODAY, (item,))
    telegram = "\n".join(part.html for part in bundle_parts(bundle))
    for text in (render_bundle(bundle), render_reminder(bundle), telegram):
        assert "Cán bộ/đơn vị: Lê A — không nhận được nhắc việc" in text


def _private_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(ROOT)}: {node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot.")
        for alias in node.names
        if alias.name.startswith("_")
    ]


def test_no_module_of_bot_imports_another_ones_private_names() -> None:
    found = [hit for path in sorted((ROOT / "bot").rglob("*.py")) for hit in _private_imports(path)]
    assert found == []
