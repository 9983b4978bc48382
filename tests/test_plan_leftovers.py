"""Issue 13 leftovers: numbered rows that look like groups, sub-row letters, approximate
deadlines in ``plan check``, Word/Excel problems located where the user finds them.

The plans are written for these tests in the shape district and department plans take
(a flat "5. / 5.1 / 5.2 / 6. / 6.1" table closed by numbered tasks, unnumbered tasks with
"-" sub-rows); no published document is copied.
"""

from __future__ import annotations

import io

import docx
import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.corrections import TaskEdit, edit_task, rename_unit
from data.deadlines import parse_deadline
from data.errors import UserError
from data.models import AdminChange, Task
from data.plans.codes import assign_codes
from data.plans.docx_plan import read_docx_bytes
from data.plans.importer import import_plan
from data.plans.parsed import PlanFormatError
from data.plans.text_plan import parse_plan_text
from data.plans.view import load_plan, plan_json, plan_problems
from data.plans.xlsx_plan import read_xlsx_plan
from tests.plan_documents import add_heading_table, set_cell, to_bytes
from tests.planning_helpers import MAI, START, seed_with_officers

Sessions = async_sessionmaker[AsyncSession]

HEAD = (
    "Số: 15/KH-UBND\nQuận Hải Châu, ngày 05 tháng 01 năm 2024\nKẾ HOẠCH\n"
    "Cải cách hành chính năm 2024\n"
)
FLAT = HEAD + (
    "TT\tNội dung\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành\n"
    "5.\tCải cách tài chính công\t\t\t\n"
    "5.1\tGiao quyền tự chủ tài chính cho đơn vị sự nghiệp\tPhòng Tài chính - Kế hoạch"
    "\tCác đơn vị sự nghiệp\tQuý I/2024\n"
    "5.2\tRà soát định mức chi thường xuyên\tPhòng Tài chính - Kế hoạch\t\tQuý III/2024\n"
    "6.\tHiện đại hóa nền hành chính\tVăn phòng HĐND và UBND quận\t\t\n"
    "6.1\tNâng cấp Cổng thông tin điện tử quận\t\t\tTháng 6/2024\n"
    "6.2\tSố hóa hồ sơ, kết quả giải quyết thủ tục hành chính\t\t\tTháng 9/2024\n"
    "7.\tKiểm tra công tác cải cách hành chính\tPhòng Nội vụ\tCác phòng, ban\tQuý IV/2024\n"
    "8.\tBáo cáo cải cách hành chính\tPhòng Nội vụ\t\tHằng quý\n"
    "-\tBáo cáo 6 tháng\t\t\tTrước ngày 15/6/2024\n"
    "-\tBáo cáo năm\t\t\tTrước ngày 15/12/2024\n"
    "9.\tTổng kết, khen thưởng\t\t\tTháng 12/2024\n"
)


def _codes(text: str) -> list[tuple[str, str | None, str, str, str]]:
    plan = parse_plan_text(text, source="t.txt")
    return [
        (code, task.number, section.number, task.content[:19], task.lead_text)
        for section, task, code in assign_codes(plan)
    ]


# --- 1. groups and tasks -------------------------------------------------------


def test_a_numbered_row_with_units_or_a_deadline_after_a_group_is_a_task_keeping_its_number() -> (
    None
):
    office, home, finance = (
        "Văn phòng HĐND và UBND quận",
        "Phòng Nội vụ",
        "Phòng Tài chính - Kế hoạch",
    )
    assert _codes(FLAT) == [
        ("UBND24-5.1", "5.1", "5", "Giao quyền tự chủ t", finance),
        ("UBND24-5.2", "5.2", "5", "Rà soát định mức ch", finance),
        ("UBND24-6.1", "6.1", "6", "Nâng cấp Cổng thông", office),
        ("UBND24-6.2", "6.2", "6", "Số hóa hồ sơ, kết q", office),
        # not sections of their own: tasks "7", "8", "9" after group 6, coded by their number
        ("UBND24-7", "7", "6", "Kiểm tra công tác c", home),
        ("UBND24-8", "8", "6", "Báo cáo cải cách hà", home),
        ("UBND24-8a", "8a", "6", "Báo cáo 6 tháng", home),
        ("UBND24-8b", "8b", "6", "Báo cáo năm", home),
        # a deadline of its own but no unit: group 6's merged unit cell is not its own
        ("UBND24-9", "9", "6", "Tổng kết, khen thưở", ""),
    ]  # fmt: skip


