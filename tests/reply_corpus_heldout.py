"""Issue 12's held-out phrases: written before the parser learnt promises, snoozes,
negated blockages and forwarding, and never tuned to it afterwards.

Real chat phrasing of the kinds the issue names (promises with a date, "không có
gì vướng", "đã trình ký, chờ phát hành", "đã chuyển phòng X xử lý", plain
acknowledgements, "nhắc lại sau 2 ngày", notes). Each phrase comes with the
``Reply`` fields it should get; fields not named are expected empty. Every phrase
is read on ``TODAY`` (Thursday 14/5/2026, as ``tests/reply_corpus.py``).

``promised`` is the date the officer promises the work for; ``snooze`` is
``(unit, amount)``: ``("hour", 2)`` two hours, ``("day", 1)`` tomorrow morning,
``("weekday", 0)`` next Monday morning.

Conventions decided before writing: "cuối tuần" is the last working day of this
week (Friday 15/5), "đầu tuần sau" next Monday, "tuần sau" next Friday (as the
extension dates read it), a bare "mai"/"chiều nay" the named day. A bare "không
có gì vướng" reports no obstacle and no state change: acknowledged.
"""

from __future__ import annotations

import datetime
from typing import Any

TODAY = datetime.date(2026, 5, 14)


def _d(day: int, month: int = 5, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, day)


Expected = dict[str, Any]

PROMISES: tuple[tuple[str, Expected], ...] = (
    ("mai nộp", {"state": "acknowledged", "promised": _d(15)}),
    ("mai em nộp anh nhé", {"state": "acknowledged", "promised": _d(15)}),
    ("thứ 6 gửi", {"state": "acknowledged", "promised": _d(15)}),
    ("Dạ thứ 6 em gửi ạ", {"state": "acknowledged", "promised": _d(15)}),
    ("cuối tuần xong", {"state": "acknowledged", "promised": _d(15)}),
    ("cuoi tuan e gui a", {"state": "acknowledged", "promised": _d(15)}),
    ("đầu tuần sau em gửi", {"state": "acknowledged", "promised": _d(18)}),
    ("Dạ đầu tuần sau em nộp báo cáo ạ", {"state": "acknowledged", "promised": _d(18)}),
    ("thứ 3 tuần sau em nộp", {"state": "acknowledged", "promised": _d(19)}),
    ("chiều nay em gửi anh", {"state": "acknowledged", "promised": _d(14)}),
    ("sáng mai em nộp bản cứng", {"state": "acknowledged", "promised": _d(15)}),
    ("ngày 20/5 em nộp ạ", {"state": "acknowledged", "promised": _d(20)}),
    ("em sẽ gửi trước 25/5", {"state": "acknowledged", "promised": _d(25)}),
    ("tuần sau em gửi ạ", {"state": "acknowledged", "promised": _d(22)}),
    ("Em đang làm, mai xong ạ", {"state": "in_progress", "promised": _d(15)}),
    ("đang tổng hợp, thứ 6 nộp", {"state": "in_progress", "promised": _d(15)}),
    ("được 80% rồi, cuối tuần em gửi", {"state": "in_progress", "percent": 80, "promised": _d(15)}),
    ("dag lam, dau tuan sau nop a", {"state": "in_progress", "promised": _d(18)}),
    ("BDT22-I.1 mai nộp", {"state": "acknowledged", "task_code": "BDT22-I.1", "promised": _d(15)}),
)

NEGATIONS: tuple[tuple[str, Expected], ...] = (
    ("không có gì vướng", {"state": "acknowledged"}),
    ("Dạ không có gì vướng ạ", {"state": "acknowledged"}),
    ("chưa có vướng mắc gì", {"state": "acknowledged"}),
    ("không vướng gì anh ạ", {"state": "acknowledged"}),
    ("ko co vuong mac gi a", {"state": "acknowledged"}),
    ("không có khó khăn gì ạ", {"state": "acknowledged"}),
    ("đang làm, không có gì vướng", {"state": "in_progress"}),
    ("em đang triển khai bình thường, chưa có vướng mắc gì", {"state": "in_progress"}),
    ("không vướng, được 60% rồi ạ", {"state": "in_progress", "percent": 60}),
)

