"""Deadline texts from published Vietnamese plans, with the occurrences they must give.

Each case is (text, plan_year, expected, source). ``expected`` lists (kind, due, start)
or (kind, due, start, rule) with ISO dates or None. ``source`` names the document the
text was copied from; the sources are defined once below with their issuer, number
and address. ``VARIANTS`` holds extra spellings (no diacritics, stray spaces, other
date notations) of the same texts: they test robustness and are not counted as
corpus texts.
"""

from __future__ import annotations

Expected = tuple[str, str | None, str | None] | tuple[str, str | None, str | None, str | None]
Case = tuple[str, int | None, list[Expected], str]

# Kế hoạch triển khai công tác thi đua, khen thưởng năm 2022, Ban Dân tộc tỉnh Bình Phước
# (the seed plan, /work/shared/seed/000_befe7f8e8d9890b7.txt, column "Thời gian thực hiện").
SEED = "seed: KH thi đua khen thưởng 2022, Ban Dân tộc Bình Phước"
# The issue that specified data/deadlines.py, quoting deadline cells of real plans
# (also in /work/shared/DESIGN.md, section "Deadlines").
ISSUE = "issue data/deadlines.py / DESIGN.md §Deadlines"
# Action programme for Resolution 57-NQ/TW (science, innovation, digital transformation),
# deliverables table, column "Thời hạn hoàn thành"; repository thetrungdtt/VNMasterplan,
# file ketquadaura03.md.
NQ57 = "thetrungdtt/VNMasterplan ketquadaura03.md (NQ 57 deliverables)"
# Sở TT&TT Quảng Nam, Công văn 895/STTTT-BCVT ngày 28/8/2018 (số hóa truyền hình),
# http://quangnam.gov.vn/CMSPages/BaiViet/Default.aspx?IDBaiViet=27556
QNAM_895 = "CV 895/STTTT-BCVT 2018, Sở TT&TT Quảng Nam"
# UBND tỉnh Quảng Nam, Công văn 86549/UBND-NCKS ngày 08/12/2023,
# http://hcc.quangnam.gov.vn/chi-tiet-tin/group/184/nid/68428/
QNAM_86549 = "CV 86549/UBND-NCKS 2023, UBND tỉnh Quảng Nam"
# UBND tỉnh Quảng Nam on overdue tasks (7/2020),
# http://baoquangnam.vn/cai-cach-hanh-chinh/tap-trung-xu-ly-dut-diem-cac-nhiem-vu-qua-han-90184.html
QNAM_2020 = "UBND tỉnh Quảng Nam, nhiệm vụ quá hạn 2020 (Báo Quảng Nam)"
# Cục Xuất bản, In và Phát hành: reporting deadlines of Thông tư 03/2015/TT-BTTTT,
# https://ppdvn.gov.vn/web/guest/nhap-khau-thiet-bi-in?tab=2
PPDVN = "TT 03/2015/TT-BTTTT reporting deadlines (ppdvn.gov.vn)"
# Reporting calendar under Luật Đầu tư 2020 / Nghị định 31/2021/NĐ-CP,
# https://nguyenluat.com/ban-song-ngu-danh-sach-cac-bao-cao-thuong-xuyen-ma-fng-va-vnm-phai-nop-theo-quy-dinh-cua-luat-va-cac-quy-dinh-hien-hanh
INVEST = "Luật Đầu tư 2020 / NĐ 31/2021 report deadlines (nguyenluat.com)"
# UBND tỉnh Ninh Thuận, Quyết định 55/2007 (Kế hoạch hành động vì sự tiến bộ phụ nữ 2006-2010),
# https://luatminhkhue.vn/quyet-dinh-55-2007-qd-ubnd-ve-ke-hoach-hanh-dong-vi-su-tien-bo-phu-nu-tinh-ninh-thuan-giai-doan-2006---2010.aspx
NTHUAN = "QĐ 55/2007 UBND tỉnh Ninh Thuận"
# UBND tỉnh Ninh Bình, Kế hoạch 130/KH-UBND ngày 13/7/2022 (giám sát CTMTQG giảm nghèo),
# https://hethongphapluat.vn/ke-hoach-130-kh-ubnd-nam-2022-ve-giam-sat-danh-gia-thuc-hien-chuong-trinh-muc-tieu-quoc-gia-giam-ngheo-ben-vung-giai-doan-2021-2025-tren-dia-ban-tinh-ninh-binh.html
NBINH = "KH 130/KH-UBND 2022, UBND tỉnh Ninh Bình"
# Public repositories quoting reporting rules (NĐ 90/2020 on evaluating public employees,
# an IT maintenance plan template), found by exact-string search of the code index.
REPOS = "public repositories quoting NĐ 90/2020 and a provincial IT maintenance plan"

