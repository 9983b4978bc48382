"""Identity of unit names: keys, aliases, fuzzy suggestions.

The same unit is written many ways across plans ("UBND tỉnh", "Ủy ban nhân dân
tỉnh", "Uỷ ban nhân dân tỉnh"; "Thi đua - Khen thưởng", "Thi đua – khen
thưởng"). ``unit_key`` reduces a name to one comparison key; the registry maps
keys and aliases to the registered display name. Fuzzy matches are only ever
*suggested*: a wrong automatic match would send reminders to the wrong office.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from data.public_bodies import COMPLETE_HEADS, LEVEL_HEADS, PUBLIC_BODIES, Level, PublicBody
from data.text import fold, nfc

SUGGEST_CUTOFF = 85.0

# Abbreviations as they appear after ``fold`` (no marks, lower case).
_ABBREVIATIONS: dict[str, str] = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "ubmttqvn": "uy ban mat tran to quoc viet nam",
    "ubmttq": "uy ban mat tran to quoc",
    "mttqvn": "mat tran to quoc viet nam",
    "mttq": "mat tran to quoc",
    "bdt": "ban dan toc",
    "tdkt": "thi dua khen thuong",
    "ctdt": "cong tac dan toc",
    "nn&mt": "nong nghiep va moi truong",
    "nn&ptnt": "nong nghiep va phat trien nong thon",
    "nnptnt": "nong nghiep va phat trien nong thon",
    "khcn": "khoa hoc va cong nghe",
    "kh&cn": "khoa hoc va cong nghe",
    "skhcn": "so khoa hoc va cong nghe",
    "gd&dt": "giao duc va dao tao",
    "gddt": "giao duc va dao tao",
    "ldtbxh": "lao dong thuong binh va xa hoi",
    "ld-tb&xh": "lao dong thuong binh va xa hoi",
    "ldtb&xh": "lao dong thuong binh va xa hoi",
    "tn&mt": "tai nguyen va moi truong",
    "tnmt": "tai nguyen va moi truong",
    "vhttdl": "van hoa the thao va du lich",
    "vhtt&dl": "van hoa the thao va du lich",
    "kh&dt": "ke hoach va dau tu",
    "khdt": "ke hoach va dau tu",
    "tt&tt": "thong tin va truyen thong",
    "tttt": "thong tin va truyen thong",
    "gtvt": "giao thong van tai",
    "bchqs": "bo chi huy quan su",
    "vp": "van phong",
}
_ABBREVIATION_RE = re.compile(
    r"(?<![\w&])("
    + "|".join(re.escape(k) for k in sorted(_ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w&])"
)
_SEPARATORS = re.compile(r"[-,.;:]")
_EDGE_JUNK = " .,;:!?/-"
_WITH_PARENT = re.compile(r"^(?P<bare>.+?)\s*\((?P<parent>[^()]+)\)$")


def unit_key(name: str) -> str:
    """Comparison key of a unit name.

    ``fold`` (NFC, no marks, lower case, one dash, single spaces), known
    abbreviations written out, ``&`` read as "và", and dashes, commas and dots
    dropped: "Thi đua - Khen thưởng", "Thi đua – khen thưởng" and "TĐKT" are
    one key, as are "Sở KH&CN", "Sở KHCN" and "Sở Khoa học và Công nghệ".
    """
    key = re.sub(r"\s*&\s*", "&", fold(name))
    key = _ABBREVIATION_RE.sub(lambda m: _ABBREVIATIONS[m.group(1)], key)
    key = _SEPARATORS.sub(" ", key.replace("&", " va "))
    return " ".join(key.split()).strip(_EDGE_JUNK)


def split_parent(name: str) -> tuple[str, str | None]:
    """Split "Văn phòng (Ban Dân tộc)" into ("Văn phòng", "Ban Dân tộc")."""
    match = _WITH_PARENT.match(nfc(name))
    if match is None:
        return nfc(name), None
    return match["bare"], match["parent"].strip()


def _body_keys() -> dict[str, PublicBody]:
    keys: dict[str, PublicBody] = {}
    for body in PUBLIC_BODIES:
        for variant in (body.name, *body.short):
            keys.setdefault(unit_key(variant), body)
    return keys


_BODIES = _body_keys()
_LEVEL_HEADS = sorted(LEVEL_HEADS.items(), key=lambda item: -len(item[0]))


def public_body(name: str) -> PublicBody | None:
    """The registered public body ``name`` spells (full name or short form), or None."""
    return _BODIES.get(unit_key(name))


def _head_of(key: str) -> str | None:
    return next((h for h, _ in _LEVEL_HEADS if key == h or key.startswith(f"{h} ")), None)


def unit_level(name: str) -> Level | None:
    """The level a unit sits at: from the register, else from its head word ("Sở …")."""
    body = public_body(split_parent(name)[0])
    if body is not None:
        return body.level
    head = _head_of(unit_key(name))
    return None if head is None else LEVEL_HEADS[head]


def unregistered_body(name: str) -> bool:
    """A "Bộ …"/"Sở …" the register does not start with ("Bộ Khoa học, Công nghệ").

    A registered name followed by a place ("Sở Y tế tỉnh Lâm Đồng") is known.
    """
    bare = split_parent(name)[0]
    if _head_of(unit_key(bare)) not in COMPLETE_HEADS:
        return False
    words = bare.split()
    return all(public_body(" ".join(words[:end])) is None for end in range(1, len(words) + 1))


@dataclass(frozen=True)
class UnitMatch:
    """A registered unit a name was matched to; ``exact`` when its key was registered."""

    name: str
    score: float
    exact: bool


class UnitRegistry:
    """Registered units with their aliases, looked up by ``unit_key``."""

    def __init__(self, names_with_aliases: Iterable[tuple[str, Iterable[str]]]) -> None:
        self._by_key: dict[str, str] = {}
        self._by_bare_key: dict[str, list[str]] = {}
        for name, aliases in names_with_aliases:
            for variant in (name, *aliases):
                key = unit_key(variant)
                if key:
                    self._by_key.setdefault(key, name)
            bare, parent = split_parent(name)
            if parent is not None:
                owners = self._by_bare_key.setdefault(unit_key(bare), [])
                if name not in owners:
                    owners.append(name)
        self._keys = list(self._by_key)

    def resolve(self, name: str) -> UnitMatch | None:
        """The unit ``name`` certainly means, or None.

        Exact when the key (or an alias's key) is registered. Otherwise a bare
        sub-unit name ("Văn phòng") resolves to the one registered "Văn phòng
        (Parent)" when exactly one exists; with two parents it stays unresolved.
        """
        key = unit_key(name)
        if not key:
            return None
        if key in self._by_key:
            return UnitMatch(self._by_key[key], 100.0, True)
        owners = self._by_bare_key.get(key, [])
        if len(owners) == 1:
            return UnitMatch(owners[0], 100.0, False)
        return None

    def suggest(self, name: str, limit: int = 3) -> list[UnitMatch]:
        """Close registered units for a person to confirm; never applied automatically.

        A unit of another level is never close: the ministry "Bộ NN&MT" and the
        provincial "Sở Nông nghiệp và Môi trường" differ by one word only.
        """
        key = unit_key(name)
        if not key or limit <= 0:
            return []
        level = unit_level(name)
        best: dict[str, float] = {}
        for choice, score, _ in process.extract(
            key,
            self._keys,
            scorer=fuzz.token_sort_ratio,
            processor=utils.default_process,
            score_cutoff=SUGGEST_CUTOFF,
            limit=None,
        ):
            unit = self._by_key[choice]
            if level is not None and unit_level(unit) not in (None, level):
                continue
            best[unit] = max(score, best.get(unit, 0.0))
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        return [UnitMatch(unit, score, score >= 100.0) for unit, score in ranked[:limit]]


def _capitalised_after_head(name: str) -> int:
    """How many words after the first start with a capital ("Khen thưởng" > "khen thưởng")."""
    return sum(1 for word in name.split()[1:] if word[:1].isupper())


def canonical_units(names: Iterable[str]) -> dict[str, list[str]]:
    """Group names sharing a ``unit_key``: canonical display name -> other variants seen.

    The display name is chosen deterministically: most capitalised words after
    the head, then most frequent, then first seen.
    """
    variants: dict[str, list[str]] = {}
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for index, raw in enumerate(names):
        name = nfc(raw)
        key = unit_key(name)
        if not key:
            continue
        counts[name] += 1
        first_seen.setdefault(name, index)
        seen = variants.setdefault(key, [])
        if name not in seen:
            seen.append(name)
    groups: dict[str, list[str]] = {}
    for seen in variants.values():
        canonical = max(seen, key=lambda v: (_capitalised_after_head(v), counts[v], -first_seen[v]))
        groups[canonical] = [v for v in seen if v != canonical]
    return groups


def attach_bare_subunits(groups: dict[str, list[str]]) -> dict[str, list[str]]:
    """Fold a bare sub-unit group into the one "X (Parent)" group it names.

    A plan says "Văn phòng, Phòng Tuyên truyền và Địa bàn - Ban Dân tộc" in one
    row and plain "Văn phòng" in another: both are the Ban's office. With two
    candidate parents the bare name is left alone for a person to decide.
    """
    registry = UnitRegistry((name, ()) for name in groups if split_parent(name)[1])
    merged: dict[str, list[str]] = {name: list(aliases) for name, aliases in groups.items()}
    for name, aliases in groups.items():
        if split_parent(name)[1] is not None:
            continue
        match = registry.resolve(name)
        if match is not None and not match.exact:
            merged[match.name].extend([name, *aliases])
            del merged[name]
    return merged
