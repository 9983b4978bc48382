"""A plan's unit cell -> the names of the units it lists.

Cells are free text written by hand: "Sở Tư pháp, Văn phòng UBND tỉnh, Công an
tỉnh", "UBND các huyện, thị xã, thành phố", "Văn phòng, Phòng Tuyên truyền và
Địa bàn - Ban Dân tộc". Commas and "và" both separate units *and* occur inside
names, so the split is decided by what follows: a new unit opens with a head
word (Sở, Phòng, UBND, …) or "các"; a lowercase fragment naming a kind of body
continues a "các …" enumeration; anything else continues the name. Names are
data: apart from NFC, spacing, dashes and the first capital, letters are kept.

The register of public bodies (``data/public_bodies.py``) settles what rules
cannot: "Bộ Công Thương, Khoa học và Công nghệ" is two ministries because "Bộ
Khoa học và Công nghệ" is one, "Bộ Ngoại giao Bộ Công Thương" splits at a known
name, and a verb after a known name ("Bộ Tư pháp chủ trì hướng dẫn") is not
part of it. The words (heads, kinds of body, roles, …) are data in
``data/unit_words.py``.
Identity and matching of names live in ``data.unit_registry`` and are
re-exported here so callers import one module.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

from data.public_bodies import Kind
from data.text import nfc, normalize_dashes, strip_diacritics
from data.unit_registry import (
    UnitMatch,
    UnitRegistry,
    attach_bare_subunits,
    canonical_units,
    public_body,
    split_parent,
    unit_key,
    unregistered_body,
)
from data.unit_words import (
    ABBREVIATED_HEADS,
    BODIES,
    CAC,
    COLON_KINDS,
    GROUP_TRIGGERS,
    HEADS,
    KINDS,
    MINISTRY_SUBUNITS,
    ROLES,
    SUBUNITS,
    UBND_CAC,
    VERBS,
    Phrases,
    phrases,
)

__all__ = [
    "UnitMatch",
    "UnitRegistry",
    "attach_bare_subunits",
    "canonical_units",
    "split_parent",
    "split_units",
    "unit_key",
    "unregistered_body",
]

_WORD_EDGE = ".,;:!?()\"'“”‘’"
_LABEL = re.compile(
    r"^\s*(?:(?:cơ quan|đơn vị|co quan|don vi)\s+)?(?:chủ trì|phối hợp|thực hiện|chu tri|phoi hop)"
    r"\s*:\s*",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-+•*·]+|\d+[.)]|[a-zđ][.)])\s+", re.IGNORECASE)
_NOT_UNIT = re.compile(
    r"\btheo (?:su )?(?:phan cong|chuc nang|quy dinh|quyet dinh|ke hoach|chi dao|yeu cau)"
)
_GENERIC = re.compile(r"^(?:cac )?(?:co quan|don vi|dia phuong)(?: (?:co )?lien quan)?$")
_REMARK = re.compile(r"chu tri|phoi hop|b/c|bao cao|^(?:qua|theo|neu|ke ca|tru)\b")
_PAREN = re.compile(r"\(([^()]*)\)")
_MASK = re.compile("\ue000(\\d+)\ue001")
_AND = re.compile(r"\s+(?:và|va)\s+")
_LONG_DASH = re.compile(r"[^\S\n]*[–—‒―−][^\S\n]*")
_LOOSE_HYPHEN = re.compile(r"[^\S\n]+-[^\S\n]*|[^\S\n]*-[^\S\n]+")
# "Sở Y tế chủ trì, phối hợp với Sở Tài chính": the roles separate two units.
# ("Hội đồng phối hợp phổ biến, giáo dục pháp luật" names a unit: no "với" there.)
_SO_NGANH = re.compile(r"\b(sở|bộ)\s*,\s*(?:ban\s*,\s*)?ngành\s*$", re.IGNORECASE)
_ROLE_WORDS = re.compile(r"\s+chủ trì\s*(?=[,;\n]|$)|(?:^|[,;\s])\s*phối hợp với\s+", re.MULTILINE)


@cache
def _folded(word: str) -> str:
    """Folded form of one vocabulary word or character (a bounded set, hence cached)."""
    return strip_diacritics(word).lower()


def _word_key(word: str) -> str:
    return word.strip(_WORD_EDGE).lower().replace("uỷ", "ủy")


def _same(key: str, phrase_word: str) -> bool:
    """Equal words; plain-ASCII input (typed without marks) is compared folded."""
    return key == phrase_word or (key.isascii() and key == _folded(phrase_word))


def _prefix_at(keys: Sequence[str], start: int, phrases: Phrases) -> int:
    """Length of the longest phrase that ``keys`` has at ``start`` (0 if none)."""
    for phrase in phrases:
        end = start + len(phrase)
        if end <= len(keys) and all(map(_same, keys[start:end], phrase)):
            return len(phrase)
    return 0


def _suffix_at(keys: Sequence[str], end: int, phrases: Phrases) -> int:
    """Length of the longest phrase that ends just before ``end`` (0 if none)."""
    for phrase in phrases:
        start = end - len(phrase)
        if start >= 0 and all(map(_same, keys[start:end], phrase)):
            return len(phrase)
    return 0


def _keys(text: str) -> list[str]:
    return [key for key in map(_word_key, text.split()) if key]


def _is_abbreviation(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _opens_unit(text: str, *, capitalised: bool = True) -> bool:
    """Whether ``text`` starts with a head word ("Sở …", "UBND …", "VP HĐND-UBND")."""
    words = text.split()
    if not words:
        return False
    first = words[0].strip(_WORD_EDGE)
    if _is_abbreviation(first):
        return True
    if capitalised and not first[:1].isupper():
        return False
    return _prefix_at(_keys(text), 0, HEADS) > 0


def _role_length(keys: Sequence[str]) -> int:
    """Words taken by a leading role, "các" included ("các Phó Chủ tịch")."""
    skip = _prefix_at(keys, 0, CAC)
    length = _prefix_at(keys, skip, ROLES)
    return skip + length if length else 0


def _starts_unit_or_group(text: str) -> bool:
    keys = _keys(text)
    return (
        _opens_unit(text, capitalised=False)
        or _prefix_at(keys, 0, CAC) > 0
        or _prefix_at(keys, 0, KINDS) > 0
    )


def _strip_role(text: str) -> str:
    """ "Giám đốc Sở Y tế", "Lãnh đạo / Sở Y tế" -> "Sở Y tế"; kept when no unit follows."""
    words = text.split()
    length = _role_length(_keys(text))
    rest = " ".join(words[length:]).lstrip("/ ")
    return rest if length and _starts_unit_or_group(rest) else text


def _opens_new_unit(text: str) -> bool:
    """What follows a "và" that starts another unit: a head, "các", or a role and a unit."""
    keys = _keys(text)
    if _opens_unit(text) or _prefix_at(keys, 0, CAC):
        return True
    length = _role_length(keys)
    return bool(length) and _starts_unit_or_group(" ".join(text.split()[length:]))


def _office_of_bodies(text: str) -> bool:
    """ "Văn phòng HĐND", "Văn phòng Đoàn ĐBQH, HĐND": an office still naming its bodies."""
    keys = _keys(text.replace("-", " - "))
    if _prefix_at(keys, 0, phrases("văn phòng", "vp")) == 0:
        return False
    rest = [key for key in keys[2 if keys[0] != "vp" else 1 :] if key not in {"-", "và", "va"}]
    position = 0
    while position < len(rest):
        length = _prefix_at(rest, position, BODIES)
        if not length:
            return False
        position += length
    return position > 0


def _in_group(text: str) -> bool:
    """Whether ``text`` is an open enumeration of kinds ("các sở, ban", "UBND huyện")."""
    keys = [key for key in map(_word_key, re.split(r"[\s/-]+", text)) if key]
    if any(_same(key, "các") and _prefix_at(keys, i + 1, KINDS) for i, key in enumerate(keys)):
        return True
    end = len(keys)
    while length := _suffix_at(keys, end, KINDS):
        end -= length
    if end == len(keys):
        return False
    return end == 0 or _suffix_at(keys, end, GROUP_TRIGGERS) > 0


def _is_kind_fragment(piece: str) -> bool:
    """ "thị xã", "đoàn thể tỉnh", "Ban": one more kind of body for an enumeration."""
    words = piece.split()
    length = _prefix_at(_keys(piece), 0, KINDS)
    if not length:
        return False
    if words[0][:1].islower():
        return True
    return len(words) == length or not words[length][:1].isupper()


def _elided(previous: str, piece: str) -> str | None:
    """ "Khoa học và Công nghệ" after "Bộ Công Thương" -> "Bộ Khoa học và Công nghệ".

    Only when both names are registered bodies: "Bộ Văn hóa, Thể thao và Du
    lịch" stays one ministry because "Bộ Văn hóa" is not one.
    """
    head = previous.split()[0]
    if not piece[:1].isupper() or public_body(previous) is None:
        return None
    named = f"{head} {piece}"
    return named if public_body(named) is not None else None


def _continues(previous: str, piece: str, following: Sequence[str]) -> bool:
    """Whether the comma before ``piece`` sits inside the unit ``previous`` started."""
    keys = _keys(piece)
    if _office_of_bodies(previous):
        return _prefix_at(keys, 0, BODIES) > 0
    if _in_group(previous):
        return _is_kind_fragment(piece) or _prefix_at(keys, 0, UBND_CAC) > 0
    if not _opens_unit(previous):
        return False
    if piece[:1].islower():
        # "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh"
        return not (_starts_unit_or_group(piece) or _role_length(keys))
    if _opens_unit(piece) or _role_length(keys):
        return False
    # "Sở Văn hóa, Thể thao và Du lịch": capitalised name parts up to a "và".
    run = [piece]
    for later in following:
        if not later[:1].isupper() or _opens_unit(later) or _role_length(_keys(later)):
            break
        run.append(later)
    return any(_AND.search(part) for part in run)


def _split_and(unit: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for match in _AND.finditer(unit):
        left, right = unit[: match.start()], unit[match.end() :]
        joint_office = _office_of_bodies(left) and _prefix_at(_keys(right), 0, BODIES)
        if _opens_new_unit(right) and not joint_office:
            parts.append(unit[start : match.start()])
            start = match.end()
    parts.append(unit[start:])
    return parts


def _colon_list(text: str) -> tuple[str, list[str]]:
    """ "Giám đốc các Sở: Tư pháp, Nội vụ" -> ("", ["Sở Tư pháp", "Sở Nội vụ"])."""
    before, colon, items = text.partition(":")
    if not colon:
        return text, []
    before = _SO_NGANH.sub(r"\1", before)  # "các Sở, ngành: Tư pháp" names Sở Tư pháp
    head, _, last = before.rpartition(",")
    words = last.split()
    keys = _keys(last)
    skip = _role_length(keys)
    skip += _prefix_at(keys, skip, CAC)
    kind = words[skip:]
    if len(kind) != 1 or not _prefix_at(keys, skip, COLON_KINDS):
        return text, []
    label = kind[0][:1].upper() + kind[0][1:]
    return head, _colon_items(label, [part.strip() for part in items.split(",") if part.strip()])


def _colon_items(label: str, items: Sequence[str]) -> list[str]:
    """Items named once by ``label``; registered names may hold commas.

    "Các Bộ: …, Công an" is Bộ Công an (registered) though "Công an" opens a
    unit; "các Sở: Lao động, Thương binh và Xã hội" is one registered Sở.
    """
    units: list[str] = []
    start = 0
    while start < len(items):
        end = next(
            (
                end
                for end in range(len(items), start, -1)
                if public_body(f"{label} {', '.join(items[start:end])}") is not None
            ),
            None,
        )
        if end is None:
            item = items[start]
            units.append(item if _opens_unit(item) else f"{label} {item}")
            start += 1
        else:
            units.append(f"{label} {', '.join(items[start:end])}")
            start = end
    return units


def _starts_known(text: str) -> bool:
    """Whether a registered name opens ``text`` ("UBND xã Trường Sơn" is one unit)."""
    words = text.split()
    return any(public_body(" ".join(words[:end])) for end in range(1, len(words) + 1))


def _known_parts(unit: str) -> list[str]:
    """A registered name at the start of ``unit`` ends it before a head or a verb.

    "Bộ Ngoại giao Bộ Công Thương" -> both; "Bộ Tư pháp chủ trì hướng dẫn" ->
    "Bộ Tư pháp"; a bare kind left over ("… Cơ quan", a header's word) is dropped.
    """
    words = unit.split()
    keys = _keys(unit)
    if len(keys) != len(words):
        return [unit]
    for cut in range(1, len(words)):
        if public_body(" ".join(words[:cut])) is None:
            continue
        left, rest = " ".join(words[:cut]), " ".join(words[cut:])
        if words[cut][:1].islower() and _prefix_at(keys, cut, VERBS):
            return [left]
        if _opens_unit(rest) and _starts_known(rest):
            return [left, *_known_parts(rest)]
        if _prefix_at(keys, cut, KINDS) == len(words) - cut and words[cut][:1].isupper():
            return [left]
    return [unit]


def _units_of(text: str) -> list[str]:
    """Units of a part of a cell without ";" and without a trailing parent."""
    text, listed = _colon_list(text)
    pieces = [piece.strip() for piece in text.split(",")]
    pieces = [piece for piece in pieces if piece]
    units: list[str] = []
    for index, piece in enumerate(pieces):
        if units and (named := _elided(units[-1], piece)):
            units.append(named)
        elif units and _continues(units[-1], piece, pieces[index + 1 :]):
            units[-1] = f"{units[-1]}, {piece}"
        elif _role_length(_keys(piece)) < len(_keys(piece)):
            units.append(_strip_role(piece))
    found = [
        known
        for unit in units
        for part in _split_and(unit)
        for known in _known_parts(_strip_role(part))
    ]
    return _ministry_parent(found) + listed


def _ministry_parent(units: list[str]) -> list[str]:
    """ "Cục kiểm tra VPQPPL, Bộ Tư pháp": a ministry after its own Cục/Vụ is its parent."""
    if len(units) < 2:
        return units
    *rest, sub, last = units
    body = public_body(last)
    if body is None or body.kind not in (Kind.MINISTRY, Kind.MINISTRY_LEVEL):
        return units
    if public_body(sub) is not None or not _prefix_at(_keys(sub), 0, MINISTRY_SUBUNITS):
        return units
    return [*rest, f"{sub} ({last})"]


def _is_subunit(unit: str) -> bool:
    return _prefix_at(_keys(unit), 0, SUBUNITS) > 0 and not _office_of_bodies(unit)


def _trailing_parent(segment: str) -> tuple[str, str | None]:
    """ "Văn phòng, Phòng X - Ban Dân tộc" -> ("Văn phòng, Phòng X", "Ban Dân tộc")."""
    cut = segment.rfind(" - ")
    if cut < 0:
        return segment, None
    left, right = segment[:cut].strip(), segment[cut + 3 :].strip()
    words = right.split()
    if not words or "," in right or not right[:1].isupper():
        return segment, None
    if not (_prefix_at(_keys(right), 0, HEADS) or _word_key(words[0]) in ABBREVIATED_HEADS):
        return segment, None
    units = _units_of(left)
    if not units or not _is_subunit(units[-1]):
        return segment, None
    return left, right


def _drop_not_units(segment: str) -> str:
    """Cut "Theo phân công …", "Các đơn vị theo chức năng, nhiệm vụ" off a segment."""
    # One character for one character, so offsets in ``folded`` hold in ``segment``.
    folded = "".join(low if len(low := _folded(ch)) == 1 else "?" for ch in segment)
    match = _NOT_UNIT.search(folded)
    if match is None:
        return segment
    start = folded.rfind(",", 0, match.start()) + 1
    own = folded[start : match.start()].strip()
    if own and not _GENERIC.match(own):
        start = match.start()
    return segment[:start]


def _mask_parentheses(text: str, kept: list[str]) -> str:
    """Drop remarks "(chủ trì)", "(b/c)"; hide parent markers "(Ban Dân tộc)" from splitting."""

    def replace(match: re.Match[str]) -> str:
        content = " ".join(match.group(1).split())
        if _opens_unit(content) and not _REMARK.search(strip_diacritics(content).lower()):
            kept.append(content)
            return f"\ue000{len(kept) - 1}\ue001"
        return " "

    return _PAREN.sub(replace, text)


def _clean(unit: str, kept: Sequence[str]) -> str:
    """NFC, single spaces, no edge punctuation, first letter capitalised."""
    unit = nfc(_MASK.sub(lambda m: f"({kept[int(m.group(1))]})", unit))
    start, end = 0, len(unit)
    while start < end and unicodedata.category(unit[start])[0] in "PSZCM":
        start += 1
    while start < end and unicodedata.category(unit[end - 1])[0] in "PSZC":
        if unit[end - 1] == ")" and unit.count("(", start, end) >= unit.count(")", start, end):
            break
        end -= 1
    unit = unit[start:end]
    if unit and len(first := unit[0].upper()) == 1:
        unit = first + unit[1:]
    return unicodedata.normalize("NFC", unit)


def split_units(text: str) -> list[str]:
    """The unit names in a plan's unit cell, cleaned, in order, without duplicates."""
    text = unicodedata.normalize("NFC", text).replace("\ue000", "").replace("\ue001", "")
    # "Thi đua – Khen thưởng", "Thi đua -Khen thưởng" -> "Thi đua - Khen thưởng";
    # unspaced hyphens ("HĐND-UBND", "quận-huyện") are part of the word.
    text = _LOOSE_HYPHEN.sub(" - ", normalize_dashes(_LONG_DASH.sub(" - ", text)))
    kept: list[str] = []
    text = _ROLE_WORDS.sub(";", _mask_parentheses(text, kept))
    names: list[str] = []
    for line in re.split(r"[;\n\r]+", text):
        segment = " ".join(_BULLET.sub("", _LABEL.sub("", line)).split())
        segment = _drop_not_units(segment).strip(" ,.:-")
        if not segment:
            continue
        body, parent = _trailing_parent(segment)
        for unit in _units_of(body):
            if parent is not None and _is_subunit(unit):
                unit = f"{unit} ({parent})"
            name = _clean(unit, kept)
            if sum(ch.isalnum() for ch in name) >= 2 and name not in names:
                names.append(name)
    return names
