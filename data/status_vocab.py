"""The words officers use to report status, kept as data so they can grow.

``data/status.py`` folds every word (``data/text.fold``), rewrites chat
shorthand with ``TEENCODE`` and then matches the patterns below against the
space-joined words ("keys"). Patterns are regular-expression fragments over
keys, never over raw text, so "đã xong", "da xong" and "dã xonggg" meet the
same pattern.

Folding merges words that Vietnamese keeps apart ("chờ" wait / "cho" give,
"muộn" late / "muốn" want, "nửa" half / "nữa" more, "dạ" yes / "đã" already).
When the officer did type the marks, ``RAW_SENSES`` keeps the meaning apart by
giving the word an upper-case key that no folded word can collide with.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

# Chat shorthand and teencode, folded word -> folded expansion.
TEENCODE: Final[Mapping[str, str]] = {
    # completion
    "xg": "xong",
    "xog": "xong",
    "hoanthanh": "hoan thanh",
    "hthanh": "hoan thanh",
    "r": "roi",
    "rui": "roi",
    "roai": "roi",
    "ruj": "roi",
    # progress
    "dag": "dang",
    "dg": "dang",
    "lm": "lam",
    # negation and "not yet"
    "k": "khong",
    "ko": "khong",
    "kh": "khong",
    "kg": "khong",
    "khg": "khong",
    "hok": "khong",
    "hong": "khong",
    "khum": "khong",
    "hk": "khong",
    "chx": "chua",
    # acknowledgement
    "oke": "ok",
    "okie": "ok",
    "oki": "ok",
    "okey": "ok",
    "okay": "ok",
    "okela": "ok",
    "okla": "ok",
    "oce": "ok",
    "uk": "ok",
    "uh": "ok",
    "uhm": "ok",
    "um": "ok",
    "vg": "vang",
    "tks": "cam on",
    "thanks": "cam on",
    "thank": "cam on",
    "camon": "cam on",
    # people and common words
    "e": "em",
    "c": "chi",
    "dc": "duoc",
    "dk": "duoc",
    "bc": "bao cao",
    "sl": "so lieu",
    "kp": "kinh phi",
    "tg": "thoi gian",
    "j": "gi",
    "ntn": "nhu the nao",
    "bh": "bao gio",
    "bgio": "bao gio",
    "nx": "nua",
    "ms": "moi",
    "cx": "cung",
    "vs": "voi",
    "q": "quy",
    "giahan": "gia han",
    "xingiahan": "xin gia han",
    "nhaclai": "nhac lai",
}

# Words whose meaning only the diacritics tell apart: NFC lower-case raw word -> key.
RAW_SENSES: Final[Mapping[str, str]] = {
    "đã": "da",
    "đang": "dang",
    "vướng": "vuong",
    "nữa": "nua",
    "kẹt": "STUCK",
    "chờ": "WAIT",
    "đợi": "WAIT",
    "dời": "DELAY",
    "hoãn": "DELAY",
    "khất": "DELAY",
    "muộn": "LATE",
    "trễ": "LATE",
    "chậm": "LATE",
    "nửa": "HALF",
    "dạ": "vang",
    "ừ": "ok",
    "ừm": "ok",
    "muốn": "WANT",
    "đâu": "WHERE",
    "à": "QPART",
    "hả": "QPART",
    "nhỉ": "QPART",
    "hở": "QPART",
}

# Folded words with a second meaning when typed with marks: "xông" is not "xong",
# "đăng" is not "đang", "chợ" is not "chờ". Marked spellings missing from
# RAW_SENSES get the key "OTHER"; unmarked ones keep the folded key.
AMBIGUOUS: Final[frozenset[str]] = frozenset(
    {"cho", "doi", "muon", "tre", "cham", "nua", "khat", "vuong", "dang", "da", "xong"}
)

# Emoji that mean "ok / noted" (skin-tone modifiers are dropped before lookup).
ACK_EMOJI: Final[frozenset[str]] = frozenset({"👍", "👌", "🆗", "🙆"})

# --- completion -----------------------------------------------------------
# Words that say "finished" on their own.
DONE_WORDS: Final = (r"xong", r"hoan thanh", r"hoan tat", r"100 %", r"100 phan tram")
# Verbs of handing work in: finished only with "đã" before or "rồi" after.
DONE_VERBS: Final = (r"nop", r"gui", r"ban hanh")
# Folded spellings that must be present for a reply to be read as done; the
# property test checks every ``done`` against this list (letters may repeat).
DONE_MARKERS: Final = (
    "xong",
    "xg",
    "xog",
    "hoan thanh",
    "hoanthanh",
    "hthanh",
    "hoan tat",
    "nop",
    "gui",
    "ban hanh",
    "100",
)

# What can stand before a done word and change its meaning (keys, one regex each).
NEGATIONS: Final = (r"chua", r"khong", r"chang", r"cha", r"chua the", r"khong the")
# Work is underway or nearly done: "đang hoàn thành", "sắp xong", "gần xong".
NEAR: Final = (
    r"dang",
    r"sap",
    r"gan",
    r"sap sua",
    r"chuan bi",
    r"van dang",
    r"gan nhu",
    r"con",
    r"nua la",
)
# A promise, not a report: "sẽ xong", "mai xong", "dự kiến hoàn thành".
FUTURE: Final = (
    r"se",
    r"mai",
    r"du kien",
    r"co gang",
    r"phai",
    r"can",
    r"WANT",
    r"tranh thu",
    r"hy vong",
    r"hi vong",
    r"mong",
    r"(?:tuan|thang|nam) (?:sau|toi)",
    r"ngay mai",
    r"(?:sang|chieu|toi) (?:nay|mai)",
    r"cuoi tuan",
    # a named day before the verb is a promise too: "thứ 6 gửi", "20/5 em nộp"
    r"thu (?:2|3|4|5|6|7|hai|ba|tu|nam|sau|bay)",
    r"chu nhat",
    r"dau tuan",
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?",
)
# The officer is unsure: "chắc xong rồi", "hình như đã nộp".
DOUBT: Final = (
    r"chac(?! chan)",
    r"co the",
    r"co le",
    r"hinh nhu",
    r"khong biet",
    r"khong ro",
    r"WAIT",
    r"nghi(?: la)?",
    r"tuong(?: la)?",
    r"doan(?: la)?",
    r"kho(?: ma| co the)?",
)
# After a completion word, a judgement rather than a report: "hoàn thành chỉ tiêu là khó".
DOUBT_AFTER: Final = (r"la kho", r"kho", r"hoi kho", r"rat kho", r"thi tot", r"thi hay")
# "Xong gì đâu", "xong đâu mà xong": "đâu" denies the sentence it ends or opens.
DENIAL: Final = (r"WHERE(?! (?:a|QPART|vay|nhi|ha|the)$)", r"dau$", r"dau ma")
# After a hand-in verb, it was not the work that went in: "gửi hỏi Sở", "gửi nhầm".
NOT_HANDED_IN: Final = (r"hoi", r"xin", r"nho", r"de nghi", r"y kien", r"nham", r"sai", r"thieu")
# "nếu xong", "khi nào xong", "xong thì báo": a condition, the reply acknowledges.
CONDITION: Final = (r"neu", r"khi", r"khi nao", r"bao gio", r"luc nao", r"sau khi", r"lam cho")
# After a done word: only part of the work ("xong phần 1", "xong bước khảo sát").
PARTIAL_AFTER: Final = (r"phan", r"mot phan", r"buoc", r"giai doan", r"khau", r"dot", r"HALF")

# Appended to progress phrases that are part of a completion: "đã triển khai xong".
NOT_BEFORE_DONE: Final = r"(?! (?:\S+ ){0,3}?(?:xong|hoan thanh|hoan tat|100 %))"
# The word just before a done word makes it a noun: "hạn hoàn thành", "ngày hoàn thành".
NOMINAL: Final = (
    r"han",
    r"thoi han",
    r"ngay",
    r"thoi gian",
    r"ke hoach",
    r"muc tieu",
    r"chi tieu",
    r"ty le",
    r"ti le",
)

# "Chờ em chút" asks the reader to wait; it is not a blockage.
NOT_A_MOMENT: Final = r"(?! (?:em|minh|toi|chut|xiu|ti|lat|mot (?:chut|lat|ti))(?!\S))"
# Waiting for the routine end of the paperwork (release, numbering, the clerk) is the
# normal course of work, not a blockage: "chờ phát hành", "chờ văn thư lấy số".
ROUTINE_STEP: Final = r"(?:ky )?(?:phat hanh|ban hanh)|van thu|lay so|vao so|dong dau"
NOT_ROUTINE: Final = r"(?! (?:" + ROUTINE_STEP + r")(?!\S))"

# --- the other states -------------------------------------------------------
IN_PROGRESS: Final = (
    r"dang (?!(?:WAIT|cho|doi|vuong|xin|om|nghi|hoi|can|WANT|khong|gap|bi|ket|STUCK|la|o|di|hop"
    r"|ban)(?!\S))[a-z]+",
    r"dang \d",
    r"tiep tuc",
    r"bat dau (?:lam|thuc hien|trien khai|roi)",
    r"da bat dau",
    r"da trien khai" + NOT_BEFORE_DONE,
    r"da thuc hien" + NOT_BEFORE_DONE,
    r"lam duoc" + NOT_BEFORE_DONE,
    r"tien do" + NOT_BEFORE_DONE,
    r"trong qua trinh",
    # reports of steps taken, kept as notes: "đã họp triển khai", "đã có công văn đôn đốc"
    r"da (?:hop|to chuc hop|co (?:cong van|van ban)|don doc|khao sat|xay dung|soan thao)"
    + NOT_BEFORE_DONE,
    r"(?:WAIT|cho|doi) (?:" + ROUTINE_STEP + r")",
)
# Work handed on along the administrative chain is in progress, and the waiting that
# follows it is its normal course: "đã trình ký, chờ phát hành", "đã chuyển phòng X
# xử lý", "đã gửi dự thảo xin ý kiến".
FORWARDED: Final = (
    r"da trinh",
    r"trinh (?:ky|duyet)",
    r"da chuyen (?:cho |sang |qua )?(?:phong|van thu|bo phan|ban|so|don vi|lanh dao|chuyen vien)",
    r"(?:da )?gui (?:\S+ ){0,3}?(?:xin|lay|hoi) (?:y kien|gop y)",
    r"dang (?:xin|lay) (?:y kien|gop y)",
)
# "Không có gì vướng": a blockage word denied is no blockage (nor a question "… gì ạ").
NO_OBSTACLE: Final = (
    r"(?:khong|chua|chang) (?:co )?(?:gi )?(?:vuong mac|vuong|kho khan|van de|truc trac|STUCK"
    r"|bi ket)(?: gi)?(?: ca)?",
)
NOT_STARTED: Final = (
    r"chua (?:kip )?(?:lam|bat dau|trien khai|thuc hien|dong|co gi|xem|doc|lam gi|tien hanh)",
    r"chua kip$",
)
BLOCKED_LABELS: Final = (
    r"vuong mac",
    r"vuong",
    r"kho khan",
    r"gap kho khan",
    r"bi ket",
    r"STUCK",
    r"bi tac",
    r"be tac",
    r"truc trac",
    r"su co",
    r"gap van de",
    r"co van de",
    r"ly do",
)
# Waiting on someone else; dropped when the message says the work was handed on.
BLOCKED_WAITING: Final = (
    r"WAIT" + NOT_A_MOMENT + NOT_ROUTINE,
    r"(?:dang|van|con|phai|van dang|dang phai) (?:cho|doi)" + NOT_A_MOMENT + NOT_ROUTINE,
)
BLOCKED_CONTENT: Final = (
    r"(?:chua|khong) (?:co|du) (?:so lieu|kinh phi|huong dan|van ban|y kien|chi dao|thong tin"
    r"|du lieu|nguon|nhan su|nguoi|ke hoach|mau|bieu mau|phan hoi|ket qua|tien|xe|thiet bi)",
    r"chua duoc (?:cap|phan bo|giao|duyet|phe duyet|huong dan|bo tri|ky|tra loi|cung cap)",
    r"(?<!toi )thieu(?! nhi)",
    r"khong kip",
    r"kho (?:ma|co the)",
    r"khong the",
    r"chua the",
    r"khong (?:lam|thuc hien|trien khai|hoan thanh|lien lac|lien he) duoc",
    r"bi om",
    r"dang om",
    r"loi he thong",
)
EXTENSION: Final = (
    r"gia han",
    r"(?:xin|cho) lui",
    r"lui (?:han|lai|sang|den|toi|them)",
    r"DELAY",
    r"doi (?:han|sang|den|toi|lai|ngay)",
    r"khat",
    r"xin hoan",
    r"hoan (?:den|sang|lai|toi)",
    r"(?:xin|can) (?:them|them it) (?:thoi gian|ngay|tuan|thang|\d+|mot|hai|ba|vai|it|chut)",
    r"them thoi gian",
    r"cho (?:em|minh|toi|chung em|ben em|don vi em) (?:them|den|toi|sang|lui|nop|gui|hoan"
    r" thanh|bao cao|het|\d)",
    r"xin (?:nop|gui|hoan thanh|bao cao|lam) (?:vao|truoc|den|toi|sang|LATE|cham|muon|tre|trong"
    r"|ngay|thu|cuoi|dau|\d)",
)
ACKNOWLEDGED: Final = (
    r"ok",
    r"vang",
    r"nhan duoc",
    r"da nhan",
    r"nhan roi",
    r"(?:em|minh|toi) (?:da )?nhan",
    r"nam (?:duoc )?roi",
    r"(?:da )?nam (?:duoc|ro)",
    r"em nam",
    r"ro roi",
    r"da ro",
    r"em ro",
    r"biet roi",
    r"da biet",
    r"cam on",
    r"(?:em|minh|toi|chung em) se (?:lam|thuc hien|trien khai|bao cao|xu ly|nop|gui|tham muu)",
    r"tiep thu",
    r"thuc hien ngay",
    r"^(?:vang )?duoc (?:a|anh|chi|roi)",
)
QUESTION: Final = (
    r"khi nao",
    r"bao gio",
    r"luc nao",
    r"hom nao",
    r"ngay nao",
    r"nhu the nao",
    r"the nao",
    r"nhu nao",
    r"ra sao",
    r"tai sao",
    r"vi sao",
    r"sao (?:vay|a|ha)",
    r"gi (?:vay|a|the|day|QPART|nhi|ha|ah)",
    r"(?:viec|cai|lam|la|nop|gui|bao cao) gi",
    r"nao (?:vay|a|the|QPART|ha)",
    r"bao nhieu",
    r"o WHERE|o dau|WHERE",
    r"(?:cho|voi|gui|nop) ai",
    r"ai (?:lam|nop|phu trach|chiu trach nhiem|gui)",
    r"phai khong",
    r"duoc khong",
    r"co .*khong(?: (?:a|anh|chi|em|QPART|nhi|vay|ha|oi))*$",
    r"(?:cho|xin) (?:em |minh |toi )?hoi",
    r"lam sao",
    r"sao ma",
    r"(?!(?:em|minh|toi|van|cung|vang) )\S+ chua(?: (?:a|anh|chi|em|QPART|nhi|ha|vay|oi))*$",
    r"QPART$",
)
# A cause given by the officer; what follows is the reason.
REASON_MARKERS: Final = (r"vi", r"do", r"ly do", r"tai vi", r"boi vi", r"vi la", r"la do")
# Raw spellings a reason marker may start with: "vì" and "do", not "vị", "đó", "tài".
REASON_MARKER_SPELLINGS: Final = frozenset(
    {"vì", "vi", "do", "tại", "tai", "bởi", "boi", "lý", "ly", "lí", "li", "là", "la"}
)
# Where a reason stops: "... nên xin gia hạn", "... vậy nên".
REASON_STOPS: Final = (r"nen", r"vi vay", r"do do", r"xin", r"de nghi", r"kinh mong", r"mong")
LATE: Final = (
    r"(?:LATE|tre)(?! nhat)",
    r"qua han",
    r"khong dung han",
    r"(?:muon|cham) (?:\d+|hon|mat|vai|may|roi|han|a|so voi)",
    r"(?:muon|cham)$",
)
LATE_CANCEL: Final = (r"khong", r"chua", r"khoi", r"se", r"co the", r"so", r"e la", r"chac", r"de")
# Trailing words that carry politeness, not content.
PARTICLES: Final = frozenset(
    {"a", "nhe", "nha", "ha", "oi", "vang", "QPART", "ah", "luon", "voi", "nhi", "ak"}
)
ADDRESS_TERMS: Final = frozenset({"anh", "chi", "em", "sep", "thu truong", "ban", "co", "chu"})

# Number words before a unit of time: "thêm một tuần", "hai tháng".
NUMBER_WORDS: Final[Mapping[str, int]] = {
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "tu": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
    "muoi lam": 15,
    "muoi nam": 15,
}
WEEKDAYS: Final[Mapping[str, int]] = {
    "2": 0,
    "hai": 0,
    "3": 1,
    "ba": 1,
    "4": 2,
    "tu": 2,
    "5": 3,
    "nam": 3,
    "6": 4,
    "sau": 4,
    "7": 5,
    "bay": 5,
}
ROMAN_QUARTERS: Final[Mapping[str, int]] = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
