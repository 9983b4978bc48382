"""Openings of plans (heading, title, a one-row table) with the identity they must give.

Each case is (text, expected, source); ``expected`` is (title, number, symbol, year).
Titles and numbers marked with a published source are copied from it; the layouts
(line breaks, tabs of a two-column heading, blank draft numbers) are those Word gives
when such a plan is saved as text. Cases marked ``WRITTEN`` are written for issue 13 in
the layouts the issue reports and are NOT copied from a published document.
"""

from __future__ import annotations

Identity = tuple[str, str | None, str | None, int | None]
IdentityCase = tuple[str, Identity, str]

# Chính phủ, Nghị quyết 03/NQ-CP ngày 09/01/2025 (Chương trình hành động thực hiện Nghị
# quyết 57-NQ/TW); thetrungdtt/VNMasterplan, NQCP03 (also cited in tests/deadline_corpus).
NQ03 = "NQ 03/NQ-CP 2025, Chính phủ (thetrungdtt/VNMasterplan NQCP03)"
# UBND tỉnh Ninh Bình, Kế hoạch 130/KH-UBND ngày 13/7/2022 (giám sát CTMTQG giảm nghèo),
# https://hethongphapluat.vn/ke-hoach-130-kh-ubnd-nam-2022-ve-giam-sat-danh-gia-thuc-hien-chuong-trinh-muc-tieu-quoc-gia-giam-ngheo-ben-vung-giai-doan-2021-2025-tren-dia-ban-tinh-ninh-binh.html
NBINH = "KH 130/KH-UBND 2022, UBND tỉnh Ninh Bình"
# The seed plan (shared/seed), Ban Dân tộc tỉnh Bình Phước.
SEED = "seed: KH thi đua khen thưởng 2022, Ban Dân tộc Bình Phước"
# Issue 13 §2 quoting the held-out plans ("Kết luận số 213-KL/TW ngày 21 tháng 11 năm 2025",
# "Số:     /KH-UBND"); the rest of each opening is written around the quote.
ISSUE13 = "issue 13 §2 (quoted phrase; opening written around it)"
WRITTEN = "written for issue 13 (not from a published document)"

_TABLE = "TT\tNội dung\tĐơn vị thực hiện\tThời gian\n1\tTổ chức triển khai.\tSở Nội vụ\tQuý II\n"

CASES: list[IdentityCase] = [
    (
        "ỦY BAN NHÂN DÂN TỈNH X\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 310/KH-UBND\tX, ngày 22 tháng 12 năm 2025\n"
        "KẾ HOẠCH\nCải cách hành chính năm 2026\n" + _TABLE,
        ("Cải cách hành chính năm 2026", "310", "KH-UBND", 2026),
        WRITTEN,
    ),
    (
        "ỦY BAN NHÂN DÂN TỈNH X\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số:      /KH-UBND\tX, ngày      tháng      năm\n"
        "KẾ HOẠCH\nThực hiện Kết luận số 213-KL/TW ngày 21 tháng 11 năm 2025 của Bộ Chính trị\n"
        + _TABLE,
        (
            "Thực hiện Kết luận số 213-KL/TW ngày 21 tháng 11 năm 2025 của Bộ Chính trị",
            None,
            "KH-UBND",
            None,
        ),
        ISSUE13,
    ),
    (
        "CHÍNH PHỦ\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 03/NQ-CP\tHà Nội, ngày 09 tháng 01 năm 2025\n"
        "NGHỊ QUYẾT\nBan hành Chương trình hành động của Chính phủ thực hiện Nghị quyết số "
        "57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị về đột phá phát triển khoa học, "
        "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia\n" + _TABLE,
        (
            "Ban hành Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW "
            "ngày 22 tháng 12 năm 2024 của Bộ Chính trị về đột phá phát triển khoa học, công "
            "nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
            "03",
            "NQ-CP",
            2025,
        ),
        NQ03,
    ),
    (
        "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 130/KH-UBND\tNinh Bình, ngày 13 tháng 7 năm 2022\n"
        "KẾ HOẠCH\nGiám sát, đánh giá thực hiện Chương trình mục tiêu quốc gia giảm nghèo "
        "bền vững giai đoạn 2021-2025 trên địa bàn tỉnh Ninh Bình\n" + _TABLE,
        (
            "Giám sát, đánh giá thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững "
            "giai đoạn 2021-2025 trên địa bàn tỉnh Ninh Bình",
            "130",
            "KH-UBND",
            2022,
        ),
        NBINH,
    ),
    (
        "BAN DÂN TỘC\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 125/KH-BDT\tBình Phước, ngày 10 tháng 01 năm 2022\n"
        "KẾ HOẠCH\n**Triển khai công tác thi đua, khen thưởng năm 2022**\n" + _TABLE,
        ("Triển khai công tác thi đua, khen thưởng năm 2022", "125", "KH-BDT", 2022),
        SEED,
    ),
    (
        "Số: 15/KH-UBND\tX, ngày 20 tháng 11 năm 2025\n"
        "KẾ HOẠCH Chuyển đổi số tỉnh X giai đoạn 2026 - 2030\n" + _TABLE,
        ("Chuyển đổi số tỉnh X giai đoạn 2026 - 2030", "15", "KH-UBND", 2026),
        WRITTEN,
    ),
    (
        "Số: 2405/QĐ-UBND\tX, ngày 30 tháng 12 năm 2025\n"
        "QUYẾT ĐỊNH\nBan hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2026\n" + _TABLE,
        (
            "Ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2026",
            "2405",
            "QĐ-UBND",
            2026,
        ),
        WRITTEN,
    ),
    (
        "Số: 01/CTr-UBND\tX, ngày 05 tháng 01 năm 2026\n"
        "CHƯƠNG TRÌNH\nCông tác năm 2026 của Ủy ban nhân dân tỉnh\n"
        "Phụ lục\nDANH MỤC NHIỆM VỤ\n(Kèm theo Chương trình số 01/CTr-UBND ngày 05/01/2026)\n"
        + _TABLE,
        ("Công tác năm 2026 của Ủy ban nhân dân tỉnh", "01", "CTr-UBND", 2026),
        WRITTEN,
    ),
]
