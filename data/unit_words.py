"""The words that shape a plan's unit cell, kept as data so they can grow.

``data/units.py`` splits a cell by what the next words are: a head word opens
a unit, a kind of body continues a "các …" enumeration, a role before a unit is
dropped. Entries are lower case with their marks; ``data.units`` also accepts
them typed without marks. Phrases are sorted longest first so the longest one
wins ("văn phòng" over "phòng").
"""

from __future__ import annotations

Phrases = tuple[tuple[str, ...], ...]


def phrases(*items: str) -> Phrases:
    """Word tuples, longest first, so "văn phòng" wins over "phòng"."""
    return tuple(sorted((tuple(item.split()) for item in items), key=len, reverse=True))


# Words that open the name of a unit.
HEADS = phrases(
    "sở", "bộ", "ban", "phòng", "văn phòng", "ubnd", "ủy ban", "hđnd", "hội đồng",
    "công an", "bộ chỉ huy", "ban chỉ huy", "trung tâm", "cục", "chi cục", "tổng cục",
    "thanh tra", "đài", "báo", "trường", "bệnh viện", "liên đoàn", "hội", "chi hội", "đoàn",
    "mặt trận", "thường trực", "tỉnh ủy", "tỉnh đoàn", "thành ủy", "thành đoàn", "huyện ủy",
    "huyện đoàn", "quận ủy", "đảng ủy", "xã đoàn", "kho bạc", "ngân hàng", "bảo hiểm",
    "viện", "tòa án", "công ty", "tổng công ty", "tập đoàn", "điện lực", "bưu điện",
    "viễn thông", "hải quan", "quỹ", "học viện", "đại học", "trạm", "tổ", "bộ phận", "đội",
    "khoa", "vụ", "liên minh", "liên hiệp", "hiệp hội", "chi nhánh", "cổng thông tin",
    "công báo", "bảo tàng", "thư viện", "nhà văn hóa", "bộ đội", "cảnh sát", "kiểm toán",
    "hạt", "câu lạc bộ",
)  # fmt: skip
# Abbreviations that may name a parent after a dash ("Phòng X - UBND huyện").
ABBREVIATED_HEADS = frozenset({"ubnd", "hđnd", "ubmttq", "ubmttqvn", "mttq", "bdt", "bchqs"})
# Heads of units that sit inside another one and take it as "(Parent)".
SUBUNITS = phrases(
    "văn phòng", "phòng", "tổ", "bộ phận", "trung tâm", "chi cục", "cục", "vụ", "đội",
    "khoa", "ban", "trạm", "hạt", "thanh tra", "chi nhánh", "vp", "tt",
)  # fmt: skip
# Units inside a ministry: "Cục X, Bộ Y" is Cục X of Bộ Y, not two units.
MINISTRY_SUBUNITS = phrases("cục", "vụ", "tổng cục", "văn phòng bộ", "thanh tra bộ")
# Kinds of body that "các …" enumerations list.
KINDS = phrases(
    "sở", "ban", "ngành", "ban ngành", "sở ngành", "đoàn thể", "huyện", "quận", "thị xã",
    "thị", "thành phố", "tp", "thị trấn", "xã", "phường", "đặc khu", "tỉnh", "cơ quan",
    "đơn vị", "địa phương", "doanh nghiệp", "tổ chức", "cá nhân", "hội", "hiệp hội", "trường",
    "trường học", "phòng", "cơ sở", "thôn", "ấp", "bản", "khu phố", "tổ dân phố",
    "hợp tác xã", "lực lượng", "bộ", "cơ quan ngang bộ", "tập đoàn", "tổng công ty",
)  # fmt: skip
# What may stand before a run of kinds to make an enumeration ("UBND huyện, xã").
GROUP_TRIGGERS = phrases("các", "ubnd", "ủy ban nhân dân", "hđnd", "hội đồng nhân dân", "cấp")
# A person's role before the unit: "Giám đốc Sở …" means the Sở.
ROLES = phrases(
    "lãnh đạo", "giám đốc", "phó giám đốc", "tổng giám đốc", "trưởng", "phó trưởng", "phó",
    "chánh", "phó chánh", "chủ tịch", "phó chủ tịch", "thủ trưởng", "bí thư", "phó bí thư",
    "cục trưởng", "chi cục trưởng", "viện trưởng", "hiệu trưởng", "người đứng đầu",
    "đại diện", "thành viên", "cán bộ", "công chức", "chuyên viên",
)  # fmt: skip
# Bodies an office can serve jointly: "Văn phòng HĐND và UBND tỉnh" is one office.
BODIES = phrases(
    "hđnd", "ubnd", "hội đồng nhân dân", "ủy ban nhân dân", "đoàn đbqh", "đoàn đại biểu quốc hội"
)  # fmt: skip
# What a unit *does*, written after its name: "Bộ Tư pháp chủ trì hướng dẫn" is Bộ Tư pháp.
# Cut only after a registered body's name ("Tổ công tác triển khai Đề án 06" is a name).
VERBS = phrases(
    "chủ trì", "hướng dẫn", "tổng hợp", "thẩm định", "tham mưu", "thực hiện", "triển khai",
    "báo cáo", "trình", "ban hành", "theo dõi", "kiểm tra", "đôn đốc", "rà soát", "đề xuất",
    "xây dựng", "hoàn thiện", "tổ chức", "về", "phối hợp", "cung cấp", "đánh giá", "bảo đảm",
)  # fmt: skip
CAC = phrases("các")
UBND_CAC = phrases("ubnd các", "ủy ban nhân dân các")
# Kinds that a colon list may name once for all its items ("các Sở: Tư pháp, Nội vụ").
COLON_KINDS = phrases("sở", "bộ", "phòng", "ban")