# Chính phủ, Nghị quyết 03/NQ-CP ngày 09/01/2025, Phụ lục II (nhiệm vụ thực hiện Nghị quyết
# 57-NQ/TW), column "Thời gian hoàn thành"; thetrungdtt/VNMasterplan,
# NQCP03/NQ03 PL2 Nhiem vu.md.
NQ03 = "NQ 03/NQ-CP 2025 Phụ lục II (thetrungdtt/VNMasterplan NQCP03/NQ03 PL2 Nhiem vu.md)"
# Văn phòng Đảng ủy Chính phủ, Công văn 402-CV/VPĐU ngày 25/5/2025 and its draft report on
# Nghị quyết 57-NQ/TW (Phụ lục 1, columns "Thời hạn" and "Kết quả");
# thetrungdtt/VNMasterplan, CPbaocaot5.md.
CV402 = "CV 402-CV/VPĐU 2025, Văn phòng Đảng ủy Chính phủ (VNMasterplan CPbaocaot5.md)"
# Báo Nhân Dân, "Phiên họp thứ nhất Ban Chỉ đạo Trung ương về phát triển khoa học, công
# nghệ, đổi mới sáng tạo và chuyển đổi số", 20/01/2025; thetrungdtt/VNMasterplan,
# BCD/phien 1.md.
BCD1 = "Kết luận Phiên họp thứ nhất Ban Chỉ đạo Trung ương 20/01/2025 (VNMasterplan BCD)"
# Đảng đoàn Quốc hội, Kế hoạch 3260-KH/ĐĐQH15 ngày 10/01/2025 thực hiện Nghị quyết
# 57-NQ/TW; thetrungdtt/VNMasterplan, QH/CTHD.md.
KH3260 = "KH 3260-KH/ĐĐQH15 2025, Đảng đoàn Quốc hội (VNMasterplan QH/CTHD.md)"
# Nghị định 145/2020/NĐ-CP, Điều 4 khoản 2 and Điều 31 khoản 2 as amended (báo cáo sử
# dụng lao động, cho thuê lại lao động), quoted in a public repository of labour-law
# provisions (find_string "báo cáo năm gửi trước ngày").
ND145 = "NĐ 145/2020/NĐ-CP Điều 4, Điều 31 (as amended), quoted in a public repository"
# HDDTVN, "Lịch nộp các loại báo cáo thuế năm 2020 mới nhất" (tax filing calendar under
# TT 151/2014, TT 156/2013), https://hddtvn.com/lich-nop-cac-loai-bao-cao-thue-nam-2020-moi-nhat/;
# hongquantq92/hddtvn, lich-nop-cac-loai-bao-cao-thue-nam-2020-moi-nhat.md.
TAX2020 = "Lịch nộp báo cáo thuế 2020 (hddtvn.com; hongquantq92/hddtvn)"

# Chính phủ, Nghị quyết 113/NQ-CP ngày 25/4/2026 (thanh toán chi phí khám bệnh, chữa bệnh
# bảo hiểm y tế vượt dự toán), Điều 2 khoản 3; Công báo số 271 ngày 12/5/2026, quoted in
# hrmaster1982-dev/phapluat-8chude-data, docs/bhxh/nghi-quyet-so-113-nq-cp-469448.txt.
NQ113 = "NQ 113/NQ-CP 2026, Chính phủ (phapluat-8chude-data bhxh)"
# Chính phủ, Nghị quyết 100/NQ-CP ngày 06/4/2026 (Chương trình hành động thực hiện Chỉ thị
# 49-CT/TW về công tác phi chính phủ nước ngoài 2026-2030): mục III and the Phụ lục, column
# "Thời hạn hoàn thành"; Công báo số 242, hrmaster1982-dev/phapluat-8chude-data,
# docs/chinh_sach_dn/nghi-quyet-so-100-nq-cp-469357.txt.
NQ100 = "NQ 100/NQ-CP 2026, Chính phủ (phapluat-8chude-data chinh_sach_dn)"
# Chính phủ, Nghị quyết 105/NQ-CP ngày 08/4/2026 (Chương trình hành động thực hiện Kết luận
# 210-KL/TW), Phụ lục I, column "Thời hạn hoàn thành"; Công báo số 242,
# hrmaster1982-dev/phapluat-8chude-data, docs/chinh_sach_dn/nghi-quyet-so-105-nq-cp-469364.txt.
NQ105 = "NQ 105/NQ-CP 2026, Chính phủ (phapluat-8chude-data chinh_sach_dn)"
# Chính phủ, Nghị quyết 109/NQ-CP ngày 16/4/2026 (Chương trình hành động thực hiện Nghị quyết
# Đại hội XIV và Kết luận 18-KL/TW), Phụ lục III, column "Thời hạn hoàn thành" and task
# text; Công báo số 259, hrmaster1982-dev/phapluat-8chude-data,
# docs/chinh_sach_dn/nghi-quyet-so-109-nq-cp-469403.txt.
NQ109 = "NQ 109/NQ-CP 2026, Chính phủ (phapluat-8chude-data chinh_sach_dn)"
# Chính phủ, Nghị quyết 97/NQ-CP ngày 06/4/2026 (nhiệm vụ bổ sung thực hiện Nghị quyết
# 66-NQ/TW), Điều 2 and the Phụ lục, column "Thời gian hoàn thành"; Công báo số 238,
# hrmaster1982-dev/phapluat-8chude-data, docs/chinh_sach_dn/nghi-quyet-so-97-nq-cp-469324.txt.
NQ97 = "NQ 97/NQ-CP 2026, Chính phủ (phapluat-8chude-data chinh_sach_dn)"

# Chính phủ, Nghị quyết 175/NQ-CP ngày 30/10/2023 phê duyệt Đề án Trung tâm dữ liệu quốc gia:
# mục tiêu cụ thể (mục III.2) and Phụ lục I, column "Thời gian hoàn thành"; Công báo số
# 1091 + 1092 ngày 03/11/2023, hrmaster1982-dev/phapluat-8chude-data,
# docs/bhxh/nghi-quyet-so-175-nq-cp-40286.txt.
NQ175 = "NQ 175/NQ-CP 2023, Chính phủ (phapluat-8chude-data bhxh)"

# Issue 12 (recurring dues do not pile up), quoting the agencies' monthly report days:
# "Ngày 30 / 31 hằng tháng" falls on the last day of short months.
ISSUE12 = "issue 12: recurring dues, ngày 30 / 31 hằng tháng"

# Issue 13 §4, quoting deadline cells of the held-out real plans it was tried on (two
# provincial, two central-government); the plans themselves are not published with it.
ISSUE13 = "issue 13 §4: deadline cells of held-out real plans"
# Written for issue 13 in the layout of those cells (line breaks where Word wraps a cell,
# "Quí" as older plans spell it): NOT copied from a published document.
WRITTEN13 = "written for issue 13 (not from a published document)"

