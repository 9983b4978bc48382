"""The report's shared words read as an office writes them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.reports import content
from bot.reports.header import header_for
from data.report_model import Period
from tests.report_fixture import ROWS, sample_report


def test_the_subject_cites_the_plan_as_offices_do() -> None:
    report = replace(sample_report(), plan_issued_on=date(2022, 3, 15))
    assert content.subject(report) == (
        "Kết quả thực hiện Kế hoạch số 45/KH-BDT ngày 15/3/2022 của Ban Dân tộc tỉnh về tổ chức "
        "phong trào thi đua, khen thưởng năm 2022 (tính đến ngày 31/07/2022)"
    )
    quarter = replace(report, period=Period(date(2022, 1, 1), date(2022, 3, 31), "Quý I năm 2022"))
    assert ", quý I năm 2022 (tính đến ngày" in content.subject(quarter)


def test_a_deadline_cell_is_the_plans_words_not_a_moved_date() -> None:
    """ "Trước ngày 15/6" is due 14/6 under the strict reading: that is no extension."""
    assert content.due_cell(ROWS[0]) == "Trước ngày 15/6/2022"
    assert content.due_cell(replace(ROWS[0], deadline_text="")) == "14/06/2022"


def test_recipients_come_from_the_setting_punctuated_as_the_decree_shows() -> None:
    env = {"NHACVIEC_REPORT_RECIPIENTS": "UBND tỉnh (b/c); Lãnh đạo Ban;Lưu: VT, VP"}
    header = header_for(sample_report(), env)
    assert header.recipients == ("UBND tỉnh (b/c);", "Lãnh đạo Ban;", "Lưu: VT, VP.")
    assert header_for(sample_report(), {}).recipients == ("Lưu: VT.",)
    assert header_for(sample_report(), {}).issuer == "BAN DÂN TỘC TỈNH"
