"""The register of Vietnamese public bodies a plan's unit cell names.

Central-government plans name ministries in every way a typist finds quick:
"Bộ Công Thương, Khoa học và Công nghệ" (two ministries), "Các Bộ: Tài chính,
Xây dựng" (two), "Bộ Ngoại giao Bộ Công Thương" (two, no separator). Rules
alone cannot tell "Bộ Văn hóa, Thể thao và Du lịch" (one) from those; knowing
the names can. ``data.units`` uses this register to split, expand and
recognise units, and ``data.unit_registry`` to keep suggestions within one
level (a ministry is never "nearly" a provincial department).

Sources, as organised from March 2025 (stated as understood, not copied):
- Nghị quyết 176/2025/QH15 (18/02/2025) on the Government's structure for the
  15th term: 14 ministries and 3 ministry-level agencies after the mergers
  (Tài chính + Kế hoạch và Đầu tư; Nông nghiệp và Môi trường from NN&PTNT +
  TN&MT; Khoa học và Công nghệ + Thông tin và Truyền thông; Xây dựng + Giao
  thông vận tải; Nội vụ + Lao động - Thương binh và Xã hội; the new Bộ Dân tộc
  và Tôn giáo from Ủy ban Dân tộc).
- The 2025 decrees on each ministry's organisation (Nghị định 25/2025/NĐ-CP
  and its siblings, 02/2025): Bảo hiểm xã hội Việt Nam is under Bộ Tài chính
  since 03/2025 rather than a Government agency — kept here as a central body
  because plans still name it as one. The list of Government agencies (Đài
  Truyền hình Việt Nam, Đài Tiếng nói Việt Nam, Thông tấn xã Việt Nam, the two
  academies, Ban Quản lý Lăng) is from memory of those texts: uncertain.
- Nghị định 45/2025/NĐ-CP (28/02/2025) on the specialised departments of
  provincial people's committees (Sở … after the mergers), and the two-level
  local government from 07/2025 (no districts; communes, wards, special zones).
Names before the mergers stay registered as ``former`` bodies: plans and
tracking sheets from before 2025 still use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    """Where a body sits: suggestions never cross levels."""

    CENTRAL = "central"
    PROVINCE = "province"
    COMMUNE = "commune"  # district and commune level (districts ended 07/2025)


class Kind(StrEnum):
    MINISTRY = "ministry"
    MINISTRY_LEVEL = "ministry-level agency"
    GOVERNMENT_AGENCY = "government agency"
    DEPARTMENT = "department"  # Sở and the provincial bodies of its rank
    PEOPLES_COMMITTEE = "people's committee"
    PEOPLES_COUNCIL = "people's council"
    OFFICE = "office"


@dataclass(frozen=True)
class PublicBody:
    """One body: its name as the government writes it, short forms, level, kind."""

    name: str
    level: Level
    kind: Kind
    short: tuple[str, ...] = ()
    former: bool = False  # merged away in 2025; still named in older plans


def _ministry(name: str, *short: str, former: bool = False) -> PublicBody:
    return PublicBody(f"Bộ {name}", Level.CENTRAL, Kind.MINISTRY, short, former)


def _department(name: str, *short: str, former: bool = False) -> PublicBody:
    return PublicBody(f"Sở {name}", Level.PROVINCE, Kind.DEPARTMENT, short, former)


_CENTRAL = (
    _ministry("Quốc phòng", "BQP"),
    _ministry("Công an", "BCA"),
    _ministry("Ngoại giao", "BNG"),
    _ministry("Nội vụ", "BNV"),
    _ministry("Tư pháp", "BTP"),
    _ministry("Tài chính", "BTC"),
    _ministry("Công Thương", "BCT"),
    _ministry("Nông nghiệp và Môi trường", "BNNMT", "Bộ NN&MT", "Bộ NNMT"),
    _ministry("Xây dựng", "BXD"),
    _ministry("Văn hóa, Thể thao và Du lịch", "BVHTTDL", "Bộ VHTTDL"),
    _ministry("Khoa học và Công nghệ", "BKHCN", "Bộ KH&CN"),
    _ministry("Giáo dục và Đào tạo", "BGDĐT", "Bộ GD&ĐT"),
    _ministry("Y tế", "BYT"),
    _ministry("Dân tộc và Tôn giáo", "BDTTG"),
    _ministry("Kế hoạch và Đầu tư", "BKHĐT", "Bộ KH&ĐT", former=True),
    _ministry("Nông nghiệp và Phát triển nông thôn", "Bộ NN&PTNT", former=True),
    _ministry("Tài nguyên và Môi trường", "Bộ TN&MT", former=True),
    _ministry("Thông tin và Truyền thông", "Bộ TT&TT", former=True),
    _ministry("Giao thông vận tải", "Bộ GTVT", former=True),
    _ministry("Lao động - Thương binh và Xã hội", "Bộ LĐTB&XH", former=True),
    PublicBody("Ngân hàng Nhà nước Việt Nam", Level.CENTRAL, Kind.MINISTRY_LEVEL, ("NHNN",)),
    PublicBody("Thanh tra Chính phủ", Level.CENTRAL, Kind.MINISTRY_LEVEL, ("TTCP",)),
    PublicBody("Văn phòng Chính phủ", Level.CENTRAL, Kind.MINISTRY_LEVEL, ("VPCP",)),
    PublicBody("Ủy ban Dân tộc", Level.CENTRAL, Kind.MINISTRY_LEVEL, ("UBDT",), former=True),
    PublicBody("Đài Truyền hình Việt Nam", Level.CENTRAL, Kind.GOVERNMENT_AGENCY, ("VTV",)),
    PublicBody("Đài Tiếng nói Việt Nam", Level.CENTRAL, Kind.GOVERNMENT_AGENCY, ("VOV",)),
    PublicBody("Thông tấn xã Việt Nam", Level.CENTRAL, Kind.GOVERNMENT_AGENCY, ("TTXVN",)),
    PublicBody(
        "Viện Hàn lâm Khoa học và Công nghệ Việt Nam", Level.CENTRAL, Kind.GOVERNMENT_AGENCY
    ),
    PublicBody("Viện Hàn lâm Khoa học xã hội Việt Nam", Level.CENTRAL, Kind.GOVERNMENT_AGENCY),
    PublicBody("Ban Quản lý Lăng Chủ tịch Hồ Chí Minh", Level.CENTRAL, Kind.GOVERNMENT_AGENCY),
    PublicBody("Bảo hiểm xã hội Việt Nam", Level.CENTRAL, Kind.GOVERNMENT_AGENCY, ("BHXH VN",)),
)

_PROVINCE = (
    _department("Nội vụ", "SNV"),
    _department("Tư pháp", "STP"),
    _department("Tài chính", "STC"),
    _department("Công Thương", "SCT"),
    _department("Nông nghiệp và Môi trường", "Sở NNMT", "Sở NN&MT"),
    _department("Xây dựng", "SXD"),
    _department("Văn hóa, Thể thao và Du lịch", "Sở VHTTDL"),
    _department("Văn hóa và Thể thao", "Sở VH&TT"),
    _department("Du lịch"),
    _department("Khoa học và Công nghệ", "SKHCN", "Sở KH&CN"),
    _department("Giáo dục và Đào tạo", "SGDĐT", "Sở GD&ĐT"),
    _department("Y tế", "SYT"),
    _department("Dân tộc và Tôn giáo"),
    _department("Ngoại vụ"),
    _department("Kế hoạch và Đầu tư", "Sở KH&ĐT", former=True),
    _department("Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", former=True),
    _department("Tài nguyên và Môi trường", "Sở TN&MT", former=True),
    _department("Thông tin và Truyền thông", "Sở TT&TT", former=True),
    _department("Giao thông vận tải", "Sở GTVT", former=True),
    _department("Lao động - Thương binh và Xã hội", "Sở LĐTB&XH", former=True),
    PublicBody("Thanh tra tỉnh", Level.PROVINCE, Kind.DEPARTMENT),
    PublicBody("Ban Dân tộc", Level.PROVINCE, Kind.DEPARTMENT, ("BDT",), former=True),
    PublicBody("Công an tỉnh", Level.PROVINCE, Kind.DEPARTMENT),
    PublicBody("Văn phòng UBND tỉnh", Level.PROVINCE, Kind.OFFICE, ("VP UBND tỉnh",)),
    PublicBody("Ủy ban nhân dân tỉnh", Level.PROVINCE, Kind.PEOPLES_COMMITTEE, ("UBND tỉnh",)),
    PublicBody("Hội đồng nhân dân tỉnh", Level.PROVINCE, Kind.PEOPLES_COUNCIL, ("HĐND tỉnh",)),
)

_COMMUNE = (
    PublicBody("Ủy ban nhân dân xã", Level.COMMUNE, Kind.PEOPLES_COMMITTEE, ("UBND xã",)),
    PublicBody("Ủy ban nhân dân phường", Level.COMMUNE, Kind.PEOPLES_COMMITTEE, ("UBND phường",)),
    PublicBody("Ủy ban nhân dân huyện", Level.COMMUNE, Kind.PEOPLES_COMMITTEE, ("UBND huyện",)),
    PublicBody("Hội đồng nhân dân xã", Level.COMMUNE, Kind.PEOPLES_COUNCIL, ("HĐND xã",)),
    PublicBody("Công an xã", Level.COMMUNE, Kind.DEPARTMENT),
    PublicBody("Văn phòng HĐND và UBND xã", Level.COMMUNE, Kind.OFFICE),
)

PUBLIC_BODIES: tuple[PublicBody, ...] = (*_CENTRAL, *_PROVINCE, *_COMMUNE)

# First words that fix a name's level when the register does not know the name
# ("Sở Nông nghiệp và Môi trường tỉnh Lâm Đồng", "Bộ NN&MT", "Vụ Pháp chế").
# ("Bộ Chỉ huy quân sự tỉnh" is provincial; "Bộ phận một cửa" sits anywhere.)
LEVEL_HEADS: dict[str, Level | None] = {
    "bo": Level.CENTRAL,
    "bo chi huy": Level.PROVINCE,
    "bo doi bien phong": Level.PROVINCE,
    "bo phan": None,
    "vu": Level.CENTRAL,
    "tong cuc": Level.CENTRAL,
    "so": Level.PROVINCE,
    "chi cuc": Level.PROVINCE,
}

# Heads whose bodies the register lists in full: another "Bộ …"/"Sở …" is a
# misspelling or a body the register lacks, and import says so.
COMPLETE_HEADS = ("bo", "so")
