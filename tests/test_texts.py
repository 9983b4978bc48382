"""Leaders' summaries stay one chat message, however large the province."""

from __future__ import annotations

from datetime import date

from bot.chat.texts import UNITS_SHOWN, summary_text
from data.work_items import Summary, UnitCompletion


def test_a_summary_of_hundreds_of_units_lists_the_furthest_behind_only() -> None:
    units = tuple(UnitCompletion(f"UBND xã số {n:03d}", 10, n % 10) for n in range(400))
    summary = Summary(
        plan_title="Kế hoạch tỉnh",
        unit_name=None,
        total=4000,
        by_state={"not_started": 2200, "done": 1800},
        done_on_time=1700,
        done_late=100,
        overdue=(),
        units=tuple(sorted(units, key=lambda u: (u.percent, u.unit_name))),
    )
    text = summary_text(summary, date(2026, 3, 2))
    assert len(text) < 4096
    assert text.count("\n• UBND xã số") == UNITS_SHOWN
    assert f"… và {400 - UNITS_SHOWN} đơn vị khác" in text
    assert "UBND xã số 000: 0/10 (0%)" in text
