"""The text plan reader: the seed, the layout variants in fixtures, and the refusals."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.plans.codes import assign_codes, issuer_code, plan_prefix
from data.plans.columns import Column, classify, read_header
from data.plans.text_plan import (
    MAX_PLAN_BYTES,
    ParsedPlan,
    PlanFormatError,
    parse_plan_text,
    read_plan_bytes,
)
from data.text import strip_diacritics
from tests.planning_helpers import SEED

FIXTURES = Path(__file__).parent / "fixtures" / "plans"

# (code, number, parent, content start, lead, coordinate, deadline, product, line)
Row = tuple[str, str | None, str | None, str, str, str, str, str, int]


def load(name: str) -> ParsedPlan:
    path = SEED if name == "seed" else FIXTURES / name
    return read_plan_bytes(path.read_bytes(), source=path.name)


def rows(plan: ParsedPlan) -> list[Row]:
    """Every task with its code, content cut to 30 characters to keep tables readable."""
    return [
        (
            code,
            task.number,
            task.parent,
            task.content[:30],
            task.lead_text,
            task.coordinate_text,
            task.deadline_text,
            task.product,
            task.line,
        )
        for _, task, code in assign_codes(plan)
    ]


def outline(plan: ParsedPlan) -> list[tuple[str, str, int, int]]:
    return [(s.number, s.title, s.line, len(s.tasks)) for s in plan.sections]


def messages(plan: ParsedPlan) -> list[str]:
    return [str(warning) for warning in plan.warnings]


# --- the seed ----------------------------------------------------------------


def test_it_reads_the_seed_heading() -> None:
    plan = load("seed")
    assert (plan.number, plan.symbol, plan.issuer_code) == (None, "KH-BDT", "BDT")
    assert (plan.place, plan.issued_on, plan.year) == ("Bình Phước", None, 2022)
    assert plan.title == "Triển khai thực hiện công tác thi đua, khen thưởng năm 2022"
    assert plan.intro.startswith("Thực hiện Kế hoạch số 382/KH-UBND ngày 31/12/2021")
    assert plan.intro.endswith("năm 2022 như sau:")
    assert plan.source == SEED.name
    assert len(plan.checksum) == 64
    assert plan.warnings == []


def test_it_reads_the_seed_sections() -> None:
    assert outline(load("seed")) == [
        ("I", "Tổ chức phát động phong trào thi đua", 14, 5),
        ("II", "Tổ chức và hoạt động của khối thi đua", 21, 1),
        ("III", "Tổ chức bộ máy và hoạt động của Hội đồng Thi đua - Khen thưởng", 23, 1),
        ("IV", "Công tác phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến", 25, 3),
        ("V", "Công tác khen thưởng", 29, 3),
        ("VI", "Thực hiện chế độ báo cáo", 33, 2),
        ("VII", "Công tác khác", 37, 1),
    ]


def test_it_reads_the_seed_tasks() -> None:
    plan = load("seed")
    tasks = {code: task for _, task, code in assign_codes(plan)}
    assert list(tasks) == [
        *(f"BDT22-I.{n}" for n in range(1, 6)),
        "BDT22-II.1",
        "BDT22-III.1",
        *(f"BDT22-IV.{n}" for n in range(1, 4)),
        *(f"BDT22-V.{n}" for n in range(1, 4)),
        "BDT22-VI.1",
        "BDT22-VI.2",
        "BDT22-VII.1",
    ]
    assert tasks["BDT22-IV.2"].deadline_text == "Tháng 01/2023"
    assert tasks["BDT22-IV.2"].lead_text == "Hội đồng Thi đua – Khen thưởng cơ sở"
    assert tasks["BDT22-VI.1"].deadline_text == "Quý II, Quý IV/2022"
    assert tasks["BDT22-VI.1"].line == 35  # after the blank line inside the table
    assert tasks["BDT22-II.1"].number is None
    assert tasks["BDT22-II.1"].content.startswith("Thực hiện ký kết giao ước thi đua")
    assert tasks["BDT22-III.1"].deadline_text == "Khi có yêu cầu"
    assert tasks["BDT22-V.1"].lead_text == (
        "Hội đồng Thi đua – Khen thưởng cơ sở; UBND các huyện, thị, thành phố"
    )
    assert tasks["BDT22-IV.1"].content.endswith(
        "2021-2025 (Theo Kế hoạch số 39/KH-BDT ngày 29/10/2021 của Ban Dân tộc)."
    )
    assert all("<" not in t.content and "  " not in t.content for t in tasks.values())


def test_it_keeps_the_seed_closing_as_notes_without_the_signature() -> None:
    notes = load("seed").notes
    assert len(notes) == 2
    assert notes[0].startswith("Trưởng ban giao Văn phòng ban chủ trì")
    assert notes[0].endswith("theo quy định./.")
    assert notes[1].splitlines() == [
        "Nơi nhận:",
        "- Ban TĐKT tỉnh (b/c);",
        "- Sở KHCN;",
        "- Cơ quan CTDT cấp huyện;",
        "- LĐ ban, các phòng;",
        "- Công chức, LĐ cơ quan;",
        "- Lưu: VT, TĐKT.",
    ]


def test_line_endings_bom_and_unicode_form_do_not_change_the_plan() -> None:
    text = SEED.read_text(encoding="utf-8")
    plain = parse_plan_text(text, source="a")
    variants = [
        ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"),
        unicodedata.normalize("NFD", text).encode("utf-8"),
        text.encode("utf-16"),
    ]
    for data in variants:
        plan = read_plan_bytes(data, source="a")
        assert plan == plain


def test_it_reads_headers_typed_without_diacritics() -> None:
    text = SEED.read_text(encoding="utf-8").replace(
        "Số TT\tNội dung công việc\tCơ quan thực hiện\tThời gian thực hiện",
        "So TT\tNOI DUNG CONG VIEC\tCo quan thuc hien\tThoi gian thuc hien",
    )
    plan = parse_plan_text(text, source="seed")
    assert rows(plan) == rows(load("seed"))


def test_a_plan_typed_without_diacritics_reads_the_same() -> None:
    plan = parse_plan_text(strip_diacritics(SEED.read_text(encoding="utf-8")), source="seed")
    assert (plan.symbol, plan.place, plan.year) == ("KH-BDT", "Binh Phuoc", 2022)
    assert [code for *_, code in assign_codes(plan)] == [
        code for *_, code in assign_codes(load("seed"))
    ]
    assert len(plan.notes) == 2


# --- layout variants ---------------------------------------------------------


def test_a_ubnd_plan_with_number_date_signature_and_repeated_numbers() -> None:
    plan = load("ubnd_numbered.txt")
    assert (plan.number, plan.symbol, plan.issuer_code) == ("125", "KH-UBND", "UBND")
    assert (plan.place, plan.issued_on, plan.year) == ("Hà Nội", date(2024, 3, 15), 2024)
    assert plan.title == "Triển khai công tác chuyển đổi số trên địa bàn thành phố năm 2024"
    assert plan.intro.splitlines() == [
        "Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê duyệt"
        " Chương trình Chuyển đổi số quốc gia;",
        "UBND Thành phố ban hành Kế hoạch triển khai như sau:",
    ]
    assert outline(plan) == [
        ("I", "Hoàn thiện thể chế", 18, 2),
        ("II", "Phát triển hạ tầng số", 21, 3),
        ("III", "Tổ chức thực hiện chế độ báo cáo", 25, 1),
    ]
    tttt = "Sở Thông tin và Truyền thông"
    assert rows(plan) == [
        ("UBND24-I.1", "1", None, "Xây dựng Quy chế quản lý, vận ", tttt,
         "Văn phòng UBND Thành phố; Sở Tư pháp", "Quý II/2024",
         "Quyết định của UBND Thành phố", 19),
        ("UBND24-I.2", "2", None, "Rà soát, sửa đổi các quy định ", "Sở Nội vụ",
         "Các sở, ban, ngành", "Trước ngày 30/6/2024", "Báo cáo rà soát", 20),
        ("UBND24-II.1", "1", None, "Nâng cấp Trung tâm dữ liệu Thà", tttt, "",
         "Năm 2024", "Trung tâm dữ liệu đạt chuẩn", 22),
        ("UBND24-II.2", "2", None, "Phủ sóng 5G tại các khu công n", tttt,
         "Các doanh nghiệp viễn thông", "Quý IV/2024", "", 23),
        ("UBND24-II.2-2", "2", None, "Triển khai mạng WiFi công cộng", "Sở Du lịch",
         "UBND các quận, huyện", "Quý III/2024", "", 24),
        ("UBND24-III.1", None, None, "Báo cáo sơ kết 6 tháng, tổng k", tttt,
         "Các sở, ban, ngành", "Trước ngày 15/6/2024 và 15/12/2024", "Báo cáo", 26),
    ]  # fmt: skip
    assert plan.sections[0].tasks[1].content == (
        "Rà soát, sửa đổi các quy định về lưu trữ hồ sơ điện tử."
    )
    assert plan.notes == [
        "Giao Sở Thông tin và Truyền thông theo dõi, đôn đốc và tổng hợp kết quả thực hiện,"
        " báo cáo UBND Thành phố./.",
        "Nơi nhận:\n- Bộ Thông tin và Truyền thông;\n- Chủ tịch, các PCT UBND TP;"
        "\n- Các sở, ban, ngành;\n- Lưu: VT, KGVX.",
    ]
    assert plan.warnings == []


def test_groups_numbered_1_with_tasks_1_1_and_columns_in_another_order() -> None:
    plan = load("group_numbered.txt")
    assert (plan.number, plan.symbol, plan.issuer_code, plan_prefix(plan)) == (
        "18",
        "KH",
        None,
        "KH24",
    )
    assert (plan.place, plan.issued_on) == ("Quận Ba Đình", date(2024, 1, 2))
    assert plan.title == "Cải cách hành chính năm 2024"
    assert outline(plan) == [
        ("1", "Cải cách thủ tục hành chính", 11, 2),
        ("2", "Cải cách tổ chức bộ máy", 14, 3),
    ]
    office, home = "Văn phòng HĐND và UBND quận", "Phòng Nội vụ"
    assert rows(plan) == [
        ("KH24-1.1", "1.1", None, "Rà soát, đơn giản hóa thủ tục ", office,
         "Các phòng chuyên môn", "Quý II/2024", "Báo cáo kết quả rà soát", 12),
        ("KH24-1.2", "1.2", None, "Công khai thủ tục hành chính t", office, "",
         "Thường xuyên", "Trang công khai", 13),
        # merged cells starting on the group row fill its tasks
        ("KH24-2.1", "2.1", None, "Sắp xếp tổ chức các đơn vị sự ", home,
         "Các đơn vị sự nghiệp", "Tháng 6/2024", "Đề án sắp xếp", 15),
        ("KH24-2.2", "2.2", None, "Rà soát vị trí việc làm.", home, "", "Tháng 9/2024",
         "Danh mục vị trí việc làm", 16),
        # "3." with a unit and a deadline and no 3.x rows is a task keeping its number
        ("KH24-3", "3", None, "Tổng kết công tác cải cách hàn", home, "Các phòng, ban",
         "Tháng 12/2024", "Báo cáo tổng kết", 17),
    ]  # fmt: skip
    assert plan.notes == [
        "Phòng Nội vụ là cơ quan thường trực, theo dõi, đôn đốc việc thực hiện kế hoạch này."
    ]


def test_sub_rows_are_tasks_of_their_own_filled_from_the_row_above() -> None:
    plan = load("sub_rows.txt")
    assert (plan.number, plan.symbol, plan.issuer_code) == ("42", "KH-SGDĐT", "SGDDT")
    assert (plan.place, plan.issued_on) == ("Bình Dương", date(2023, 2, 20))
    assert outline(plan) == [
        ("I", "Công tác tuyên truyền", 12, 5),
        ("II", "Tổ chức các hoạt động", 18, 4),
    ]
    pctt, thpt, library = "Phòng Chính trị tư tưởng", "Các trường THPT", "Thư viện tỉnh"
    week = "Từ ngày 15/4 đến ngày 21/4/2023"
    assert rows(plan) == [
        ("SGDDT23-I.1", "1", None, "Tuyên truyền về Ngày Sách và V", pctt, thpt,
         "Tháng 3/2023", "", 13),
        ("SGDDT23-I.1a", "1a", "1", "Trên Cổng thông tin điện tử củ", pctt, thpt,
         "Tháng 3/2023", "", 14),
        ("SGDDT23-I.1b", "1b", "1", "Trên các trang mạng xã hội của", thpt, thpt,
         "Tháng 3/2023", "", 15),
        ("SGDDT23-I.1c", "1c", "1", "Qua bảng tin, pa nô, áp phích.", thpt, thpt,
         "Tháng 4/2023", "", 16),
        ("SGDDT23-I.2", "2", None, "Phát động cuộc thi Đại sứ Văn ",
         "Phòng Giáo dục trung học", "", "Tháng 3/2023", "", 17),
        ("SGDDT23-II.1", "1", None, "Tổ chức Ngày hội đọc sách tại ", thpt, library, week,
         "", 19),
        ("SGDDT23-II.1a", "1a", "1", "Trưng bày, giới thiệu sách;", thpt, library, week, "",
         20),
        ("SGDDT23-II.1b", "1b", "1", "Giao lưu với tác giả.", library, "Hội Nhà văn tỉnh",
         week, "", 21),
        ("SGDDT23-II.1c", "1c", "1", "Tổng kết, khen thưởng các tập ", pctt, thpt,
         "Tháng 5/2023", "", 22),
    ]  # fmt: skip
    assert plan.sections[0].tasks[1].content == "Trên Cổng thông tin điện tử của Sở;"
    assert plan.notes == ["Các đơn vị triển khai thực hiện nghiêm túc kế hoạch này./."]


def test_column_numbering_row_extra_columns_and_follow_up() -> None:
    plan = load("column_numbering.txt")
    assert (plan.number, plan.issuer_code, plan_prefix(plan)) == ("07", "BCD", "BCD23")
    assert outline(plan) == [("I", "Công tác chuẩn bị", 11, 2), ("II", "Báo cáo", 14, 1)]
    first, second = plan.sections[0].tasks
    assert first == first.__class__(
        number="1",
        content="Rà soát phương án ứng phó thiên tai theo cấp độ rủi ro.",
        lead_text="Văn phòng Ban Chỉ huy",
        coordinate_text="",
        deadline_text="Trước ngày 30/4/2023",
        product="Phương án được phê duyệt",
        notes="",
        follow_up="Phó Trưởng ban thường trực",
        line=12,
    )
    assert (second.notes, second.product) == ("Phối hợp UBND cấp huyện", "Biên bản kiểm tra")
    assert [code for *_, code in assign_codes(plan)] == ["BCD23-I.1", "BCD23-I.2", "BCD23-II.1"]
    assert messages(plan) == ["Dòng 9: bỏ qua cột không nhận ra: Kinh phí (triệu đồng)"]


def test_a_task_over_two_rows_is_one_task_with_joined_units() -> None:
    plan = load("repeated_task.txt")
    srmt = "Sở Tài nguyên và Môi trường"
    assert rows(plan) == [
        ("STNMT24-I.1", "1", None, "Kiểm tra việc thu gom, xử lý c",
         f"{srmt}; Công an thành phố", "UBND các quận, huyện; Công ty Công trình đô thị",
         "Quý II/2024", "", 11),
        ("STNMT24-I.2", "2", None, "Tổng hợp số liệu chất thải ngu", f"{srmt}; Sở Y tế",
         "Các bệnh viện", "Hằng quý", "", 14),
        ("STNMT24-II.1", "1", None, "Tổ chức Chiến dịch làm cho thế", srmt, "Thành đoàn",
         "Tháng 9/2024", "", 17),
    ]  # fmt: skip
    assert plan.warnings == []


def test_a_plain_plan_with_a_two_column_heading_and_no_sections() -> None:
    plan = load("plain_title.txt")
    assert (plan.number, plan.symbol, plan.issuer_code) == (None, "KH-UBND", "UBND")
    assert (plan.place, plan.issued_on, plan.year) == ("Tân Lập", None, 2023)
    assert plan.title == "Tổng vệ sinh môi trường chào mừng Tết Nguyên đán Quý Mão 2023"
    assert plan.intro == "Nhằm tạo cảnh quan sạch đẹp trong dịp Tết, UBND xã ban hành kế hoạch:"
    assert outline(plan) == [("", "", 8, 3)]
    assert [(code, t.lead_text, t.coordinate_text, t.deadline_text) for *_, t, code in
            assign_codes(plan)] == [
        ("UBND23-1", "Đoàn Thanh niên xã", "Các thôn", "Ngày 08/01/2023"),
        ("UBND23-2", "Các thôn", "", "Trước ngày 15/01/2023"),
        ("UBND23-3", "UBND xã", "Mặt trận Tổ quốc xã", "Ngày 18/01/2023"),
    ]  # fmt: skip
    assert plan.notes == [
        "Trên đây là Kế hoạch tổng vệ sinh môi trường của UBND xã Tân Lập.",
        "Nơi nhận:\n- Các thôn;\n- Lưu VP.",
    ]


def test_a_heading_in_a_two_column_layout_is_read_cell_by_cell() -> None:
    text = (
        "UBND TỈNH LÀO CAI\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 201/KH-UBND\tLào Cai, ngày 9 tháng 12 năm 2021\n"
        "KẾ HOẠCH\nPhòng cháy năm 2022\n"
        "TT\tNội dung\tĐơn vị thực hiện\tThời gian\n1\tDiễn tập.\tCông an tỉnh\tQuý III/2022\n"
    )
    plan = parse_plan_text(text, source="t")
    assert (plan.number, plan.place, plan.issued_on) == ("201", "Lào Cai", date(2021, 12, 9))
    # signed in December 2021 for 2022: the subject gives the year (issue 13)
    assert [code for *_, code in assign_codes(plan)] == ["UBND22-1"]


def test_a_plan_without_the_ke_hoach_line_is_read_with_a_warning() -> None:
    text = "Số: 3/KH-UBND\nVề việc kiểm tra\nTT\tNội dung\tThời hạn\n1\tKiểm tra.\tNăm 2025\n"
    plan = parse_plan_text(text, source="t")
    assert (plan.title, plan.intro, plan.year) == ("", "Về việc kiểm tra", None)
    assert [code for *_, code in assign_codes(plan)] == ["UBND-1"]
    assert messages(plan) == [
        "Không tìm thấy dòng “KẾ HOẠCH” và tên kế hoạch",
        "Dòng 4: nhiệm vụ không có cơ quan thực hiện",
    ]


def test_section_titles_in_the_task_cell_and_sub_rows_of_unnumbered_tasks() -> None:
    text = (
        "KẾ HOẠCH\nThử nghiệm năm 2024\nTT\tNội dung\tChủ trì\tThời gian\n"
        "\t<b>I. Chuẩn bị</b>\t\t\n\tLập danh sách.\tPhòng A\tQuý I\n\t- Gửi các xã.\t\t\n"
        "\t<b>II) Tổng kết</b>\t\t\n1. \tBáo cáo.\tPhòng B\tQuý IV\n"
    )
    plan = parse_plan_text(text, source="t")
    assert outline(plan) == [("I", "Chuẩn bị", 4, 2), ("II", "Tổng kết", 7, 1)]
    assert [(c, t.number, t.content, t.lead_text, t.deadline_text) for *_, t, c in
            assign_codes(plan)] == [
        ("KH24-I.1", None, "Lập danh sách.", "Phòng A", "Quý I"),
        ("KH24-I.1a", None, "Gửi các xã.", "Phòng A", "Quý I"),
        ("KH24-II.1", "1", "Báo cáo.", "Phòng B", "Quý IV"),
    ]  # fmt: skip


def test_tasks_without_a_deadline_or_a_section_task_are_reported() -> None:
    text = (
        "KẾ HOẠCH\nThử nghiệm năm 2024\nTT\tNội dung\tChủ trì\tThời gian\n"
        "1\tViệc đầu.\tPhòng A\t\nI\tPhần một\t\t\n2\t\tPhòng B\tQuý I\n"
    )
    plan = parse_plan_text(text, source="t")
    assert outline(plan) == [("", "", 4, 1), ("I", "Phần một", 5, 0)]
    assert messages(plan) == [
        "Dòng 4: nhiệm vụ không có thời gian thực hiện",
        "Dòng 6: nhiệm vụ 2 không có nội dung",
        "Dòng 5: mục I không có nhiệm vụ",
        "Dòng 4: có nhiệm vụ nằm trước mục đầu tiên của bảng",
    ]


# --- refusals ----------------------------------------------------------------

NEEDED = "cần các cột Nội dung công việc và Thời gian thực hiện"
OPTIONS = '--column task="TÊN CỘT" --column deadline="TÊN CỘT"'


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing_header.txt", f"Dòng 9: không tìm thấy hàng tiêu đề bảng ({NEEDED})"),
        (
            "unknown_columns.txt",
            "Dòng 9: hàng tiêu đề bảng không có cột nào nhận ra được"
            f" (Mục, Việc cần làm, Ai làm, Khi nào); {NEEDED}; chỉ rõ bằng {OPTIONS}",
        ),
        (
            "missing_deadline_column.txt",
            "Dòng 5: hàng tiêu đề bảng thiếu cột Thời gian thực hiện (các cột có: STT, Nội dung"
            ' công việc, Cơ quan chủ trì); chỉ rõ bằng --column deadline="TÊN CỘT"',
        ),
        ("no_tasks.txt", "Dòng 5: bảng nhiệm vụ không có nhiệm vụ nào"),
        ("empty.txt", "Tệp rỗng"),
        ("binary_junk.bin", "Tệp không phải văn bản UTF-8"),
    ],
)
def test_it_refuses_malformed_files_naming_the_line(name: str, message: str) -> None:
    with pytest.raises(PlanFormatError) as caught:
        load(name)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp rỗng"),
        ("Hà Đông\tPhú Yên".encode("cp1258"), "Tệp không phải văn bản UTF-8"),
        (b"KE HOACH\x00\x00\x00 TT\tNoi dung", "Tệp không phải văn bản UTF-8"),
        (bytes(range(1, 32)) * 10, "Tệp không phải văn bản UTF-8"),
        (b"\xff" * (MAX_PLAN_BYTES + 1), "Tệp quá lớn (5.0 MiB, tối đa 5 MiB)"),
        (b"KE HOACH\nThu\n", "Không tìm thấy bảng nhiệm vụ (" + NEEDED + ")"),
        (
            "STT\tCơ quan chủ trì\tThời hạn\n1\tPhòng A\tQuý I\n".encode(),
            "Dòng 1: hàng tiêu đề bảng thiếu cột Nội dung công việc (các cột có: STT, Cơ quan"
            ' chủ trì, Thời hạn); chỉ rõ bằng --column task="TÊN CỘT"',
        ),
    ],
)
def test_it_refuses_bytes_that_are_not_a_plan(data: bytes, message: str) -> None:
    with pytest.raises(PlanFormatError) as caught:
        read_plan_bytes(data, source="x")
    assert str(caught.value) == message


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("\t\n IVX1.2-+a)KẾHOẠCHNộidungThờigian<b>/")))
def test_any_text_either_parses_or_raises_plan_format_error(text: str) -> None:
    try:
        plan = parse_plan_text(text, source="x")
    except PlanFormatError as error:
        assert "\n" not in str(error)
    else:
        codes = [code for *_, code in assign_codes(plan)]
        assert len(codes) == len(set(codes)) > 0
        assert all(code.isascii() for code in codes)


# --- columns and codes -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("Số TT", Column.NUMBER),
        ("STT", Column.NUMBER),
        ("TT", Column.NUMBER),
        ("Nội dung công việc", Column.TASK),
        ("Nhiệm vụ", Column.TASK),
        ("Tên nhiệm vụ", Column.TASK),
        ("Nội dung, nhiệm vụ", Column.TASK),
        ("Cơ quan thực hiện", Column.LEAD),
        ("Chủ trì", Column.LEAD),
        ("Cơ quan chủ trì", Column.LEAD),
        ("Đơn vị chủ trì", Column.LEAD),
        ("Đơn vị thực hiện", Column.LEAD),
        ("Cơ quan chủ trì, phối hợp", Column.LEAD),
        ("Phối hợp", Column.COORDINATE),
        ("Cơ quan phối hợp", Column.COORDINATE),
        ("Đơn vị phối hợp thực hiện", Column.COORDINATE),
        ("Thời gian thực hiện", Column.DEADLINE),
        ("Thời gian hoàn thành", Column.DEADLINE),
        ("Thời hạn", Column.DEADLINE),
        ("Tiến độ", Column.DEADLINE),
        ("Sản phẩm", Column.PRODUCT),
        ("Kết quả thực hiện", Column.PRODUCT),
        ("Dự kiến sản phẩm", Column.PRODUCT),
        ("Ghi chú", Column.NOTES),
        ("Theo dõi, kiểm tra, đôn đốc", Column.FOLLOW_UP),
        ("THOI GIAN THUC HIEN", Column.DEADLINE),
        ("Kinh phí", None),
        ("Thực hiện Kế hoạch số 382/KH-UBND ngày 31/12/2021 của UBND tỉnh triển khai", None),
    ],
)
def test_columns_are_known_by_name(name: str, column: Column | None) -> None:
    assert classify(name) is column


def test_a_second_column_of_the_same_meaning_is_left_out() -> None:
    header = read_header(["STT", "Chủ trì", "Đơn vị thực hiện", "Nội dung", "Thời gian", "X"])
    assert dict(header.columns) == {
        Column.NUMBER: 0,
        Column.LEAD: 1,
        Column.TASK: 3,
        Column.DEADLINE: 4,
    }
    assert (header.duplicates, header.unknown, header.missing) == (
        ("Đơn vị thực hiện",),
        ("X",),
        (),
    )


@pytest.mark.parametrize(
    ("symbol", "code"),
    [
        ("KH-BDT", "BDT"),
        ("KH-UBND", "UBND"),
        ("KH-SGDĐT", "SGDDT"),
        ("KH", None),
        (None, None),
        ("KH-UBND-VX", "UBND"),
    ],
)
def test_issuer_code_comes_from_the_symbol(symbol: str | None, code: str | None) -> None:
    assert issuer_code(symbol) == code


def test_codes_without_a_year_and_with_repeated_numbers_stay_unique() -> None:
    text = (
        "KẾ HOẠCH\nViệc chung\nTT\tNội dung\tThời gian\n"
        "I\tMột\t\n1\tA.\tQuý I\n1\tB.\tQuý II\n\tC.\tQuý III\n1\tD.\tQuý IV\n"
    )
    plan = parse_plan_text(text, source="t")
    assert plan.year is None
    assert [code for *_, code in assign_codes(plan)] == ["KH-I.1", "KH-I.1-2", "KH-I.3", "KH-I.1-3"]


def test_a_group_row_within_a_roman_section_is_a_heading_not_an_empty_task() -> None:
    """ "1. Nhóm" with no unit and no deadline, followed by 1.1 and 1.2, groups them; a
    numbered row with a unit and a deadline ("2.") stays a task."""
    text = (
        "KẾ HOẠCH\nThử năm 2024\n\nTT\tNhiệm vụ\tThời gian\tCơ quan chủ trì\n"
        "I\tPhần một\t\t\n1.\tCải cách thể chế\t\t\n"
        "1.1\tRà soát văn bản\tQuý I/2024\tSở Tư pháp\n"
        "1.2\tXây dựng quy chế\tQuý II/2024\tSở Nội vụ\n"
        "2.\tTổng kết\tQuý IV/2024\tSở Nội vụ\n"
    )
    plan = parse_plan_text(text, source="nhom.txt")
    [section] = plan.sections
    assert [(t.number, t.content, t.notes) for t in section.tasks] == [
        ("1.1", "Rà soát văn bản", "Nhóm 1: Cải cách thể chế"),
        ("1.2", "Xây dựng quy chế", "Nhóm 1: Cải cách thể chế"),
        ("2", "Tổng kết", ""),
    ]