def test_a_numbered_row_without_units_or_deadline_and_no_rows_under_it_stays_a_heading() -> None:
    text = HEAD + (
        "TT\tNội dung\tCơ quan chủ trì\tThời gian\n"
        "1.\tCông tác chỉ đạo\t\t\n1.1\tBan hành kế hoạch\tVăn phòng\tQuý I/2024\n"
        "2.\tCông tác khác\t\t\n"
    )
    plan = parse_plan_text(text, source="t.txt")
    assert [(s.number, len(s.tasks)) for s in plan.sections] == [("1", 1), ("2", 0)]
    assert "Dòng 8: mục 2 không có nhiệm vụ" in [str(w) for w in plan.warnings]


def test_sub_rows_of_an_unnumbered_task_take_its_code_with_a_letter() -> None:
    text = HEAD + (
        "TT\tNội dung\tCơ quan chủ trì\tThời gian\n"
        "I\tTuyên truyền\t\t\n"
        "\tXây dựng chuyên mục cải cách hành chính\tVăn phòng\tQuý I/2024\n"
        "-\tTrên Cổng thông tin điện tử\t\t\n"
        "-\tTrên Đài truyền thanh\t\t\n"
        "\tTổ chức hội thi tìm hiểu cải cách hành chính\tPhòng Nội vụ\tQuý III/2024\n"
    )
    assert [code for code, *_ in _codes(text)] == [
        "UBND24-I.1",
        "UBND24-I.1a",
        "UBND24-I.1b",
        "UBND24-I.2",
    ]


# --- 2. approximate deadlines ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "approximate"),
    [
        ("Tuần đầu tháng 12/2024", True),
        ("Tuần cuối tháng 6", True),
        ("Đầu tháng 3/2024", True),
        ("Giữa tháng 6", True),
        ("Cuối tháng 9/2024", True),
        ("Cuối quý II/2024", True),
        ("Cuối năm 2024", True),
        ("Thượng tuần tháng 3/2024", False),
        ("Quý II/2024", False),
        ("Tháng 6/2024", False),
        ("Trước ngày 15/12/2024", False),
        ("Hằng tháng", False),
        ("Năm 2024", False),
    ],
)
def test_a_due_on_a_day_the_text_does_not_name_is_approximate(text: str, approximate: bool) -> None:
    [occurrence] = parse_deadline(text, 2024)
    assert occurrence.due is not None
    assert bool(occurrence.approximate) is approximate, occurrence


async def test_plan_check_lists_approximate_dues_with_the_day_chosen_and_why(
    sessions: Sessions,
) -> None:
    text = HEAD + (
        "TT\tNội dung\tCơ quan chủ trì\tThời gian\n"
        "1\tTổng kết năm\tPhòng Nội vụ\tTuần đầu tháng 12/2024\n"
        "2\tSơ kết quý\tPhòng Nội vụ\tCuối quý II/2024\n"
        "3\tHội nghị giữa năm\tPhòng Nội vụ\tGiữa năm\n"
        "4\tBáo cáo\tPhòng Nội vụ\tQuý III/2024\n"
    )
    async with sessions() as session:
        report = await import_plan(session, parse_plan_text(text, source="t.txt"))
        assert report.plan_id is not None
        problems = plan_problems(await load_plan(session, report.plan_id))
    assert problems == [
        "UBND24-1: thời hạn «Tuần đầu tháng 12/2024» là ước lượng: đã chọn ngày 07/12/2024"
        " (tuần của tháng tính theo 7 ngày: tuần đầu là ngày 1–7, tuần cuối là 7 ngày cuối"
        " tháng), hãy kiểm tra.",
        "UBND24-2: thời hạn «Cuối quý II/2024» là ước lượng: đã chọn ngày 30/06/2024"
        " («cuối quý» tính là ngày cuối cùng của quý), hãy kiểm tra.",
        "UBND24-3: không đọc được thời hạn «Giữa năm».",
    ]


# --- 3. where a Word or Excel problem is ------------------------------------------


def _word_plan(rows: list[tuple[str, str, str, str]]) -> bytes:
    document = docx.Document()
    add_heading_table(
        document, ["UBND QUẬN HẢI CHÂU", "Số: 15/KH-UBND"], ["CỘNG HÒA", "ngày 05/01/2024"]
    )
    document.add_paragraph().add_run("KẾ HOẠCH").bold = True
    document.add_paragraph().add_run("Cải cách hành chính năm 2024").bold = True
    document.add_paragraph("Thực hiện Kế hoạch của UBND thành phố.")
    table = document.add_table(rows=0, cols=4)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            set_cell(cell, value)
    return to_bytes(document)