M = "FREQ=MONTHLY;BYMONTHDAY=-1"
Q = "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"
Y = "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"
H = "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1"
J1 = "2022-01-01"
J26 = "2026-01-01"

CASES: list[Case] = [
    # the seed plan
    ("Quý I/2022", 2022, [("period", "2022-03-31", J1)], SEED),
    ("Quý II/2022", 2022, [("period", "2022-06-30", "2022-04-01")], SEED),
    ("Trong năm 2022", 2022, [("period", "2022-12-31", J1)], SEED),
    ("Khi có yêu cầu", 2022, [("on_request", None, None)], SEED),
    ("Tháng 01/2023", 2022, [("period", "2023-01-31", "2023-01-01")], SEED),
    ("Quý IV/2022", 2022, [("period", "2022-12-31", "2022-10-01")], SEED),
    (
        "Quý II, Quý IV/2022",
        2022,
        [("period", "2022-06-30", "2022-04-01"), ("period", "2022-12-31", "2022-10-01")],
        SEED,
    ),
    (
        "Triển khai thực hiện công tác phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến "
        "( Theo Kế hoạch số 39/KH-BDT ngày 29/10/2021 của Ban Dân tộc )",
        2022,
        [("unparsed", None, None)],
        SEED,
    ),
    # the issue
    ("6 tháng đầu năm 2022", 2022, [("period", "2022-06-30", J1)], ISSUE),
    ("6 tháng cuối năm", 2022, [("period", "2022-12-31", "2022-07-01")], ISSUE),
    ("Năm 2022", 2022, [("period", "2022-12-31", J1)], ISSUE),
    ("Tuần đầu tháng 12", 2022, [("period", "2022-12-07", "2022-12-01")], ISSUE),
    ("Từ tháng 3 đến tháng 9/2026", 2026, [("range", "2026-09-30", "2026-03-01")], ISSUE),
    ("Từ tháng 3 đến tháng 6/2022", 2022, [("range", "2022-06-30", "2022-03-01")], ISSUE),
    ("2026-2030", 2026, [("range", "2030-12-31", "2026-01-01")], ISSUE),
    ("Giai đoạn 2026 - 2030", 2026, [("range", "2030-12-31", "2026-01-01")], ISSUE),
    ("Từ ngày 1/3 đến 15/4/2022", 2022, [("range", "2022-04-15", "2022-03-01")], ISSUE),
    (
        "Tháng 6 và tháng 12/2022",
        2022,
        [("period", "2022-06-30", "2022-06-01"), ("period", "2022-12-31", "2022-12-01")],
        ISSUE,
    ),
    (
        "Ban hành kế hoạch trong tháng 01/2026, tổ chức kiểm tra chậm nhất trong tháng 6/2026 "
        "và báo cáo kết quả trong tháng 8/2026",
        2026,
        [
            ("period", "2026-01-31", "2026-01-01"),
            ("period", "2026-06-30", "2026-06-01"),
            ("period", "2026-08-31", "2026-08-01"),
        ],
        ISSUE,
    ),
    ("Trước ngày 15/6/2022", 2022, [("date", "2022-06-14", None)], ISSUE),
    ("Chậm nhất ngày 20/12", 2022, [("date", "2022-12-20", None)], ISSUE),
    ("Hằng tháng", 2022, [("recurring", "2022-01-31", J1, M)], ISSUE),
    (
        "Trước ngày 05 hằng tháng",
        2022,
        [("recurring", "2022-01-04", J1, "FREQ=MONTHLY;BYMONTHDAY=4")],
        ISSUE,
    ),
    ("Ngày 31 hằng tháng", 2022, [("recurring", "2022-01-31", J1, M)], ISSUE12),
    (
        "Ngày 30 hằng tháng",
        2022,
        [("recurring", "2022-01-30", J1, "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1")],
        ISSUE12,
    ),
    ("Hằng quý", 2022, [("recurring", "2022-03-31", J1, Q)], ISSUE),
    ("Hằng năm", 2022, [("recurring", "2022-12-31", J1, Y)], ISSUE),
    (
        "Trước ngày 31/01 năm liền kề",
        2022,
        [("recurring", "2023-01-30", J1, "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=30")],
        ISSUE,
    ),
    (
        "trước ngày 15/12 hằng năm",
        2022,
        [("recurring", "2022-12-14", J1, "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=14")],
        ISSUE,
    ),
    ("Thường xuyên", 2022, [("continuous", None, None)], ISSUE),
    ("Liên tục", 2022, [("continuous", None, None)], ISSUE),
    ("Cả năm", 2022, [("period", "2022-12-31", J1)], ISSUE),
    ("Theo yêu cầu", 2022, [("on_request", None, None)], ISSUE),
    ("Theo hướng dẫn của …", 2022, [("on_request", None, None)], ISSUE),
    ("Theo chỉ đạo của …", 2022, [("on_request", None, None)], ISSUE),
    ("Theo kế hoạch của …", 2022, [("on_request", None, None)], ISSUE),
    (
        "Theo các mốc thời gian tại Quyết định số …",
        2022,
        [("unparsed", None, None)],
        ISSUE,
    ),
    ("Kỳ họp giữa năm 2026", 2026, [("unparsed", None, None)], ISSUE),
    ("Sau 03 tháng kể từ …", 2026, [("unparsed", None, None)], ISSUE),
    ("Sau khi …", 2026, [("unparsed", None, None)], ISSUE),
    ("(4)", 2022, [("unparsed", None, None)], ISSUE),
    ("Đã hoàn thành", 2022, [("unparsed", None, None)], ISSUE),
    ("", 2022, [("unparsed", None, None)], ISSUE),
    (
        "Theo Quyết định số 12/QĐ-UBND ngày 15/3/2022",
        2022,
        [("unparsed", None, None)],
        ISSUE,
    ),
    # NQ 57 action programme
    ("2025", 2025, [("period", "2025-12-31", "2025-01-01")], NQ57),
    ("2026", 2025, [("period", "2026-12-31", "2026-01-01")], NQ57),
    ("2027", 2025, [("period", "2027-12-31", "2027-01-01")], NQ57),
    ("2030", 2025, [("period", "2030-12-31", "2030-01-01")], NQ57),
    ("3/2025", 2025, [("period", "2025-03-31", "2025-03-01")], NQ57),
    ("6/2025", 2025, [("period", "2025-06-30", "2025-06-01")], NQ57),
    ("06/2025", 2025, [("period", "2025-06-30", "2025-06-01")], NQ57),
    ("7/2025", 2025, [("period", "2025-07-31", "2025-07-01")], NQ57),
    ("9/2025", 2025, [("period", "2025-09-30", "2025-09-01")], NQ57),
    ("12/2025", 2025, [("period", "2025-12-31", "2025-12-01")], NQ57),
    ("9/2026", 2025, [("period", "2026-09-30", "2026-09-01")], NQ57),
    ("12/2026", 2025, [("period", "2026-12-31", "2026-12-01")], NQ57),
    ("12/2028", 2025, [("period", "2028-12-31", "2028-12-01")], NQ57),
    ("2025 - 2026", 2025, [("range", "2026-12-31", "2025-01-01")], NQ57),
    ("2025-2026", 2025, [("range", "2026-12-31", "2025-01-01")], NQ57),
    (
        "Hàng năm",
        2025,
        [("recurring", "2025-12-31", "2025-01-01", Y)],
        NQ57,
    ),
    (
        "2025 và những năm tiếp theo",
        2025,
        [("recurring", "2025-12-31", "2025-01-01", Y)],
        NQ57,
    ),
    # provincial letters and plans
    (
        "Thời gian thực hiện từ tháng 9 đến hết tháng 12/2018",
        2018,
        [("range", "2018-12-31", "2018-09-01")],
        QNAM_895,
    ),
    (
        "báo cáo danh sách gởi về Sở Thông tin và truyền thông trước ngày 10/10/2018",
        2018,
        [("date", "2018-10-09", None)],
        QNAM_895,
    ),
    (
        "gửi báo cáo về Bộ Thông tin và Truyền thông (qua Cục Báo chí) trước ngày 15/12/2023",
        2023,
        [("date", "2023-12-14", None)],
        QNAM_86549,
    ),
    (
        "báo cáo kết quả về Chủ tịch UBND tỉnh bằng văn bản trước ngày 20.7.2020",
        2020,
        [("date", "2020-07-19", None)],
        QNAM_2020,
    ),
    (
        "Báo cáo 6 tháng đầu năm gửi trước ngày 10/07 của năm báo cáo",
        2022,
        [("recurring", "2022-07-09", J1, "FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=9")],
        PPDVN,
    ),
    (
        "Báo cáo cả năm gửi trước ngày 10/01 của năm liền kề năm báo cáo",
        2022,
        [("recurring", "2023-01-09", J1, "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=9")],
        PPDVN,
    ),
    (
        "Trước ngày 10 của tháng đầu quý sau quý báo cáo",
        2022,
        [("recurring", "2022-01-09", J1, "FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=9")],
        INVEST,
    ),
    (
        "Trước ngày 31/03 năm sau của năm báo cáo",
        2022,
        [("recurring", "2023-03-30", J1, "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=30")],
        INVEST,
    ),
    ("sơ kết giữa kỳ vào năm 2008", 2006, [("period", "2008-12-31", "2008-01-01")], NTHUAN),
    ("tổng kết vào năm 2010", 2006, [("period", "2010-12-31", "2010-01-01")], NTHUAN),
    (
        "định kỳ 6 tháng, hằng năm, đầu kỳ, giữa kỳ, cuối kỳ hoặc đột xuất khi cần thiết",
        2022,
        [
            ("recurring", "2022-06-30", J1, H),
            ("recurring", "2022-12-31", J1, Y),
            ("on_request", None, None),
        ],
        NBINH,
    ),
    (
        "thời gian đánh giá thực hiện trước ngày 15/12 hằng năm",
        2022,
        [("recurring", "2022-12-14", J1, "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=14")],
        REPOS,
    ),
    (
        "trình Sở Khoa học và Công nghệ thống nhất trước ngày 15/12 hằng năm cho năm kế tiếp",
        2022,
        [("recurring", "2022-12-14", J1, "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=14")],
        REPOS,
    ),
    # Nghị quyết 03/NQ-CP, Phụ lục II
    ("01/2025", 2025, [("period", "2025-01-31", "2025-01-01")], NQ03),
    ("2/2025", 2025, [("period", "2025-02-28", "2025-02-01")], NQ03),
    ("Tháng 5/2025", 2025, [("period", "2025-05-31", "2025-05-01")], NQ03),
    ("Tháng 10/2025", 2025, [("period", "2025-10-31", "2025-10-01")], NQ03),
    ("Quý II/2025", 2025, [("period", "2025-06-30", "2025-04-01")], NQ03),
    ("3/2026", 2025, [("period", "2026-03-31", "2026-03-01")], NQ03),
    ("2028", 2025, [("period", "2028-12-31", "2028-01-01")], NQ03),
    ("Nhiệm vụ thường xuyên", 2025, [("continuous", None, None)], NQ03),
    # a stray cell of a section heading: "next year" of nothing is no deadline
    ("năm tiếp theo", 2025, [("unparsed", None, None)], NQ03),
    # CV 402-CV/VPĐU and its draft report
    ("Tháng 3/2025", 2025, [("period", "2025-03-31", "2025-03-01")], CV402),
    ("Tháng 4/2025", 2025, [("period", "2025-04-30", "2025-04-01")], CV402),
    (
        "Thủ tướng Chính phủ sẽ xem xét, ban hành trước ngày 28/5/2025",
        2025,
        [("date", "2025-05-27", None)],
        CV402,
    ),
    (
        "Trình Quốc hội xem xét thông qua tại kỳ họp lần thứ 9, Quốc hội Khóa XV "
        "(kỳ họp tháng 5/2025)",
        2025,
        [("period", "2025-05-31", "2025-05-01")],
        CV402,
    ),
    (
        # a time of day sits between "trước" and the day: due that day, not the day before
        "xin gửi về Văn phòng Đảng ủy Chính phủ trước 20h00 ngày 25 tháng 5 năm 2025",
        2025,
        [("date", "2025-05-25", None)],
        CV402,
    ),
    # Ban Chỉ đạo Trung ương, first session
    (
        "yêu cầu khẩn trương hoàn thiện đưa vào sử dụng ngay trong quý 2/2025",
        2025,
        [("period", "2025-06-30", "2025-04-01")],
        BCD1,
    ),
    (
        "trong quý 1, xác định ngay từng việc cụ thể cho từng quý để khẩn trương thực hiện",
        2025,
        [("period", "2025-03-31", "2025-01-01")],
        BCD1,
    ),
    (
        "Về một số nhiệm vụ trọng tâm trong Quý I năm 2025",
        2025,
        [("period", "2025-03-31", "2025-01-01")],
        BCD1,
    ),
    # KH 3260-KH/ĐĐQH15
    (
        "thực hiện cơ bản hoàn thành trong năm 2025",
        2025,
        [("period", "2025-12-31", "2025-01-01")],
        KH3260,
    ),
    (
        "Thường xuyên nắm tình hình, định kỳ báo cáo UBTVQH, Đảng đoàn Quốc hội và cơ quan "
        "có thẩm quyền khi được yêu cầu",
        2025,
        [("continuous", None, None), ("on_request", None, None)],
        KH3260,
    ),
    (
        "tổng hợp, báo cáo kết quả thực hiện với các cơ quan có thẩm quyền khi có yêu cầu",
        2025,
        [("on_request", None, None)],
        KH3260,
    ),
    # NĐ 145/2020/NĐ-CP
    (
        "Định kỳ 06 tháng (trước ngày 05 tháng 6) và hằng năm (trước ngày 05 tháng 12)",
        2022,
        [
            ("recurring", "2022-06-04", J1, "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=4"),
            ("recurring", "2022-12-04", J1, "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=4"),
        ],
        ND145,
    ),
    (
        "Báo cáo 06 tháng gửi trước ngày 20 tháng 6 và báo cáo năm gửi trước ngày 20 tháng 12",
        2022,
        [("date", "2022-06-19", None), ("date", "2022-12-19", None)],
        ND145,
    ),
    # tax filing calendar 2020
    (
        "Chậm nhất là ngày 20 của tháng sau.",
        2020,
        [("recurring", "2020-01-20", "2020-01-01", "FREQ=MONTHLY;BYMONTHDAY=20")],
        TAX2020,
    ),
    (
        "Chậm nhất là ngày 30 của tháng đầu tiên quý sau.",
        2020,
        [("recurring", "2020-01-30", "2020-01-01", "FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=30")],
        TAX2020,
    ),
    (
        "Chậm nhất là ngày 30 của tháng đầu tiên năm sau.",
        2020,
        [("recurring", "2021-01-30", "2020-01-01", "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=30")],
        TAX2020,
    ),
    (
        "hạn chậm nhất ngày 30/1 năm sau",
        2020,
        [("recurring", "2021-01-30", "2020-01-01", "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=30")],
        TAX2020,
    ),
    ("Chậm nhất là ngày thứ 10 kể từ ngày phát sinh.", 2020, [("unparsed", None, None)], TAX2020),
    (
        "Chậm nhất là ngày thứ 90 kể từ ngày kết thúc năm dương lịch hoặc năm tài chính.",
        2020,
        [("unparsed", None, None)],
        TAX2020,
    ),
    (
        "Chậm nhất là ngày thứ 45 kể từ ngày có quyết định.",
        2020,
        [("unparsed", None, None)],
        TAX2020,
    ),
    (
        "chậm nhất là ngày cuối cùng của tháng bắt đầu hoạt động sản xuất kinh doanh.",
        2020,
        [("unparsed", None, None)],
        TAX2020,
    ),
    (
        "phải khai lệ phí môn bài trong thời hạn 30 ngày, kể từ ngày được cấp giấy chứng nhận "
        "đăng ký kinh doanh",
        2020,
        [("unparsed", None, None)],
        TAX2020,
    ),
    ("Hạn nộp chậm nhất là ngày 20/2/2020.", 2020, [("date", "2020-02-20", None)], TAX2020),
    ("Hạn chậm nhất sẽ là ngày 30/3/2020.", 2020, [("date", "2020-03-30", None)], TAX2020),
    (
        "Thời hạn nộp Tờ khai thuế GTGT Quý 1/2020 là ngày 30/4/2020",
        2020,
        [("date", "2020-04-30", None)],
        TAX2020,
    ),
    (
        "Hạn nộp Báo cáo tài chính năm 2019 là ngày 30/3/2020",
        2020,
        [("date", "2020-03-30", None)],
        TAX2020,
    ),
    (
        "Hàng quý, tổ chức, hộ, cá nhân bán hàng hóa, dịch vụ có trách nhiệm nộp Báo cáo tình "
        "hình sử dụng hóa đơn cho cơ quan thuế quản lý trực tiếp, kể cả trong kỳ không sử dụng "
        "hóa đơn.",
        2020,
        [("recurring", "2020-03-31", "2020-01-01", Q)],
        TAX2020,
    ),
    ("20/1/2020", 2020, [("date", "2020-01-20", None)], TAX2020),
    ("30/1/2020", 2020, [("date", "2020-01-30", None)], TAX2020),
    ("30/4/2020", 2020, [("date", "2020-04-30", None)], TAX2020),
    ("30/7/2020", 2020, [("date", "2020-07-30", None)], TAX2020),
    ("30/10/2020", 2020, [("date", "2020-10-30", None)], TAX2020),
    # Nghị quyết 113/NQ-CP (2026); PDF line breaks inside a cell are joined with spaces
    (
        "tổ chức thực hiện theo Điều 1 Nghị quyết này xong trước ngày 01 tháng 5 năm 2026",
        2026,
        [("date", "2026-04-30", None)],
        NQ113,
    ),
    (
        # "năm 2023" names the costs the deadline is about, not a second deadline
        "xong trước ngày 01 tháng 5 năm 2026 đối với chi phí năm 2023",
        2026,
        [("date", "2026-04-30", None)],
        NQ113,
    ),
    (
        "xong trước ngày 01 tháng 8 năm 2026 đối với chi phí năm 2024",
        2026,
        [("date", "2026-07-31", None)],
        NQ113,
    ),
    # Nghị quyết 100/NQ-CP (2026)
    ("hoàn thành trong Quý II năm 2026", 2026, [("period", "2026-06-30", "2026-04-01")], NQ100),
    (
        "định kỳ trước ngày 01 tháng 12 hằng năm báo cáo kết quả thực hiện Chương trình hành "
        "động trong báo cáo đối ngoại",
        2026,
        [("recurring", "2026-11-30", J26, "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=-1")],
        NQ100,
    ),
    (
        "Thực hiện thường xuyên, lồng ghép trong nhiệm vụ thường xuyên về tuyên truyền trong "
        "công tác an ninh, chính trị, đối ngoại.",
        2026,
        [("continuous", None, None)],
        NQ100,
    ),
    ("Thực hiện thường xuyên.", 2026, [("continuous", None, None)], NQ100),
    ("Năm 2026 – 2030", 2026, [("range", "2030-12-31", J26)], NQ100),
    ("Năm 2026 - 2028", 2026, [("range", "2028-12-31", J26)], NQ100),
    # Nghị quyết 105/NQ-CP (2026), Phụ lục I
    (
        "Ban hành các quy định trong Quý II/2026. Đầu tư, nâng cấp hạ tầng thông tin và xây "
        "dựng cơ sở dữ liệu trong Quý II/2026. Cập nhật thường xuyên",
        2026,
        [("period", "2026-06-30", "2026-04-01"), ("continuous", None, None)],
        NQ105,
    ),
    ("Năm 2026", 2026, [("period", "2026-12-31", J26)], NQ105),
    (
        "Theo yêu cầu của cấp có thẩm quyền, bảo đảm đồng bộ với việc tổ chức triển khai thực "
        "hiện Luật Viên chức",
        2026,
        [("on_request", None, None)],
        NQ105,
    ),
    ("Quý I/2026", 2026, [("period", "2026-03-31", J26)], NQ105),
    ("Quý III/2026", 2026, [("period", "2026-09-30", "2026-07-01")], NQ105),
    (
        # "sau khi …" ties the year to an event: a person sets the date
        "Năm 2026 (sau khi Chính phủ ban hành Nghị định quy định về vị trí việc làm công chức; "
        "vị trí việc làm viên chức)",
        2026,
        [("unparsed", None, None)],
        NQ105,
    ),
    (
        "Năm 2026 (theo kế hoạch tổ chức thi hành Luật Cán bộ, công chức, Luật Viên chức)",
        2026,
        [("period", "2026-12-31", J26), ("on_request", None, None)],
        NQ105,
    ),
    ("Tháng 4/2026", 2026, [("period", "2026-04-30", "2026-04-01")], NQ105),
    (
        "Thường xuyên (hoặc theo yêu cầu của cấp có thẩm quyền)",
        2026,
        [("continuous", None, None), ("on_request", None, None)],
        NQ105,
    ),
    ("Trước ngày 01/3/2027", 2026, [("date", "2027-02-28", None)], NQ105),
    ("Theo yêu cầu của cấp có thẩm quyền", 2026, [("on_request", None, None)], NQ105),
    (
        # the span 2026 - 2031 is what the staffing plan covers, not a deadline
        "Quý II/2026 (theo yêu cầu của cấp có thẩm quyền về định hướng biên chế giai đoạn "
        "2026 - 2031, bảo đảm đồng bộ với việc tổ chức triển khai thực hiện Luật Cán bộ, công "
        "chức, Luật Viên chức)",
        2026,
        [("period", "2026-06-30", "2026-04-01"), ("on_request", None, None)],
        NQ105,
    ),
    # Nghị quyết 109/NQ-CP (2026), Phụ lục III
    ("Tháng 12/2026", 2026, [("period", "2026-12-31", "2026-12-01")], NQ109),
    ("Quý IV/2026", 2026, [("period", "2026-12-31", "2026-10-01")], NQ109),
    ("Quý II/2026", 2026, [("period", "2026-06-30", "2026-04-01")], NQ109),
    (
        "các bộ, địa phương phấn đấu hoàn thành việc xử lý trong quý III/2026",
        2026,
        [("period", "2026-09-30", "2026-07-01")],
        NQ109,
    ),
    (
        "Tháng 12/2026 và thực hiện thường xuyên",
        2026,
        [("period", "2026-12-31", "2026-12-01"), ("continuous", None, None)],
        NQ109,
    ),
    (
        "Quý II/2026 và triển khai thường xuyên",
        2026,
        [("period", "2026-06-30", "2026-04-01"), ("continuous", None, None)],
        NQ109,
    ),
    (
        "Hoàn thành xây dựng Đề án trong quý II/2026",
        2026,
        [("period", "2026-06-30", "2026-04-01")],
        NQ109,
    ),
    # Nghị quyết 97/NQ-CP (2026)
    (
        "Thời gian hoàn thành: Quý IV/2026.",
        2026,
        [("period", "2026-12-31", "2026-10-01")],
        NQ97,
    ),
    (
        "2026 và hằng năm",
        2026,
        [("period", "2026-12-31", J26), ("recurring", "2026-12-31", J26, Y)],
        NQ97,
    ),
    ("Tháng 3/2026", 2026, [("period", "2026-03-31", "2026-03-01")], NQ97),
    ("Tháng 9/2026", 2026, [("period", "2026-09-30", "2026-09-01")], NQ97),
    ("Tháng 5/2026", 2026, [("period", "2026-05-31", "2026-05-01")], NQ97),
    ("Tháng 6/2026", 2026, [("period", "2026-06-30", "2026-06-01")], NQ97),
    ("Tháng 02/2026", 2026, [("period", "2026-02-28", "2026-02-01")], NQ97),
    ("Tháng 11/2026", 2026, [("period", "2026-11-30", "2026-11-01")], NQ97),
    ("Tháng 10/2026", 2026, [("period", "2026-10-31", "2026-10-01")], NQ97),
    (
        "Theo Kế hoạch của Ủy ban Thường vụ Quốc hội",
        2026,
        [("on_request", None, None)],
        NQ97,
    ),
    ("Kỳ họp thứ nhất Quốc hội khóa XVI", 2026, [("unparsed", None, None)], NQ97),
    # Nghị quyết 175/NQ-CP (2023): targets of the Đề án, then Phụ lục I
    ("(hoàn thành cơ bản năm 2025)", 2023, [("period", "2025-12-31", "2025-01-01")], NQ175),
    (
        "Đến hết năm 2025, hoàn thành cơ bản xây dựng và đưa vào khai thác kho dữ liệu tổng hợp "
        "được đồng bộ từ các cơ sở dữ liệu quốc gia và phối hợp khai thác với kho dữ liệu về "
        "con người",
        2023,
        [("period", "2025-12-31", "2025-01-01")],
        NQ175,
    ),
    (
        "Đến 2030, hoàn thành việc triển khai Trung tâm dữ liệu quốc gia là nơi lưu trữ dữ liệu, "
        "hệ thống thông tin của các cơ sở dữ liệu quốc gia",
        2023,
        [("period", "2030-12-31", "2030-01-01")],
        NQ175,
    ),
    (
        "Đến năm 2025, hoàn thành xây dựng và triển khai Bộ tiêu chuẩn áp dụng cho công tác quy "
        "hoạch kiến trúc các cơ sở dữ liệu quốc gia tại Trung tâm dữ liệu quốc gia",
        2023,
        [("period", "2025-12-31", "2025-01-01")],
        NQ175,
    ),
    (
        "Đến năm 2030, hoàn thành việc triển khai các quy hoạch, tiêu chuẩn, kiến trúc dữ liệu "
        "tại Trung tâm dữ liệu quốc gia cũng như cơ sở dữ liệu của bộ, ngành, địa phương.",
        2023,
        [("period", "2030-12-31", "2030-01-01")],
        NQ175,
    ),
    (
        "Đến hết 2025, hoàn thành cơ bản việc xây dựng hạ tầng nhà trạm của Trung tâm dữ liệu "
        "quốc gia",
        2023,
        [("period", "2025-12-31", "2025-01-01")],
        NQ175,
    ),
    ("Tháng 9/2024", 2023, [("period", "2024-09-30", "2024-09-01")], NQ175),
    ("Trong năm 2024", 2023, [("period", "2024-12-31", "2024-01-01")], NQ175),
    ("Quý IV/2023", 2023, [("period", "2023-12-31", "2023-10-01")], NQ175),
    ("Quý I/2024", 2023, [("period", "2024-03-31", "2024-01-01")], NQ175),
    ("Quý II/2024", 2023, [("period", "2024-06-30", "2024-04-01")], NQ175),
    # a product named in the deadline column: no date to read
    ("Bộ Công an xây dựng kế hoạch triển khai", 2023, [("unparsed", None, None)], NQ175),
    (
        "Theo lộ trình của Đề án do Bộ Công an đề xuất",
        2023,
        [("on_request", None, None)],
        NQ175,
    ),
    (
        "Quý IV/2024 và theo lộ trình triển khai các Trung tâm dữ liệu theo Đề án",
        2023,
        [("period", "2024-12-31", "2024-10-01"), ("on_request", None, None)],
        NQ175,
    ),
    ("Theo lộ trình Đề án", 2023, [("on_request", None, None)], NQ175),
    ("Theo lộ trình thực hiện Đề án", 2023, [("on_request", None, None)], NQ175),
    ("Trong quá trình thực hiện Đề án", 2023, [("continuous", None, None)], NQ175),
    # a start without an end: ongoing from the first day of the window
    ("Từ tháng 8/2023", 2023, [("continuous", None, "2023-08-01")], NQ175),
    ("Từ Quý IV/2023", 2023, [("continuous", None, "2023-10-01")], NQ175),
]

