"""Reading and checking ``Policy`` settings, typed or as typed on the command line.

A secretary writes ``nhacviec policy set send_time 8h30`` or ``digest_weekday
"thứ 2"``; stored settings come back from JSON. ``PARSERS`` has one parser per
``Policy`` field: it accepts either form, returns the typed value, and raises
``PolicyError`` with a Vietnamese message saying what it wanted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time

from data.deadlines import parse_deadline
from data.text import fold


class PolicyError(ValueError):
    """A setting that cannot be accepted; the message is shown to the user as is."""


_Parser = Callable[[str, object], object]
_TIME = re.compile(r"(\d{1,2})\s*[:hg]\s*(\d{2})?")
_SPLIT = re.compile(r"[,;\s]+")
_TRUE = {"true", "1", "yes", "co", "bat"}
_FALSE = {"false", "0", "no", "khong", "tat"}
_WEEKDAYS = {"cn": 6, "chunhat": 6} | {
    name: index
    for index, (digit, word) in enumerate(
        zip("234567", ("hai", "ba", "tu", "nam", "sau", "bay"), strict=True)
    )
    for name in (f"t{digit}", f"thu{digit}", f"thu{word}")
}


def _integer(key: str, value: object, low: int, high: int, hint: str) -> int:
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PolicyError(f"{key}: cần {hint}; nhận được “{value}”.")
    return value


def _int_in(low: int, high: int) -> _Parser:
    def parse(key: str, value: object) -> int:
        return _integer(key, value, low, high, f"số nguyên từ {low} đến {high}")

    return parse


def _offsets(key: str, value: object) -> tuple[int, ...]:
    items = [i for i in _SPLIT.split(value.strip()) if i] if isinstance(value, str) else value
    hint = "danh sách số ngày làm việc (0 đến 365), ví dụ “14,7,3,1,0”"
    if not isinstance(items, list | tuple):
        raise PolicyError(f"{key}: cần {hint}; nhận được “{value}”.")
    return tuple(sorted({_integer(key, i, 0, 365, hint) for i in items}, reverse=True))


def _clock_time(key: str, value: object) -> time:
    if isinstance(value, time):
        return value
    match = _TIME.fullmatch(fold(value)) if isinstance(value, str) else None
    if match and int(match[1]) < 24 and int(match[2] or 0) < 60:
        return time(int(match[1]), int(match[2] or 0))
    raise PolicyError(f"{key}: cần giờ dạng HH:MM, ví dụ “08:00”; nhận được “{value}”.")


def _boolean(key: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    word = fold(value) if isinstance(value, str) else None
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise PolicyError(f"{key}: cần “có” hoặc “không”; nhận được “{value}”.")


def _weekday(key: str, value: object) -> int:
    if isinstance(value, str) and fold(value).replace(" ", "") in _WEEKDAYS:
        return _WEEKDAYS[fold(value).replace(" ", "")]
    hint = "thứ trong tuần: 0 (thứ Hai) đến 6 (Chủ nhật), hoặc “thứ 2”…“thứ 7”, “CN”"
    return _integer(key, value, 0, 6, hint)


def _checkin_mode(key: str, value: object) -> str:
    if value in ("monthly", "off"):
        return str(value)
    raise PolicyError(f"{key}: cần “monthly” (hằng tháng) hoặc “off” (tắt); nhận được “{value}”.")


def _deadline_text(key: str, value: object) -> str:
    """A deadline as a plan writes it, kept as text; it must read as dates, not ``unparsed``."""
    text = " ".join(value.split()) if isinstance(value, str) else None
    if text == "":
        return text
    if text is not None and all(o.kind != "unparsed" for o in parse_deadline(text)):
        return text
    raise PolicyError(
        f"{key}: cần một thời hạn đọc được, ví dụ “Trước ngày 15 hằng tháng”; nhận được “{value}”."
    )


PARSERS: dict[str, _Parser] = {
    "offsets_lead": _offsets,
    "offsets_coordinate": _offsets,
    "send_time": _clock_time,
    "quiet_start": _clock_time,
    "quiet_end": _clock_time,
    "checkin_min_window_days": _int_in(1, 3660),
    "overdue_first": _int_in(1, 60),
    "overdue_every": _int_in(1, 60),
    "overdue_max": _int_in(0, 100),
    "escalate_head_after": _int_in(0, 100),
    "escalate_leader_after_days": _int_in(1, 365),
    "digest_weekday": _weekday,
    "digest_time": _clock_time,
    "horizon_days": _int_in(1, 732),
    "continuous_checkin": _checkin_mode,
    "before_is_previous_day": _boolean,
    "reporting_deadline": _deadline_text,
}


def dump(value: object) -> object:
    """The JSON form of a parsed value: times as "HH:MM", offsets as lists."""
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, tuple):
        return list(value)
    return value