def test_a_word_warning_names_the_table_and_row() -> None:
    data = _word_plan(
        [
            ("TT", "Nội dung", "Cơ quan chủ trì", "Thời gian"),
            ("1", "Ban hành kế hoạch", "Văn phòng", "Quý I/2024"),
            ("2", "Kiểm tra", "Phòng Nội vụ", ""),
        ]
    )
    plan = read_docx_bytes(data, source="kh.docx")
    assert [str(w) for w in plan.warnings] == [
        "Bảng 2, hàng 3: nhiệm vụ không có thời gian thực hiện"
    ]


def test_a_word_error_names_the_table_and_row() -> None:
    data = _word_plan(
        [
            ("TT", "Nội dung", "Cơ quan chủ trì", "Ghi chú"),
            ("1", "Ban hành kế hoạch", "Văn phòng", ""),
        ]
    )
    with pytest.raises(PlanFormatError) as caught:
        read_docx_bytes(data, source="kh.docx")
    assert str(caught.value).startswith("Bảng 2, hàng 1: hàng tiêu đề bảng thiếu cột")


def _sheet(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "KH"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_excel_warning_names_the_sheet_and_row() -> None:
    data = _sheet(
        [
            ["UBND QUẬN HẢI CHÂU"],
            ["KẾ HOẠCH"],
            ["Cải cách hành chính năm 2024"],
            ["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian"],
            ["1", "Ban hành kế hoạch", "", "Quý I/2024"],
        ]
    )
    plan = read_xlsx_plan(data, source="kh.xlsx")
    assert [str(w) for w in plan.warnings] == [
        "Trang tính «KH», hàng 5: nhiệm vụ không có cơ quan thực hiện"
    ]


# --- 4. corrections ---------------------------------------------------------------


async def test_plan_json_names_the_officer_in_charge_of_each_unit(sessions: Sessions) -> None:
    plan_id = await seed_with_officers(sessions)
    async with sessions() as session:
        await edit_task(session, "BDT22-I.1", TaskEdit(officer=MAI), now=START)
        document = await plan_json(session, plan_id)
    tasks = {t["code"]: t for s in document["sections"] for t in s["tasks"]}
    assert tasks["BDT22-I.1"]["units"][0] == {
        "name": "Ban Dân tộc",
        "role": "lead",
        "officer": MAI,
    }
    assert all(u["officer"] is None for u in tasks["BDT22-I.2"]["units"])


async def test_no_coordinate_clears_every_coordinating_unit_with_an_audit_row(
    sessions: Sessions,
) -> None:
    await seed_with_officers(sessions)
    code, helpers = "BDT22-I.1", TaskEdit(coordinate=("Văn phòng", "Phòng Tuyên truyền và Địa bàn"))
    async with sessions() as session:
        await edit_task(session, code, helpers, now=START)
        task = await edit_task(session, code, TaskEdit(no_coordinate=True), now=START)
        await session.commit()
        roles = [a.role for a in task.assignments]
        changes = list((await session.scalars(select(AdminChange).order_by(AdminChange.id))).all())
    assert "coordinate" not in roles and task.coordinate_text == ""
    assert len(changes[-1].before["coordinate"]) == 2 and changes[-1].after["coordinate"] == []
    with pytest.raises(UserError, match="--coordinate hoặc --no-coordinate"):
        async with sessions() as session:
            both = TaskEdit(coordinate=("Văn phòng",), no_coordinate=True)
            await edit_task(session, code, both, now=START)


async def test_a_renamed_unit_is_shown_by_its_new_name_and_the_plan_wording_is_kept(
    sessions: Sessions,
) -> None:
    """Reminders, ``plan show`` and reports print the unit's name; the task keeps what
    the plan said, so an amended file still naming "Văn phòng" is no change of units."""
    plan_id = await seed_with_officers(sessions)
    async with sessions() as session:
        await rename_unit(session, "Văn phòng", "Văn phòng Ban", now=START)
        await session.commit()
        document = await plan_json(session, plan_id)
        tasks = list((await session.scalars(select(Task).where(Task.plan_id == plan_id))).all())
    names = {u["name"] for s in document["sections"] for t in s["tasks"] for u in t["units"]}
    assert "Văn phòng Ban" in names and "Văn phòng (Ban Dân tộc)" not in names
    assert any(t.lead_text.startswith("Văn phòng, ") for t in tasks)  # as the plan wrote it
