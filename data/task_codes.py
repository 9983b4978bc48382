"""Task codes as officers type them: recognised, normalised, compared (pure, no I/O).

The importer gives out ``<PREFIX>-<local>[-n]`` (``data/plans/codes.py``): the
prefix is the issuer and year (``BDT22``) or what ``--prefix`` set (``QD982``,
``NQ116``: an ASCII letter, then letters and digits, 2–12 in all); the local
part is a Roman section and task number (``IV.2``, ``IV.2a``, ``II.1.2``), or a
plain number in a plan without sections (``5``, ``1.2``); ``-2`` tells apart
codes a plan gave twice.

Officers type them on phones, so a code is recognised with the usual slips: any
case, a space or a dot instead of the hyphen (``BDT22 I.1``, ``bdt22.i.1``),
``l`` for ``I`` in the Roman section (``BDT22-lV.2``), and without its prefix
when the section is Roman (``xong V.3``: which plan is meant is the caller's
business, from the officer's own items). A message copied from a web page or
typed with another keyboard carries look-alikes: full-width ``ＢＤＴ２２``, Cyrillic
or Greek capitals (``І``, ``В``, ``Т``), invisible joiners and soft hyphens.
``clean`` maps those to what they look like *before* reading, so the code reads
as the task the officer saw, never as no code at all (which would let the bot
fall back to their only open task). A letters-and-digits word joined to more by
a hyphen that is not a whole code (``BDT22-I``, ``БДТ22-I.1``) is still read as a
code: one that names nothing, so the bot asks back instead of guessing.
"""

from __future__ import annotations

import re

PREFIX_RULE = re.compile(r"[A-Za-z][A-Za-z0-9]{1,11}")
"""What ``--prefix`` accepts: an ASCII letter, then ASCII letters or digits, 2–12 in all."""

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u3000"), " ")
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_LOOK_ALIKES = {
    ord(cyrillic_or_greek): latin
    for latin, others in {
        "A": "АΑ",
        "B": "ВΒ",
        "C": "С",
        "E": "ЕΕ",
        "H": "НΗ",
        "I": "ІӀΙ",
        "J": "Ј",
        "K": "КΚ",
        "M": "МΜ",
        "N": "Ν",
        "O": "ОΟ",
        "P": "РΡ",
        "S": "Ѕ",
        "T": "ТΤ",
        "X": "ХΧ",
        "Y": "ҮΥ",
        "Z": "Ζ",
        "a": "а",
        "c": "с",
        "e": "е",
        "i": "і",
        "j": "ј",
        "o": "оο",
        "p": "р",
        "s": "ѕ",
        "x": "х",
        "y": "у",
    }.items()
    for cyrillic_or_greek in others
}
_CLEAN = {**_INVISIBLE, **_SPACES, **_FULL_WIDTH, **_LOOK_ALIKES}

_ALNUM = r"[^\W_]"
_LETTER = r"[^\W\d_]"
_ROMAN = r"[IVXLivxl]{1,5}"
_DOTTED = rf"(?:{_ROMAN}|\d{{1,3}})(?:\.\d{{1,3}})+[A-Za-z]?"
_PLAIN = r"\d{1,3}[A-Za-z]?"
_PREFIX = rf"{_LETTER}{_ALNUM}{{1,11}}"
_FULL = (
    rf"(?:(?={_ALNUM}*\d){_PREFIX}[-.\s](?:{_DOTTED}|{_PLAIN})|{_PREFIX}-{_DOTTED})(?:-\d{{1,2}})?"
)
_BARE = rf"{_ROMAN}(?:\.\d{{1,3}})+[A-Za-z]?"
_FRAGMENT = rf"{_LETTER}{_ALNUM}*\d{_ALNUM}*-{_ALNUM}+(?:\.{_ALNUM}+)*"
TOKEN = rf"(?<![^\W_.\-])(?:{_FULL}|{_BARE}|{_FRAGMENT})(?![^\W_])"
"""A code in a message (after ``clean``): whole, without its prefix, or a code-like fragment."""
_TOKEN = re.compile(TOKEN)
_ROMAN_PART = re.compile(_ROMAN)
_SPLIT = re.compile(rf"({_ALNUM}+)[-.\s](.*)", re.DOTALL)


def valid_prefix(prefix: str) -> bool:
    """Whether ``--prefix`` may be used: officers must be able to type it on any phone."""
    return PREFIX_RULE.fullmatch(prefix) is not None


def clean(text: str) -> str:
    """``text`` with full-width forms and look-alike letters as ASCII, invisible marks gone.

    Vietnamese letters are untouched; the length may shrink (invisible marks).
    """
    return text.translate(_CLEAN)


def normalise(raw: str) -> str:
    """The canonical spelling of a recognised code: ``bdt22 lv.2A`` -> ``BDT22-IV.2a``.

    A code without prefix stays without one (``v.3`` -> ``V.3``).
    """
    raw = clean(raw)
    if re.fullmatch(_BARE, raw):
        return _local(raw)
    match = _SPLIT.fullmatch(raw)
    if match is None:
        return raw.upper()
    return f"{match[1].upper()}-{_local(match[2])}"


def _local(local: str) -> str:
    """``lv.2A-2`` -> ``IV.2a-2``: the Roman section upper case (``l`` read as ``I``), the
    task's letter lower case."""
    head, _, rest = local.partition(".")
    head = head.upper().replace("L", "I") if _ROMAN_PART.fullmatch(head) else head.upper()
    return f"{head}.{_letter_lower(rest)}" if rest else _letter_lower(head)


def _letter_lower(number: str) -> str:
    """``2A-2`` -> ``2a-2``: a sub-task's letter is lower case, as the importer writes it."""
    return re.sub(r"(\d)([A-Za-z])", lambda m: m[1] + m[2].lower(), number)


def find_codes(text: str) -> list[tuple[int, int, str]]:
    """Every code in ``text`` (already ``clean``): (start, end, normalised code), in order."""
    return [(m.start(), m.end(), normalise(m.group())) for m in _TOKEN.finditer(text)]


def is_bare(code: str) -> bool:
    """A code typed without its plan's prefix (``V.3``), as ``normalise`` returns it."""
    return "-" not in code.partition(".")[0]


def local_part(code: str) -> str:
    """``BDT22-IV.2`` -> ``IV.2``: what a code without prefix is compared with."""
    return code.partition("-")[2]


def same_code(a: str, b: str) -> bool:
    """Codes compared as officers mean them (case-insensitive)."""
    return a.upper() == b.upper()