ISSUE13_CASES: list[Case] = [
    (
        "Trước ngày 20 của tháng liền kề",
        2026,
        [("recurring", "2026-01-19", J26, "FREQ=MONTHLY;BYMONTHDAY=19")],
        ISSUE13,
    ),
    (
        "Trước ngày 15 tháng cuối quý",
        2026,
        [("recurring", "2026-03-14", J26, "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=14")],
        ISSUE13,
    ),
    (
        "Năm 2026 và các năm tiếp theo",
        2026,
        [("recurring", "2026-12-31", J26, Y)],
        ISSUE13,
    ),
    (
        "Thường xuyên; báo cáo kết quả trước ngày 20 hằng tháng",
        2026,
        [
            ("recurring", "2026-01-19", J26, "FREQ=MONTHLY;BYMONTHDAY=19"),
            ("continuous", None, None),
        ],
        ISSUE13,
    ),
    (
        "Kỳ họp HĐND tỉnh tháng 5/2026",
        2026,
        [("period", "2026-05-31", "2026-05-01")],
        ISSUE13,
    ),
    (
        "Trong năm 2023, 2024",
        2023,
        [("period", "2023-12-31", "2023-01-01"), ("period", "2024-12-31", "2024-01-01")],
        ISSUE13,
    ),
    ("Quí II/2026", 2026, [("period", "2026-06-30", "2026-04-01")], ISSUE13),
    (
        "Trước ngày 10 của\ntháng liền kề",
        2026,
        [("recurring", "2026-01-09", J26, "FREQ=MONTHLY;BYMONTHDAY=9")],
        ISSUE13,
    ),
    # written in the same layouts
    (
        "Báo cáo trước ngày 25 tháng cuối của quý",
        2026,
        [("recurring", "2026-03-24", J26, "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=24")],
        WRITTEN13,
    ),
    ("Quí III năm 2026", 2026, [("period", "2026-09-30", "2026-07-01")], WRITTEN13),
    (
        "Thường xuyên\nBáo cáo trước ngày 15 của\ntháng liền kề",
        2026,
        [
            ("recurring", "2026-01-14", J26, "FREQ=MONTHLY;BYMONTHDAY=14"),
            ("continuous", None, None),
        ],
        WRITTEN13,
    ),
    (
        "Trình tại Kỳ họp thứ 12 HĐND tỉnh tháng 7/2026",
        2026,
        [("period", "2026-07-31", "2026-07-01")],
        WRITTEN13,
    ),
    (
        "Từ năm 2027 và các năm tiếp theo",
        2026,
        [("recurring", "2027-12-31", "2027-01-01", Y)],
        WRITTEN13,
    ),
    (
        "Trước ngày\n15/6/2026",
        2026,
        [("date", "2026-06-14", None)],
        WRITTEN13,
    ),
    (
        "Năm 2025,\n2026",
        2025,
        [("period", "2025-12-31", "2025-01-01"), ("period", "2026-12-31", J26)],
        WRITTEN13,
    ),
]
"""Issue 13's readings; counted in ``CASES`` and measured alone in ``test_deadlines``."""

