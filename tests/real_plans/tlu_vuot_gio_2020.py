"""A real published plan: Trường Đại học Thủy lợi, "Thông báo triển khai kế hoạch tính
toán khối lượng vượt giờ năm học 2019-2020" (posted 05/8/2020 on tlu.edu.vn).

Source: the notice's HTML as published on tlu.edu.vn, read from a public GitHub
repository's SQL dump of that site (search library, file id 27964963544, offsets
93 000-119 000; the post's attachment link points to www.tlu.edu.vn/Portals/0/...).
Retrieved 2025 through the offline search library (no internet on this machine).
A public university's administrative notice: not protected by copyright (Luật Sở
hữu trí tuệ, Điều 15). The page shows the task table as TWO tables (the second
starts at section VI without repeating the header); the cells below are copied
as published, abbreviations included ("P3" is the training office, "BCN" the
project leads). Only the "KẾ HOẠCH" heading and subject line of the test document
are our framing: the notice itself is headed by a sentence, not by a title.

TRUTH was written by hand from the page before running the importer: a task is
every row that names a unit to do something (16), including sections III and VI,
which are one-line sections carrying their own deadline and units; the heading
row VIII.2 (no unit, no deadline) only groups 2.1-2.3 and is not a task.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = "https://www.tlu.edu.vn (Thông báo triển khai kế hoạch tính toán khối lượng vượt giờ)"
YEAR = 2020
SUBJECT = "Tính toán khối lượng vượt giờ năm học 2019-2020"
ISSUER = ("BỘ NÔNG NGHIỆP VÀ PTNT", "TRƯỜNG ĐẠI HỌC THỦY LỢI")
HEADER = ("TT", "Nội dung", "Thời gian triển khai", "Đơn vị chủ trì", "Đơn vị phối hợp")


@dataclass(frozen=True)
class Row:
    """One published row: cells exactly as on the page ("\\n" = a new paragraph)."""

    number: str
    content: str
    deadline: str = ""
    lead: str = ""
    coordinate: str = ""
    section: bool = False


FIRST_TABLE: tuple[Row, ...] = (
    Row("I", "Cập nhật, tính toán khối lượng theo thời khóa biểu", section=True),
    Row(
        "1",
        "Trưởng các bộ môn hoàn thiện và nộp cho Phòng Đào tạo (P3) lịch trình giảng dạy "
        "các lớp học phần",
        "Trước 15/8/2020",
        "Các bộ môn",
        "GV giảng dạy các lớp",
    ),
    Row(
        "2",
        "P3 rà soát và cập nhật lên phần mềm dữ liệu khối lượng giảng dạy theo thời khóa biểu",
        "Trước 29/8/2020",
        "P3",
        "Các bộ môn",
    ),
    Row("II", "Cập nhật, tính toán khối lượng các hội đồng đánh giá tốt nghiệp", section=True),
    Row(
        "1",
        "Hoàn thiện và nộp cho P3 thông tin của các hội đồng chấm tốt nghiệp",
        "Trước 08/8/2020",
        "Các Khoa",
        "Các HĐ chấm tốt nghiệp",
    ),
    Row(
        "2",
        "P3 rà soát và cập nhật lên phần mềm dữ liệu khối lượng tốt nghiệp",
        "Trước 22/8/2020",
        "P3",
        "Các Khoa",
    ),
    Row(
        "III",
        "Tính toán và cập nhật lên phần mềm khối lượng giảng dạy từ việc hướng dẫn sinh viên "
        "nghiên cứu khoa học (NCKH)",
        "Trước 15/8/2020",
        "P9",
        "Các bộ môn",
        section=True,
    ),
    Row("IV", "Cập nhật, tính toán khối lượng NCKH quy đổi từ các sản phẩm khoa học", section=True),
    Row(
        "1",
        "Phòng Khoa học – Công nghệ (P9) rà soát và cập nhật dữ liệu lên phần mềm",
        "Trước 22/8/2020",
        "P9",
        "Các bộ môn",
    ),
    Row(
        "2",
        "Tính toán và cập nhật dữ liệu quy đổi từ hướng dẫn nghiên cứu sinh bảo vệ thành\n"
        "công luận án tiến sĩ",
        "Trước 22/8/2020",
        "P3",
        "Các bộ môn",
    ),
    Row(
        "V",
        "Cập nhật, tính toán khối lượng NCKH quy đổi từ các dự án đầu tư cơ bản, sản xuất, "
        "kinh doanh các loại",
        section=True,
    ),
    Row(
        "1",
        "Chủ nhiệm các đề tài, dự án (BCN) hoàn thiện và nộp cho Phòng Tài chính – Kế toán "
        "(P5) hồ sơ quy đổi",
        "Trước 01/8/2020",
        "BCN",
    ),
    Row("2", "P5 rà soát và cập nhật dữ liệu lên phần mềm", "Trước 22/8/2020", "P5", "BCN"),
)

SECOND_TABLE: tuple[Row, ...] = (
    Row(
        "VI",
        "Phòng Chính trị và Công tác sinh viên (P7) cập nhật, tính toán khối lượng nghiên "
        "cứu khoa học quy đổi từ hướng dẫn sinh viên thi Olympic",
        "Trước 22/8/2020",
        "P7",
        "Các bộ môn, P3",
        section=True,
    ),
    Row("VII", "Tính toán, cập nhật phần mềm định mức của giảng viên, bộ môn", section=True),
    Row(
        "1",
        "Phòng Tổ chức cán bộ (P2) tính toán định mức của giảng viên, bộ môn",
        "Trước 30/7/2020",
        "P2",
        "Các bộ môn",
    ),
    Row("2", "Cập nhật dữ liệu lên phần mềm", "Trước 15/8/2020", "P3", "P2"),
    Row(
        "VIII",
        "Tổng hợp, hoàn thiện thủ tục thanh toán khối lượng vượt giờ năm học 2019-2020",
        section=True,
    ),
    Row(
        "1",
        "Tổng hợp tính toán khối lượng giảng dạy và NCKH, gửi file tới các bộ môn để làm thủ tục",
        "Trước 12/9/2020",
        "P3",
        "Các bộ môn",
    ),
    Row("2", "Hoàn tất thủ tục để triển khai thủ tục thanh toán"),
    Row(
        "2.1",
        "Giảng viên ký xác nhận bảng kê khối lượng cá nhân; Trưởng bộ môn ký xác nhận bảng kê "
        "khối lượng các thành viên trong bộ môn và bảng tổng hợp của bộ môn. Sau đó nộp bản "
        "cứng đã xác nhận đầy đủ tại P3",
        "Trước 19/9/2020",
        "Các bộ môn",
        "P3",
    ),
    Row(
        "2.2",
        "P3 xác nhận rồi chuyển P2\nP2 xác nhận rồi chuyển P5",
        "Trước 26/9/2020",
        "P2, P3",
        "P5",
    ),
    Row(
        "2.3",
        "P5 triển khai thủ tục thanh toán cho giảng viên",
        "Trước 10/10/2020",
        "P5",
        "Kho bạc",
    ),
)

ROWS: tuple[Row, ...] = FIRST_TABLE + SECOND_TABLE


@dataclass(frozen=True)
class Truth:
    """A task as a person reads it: where it is, its units by role, its deadline cell."""

    ref: str
    content: str
    lead: frozenset[str]
    coordinate: frozenset[str]
    deadline: str


def _truth(ref: str, row: Row, lead: tuple[str, ...], coordinate: tuple[str, ...]) -> Truth:
    return Truth(ref, row.content, frozenset(lead), frozenset(coordinate), row.deadline)


_T, _S = FIRST_TABLE, SECOND_TABLE
TRUTH: tuple[Truth, ...] = (
    _truth("I.1", _T[1], ("Các bộ môn",), ("GV giảng dạy các lớp",)),
    _truth("I.2", _T[2], ("P3",), ("Các bộ môn",)),
    _truth("II.1", _T[4], ("Các Khoa",), ("Các HĐ chấm tốt nghiệp",)),
    _truth("II.2", _T[5], ("P3",), ("Các Khoa",)),
    _truth("III", _T[6], ("P9",), ("Các bộ môn",)),
    _truth("IV.1", _T[8], ("P9",), ("Các bộ môn",)),
    _truth("IV.2", _T[9], ("P3",), ("Các bộ môn",)),
    _truth("V.1", _T[11], ("BCN",), ()),
    _truth("V.2", _T[12], ("P5",), ("BCN",)),
    _truth("VI", _S[0], ("P7",), ("Các bộ môn", "P3")),
    _truth("VII.1", _S[2], ("P2",), ("Các bộ môn",)),
    _truth("VII.2", _S[3], ("P3",), ("P2",)),
    _truth("VIII.1", _S[5], ("P3",), ("Các bộ môn",)),
    _truth("VIII.2.1", _S[7], ("Các bộ môn",), ("P3",)),
    _truth("VIII.2.2", _S[8], ("P2", "P3"), ("P5",)),
    _truth("VIII.2.3", _S[9], ("P5",), ("Kho bạc",)),
)
