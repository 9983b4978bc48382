"""Unit cells from published plans -> units; keys, aliases and suggestions."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.plans.importer import import_plan, read_plan_file
from data.public_bodies import PUBLIC_BODIES, Level
from data.unit_registry import public_body, unit_level, unregistered_body
from data.units import (
    UnitRegistry,
    attach_bare_subunits,
    canonical_units,
    split_units,
    unit_key,
)
from tests.planning_helpers import SEED, SEED_UNITS
from tests.unit_cells_heldout import HELD_OUT

Case = tuple[str, list[str]]

CASES: list[Case] = [
    # Seed plan: KH thi đua, khen thưởng 2022, Ban Dân tộc Bình Phước
    # (shared/seed/000_befe7f8e8d9890b7.txt), column "Cơ quan thực hiện".
    (
        "Ban Dân tộc, cơ quan công tác dân tộc cấp huyện",
        ["Ban Dân tộc", "Cơ quan công tác dân tộc cấp huyện"],
    ),
    ("Ban Dân tộc", ["Ban Dân tộc"]),
    (
        "Thường trực Hội đồng Thi đua - khen thưởng cơ sở",
        ["Thường trực Hội đồng Thi đua - khen thưởng cơ sở"],
    ),
    ("Hội đồng Thi đua – Khen thưởng cơ sở", ["Hội đồng Thi đua - Khen thưởng cơ sở"]),
    (
        "Văn phòng, Phòng Tuyên truyền và Địa bàn - Ban Dân tộc",
        ["Văn phòng (Ban Dân tộc)", "Phòng Tuyên truyền và Địa bàn (Ban Dân tộc)"],
    ),
    (
        "Hội đồng Thi đua – Khen thưởng cơ sở; UBND các huyện, thị, thành phố",
        ["Hội đồng Thi đua - Khen thưởng cơ sở", "UBND các huyện, thị, thành phố"],
    ),
    ("Văn phòng, Phòng Tuyên truyền và Địa bàn", ["Văn phòng", "Phòng Tuyên truyền và Địa bàn"]),
    # Cells quoted in the task brief from the project's real plans.
    (
        "Sở Tư pháp, Văn phòng UBND tỉnh, Công an tỉnh",
        ["Sở Tư pháp", "Văn phòng UBND tỉnh", "Công an tỉnh"],
    ),
    ("UBND các huyện, thị xã, thành phố", ["UBND các huyện, thị xã, thành phố"]),
    ("Các sở, ban, ngành", ["Các sở, ban, ngành"]),
    ("các sở, ban, ngành, đoàn thể tỉnh", ["Các sở, ban, ngành, đoàn thể tỉnh"]),
    ("các cơ quan, đơn vị, địa phương", ["Các cơ quan, đơn vị, địa phương"]),
    ("UBND các xã, phường, đặc khu", ["UBND các xã, phường, đặc khu"]),
    ("các Sở, ban, ngành, UBND các huyện", ["Các Sở, ban, ngành, UBND các huyện"]),
    (
        "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh",
        ["Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh"],
    ),
    ("Sở Nội vụ và Sở Tài chính", ["Sở Nội vụ", "Sở Tài chính"]),
    ("Văn phòng và Phòng Tuyên truyền", ["Văn phòng", "Phòng Tuyên truyền"]),
    ("Sở Tài nguyên và Môi trường", ["Sở Tài nguyên và Môi trường"]),
    ("Lãnh đạo Sở Công Thương", ["Sở Công Thương"]),
    ("Theo phân công tại Quyết định số 12/QĐ-UBND ngày 05/01/2022", []),
    ("Các đơn vị theo phân công", []),
    ("Theo chức năng, nhiệm vụ", []),
    ("UBND phường Xuân Hương - Đà Lạt", ["UBND phường Xuân Hương - Đà Lạt"]),
    ("Sở Tư pháp (chủ trì); Sở Nội vụ (phối hợp)", ["Sở Tư pháp", "Sở Nội vụ"]),
    # KH 254/QĐ-UBND 2023 bảo vệ bí mật nhà nước, UBND tỉnh Sơn La
    # (github TuanHuu168/CongBot data/254_2023_QD_UBND_SonLa/chunk_2.md).
    (
        "Các sở, ban, ngành trực thuộc UBND tỉnh; UBND các huyện, thành phố",
        ["Các sở, ban, ngành trực thuộc UBND tỉnh", "UBND các huyện, thành phố"],
    ),
    (
        "Văn phòng UBND tỉnh; Sở Tư pháp và các cơ quan, tổ chức có liên quan",
        ["Văn phòng UBND tỉnh", "Sở Tư pháp", "Các cơ quan, tổ chức có liên quan"],
    ),
    (
        "các sở, ban, ngành, đoàn thể và UBND các huyện, thành phố",
        ["Các sở, ban, ngành, đoàn thể", "UBND các huyện, thành phố"],
    ),
    ("Văn phòng UBND tỉnh, Công an tỉnh", ["Văn phòng UBND tỉnh", "Công an tỉnh"]),
    ("Giám đốc Công an tỉnh", ["Công an tỉnh"]),
    (
        "Thủ trưởng các sở, ban, ngành trực thuộc UBND tỉnh; Chủ tịch UBND các huyện, thành phố",
        ["Các sở, ban, ngành trực thuộc UBND tỉnh", "UBND các huyện, thành phố"],
    ),
    (
        "UBND tỉnh (qua Phòng An ninh chính trị nội bộ, Công an tỉnh)",
        ["UBND tỉnh"],
    ),
    ("Sở Thông tin và Truyền thông", ["Sở Thông tin và Truyền thông"]),
    ("Công an tỉnh; Văn phòng UBND tỉnh", ["Công an tỉnh", "Văn phòng UBND tỉnh"]),
    (
        "Sở Nội vụ, Văn phòng UBND tỉnh",
        ["Sở Nội vụ", "Văn phòng UBND tỉnh"],
    ),
    # QĐ 2177/QĐ-UBND 2014, UBND tỉnh Quảng Trị (thuvienphapluat.vn, Quyet-dinh-2177-QD-UBND-2014).
    (
        "Công an tỉnh, Đài Phát thanh Truyền hình tỉnh, Báo Quảng Trị và Thủ trưởng các cơ quan có"
        " liên quan",
        [
            "Công an tỉnh",
            "Đài Phát thanh Truyền hình tỉnh",
            "Báo Quảng Trị",
            "Các cơ quan có liên quan",
        ],
    ),
    (
        "Chánh Văn phòng UBND tỉnh, Giám đốc các Sở, ngành: Tư pháp, Lao động, Thương binh và Xã"
        " hội, Y tế, Tài chính",
        [
            "Văn phòng UBND tỉnh",
            "Sở Tư pháp",
            "Sở Lao động, Thương binh và Xã hội",
            "Sở Y tế",
            "Sở Tài chính",
        ],
    ),
    # QĐ 28/2016/QĐ-UBND, UBND tỉnh Đắk Lắk (thuviennhadat.vn, quyet-dinh-28-2016-qd-ubnd).
    (
        "Thủ trưởng các Sở, ban, ngành, đoàn thể cấp tỉnh, Chủ tịch Ủy ban nhân dân các huyện,"
        " thị xã, thành phố và các cơ quan, tổ chức, cá nhân có liên quan",
        [
            "Các Sở, ban, ngành, đoàn thể cấp tỉnh",
            "Ủy ban nhân dân các huyện, thị xã, thành phố",
            "Các cơ quan, tổ chức, cá nhân có liên quan",
        ],
    ),
    (
        "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",
        ["Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh"],
    ),
    ("Sở Khoa học và Công nghệ", ["Sở Khoa học và Công nghệ"]),
    # QĐ 1209/QĐ-UBND 2013, UBND tỉnh Hà Giang (thuviennhadat.vn, quyet-dinh-1209-qd-ubnd-2013).
    (
        "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các Sở, Ban, ngành, đoàn thể có liên quan",
        ["Văn phòng Ủy ban nhân dân tỉnh", "Các Sở, Ban, ngành, đoàn thể có liên quan"],
    ),
    ("Chủ tịch Ủy ban nhân dân các huyện/thành phố", ["Ủy ban nhân dân các huyện/thành phố"]),
    (
        "Các thành viên Ban Chỉ đạo công tác Dân số - KHHGĐ tỉnh Hà Giang và các đơn vị, tổ chức,"
        " cá nhân có liên quan",
        [
            "Ban Chỉ đạo công tác Dân số - KHHGĐ tỉnh Hà Giang",
            "Các đơn vị, tổ chức, cá nhân có liên quan",
        ],
    ),
    # QĐ 16/2017/QĐ-UBND, UBND tỉnh Sơn La (thuvienphapluat.vn), Nơi nhận and Điều 3.
    ("Thường trực Tỉnh uỷ", ["Thường trực Tỉnh uỷ"]),
    ("Thường trực HĐND tỉnh", ["Thường trực HĐND tỉnh"]),
    ("Chủ tịch, Phó Chủ tịch UBND tỉnh", ["UBND tỉnh"]),
    ("Cục Kiểm tra VBQPPL - Bộ Tư pháp", ["Cục Kiểm tra VBQPPL (Bộ Tư pháp)"]),
    ("Các Sở, ban, ngành, đoàn thể", ["Các Sở, ban, ngành, đoàn thể"]),
    (
        "Chánh Văn phòng UBND tỉnh; Giám đốc các sở, ban, ngành, thủ trưởng cơ quan thuộc UBND"
        " tỉnh, Chủ tịch UBND huyện, thành phố",
        [
            "Văn phòng UBND tỉnh",
            "Các sở, ban, ngành",
            "Cơ quan thuộc UBND tỉnh",
            "UBND huyện, thành phố",
        ],
    ),
    # Công văn về nếp sống văn minh dịp Tết 2024, Sở Nội vụ Bình Định (snv.binhdinh.gov.vn).
    (
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, Thủ trưởng các sở, ban, ngành, đoàn thể tỉnh, Chủ"
        " tịch UBND các huyện, thị xã, thành phố",
        [
            "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
            "Các sở, ban, ngành, đoàn thể tỉnh",
            "UBND các huyện, thị xã, thành phố",
        ],
    ),
    ("Chủ tịch UBND tỉnh (qua Sở Nội vụ)", ["UBND tỉnh"]),
    # KH 1576/KH-UBND 2019 đánh giá hài lòng TTHC, UBND TP Hồ Chí Minh (thuviennhadat.vn).
    (
        "Sở, ban, ngành, Ủy ban nhân dân quận-huyện, xã, phường, thị trấn",
        ["Sở, ban, ngành", "Ủy ban nhân dân quận-huyện, xã, phường, thị trấn"],
    ),
    (
        "các sở, ban, ngành, Ủy ban nhân dân quận, huyện, xã, phường, thị trấn",
        ["Các sở, ban, ngành", "Ủy ban nhân dân quận, huyện, xã, phường, thị trấn"],
    ),
    # QĐ 1351/QĐ-UBND 2022, UBND tỉnh Quảng Ngãi
    # (github TuanHuu168/CongBot data/1351_2022_QĐ_UBND/chunk_2.md).
    (
        "Sở Lao động - Thương binh và Xã hội, UBND cấp huyện, UBND cấp xã",
        ["Sở Lao động - Thương binh và Xã hội", "UBND cấp huyện", "UBND cấp xã"],
    ),
    (
        "Sở Thông tin và Truyền thông, Sở Lao động - Thương binh và Xã hội và các cơ quan, đơn vị"
        " có liên quan",
        [
            "Sở Thông tin và Truyền thông",
            "Sở Lao động - Thương binh và Xã hội",
            "Các cơ quan, đơn vị có liên quan",
        ],
    ),
    # QĐ 06/2019/QĐ-UBND du lịch, UBND tỉnh Đồng Nai (hethongphapluat.com), Điều 3.
    (
        "Chánh Văn phòng UBND tỉnh, Giám đốc Sở Văn hóa, Thể thao và Du lịch, Thủ trưởng các cơ"
        " quan chuyên môn thuộc UBND tỉnh, Chủ tịch UBND các huyện, thị xã Long Khánh và thành phố"
        " Biên Hòa và các đơn vị liên quan",
        [
            "Văn phòng UBND tỉnh",
            "Sở Văn hóa, Thể thao và Du lịch",
            "Các cơ quan chuyên môn thuộc UBND tỉnh",
            "UBND các huyện, thị xã Long Khánh và thành phố Biên Hòa",
            "Các đơn vị liên quan",
        ],
    ),
    # QĐ 2384/QĐ-UBND 2013 sản xuất sạch hơn, UBND tỉnh Quảng Bình (luatminhkhue.vn), Điều 3.
    (
        "Giám đốc các Sở: Công Thương, Kế hoạch và Đầu tư, Tài chính, Tài nguyên và Môi trường",
        ["Sở Công Thương", "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Tài nguyên và Môi trường"],
    ),
    ("Trưởng Ban Quản lý Khu kinh tế", ["Ban Quản lý Khu kinh tế"]),
    (
        "Chủ tịch UBND các huyện, thành phố và Thủ trưởng các cơ quan, đơn vị có liên quan",
        ["UBND các huyện, thành phố", "Các cơ quan, đơn vị có liên quan"],
    ),
    # QĐ 33/2009/QĐ-UBND, UBND tỉnh Tiền Giang (thuvienphapluat.vn), Điều 4.
    (
        "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Thông tin và Truyền thông, Thủ trưởng"
        " các sở, ban ngành tỉnh; Chủ tịch Ủy ban nhân dân các huyện, thành phố Mỹ Tho, thị xã Gò"
        " Công",
        [
            "Văn phòng Ủy ban nhân dân tỉnh",
            "Sở Thông tin và Truyền thông",
            "Các sở, ban ngành tỉnh",
            "Ủy ban nhân dân các huyện, thành phố Mỹ Tho, thị xã Gò Công",
        ],
    ),
    # QĐ 2583/QĐ-UBND 2019, UBND tỉnh Tây Ninh (ls1.hethongphapluat.com), Điều 3.
    (
        "Chánh Văn phòng Đoàn Đại biểu Quốc hội, Hội đồng nhân dân và Ủy ban nhân dân tỉnh, Giám"
        " đốc Sở Tư pháp, Thủ trưởng các sở, ngành tỉnh và các tổ chức, cá nhân có liên quan",
        [
            "Văn phòng Đoàn Đại biểu Quốc hội, Hội đồng nhân dân và Ủy ban nhân dân tỉnh",
            "Sở Tư pháp",
            "Các sở, ngành tỉnh",
            "Các tổ chức, cá nhân có liên quan",
        ],
    ),
    ("Văn phòng HĐND và UBND tỉnh", ["Văn phòng HĐND và UBND tỉnh"]),
    # QĐ 26/2015/QĐ-UBND, UBND tỉnh Ninh Bình (hieuluat.vn), Nơi nhận.
    ("Đoàn đại biểu QH tỉnh", ["Đoàn đại biểu QH tỉnh"]),
    ("Chủ tịch, các Phó Chủ tịch UBND tỉnh", ["UBND tỉnh"]),
    (
        "Cổng thông tin điện tử tỉnh, Công báo tỉnh",
        ["Cổng thông tin điện tử tỉnh", "Công báo tỉnh"],
    ),
    ("Cục kiểm tra VPQPPL, Bộ Tư pháp", ["Cục kiểm tra VPQPPL (Bộ Tư pháp)"]),
    # QĐ 1150/QĐ-UBND 2021 di tích, UBND tỉnh Đồng Nai; QĐ 655/QĐ-UBND 2019 Đắk Nông.
    (
        "Sở Văn hóa, Thể thao và Du lịch; Sở Tài nguyên và Môi trường",
        [
            "Sở Văn hóa, Thể thao và Du lịch",
            "Sở Tài nguyên và Môi trường",
        ],
    ),
    # Commune plan drafting guide with real assignment cells (GitHub, code corpus file
    # 55107769037: "Phân công theo nhóm nhiệm vụ", Kế hoạch UBND xã).
    ("TT CUDVC; các phòng", ["TT CUDVC", "Các phòng"]),
    ("Phòng VH-XH; VP HĐND-UBND", ["Phòng VH-XH", "VP HĐND-UBND"]),
    ("Phòng VH-XH; UBMTTQ; Tổ CNSCĐ 12 ấp", ["Phòng VH-XH", "UBMTTQ", "Tổ CNSCĐ 12 ấp"]),
    ("UBND xã; DN viễn thông", ["UBND xã", "DN viễn thông"]),
    ("Các phòng; TT PVHCC", ["Các phòng", "TT PVHCC"]),
    ("Phòng Kinh tế, Công an xã, Trạm Y tế", ["Phòng Kinh tế", "Công an xã", "Trạm Y tế"]),
    ("Các trường học", ["Các trường học"]),
    ("Xã đoàn", ["Xã đoàn"]),
    # Cells typed the way officers copy them: bullets, line breaks, labels.
    (
        "- Sở Tư pháp\n- Sở Nội vụ\n- Văn phòng UBND tỉnh",
        ["Sở Tư pháp", "Sở Nội vụ", "Văn phòng UBND tỉnh"],
    ),
    ("Chủ trì: Sở Nội vụ", ["Sở Nội vụ"]),
]


@pytest.mark.parametrize(("cell", "expected"), CASES, ids=[c[:40] for c, _ in CASES])
def test_split_units_on_real_cells(cell: str, expected: list[str]) -> None:
    # The two former gaps (a colon list's own commas, "Cục …, Bộ …") need the register.
    assert split_units(cell) == expected


def test_table_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(CASES) >= 60
    right = sum(split_units(cell) == expected for cell, expected in CASES)
    with capsys.disabled():
        print(f"\nsplit_units: {right}/{len(CASES)} cells exact ({right / len(CASES):.1%})")
    assert right == len(CASES)


def _seed_unit_cells() -> list[str]:
    cells = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        columns = line.split("\t")
        if len(columns) >= 4 and columns[2].strip() and "<b>" not in line:
            cells.append(columns[2])
    return cells[1:]  # the header row


def test_seed_plan_gives_its_seven_units() -> None:
    names = [name for cell in _seed_unit_cells() for name in split_units(cell)]
    units = attach_bare_subunits(canonical_units(names))
    assert set(units) == SEED_UNITS
    assert (
        "Thường trực Hội đồng Thi đua - khen thưởng cơ sở"
        in (units["Thường trực Hội đồng Thi đua - Khen thưởng cơ sở"])
    )
    registry = UnitRegistry(units.items())
    for bare in ("Văn phòng", "Phòng Tuyên truyền và Địa bàn"):
        match = registry.resolve(bare)
        assert match is not None
        assert match.name == f"{bare} (Ban Dân tộc)"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
        ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
        ("Thường trực HĐND tỉnh", "Thường trực Hội đồng nhân dân tỉnh"),
        ("BDT", "Ban Dân tộc"),
        ("Ban TĐKT tỉnh", "Ban Thi đua - Khen thưởng tỉnh"),
        ("Bộ NN&MT", "Bộ Nông nghiệp và Môi trường"),
        ("Sở KHCN", "Sở Khoa học và Công nghệ"),
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở LĐTBXH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
        ("Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("UBMTTQ tỉnh", "Ủy ban Mặt trận Tổ quốc tỉnh"),
        ("Hội đồng Thi đua – Khen thưởng cơ sở.", "hội đồng thi đua - khen thưởng  cơ sở"),
        ("Hoi dong Thi dua Khen thuong co so", "Hội đồng Thi đua - Khen thưởng cơ sở"),
    ],
)
def test_unit_key_equates_spellings(left: str, right: str) -> None:
    assert unit_key(left) == unit_key(right)


def test_unit_key_keeps_different_units_apart() -> None:
    assert unit_key("Hội đồng Thi đua - Khen thưởng cơ sở") != unit_key(
        "Thường trực Hội đồng Thi đua - Khen thưởng cơ sở"
    )
    assert unit_key("Sở Tư pháp") != unit_key("Sở Tài chính")
    assert unit_key("Văn phòng (Ban Dân tộc)") != unit_key("Văn phòng")


def _registry() -> UnitRegistry:
    return UnitRegistry(
        [
            ("Sở Khoa học và Công nghệ", ["Sở KHCN"]),
            ("UBND các huyện, thị, thành phố", []),
            ("Văn phòng (Ban Dân tộc)", []),
            ("Phòng Tổng hợp (Sở Nội vụ)", []),
            ("Phòng Tổng hợp (Sở Tài chính)", []),
            ("Cơ quan công tác dân tộc cấp huyện", ["Cơ quan CTDT cấp huyện"]),
        ]
    )


def test_resolve_by_key_and_alias() -> None:
    registry = _registry()
    for name in ("Sở KH&CN", "sở khoa học và công nghệ", "Sở KHCN"):
        assert registry.resolve(name) == registry.resolve("Sở Khoa học và Công nghệ")
    match = registry.resolve("Cơ quan CTDT cấp huyện")
    assert match is not None
    assert match.name == "Cơ quan công tác dân tộc cấp huyện"
    assert match.exact
    assert registry.resolve("Ủy ban nhân dân các huyện, thị, thành phố") is not None


def test_resolve_bare_subunit_only_when_unique() -> None:
    registry = _registry()
    match = registry.resolve("Văn phòng")
    assert match is not None
    assert (match.name, match.exact) == ("Văn phòng (Ban Dân tộc)", False)
    assert registry.resolve("Phòng Tổng hợp") is None
    assert registry.resolve("Sở Ngoại vụ") is None
    assert registry.resolve("  ") is None


def test_suggest_offers_close_names_but_not_far_ones() -> None:
    registry = _registry()
    suggestions = registry.suggest("Sở Khoa học Công nghệ")
    assert [s.name for s in suggestions] == ["Sở Khoa học và Công nghệ"]
    assert suggestions[0].score >= 85
    assert not suggestions[0].exact
    assert registry.suggest("Công an tỉnh") == []
    best = registry.suggest("Phong Tong hop So Noi vu", limit=1)
    assert [s.name for s in best] == ["Phòng Tổng hợp (Sở Nội vụ)"]
    assert best[0].exact


def test_canonical_units_prefers_capitalised_then_frequent_then_first() -> None:
    groups = canonical_units(
        [
            "Hội đồng Thi đua - khen thưởng cơ sở",
            "Hội đồng Thi đua - khen thưởng cơ sở",
            "Hội đồng Thi đua – Khen thưởng cơ sở",
            "UBND tỉnh",
            "Ủy ban nhân dân tỉnh",
            "UBND tỉnh",
            "Sở Tư pháp",
        ]
    )
    assert groups == {
        "Hội đồng Thi đua – Khen thưởng cơ sở": ["Hội đồng Thi đua - khen thưởng cơ sở"],
        "UBND tỉnh": ["Ủy ban nhân dân tỉnh"],
        "Sở Tư pháp": [],
    }


def test_attach_bare_subunits_leaves_ambiguous_names() -> None:
    groups = {
        "Phòng Tổng hợp": [],
        "Phòng Tổng hợp (Sở Nội vụ)": [],
        "Phòng Tổng hợp (Sở Tài chính)": [],
        "Văn phòng": ["Văn Phòng"],
        "Văn phòng (Ban Dân tộc)": [],
    }
    assert attach_bare_subunits(groups) == {
        "Phòng Tổng hợp": [],
        "Phòng Tổng hợp (Sở Nội vụ)": [],
        "Phòng Tổng hợp (Sở Tài chính)": [],
        "Văn phòng (Ban Dân tộc)": ["Văn phòng", "Văn Phòng"],
    }


def test_split_units_normalises_form_but_not_letters() -> None:
    decomposed = unicodedata.normalize("NFD", "Sở   Tư pháp;")
    assert split_units(decomposed) == ["Sở Tư pháp"]
    assert split_units("Uỷ ban nhân dân tỉnh.") == ["Uỷ ban nhân dân tỉnh"]
    assert split_units("Sở Nội vụ; Sở Nội vụ") == ["Sở Nội vụ"]
    assert split_units("") == []
    assert split_units("x") == []


def test_split_units_reads_lead_and_partner_wording() -> None:
    assert split_units("Sở Y tế chủ trì, phối hợp với Sở Tài chính") == ["Sở Y tế", "Sở Tài chính"]
    assert split_units("Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh") == [
        "Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh"
    ]
    assert split_units("Sở Nội vụ (Ban Thi đua – Khen thưởng)") == [
        "Sở Nội vụ (Ban Thi đua - Khen thưởng)"
    ]
    assert split_units("So Tu phap, Van phong UBND tinh, Cong an tinh") == [
        "So Tu phap",
        "Van phong UBND tinh",
        "Cong an tinh",
    ]


_EDGE_OK = {"L", "N"}


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=80))
def test_split_units_is_total_and_clean(text: str) -> None:
    for name in split_units(text):
        assert name == unicodedata.normalize("NFC", name)
        assert name == name.strip()
        assert unicodedata.category(name[0])[0] in _EDGE_OK
        assert name[-1] == ")" or unicodedata.category(name[-1])[0] in _EDGE_OK | {"M"}


@given(
    st.lists(
        st.sampled_from(
            ["Sở", "Tư pháp", "các", "huyện", ",", ";", " và ", " - ", "UBND", "(chủ trì)", "\n"]
        ),
        max_size=20,
    ).map("".join)
)
def test_split_units_on_plan_like_noise(text: str) -> None:
    for name in split_units(text):
        assert name == name.strip()
        assert unicodedata.category(name[0])[0] in _EDGE_OK


@pytest.mark.parametrize(("cell", "expected"), HELD_OUT, ids=[c[:40] for c, _ in HELD_OUT])
def test_split_units_on_held_out_cells(cell: str, expected: list[str]) -> None:
    assert split_units(cell) == expected


def test_held_out_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(HELD_OUT) >= 40
    right = sum(split_units(cell) == expected for cell, expected in HELD_OUT)
    with capsys.disabled():
        print(f"\nsplit_units held out: {right}/{len(HELD_OUT)} cells exact")
    assert right == len(HELD_OUT)


def test_register_knows_the_2025_government_and_its_short_forms() -> None:
    ministries = [b for b in PUBLIC_BODIES if b.name.startswith("Bộ ") and not b.former]
    assert len(ministries) == 14
    assert public_body("Bộ NN&MT") == public_body("Bộ Nông nghiệp và Môi trường")
    assert public_body("Sở NNMT") == public_body("Sở Nông nghiệp và Môi trường")
    assert public_body("Sở TT&TT") == public_body("Sở Thông tin và Truyền thông")
    assert public_body("Sở Khoa học, Công nghệ") is None  # a near name is not a body
    assert unit_level("Bộ NN&MT") is Level.CENTRAL
    assert unit_level("Sở Nông nghiệp và Môi trường tỉnh Lâm Đồng") is Level.PROVINCE
    assert unit_level("UBND xã") is Level.COMMUNE
    assert unit_level("Bộ Chỉ huy quân sự tỉnh") is Level.PROVINCE
    assert unit_level("Bộ phận một cửa") is None
    assert unregistered_body("Sở Giáo dục")
    assert not unregistered_body("Sở Y tế tỉnh Lâm Đồng")
    assert not unregistered_body("Ban Dân tộc")


def test_suggest_never_crosses_levels() -> None:
    registry = UnitRegistry([("Sở Nông nghiệp và Môi trường", ()), ("Bộ Tài chính", ())])
    assert registry.suggest("Bộ NN&MT") == []
    assert registry.suggest("Sở Tài chinh") == []
    assert [m.name for m in registry.suggest("Sở Nong nghiep va Moi truong tinh")] == [
        "Sở Nông nghiệp và Môi trường"
    ]


def test_register_keeps_names_as_written() -> None:
    assert split_units("bộ Công Thương, Khoa học và Công nghệ") == [
        "Bộ Công Thương",
        "Bộ Khoa học và Công nghệ",
    ]
    assert split_units("UBND xã Trường Sơn") == ["UBND xã Trường Sơn"]
    assert split_units("Tổ công tác triển khai Đề án 06") == ["Tổ công tác triển khai Đề án 06"]


async def test_an_unknown_ministry_still_imports_with_a_warning(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    cell = "Ban Dân tộc, cơ quan công tác dân tộc cấp huyện\tQuý I/2022"
    text = SEED.read_text(encoding="utf-8").replace(
        cell, "Bộ Kinh tế; Bộ Ngoại giao Bộ Công Thương Cơ quan\tQuý I/2022", 1
    )
    path = tmp_path / "central.txt"
    path.write_text(text, "utf-8")
    async with sessions() as session:
        report = await import_plan(session, read_plan_file(path))
        await session.commit()
    assert report.tasks[0].lead_units == ["Bộ Kinh tế", "Bộ Ngoại giao", "Bộ Công Thương"]
    unknown = [w for w in report.warnings if "không có trong danh mục" in w]
    assert unknown == [
        "Đơn vị mới «Bộ Kinh tế» không có trong danh mục cơ quan nhà nước;"
        " đã nhập, hãy kiểm tra lại tên."
    ]
