"""Excel plans (issue 13 §1.3, §1.4): workbooks are built here with openpyxl.

The sheets are realistic examples written for these tests, not taken from a
published document: a provincial department's tracking sheet (two-row merged
header, STT as formulas, merged deadline over "-" sub-rows, real and text
dates, a person-in-charge column, totals row) and a list of legal documents to
draft whose columns are named for their own domain.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner

from bot.cli import app
from data.errors import UserError
from data.models import Assignment, Officer, Task, Unit
from data.people import add_unit
from data.plans.columns import Column
from data.plans.importer import import_plan, read_plan_file
from data.plans.parsed import ParsedPlan, ParsedTask, PlanFormatError
from data.plans.text_plan import parse_plan_text
from data.plans.view import plan_json
from data.plans.xlsx_plan import read_xlsx_plan

SEED = Path(__file__).resolve().parent.parent / "data" / "samples"
SEED = SEED / "ke-hoach-thi-dua-khen-thuong-2022.txt"

Rows = Sequence[Sequence[Any]]


def _fill(sheet: Worksheet, rows: Rows, merges: Sequence[str] = ()) -> None:
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)


def _save(book: Workbook, cached: dict[str, str] | None = None) -> bytes:
    """The workbook's bytes; ``cached`` gives formulas the value Excel would have saved."""
    out = io.BytesIO()
    book.save(out)
    if not cached:
        return out.getvalue()
    source, result = zipfile.ZipFile(out), io.BytesIO()
    with zipfile.ZipFile(result, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                text = data.decode()
                for formula, value in cached.items():
                    text = text.replace(
                        f"<f>{formula}</f><v></v>", f"<f>{formula}</f><v>{value}</v>"
                    )
                data = text.encode()
            target.writestr(item, data)
    return result.getvalue()


def _book(sheets: dict[str, tuple[Rows, Sequence[str]]]) -> Workbook:
    book = Workbook()
    first = True
    for name, (rows, merges) in sheets.items():
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        sheet.title = name
        _fill(sheet, rows, merges)
        first = False
    return book


HEADING: Rows = [
    ("SỞ NỘI VỤ", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Số: 45/KH-SNV", None, None, "Tây Ninh, ngày 10 tháng 01 năm 2026"),
    ("KẾ HOẠCH",),
    ("Cải cách hành chính năm 2026",),
]
# Row 5-6: the two-row header; "Thời gian" over "Bắt đầu" / "Kết thúc".
TRACKING: Rows = [
    *HEADING,
    ("STT", "Nội dung công việc", "Đơn vị chủ trì", "Thời gian", None, "Người xử lý"),
    (None, None, None, "Bắt đầu", "Kết thúc", None),
    ("I", "Cải cách thể chế", None, None, None, None),
    (1, "Rà soát văn bản quy phạm pháp luật", "Phòng Pháp chế", None, "Quý I/2026", "Lê Văn An"),
    ("=A8+1", "Kiểm tra công tác cải cách hành chính", "Văn phòng Sở", None, "Quý II/2026", None),
    ("-", "Kiểm tra tại các huyện", None, None, None, "Trần Thị Bình"),
    ("-", "Kiểm tra tại các xã", None, None, None, None),
    (None, None, None, None, None, None),
    ("=ROW()-10", "Báo cáo kết quả", "Văn phòng Sở", date(2026, 1, 5), datetime(2026, 6, 30), None),
    ("=MAX(A8:A13)+1", "Tổng hợp đề xuất", "Phòng Pháp chế", None, "Tháng 03/2026", "Nguyễn Hữu C"),
    (None, "Tổng cộng", None, None, None, None),
]
TRACKING_MERGES = ("A5:A6", "B5:B6", "C5:C6", "D5:E5", "F5:F6", "E9:E11", "A4:H4")


def _tasks(plan: ParsedPlan) -> list[ParsedTask]:
    return [task for section in plan.sections for task in section.tasks]


def _read(data: bytes, **options: Any) -> ParsedPlan:
    return read_xlsx_plan(data, source="theo-doi.xlsx", **options)


def test_a_tracking_sheet_reads_as_its_text_form_would() -> None:
    data = _save(_book({"Theo dõi": (TRACKING, TRACKING_MERGES)}), cached={"A8+1": "2"})
    plan = _read(data)
    assert (plan.number, plan.symbol, plan.year) == ("45", "KH-SNV", 2026)
    assert plan.title == "Cải cách hành chính năm 2026"
    assert [(s.number, s.title) for s in plan.sections] == [("I", "Cải cách thể chế")]
    rows = [
        (t.number, t.content, t.lead_text, t.deadline_text, t.officer_text) for t in _tasks(plan)
    ]
    assert rows == [
        ("1", "Rà soát văn bản quy phạm pháp luật", "Phòng Pháp chế", "Quý I/2026", "Lê Văn An"),
        ("2", "Kiểm tra công tác cải cách hành chính", "Văn phòng Sở", "Quý II/2026", ""),
        ("2a", "Kiểm tra tại các huyện", "Văn phòng Sở", "Quý II/2026", "Trần Thị Bình"),
        ("2b", "Kiểm tra tại các xã", "Văn phòng Sở", "Quý II/2026", "Trần Thị Bình"),
        ("3", "Báo cáo kết quả", "Văn phòng Sở", "30/06/2026", ""),
        ("4", "Tổng hợp đề xuất", "Phòng Pháp chế", "Tháng 03/2026", "Nguyễn Hữu C"),
    ]
    messages = [str(w) for w in plan.warnings]
    assert (
        "Trang tính «Theo dõi», hàng 14: công thức =MAX(A8:A13)+1 chưa có giá trị;"
        " đánh số theo dòng: 4" in messages
    )
    assert not any("Bắt đầu" in m for m in messages)  # a start column is known, not warned


LEGAL: Rows = [
    ("DANH MỤC VĂN BẢN QUY PHẠM PHÁP LUẬT TRÌNH NĂM 2026",),
    ("STT", "Tên văn bản", "Cơ quan chủ trì soạn thảo", "Thời gian trình", "Ghi chú"),
    (1, "Nghị quyết quy định mức chi hỗ trợ", "Sở Tài chính", "Tháng 6/2026", None),
    (2, "Quyết định ban hành quy chế phối hợp", "Sở Nội vụ", date(2026, 9, 15), "Trình HĐND"),
]
LEGAL_COLUMNS = {Column.TASK: "Tên văn bản", Column.DEADLINE: "Thời gian trình"}


def _three_sheets() -> bytes:
    return _save(
        _book(
            {
                "Hướng dẫn": ([("Nhập nhiệm vụ ở sheet sau",)], ()),
                "Văn bản": (LEGAL, ()),
                "Theo dõi": (TRACKING, TRACKING_MERGES),
            }
        )
    )


def test_the_first_sheet_naming_a_task_and_a_time_column_is_read_by_default() -> None:
    assert _tasks(_read(_three_sheets()))[0].content == "Rà soát văn bản quy phạm pháp luật"


def test_a_sheet_is_chosen_by_name_and_its_columns_by_column_options() -> None:
    plan = _read(_three_sheets(), sheet="văn bản", named=LEGAL_COLUMNS)
    rows = [(t.number, t.content, t.lead_text, t.deadline_text, t.notes) for t in _tasks(plan)]
    assert rows == [
        ("1", "Nghị quyết quy định mức chi hỗ trợ", "Sở Tài chính", "Tháng 6/2026", ""),
        ("2", "Quyết định ban hành quy chế phối hợp", "Sở Nội vụ", "15/09/2026", "Trình HĐND"),
    ]


@pytest.mark.parametrize(
    ("sheet", "named", "message"),
    [
        (
            "Sổ cái",
            None,
            "Không có sheet «Sổ cái» (các sheet: Hướng dẫn, Văn bản, Theo dõi)",
        ),
        (
            "Văn bản",
            None,
            "Trang tính «Văn bản», hàng 2: hàng tiêu đề bảng thiếu cột Nội dung công việc (các cột"
            " có: STT, Tên văn bản, Cơ quan chủ trì soạn thảo, Thời gian trình, Ghi chú);"
            ' chỉ rõ bằng --column task="TÊN CỘT"',
        ),
    ],
)
def test_a_missing_sheet_or_column_is_named_with_what_to_type(
    sheet: str, named: dict[Column, str] | None, message: str
) -> None:
    with pytest.raises(PlanFormatError) as caught:
        _read(_three_sheets(), sheet=sheet, named=named)
    assert str(caught.value) == message


def test_without_a_plan_sheet_the_error_lists_the_sheets() -> None:
    data = _save(_book({"Hướng dẫn": ([("Xem sheet sau",)], ()), "Văn bản": (LEGAL, ())}))
    with pytest.raises(PlanFormatError) as caught:
        _read(data)
    assert str(caught.value) == (
        "Không sheet nào có hàng tiêu đề với cột Nội dung công việc và Thời gian thực hiện"
        " (các sheet: Hướng dẫn, Văn bản); chọn bằng --sheet TÊN hoặc chỉ rõ cột bằng"
        ' --column task="TÊN CỘT" --column deadline="TÊN CỘT"'
    )


def test_column_options_map_a_text_plan_too() -> None:
    text = "\n".join("\t".join("" if c is None else str(c) for c in row) for row in LEGAL)
    plan = parse_plan_text(text, source="van-ban.txt", named=LEGAL_COLUMNS)
    assert [(t.content, t.lead_text, t.deadline_text) for t in _tasks(plan)] == [
        ("Nghị quyết quy định mức chi hỗ trợ", "Sở Tài chính", "Tháng 6/2026"),
        ("Quyết định ban hành quy chế phối hợp", "Sở Nội vụ", "2026-09-15"),
    ]


def test_line_breaks_in_a_cell_part_units_and_join_wrapped_text() -> None:
    rows: Rows = [
        ("STT", "Nội dung\ncông việc", "Cơ quan\nchủ trì", "Thời hạn"),
        (1, "Xây dựng kế hoạch\nkiểm tra", "Sở Tài chính\nSở Nội vụ", "Quý II/2026"),
        (2, "Tổng hợp báo cáo", "Văn phòng UBND tỉnh và\ncác sở, ngành", "Tháng 12/2026"),
    ]
    plan = _read(_save(_book({"KH": (rows, ())})))
    assert [(t.content, t.lead_text) for t in _tasks(plan)] == [
        ("Xây dựng kế hoạch kiểm tra", "Sở Tài chính; Sở Nội vụ"),
        ("Tổng hợp báo cáo", "Văn phòng UBND tỉnh và các sở, ngành"),
    ]


def test_a_chart_sheet_and_formatted_empty_cells_are_passed_over() -> None:
    book = _book({"Theo dõi": (TRACKING, TRACKING_MERGES)})
    sheet = book["Theo dõi"]
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=1, min_row=8, max_row=9))
    book.create_chartsheet("Biểu đồ", 0).add_chart(chart)
    sheet.cell(5000, 30).number_format = "dd/mm/yyyy"  # formatted, never typed in
    assert len(_tasks(_read(_save(book)))) == 6


