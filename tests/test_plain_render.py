"""Items carrying a multi-line note read as one block in plain text (console, Zalo).

The demo's scheduled "who has not reported" message printed a bare "1." and only
the note's first line indented; a digest's later lines fell back to the margin.
"""

from __future__ import annotations

from datetime import date

from bot.reminder_words import plain_body
from scheduler.sender import Bundle, ReminderItem

TODAY = date(2022, 7, 1)


def _body(*items: ReminderItem) -> list[str]:
    return plain_body(Bundle(1, "Phạm Quốc Bảo", "console", "1", TODAY, items)).splitlines()[2:]


def test_a_message_of_its_own_heads_its_item_and_the_rest_is_indented() -> None:
    note = "Chưa báo cáo — Kế hoạch BDT22\n2/7 đơn vị chưa báo cáo:\n• Văn phòng (2 việc đang mở)"
    item = ReminderItem(1, "report_due", None, "", None, None, note=note)
    assert _body(item) == [
        "1. Chưa báo cáo — Kế hoạch BDT22",
        "   2/7 đơn vị chưa báo cáo:",
        "   • Văn phòng (2 việc đang mở)",
    ]


def test_every_line_of_a_digest_stays_under_its_heading() -> None:
    note = "Quá hạn: 1\n  • BDT22-V.1 · UBND — quá hạn 4 ngày\nĐến hạn tuần này: 0"
    item = ReminderItem(2, "digest", None, "", None, None, note=note)
    assert _body(item) == [
        "1. Tổng hợp:",
        "   Quá hạn: 1",
        "     • BDT22-V.1 · UBND — quá hạn 4 ngày",
        "   Đến hạn tuần này: 0",
    ]