CASES += ISSUE13_CASES

# Other spellings of corpus texts: not counted as corpus texts.
VARIANTS: list[Case] = [
    ("Tuần thứ 2 tháng 3/2022", 2022, [("period", "2022-03-14", "2022-03-08")], ISSUE),
    ("Quy I/2022", 2022, [("period", "2022-03-31", J1)], SEED),
    (
        "QUÝ II, QUÝ IV/2022",
        2022,
        [("period", "2022-06-30", "2022-04-01"), ("period", "2022-12-31", "2022-10-01")],
        SEED,
    ),
    ("truoc ngay 15/6", 2022, [("date", "2022-06-14", None)], ISSUE),
    ("Quý IV2026", 2026, [("period", "2026-12-31", "2026-10-01")], ISSUE),
    ("Quý 1", 2022, [("period", "2022-03-31", J1)], ISSUE),
    ("QI/2022", 2022, [("period", "2022-03-31", J1)], ISSUE),
    ("quý I", 2022, [("period", "2022-03-31", J1)], ISSUE),
    ("15-6-2022", 2022, [("date", "2022-06-15", None)], ISSUE),
    ("15.6.2022", 2022, [("date", "2022-06-15", None)], ISSUE),
    ("ngày 15 tháng 6 năm 2022", 2022, [("date", "2022-06-15", None)], ISSUE),
    ("15/6/22", 2022, [("date", "2022-06-15", None)], ISSUE),
    ("Hang thang", 2022, [("recurring", "2022-01-31", J1, M)], ISSUE),
    ("Thuong xuyen", 2022, [("continuous", None, None)], ISSUE),
    ("Khi co yeu cau", 2022, [("on_request", None, None)], ISSUE),
    ("Tháng 01/2023", 2022, [("period", "2023-01-31", "2023-01-01")], SEED),
    ("Quý I - II/2022", 2022, [("range", "2022-06-30", J1)], ISSUE),
    ("Năm học 2022-2023", 2022, [("range", "2023-05-31", "2022-09-01")], ISSUE),
    ("Quý II", None, [("unparsed", None, None)], ISSUE),
    ("31/2/2022", 2022, [("unparsed", None, None)], ISSUE),
    ("Quý IV/ 2026", 2026, [("period", "2026-12-31", "2026-10-01")], ISSUE),
    ("25 / 8 /202 6", 2026, [("date", "2026-08-25", None)], ISSUE),
    ("Tháng 01/2026", 2026, [("period", "2026-01-31", "2026-01-01")], ISSUE),
    ("03/2025", 2025, [("period", "2025-03-31", "2025-03-01")], NQ03),
    ("hằng năm", 2025, [("recurring", "2025-12-31", "2025-01-01", Y)], NQ03),
]

# Readings the issue asked for that no collected text shows yet: not counted either.
RULES: list[Case] = [
    (
        "Tháng 6, 9, 12/2022",
        2022,
        [
            ("period", "2022-06-30", "2022-06-01"),
            ("period", "2022-09-30", "2022-09-01"),
            ("period", "2022-12-31", "2022-12-01"),
        ],
        ISSUE,
    ),
    ("Trước Tết Nguyên đán 2023", 2022, [("unparsed", None, None)], ISSUE),
    ("Đại hội Đảng bộ nhiệm kỳ 2025-2030", 2025, [("unparsed", None, None)], ISSUE),
    (
        "Hội nghị tổng kết trong tháng 12/2022",
        2022,
        [("period", "2022-12-31", "2022-12-01")],
        ISSUE,
    ),
    ("Hội nghị ngày 15/12/2022", 2022, [("date", "2022-12-15", None)], ISSUE),
    ("Theo Kế hoạch số 382 ngày 31/12/2021", 2022, [("unparsed", None, None)], ISSUE),
]