def test_formulas_it_cannot_follow_fall_back_to_the_row_order() -> None:
    last = 402
    rows: Rows = [
        ("STT", "Nội dung công việc", "Thời hạn"),
        *((f"=A{row + 1}-1", f"Việc {row}", "Quý I/2026") for row in range(2, last)),
        (last - 1, f"Việc {last}", "Quý I/2026"),
        ("=XFZ1+1", "Việc có công thức sai", "Quý I/2026"),
    ]
    plan = _read(_save(_book({"KH": (rows, ())})), named=None)
    tasks = _tasks(plan)
    assert len(tasks) == last
    assert [t.number for t in tasks[-3:-1]] == [str(last - 2), str(last - 1)]
    assert (tasks[-1].number, tasks[-1].content) == (str(last), "Việc có công thức sai")


def test_a_sheet_asked_of_a_text_plan_is_refused() -> None:
    with pytest.raises(UserError) as caught:
        read_plan_file(SEED, sheet="Theo dõi")
    assert str(caught.value) == "--sheet chỉ dùng cho tệp Excel (.xlsx)"


def test_a_damaged_workbook_is_refused_in_one_line() -> None:
    data = _save(_book({"Theo dõi": (TRACKING, TRACKING_MERGES)}))
    with pytest.raises(PlanFormatError) as caught:
        _read(data[: len(data) // 2])
    assert str(caught.value) == "Tệp Excel bị hỏng hoặc không mở được"


Sessions = async_sessionmaker[AsyncSession]


def _write(tmp_path: Path, data: bytes, name: str = "theo-doi.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


async def test_the_person_in_charge_is_matched_to_a_registered_officer(
    sessions: Sessions, tmp_path: Path
) -> None:
    async with sessions() as s:
        units = {
            name: await add_unit(s, name)
            for name in ("Phòng Pháp chế", "Văn phòng Sở", "Phòng Tổ chức")
        }
        for name, unit in (
            ("Lê văn An", "Phòng Pháp chế"),
            ("Trần Thị Bình", "Phòng Tổ chức"),
            ("Trần Thị Bình", "Văn phòng Sở"),
        ):
            s.add(Officer(name=name, unit_id=units[unit].id))
        await s.commit()
    path = _write(tmp_path, _save(_book({"Theo dõi": (TRACKING, TRACKING_MERGES)})))
    async with sessions() as s:
        report = await import_plan(s, read_plan_file(path))
        await s.commit()
    async with sessions() as s:
        rows = await s.execute(
            select(Task.code, Unit.name, Officer.name, Officer.unit_id)
            .join(Assignment, Assignment.task_id == Task.id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .outerjoin(Officer, Officer.id == Assignment.officer_id)
            .order_by(Task.position)
        )
        found = [(code, unit, officer, officer_unit) for code, unit, officer, officer_unit in rows]
    pc, vp = units["Phòng Pháp chế"].id, units["Văn phòng Sở"].id
    assert found == [
        ("SNV26-I.1", "Phòng Pháp chế", "Lê văn An", pc),
        ("SNV26-I.2", "Văn phòng Sở", None, None),
        ("SNV26-I.2a", "Văn phòng Sở", "Trần Thị Bình", vp),
        ("SNV26-I.2b", "Văn phòng Sở", "Trần Thị Bình", vp),
        ("SNV26-I.3", "Văn phòng Sở", None, None),
        ("SNV26-I.4", "Phòng Pháp chế", None, None),
    ]
    assert (
        "SNV26-I.4: người xử lý «Nguyễn Hữu C» chưa có trong danh sách cán bộ; nhiệm vụ vẫn"
        " nhập, chưa giao người phụ trách." in report.warnings
    )


def _seed_workbook() -> bytes:
    """The sample plan typed into a sheet: every text line a row, every tab a new cell."""
    lines = SEED.read_text("utf-8").splitlines()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for index, line in enumerate(lines, start=1):
        for column, cell in enumerate(line.split("\t"), start=1):
            if cell:
                sheet.cell(index, column, int(cell) if cell.isdigit() else cell)
    return _save(book)


async def test_the_sample_plan_as_a_workbook_imports_as_its_text_does(
    sessions: Sessions, tmp_path: Path
) -> None:
    documents = []
    for path, prefix in ((SEED, None), (_write(tmp_path, _seed_workbook()), "BDTX")):
        async with sessions() as s:
            report = await import_plan(s, read_plan_file(path), prefix=prefix)
            await s.commit()
        assert report.plan_id is not None
        async with sessions() as s:
            documents.append(await plan_json(s, report.plan_id))
    text, excel = (json.dumps(d["sections"], ensure_ascii=False) for d in documents)
    assert excel.replace('"BDTX-', '"BDT22-') == text
    assert documents[1]["plan"]["title"] == documents[0]["plan"]["title"]


def test_column_options_are_read_from_the_command_line(
    db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("NHACVIEC_LANG", "vi")
    monkeypatch.setenv("NHACVIEC_ERROR_LOG", str(tmp_path / "error.log"))
    path = _write(tmp_path, _three_sheets(), "van-ban.xlsx")
    runner = CliRunner()
    bad = runner.invoke(app, ["plan", "import", str(path), "--column", "ten=Tên văn bản"])
    assert bad.exit_code != 0
    assert "--column «ten=Tên văn bản» không hợp lệ" in bad.output
    args = ["plan", "import", str(path), "--sheet", "Văn bản", "--year", "2026"]
    result = runner.invoke(app, [*args, "--column", "task=Tên văn bản"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    shown = runner.invoke(app, ["plan", "show", "--json"], catch_exceptions=False)
    tasks = json.loads(shown.stdout)["sections"][0]["tasks"]
    assert [(t["content"], t["units"], t["dues"][0]["due"]) for t in tasks] == [
        (
            "Nghị quyết quy định mức chi hỗ trợ",
            [{"name": "Sở Tài chính", "role": "lead", "officer": None}],
            "2026-06-30",
        ),
        (
            "Quyết định ban hành quy chế phối hợp",
            [{"name": "Sở Nội vụ", "role": "lead", "officer": None}],
            "2026-09-15",
        ),
    ]


def test_an_amended_workbook_is_read_with_its_sheet_and_columns(
    db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``--update`` reads the file as a first import would (``--sheet``, ``--column``);
    without them this workbook has no readable task column."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("NHACVIEC_LANG", "vi")
    monkeypatch.setenv("NHACVIEC_ERROR_LOG", str(tmp_path / "error.log"))
    path = _write(tmp_path, _three_sheets(), "van-ban.xlsx")
    runner = CliRunner()
    args = ["plan", "import", str(path), "--sheet", "Văn bản", "--year", "2026"]
    args += ["--column", "task=Tên văn bản"]
    assert runner.invoke(app, args, catch_exceptions=False).exit_code == 0
    shown = json.loads(runner.invoke(app, ["plan", "show", "--json"]).stdout)
    prefix = shown["sections"][0]["tasks"][0]["code"].split("-")[0]
    again = runner.invoke(app, [*args, "--update", prefix], catch_exceptions=False)
    assert again.exit_code == 0, again.output
    assert (
        again.stdout.strip()
        == f"Tệp này đã là phiên bản 1 của kế hoạch {prefix}; không thay đổi gì."
    )
