"""Dates the way Vietnamese officers read them: ``Thứ Năm, 31/03/2022``.

Shared by every place that shows a date to a person (CLI, console, Telegram, Zalo),
so a reminder reads the same on every channel.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
"""Vietnam's time zone: every wall-clock time in the product is read in it."""

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def vn_date(day: date) -> str:
    """``31/03/2022`` — the way dates are written in Vietnamese documents."""
    return day.strftime("%d/%m/%Y")


def vn_weekday_date(day: date) -> str:
    """``Thứ Năm, 31/03/2022``."""
    return f"{WEEKDAYS[day.weekday()]}, {vn_date(day)}"
