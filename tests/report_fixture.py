"""A report built by hand, for the renderers' tests: every state once or more, two
sections, two units, a product, an extension, a note with diacritics and a line break.

Its figures are counted here by hand (``EXPECTED``), not computed, so a renderer
that miscounts or drops a row fails.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from data.report_model import (
    DONE_LATE,
    DONE_ON_TIME,
    IN_PROGRESS_LATE,
    IN_PROGRESS_ON_TIME,
    NOT_STARTED,
    STOPPED,
    AuditRow,
    MonthFigures,
    Period,
    PlanReport,
    ReportRow,
    ReportSection,
    StateCounts,
    UnitFigures,
)


def _row(code: str, number: str, content: str, lead: str, state: str, **extra: object) -> ReportRow:
    values: dict[str, object] = {
        "code": code,
        "number": number,
        "content": content,
        "lead": lead,
        "coordinate": "Các phòng chuyên môn",
        "deadline_text": "Trước ngày 15/6/2022",
        "due_on": date(2022, 6, 14),
        "state": state,
        "progress": "",
        "notes": "",
        "done_on": None,
        "products": 0,
    }
    values.update(extra)
    return ReportRow(**values)  # type: ignore[arg-type]


VAN_PHONG = "Văn phòng Ban"
PHONG_CS = "Phòng Chính sách Dân tộc"

ROWS = (
    _row(
        "BDT22-I.1",
        "1",
        "Xây dựng kế hoạch thi đua năm 2022",
        VAN_PHONG,
        DONE_ON_TIME,
        progress="Hoàn thành ngày 10/06/2022",
        done_on=date(2022, 6, 10),
        products=1,
    ),
    _row(
        "BDT22-I.2",
        "2",
        "Phát động phong trào thi đua\nđợt 1",
        PHONG_CS,
        DONE_LATE,
        progress="Hoàn thành ngày 20/06/2022",
        done_on=date(2022, 6, 20),
    ),
    _row(
        "BDT22-II.1",
        "1",
        "Tổng hợp báo cáo 6 tháng",
        VAN_PHONG,
        IN_PROGRESS_ON_TIME,
        deadline_text="Trước ngày 15/12/2022",
        due_on=date(2022, 12, 14),
        progress="Đang thực hiện (60%)",
    ),
    _row(
        "BDT22-II.2",
        "2",
        "Khảo sát các xã đặc biệt khó khăn",
        PHONG_CS,
        IN_PROGRESS_LATE,
        progress="Đang thực hiện (30%)\nGia hạn đến 30/06/2022",
        due_on=date(2022, 6, 30),
    ),
    _row(
        "BDT22-II.3",
        "3",
        "Biểu dương điển hình tiên tiến",
        PHONG_CS,
        NOT_STARTED,
        deadline_text="Tháng 11/2022",
        due_on=date(2022, 11, 30),
    ),
    _row(
        "BDT22-II.4",
        "4",
        "Hội nghị sơ kết (đã bỏ khỏi kế hoạch)",
        VAN_PHONG,
        STOPPED,
        progress="Đã bỏ khỏi kế hoạch",
    ),
)

EXPECTED = {
    DONE_ON_TIME: 1,
    DONE_LATE: 1,
    IN_PROGRESS_ON_TIME: 1,
    IN_PROGRESS_LATE: 1,
    NOT_STARTED: 1,
    STOPPED: 1,
}
"""Counted by hand from ``ROWS``: 6 tasks, 2 done, rate 2 / 5 in force = 40,0%."""


def sample_report() -> PlanReport:
    """The hand-counted report of a small plan as of 31/07/2022."""
    return PlanReport(
        plan_code="BDT22",
        plan_title="Tổ chức phong trào thi đua, khen thưởng năm 2022",
        plan_number="45/KH-BDT",
        plan_issuer="Ban Dân tộc tỉnh",
        plan_year=2022,
        as_of=date(2022, 7, 31),
        period=Period(date(2022, 1, 1), date(2022, 7, 31), "Năm 2022"),
        unit=None,
        sections=(
            ReportSection("I", "CÔNG TÁC TỔ CHỨC", ROWS[:2]),
            ReportSection("II", "CÔNG TÁC THI ĐUA", ROWS[2:]),
        ),
        figures=StateCounts(dict(EXPECTED), with_products=1),
        by_unit=(
            UnitFigures(
                VAN_PHONG,
                StateCounts({DONE_ON_TIME: 1, IN_PROGRESS_ON_TIME: 1, STOPPED: 1}, with_products=1),
            ),
            UnitFigures(PHONG_CS, StateCounts({DONE_LATE: 1, IN_PROGRESS_LATE: 1, NOT_STARTED: 1})),
        ),
        by_month=(
            MonthFigures(date(2022, 5, 1), 0, 0),
            MonthFigures(date(2022, 6, 1), 1, 1),
            MonthFigures(date(2022, 7, 1), 0, 0),
        ),
        audit=(
            AuditRow(
                datetime(2022, 6, 10, 2, 30, tzinfo=UTC),
                "BDT22-I.1",
                VAN_PHONG,
                "Nguyễn Văn An",
                "telegram",
                "status",
                "in_progress",
                "done",
                100,
                "xong",
            ),
            AuditRow(
                datetime(2022, 6, 20, 3, 0, tzinfo=UTC),
                "BDT22-I.2",
                PHONG_CS,
                "Trần Thị Bình",
                "zalo",
                "status",
                "in_progress",
                "done",
                100,
                "",
            ),
        ),
    )