FORWARDING: tuple[tuple[str, Expected], ...] = (
    ("đã trình ký, chờ phát hành", {"state": "in_progress"}),
    ("Dạ em đã trình ký rồi, đang chờ phát hành ạ", {"state": "in_progress"}),
    ("đã chuyển phòng Tổ chức xử lý", {"state": "in_progress"}),
    ("em đã chuyển phòng Kế hoạch xử lý rồi ạ", {"state": "in_progress"}),
    ("đã chuyển văn thư phát hành", {"state": "in_progress"}),
    ("đã gửi dự thảo xin ý kiến các sở", {"state": "in_progress"}),
    ("Em đã gửi dự thảo xin ý kiến góp ý rồi ạ", {"state": "in_progress"}),
    ("da trinh lanh dao ky", {"state": "in_progress"}),
    ("dự thảo đã trình lãnh đạo, đang chờ duyệt", {"state": "in_progress"}),
    ("đã trình ký", {"state": "in_progress"}),
    ("văn bản đang chờ ký ban hành", {"state": "in_progress"}),
    ("đang chờ văn thư lấy số", {"state": "in_progress"}),
)

ACKNOWLEDGEMENTS: tuple[tuple[str, Expected], ...] = (
    ("OK", {"state": "acknowledged"}),
    ("dạ", {"state": "acknowledged"}),
    ("em nhận", {"state": "acknowledged"}),
    ("Em nhận ạ", {"state": "acknowledged"}),
    ("đã nhận ạ", {"state": "acknowledged"}),
    ("vâng", {"state": "acknowledged"}),
    ("Vâng ạ, em nhận", {"state": "acknowledged"}),
    ("dạ em nhận việc", {"state": "acknowledged"}),
    ("Dạ rõ ạ", {"state": "acknowledged"}),
    ("ok em", {"state": "acknowledged"}),
    ("Em nhận nhiệm vụ ạ", {"state": "acknowledged"}),
)

SNOOZES: tuple[tuple[str, Expected], ...] = (
    ("nhắc lại sau 2 ngày", {"state": "acknowledged", "snooze": ("day", 2)}),
    ("mai nhắc em", {"state": "acknowledged", "snooze": ("day", 1)}),
    ("mai nhắc lại em nhé", {"state": "acknowledged", "snooze": ("day", 1)}),
    ("2 tiếng nữa nhắc lại em", {"state": "acknowledged", "snooze": ("hour", 2)}),
    ("nhắc lại sau 2 giờ", {"state": "acknowledged", "snooze": ("hour", 2)}),
    ("nhac lai sau 3 ngay", {"state": "acknowledged", "snooze": ("day", 3)}),
    ("thứ 2 nhắc em nhé", {"state": "acknowledged", "snooze": ("weekday", 0)}),
    ("Anh nhắc lại em vào thứ Hai ạ", {"state": "acknowledged", "snooze": ("weekday", 0)}),
    ("sáng mai nhắc lại giúp em", {"state": "acknowledged", "snooze": ("day", 1)}),
)

NOTES: tuple[tuple[str, Expected], ...] = (
    ("đã họp triển khai", {"state": "in_progress"}),
    ("đã họp triển khai với các phòng", {"state": "in_progress"}),
    ("đã có công văn đôn đốc các xã", {"state": "in_progress"}),
    ("đang lấy ý kiến các đơn vị", {"state": "in_progress"}),
    ("đã xây dựng xong đề cương, đang viết báo cáo", {"state": "in_progress"}),
)

HELDOUT: tuple[tuple[str, Expected], ...] = (
    *PROMISES,
    *NEGATIONS,
    *FORWARDING,
    *ACKNOWLEDGEMENTS,
    *SNOOZES,
    *NOTES,
)

FIELDS = ("state", "percent", "task_code", "new_due", "reason", "late", "promised", "snooze")
_EMPTY: Expected = {"percent": None, "task_code": None, "new_due": None, "reason": None}
_EMPTY |= {"late": False, "promised": None, "snooze": None}


def observed(reply: Any) -> Expected:
    """The compared fields of a parsed reply (fields an older ``Reply`` lacks read empty)."""
    values = {field: getattr(reply, field, _EMPTY.get(field)) for field in FIELDS}
    snooze = values["snooze"]
    if snooze is not None:
        values["snooze"] = (snooze.unit, snooze.amount)
    return values


def expected(fields: Expected) -> Expected:
    """``fields`` completed with the empty value of every field not named."""
    return {**_EMPTY, **fields}
