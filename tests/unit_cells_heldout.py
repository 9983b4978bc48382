"""Held-out unit cells (issue 13 §3), written down before the splitter learnt them.

Kept apart from ``tests/test_units.py`` so the rules are measured on cells they
were not tuned on. Sources: "issue" = the cells quoted in issue 13 from four
real plans the importer had never seen; a URL = a published document found with
the search tool (phrase as printed there); "not published" = written to match
how central-government and provincial task tables are typed, not copied from a
published document.
"""

from __future__ import annotations

HeldOutCell = tuple[str, list[str]]

HELD_OUT: list[HeldOutCell] = [
    # Issue 13 §3 (cells from the four real plans tried as a new user).
    ("Các bộ, cơ quan, địa phương", ["Các bộ, cơ quan, địa phương"]),
    ("Bộ Ngoại giao Bộ Công Thương", ["Bộ Ngoại giao", "Bộ Công Thương"]),
    (
        "Bộ Công Thương, Khoa học và Công nghệ",
        ["Bộ Công Thương", "Bộ Khoa học và Công nghệ"],
    ),
    ("Các Bộ: Tài chính, Xây dựng, Công an", ["Bộ Tài chính", "Bộ Xây dựng", "Bộ Công an"]),
    ("Bộ Tư pháp chủ trì hướng dẫn, tổng hợp", ["Bộ Tư pháp"]),
    (
        "1. Bộ Tài chính chủ trì về dự toán; 2. Bộ Tư pháp thẩm định",
        ["Bộ Tài chính", "Bộ Tư pháp"],
    ),
    ("Lãnh đạo / Sở Nội vụ", ["Sở Nội vụ"]),
    ("Các bộ, ngành", ["Các bộ, ngành"]),
    ("Các bộ, cơ quan ngang bộ", ["Các bộ, cơ quan ngang bộ"]),
    ("Các bộ, ngành, địa phương có liên quan", ["Các bộ, ngành, địa phương có liên quan"]),
    (
        "Các tập đoàn, tổng công ty, doanh nghiệp nhà nước",
        ["Các tập đoàn, tổng công ty, doanh nghiệp nhà nước"],
    ),
    ("Bộ Ngoại giao Bộ Công Thương Cơ quan", ["Bộ Ngoại giao", "Bộ Công Thương"]),
    # QĐ 2646/QĐ-BCT 2025, Chương trình khuyến công quốc gia 2026-2030
    # (https://hethongphapluat.vn/quyet-dinh-2646-qd-bct-nam-2025-...), Điều 3 and Nơi nhận.
    ("Văn phòng Chính phủ; Bộ Tài chính", ["Văn phòng Chính phủ", "Bộ Tài chính"]),
    (
        "Giám đốc Sở Công Thương các tỉnh, thành phố trực thuộc trung ương",
        ["Sở Công Thương các tỉnh, thành phố trực thuộc trung ương"],
    ),
    # TT 34/2019/TT-BCT (https://thuvienphapluat.vn/van-ban/Cong-nghe-thong-tin/
    # Thong-tu-34-2019-TT-BCT-he-thong-thong-tin-nang-luong-430811.aspx), Điều 2.
    ("Các Bộ, cơ quan ngang Bộ có liên quan", ["Các Bộ, cơ quan ngang Bộ có liên quan"]),
    # KH 1576/KH-UBND 2019, UBND TP. Hồ Chí Minh (https://thuviennhadat.vn/vbpl/
    # ke-hoach-1576-kh-ubnd-2019-danh-gia-hai-long-...-541465.html), mục III.1.
    (
        "Sở, ban, ngành, Ủy ban nhân dân quận-huyện, xã, phường, thị trấn",
        ["Sở, ban, ngành", "Ủy ban nhân dân quận-huyện, xã, phường, thị trấn"],
    ),
    # Not published: central-government task tables as they are typed (2025 names).
    ("Bộ Tài chính; các bộ, ngành, địa phương", ["Bộ Tài chính", "Các bộ, ngành, địa phương"]),
    ("Bộ Nông nghiệp và Môi trường", ["Bộ Nông nghiệp và Môi trường"]),
    ("Bộ NN&MT", ["Bộ NN&MT"]),
    (
        "Bộ Văn hóa, Thể thao và Du lịch",
        ["Bộ Văn hóa, Thể thao và Du lịch"],
    ),
    (
        "Bộ Văn hóa, Thể thao và Du lịch, Bộ Ngoại giao",
        ["Bộ Văn hóa, Thể thao và Du lịch", "Bộ Ngoại giao"],
    ),
    ("Bộ Nội vụ, Tư pháp", ["Bộ Nội vụ", "Bộ Tư pháp"]),
    (
        "Các Bộ: Y tế, Giáo dục và Đào tạo, Nội vụ",
        ["Bộ Y tế", "Bộ Giáo dục và Đào tạo", "Bộ Nội vụ"],
    ),
    (
        "Bộ Khoa học và Công nghệ chủ trì, phối hợp với Bộ Công an",
        ["Bộ Khoa học và Công nghệ", "Bộ Công an"],
    ),
    ("Ngân hàng Nhà nước Việt Nam", ["Ngân hàng Nhà nước Việt Nam"]),
    (
        "Ngân hàng Nhà nước Việt Nam, Bộ Tài chính",
        ["Ngân hàng Nhà nước Việt Nam", "Bộ Tài chính"],
    ),
    ("Thanh tra Chính phủ", ["Thanh tra Chính phủ"]),
    (
        "Văn phòng Chính phủ, Bộ Tư pháp",
        ["Văn phòng Chính phủ", "Bộ Tư pháp"],
    ),
    (
        "Bộ Dân tộc và Tôn giáo, Ủy ban nhân dân các tỉnh, thành phố",
        ["Bộ Dân tộc và Tôn giáo", "Ủy ban nhân dân các tỉnh, thành phố"],
    ),
    (
        "Đài Truyền hình Việt Nam, Đài Tiếng nói Việt Nam, Thông tấn xã Việt Nam",
        ["Đài Truyền hình Việt Nam", "Đài Tiếng nói Việt Nam", "Thông tấn xã Việt Nam"],
    ),
    ("Bộ Xây dựng chủ trì thẩm định", ["Bộ Xây dựng"]),
    ("Bộ Công an Bộ Quốc phòng", ["Bộ Công an", "Bộ Quốc phòng"]),
    (
        "Bộ Tài chính\nBộ Nông nghiệp và Môi trường",
        ["Bộ Tài chính", "Bộ Nông nghiệp và Môi trường"],
    ),
    (
        "1. Bộ Công Thương; 2. Bộ Xây dựng; 3. Ủy ban nhân dân các tỉnh",
        ["Bộ Công Thương", "Bộ Xây dựng", "Ủy ban nhân dân các tỉnh"],
    ),
    (
        "Bộ Y tế và các bộ, ngành liên quan",
        ["Bộ Y tế", "Các bộ, ngành liên quan"],
    ),
    ("Các bộ, ngành, địa phương", ["Các bộ, ngành, địa phương"]),
    ("Bảo hiểm xã hội Việt Nam", ["Bảo hiểm xã hội Việt Nam"]),
    # Not published: provincial task tables after the 2025 mergers.
    ("Lãnh đạo / Sở Tài chính", ["Sở Tài chính"]),
    ("Sở Nông nghiệp và Môi trường", ["Sở Nông nghiệp và Môi trường"]),
    ("Sở NNMT, Sở Xây dựng", ["Sở NNMT", "Sở Xây dựng"]),
    (
        "Sở Khoa học và Công nghệ chủ trì tham mưu",
        ["Sở Khoa học và Công nghệ"],
    ),
    ("Sở Tài chính Sở Nội vụ", ["Sở Tài chính", "Sở Nội vụ"]),
    (
        "Các Sở: Nội vụ, Tài chính, Y tế",
        ["Sở Nội vụ", "Sở Tài chính", "Sở Y tế"],
    ),
    (
        "Sở Văn hóa, Thể thao và Du lịch; UBND các xã, phường",
        ["Sở Văn hóa, Thể thao và Du lịch", "UBND các xã, phường"],
    ),
    ("Sở Dân tộc và Tôn giáo", ["Sở Dân tộc và Tôn giáo"]),
    ("Sở Tư pháp, Nội vụ", ["Sở Tư pháp", "Sở Nội vụ"]),
]
