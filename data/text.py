"""Vietnamese text helpers shared by every parser.

Plans arrive in any Unicode form (NFC from Word, NFD from macOS, composed
tone marks in odd places) and officers type with or without diacritics, so
every comparison goes through ``fold`` while stored text only goes through
``nfc``: names of units are data and are never rewritten beyond that.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_DASHES = str.maketrans({"–": "-", "—": "-", "‒": "-", "―": "-", "−": "-", "‐": "-"})


def nfc(text: str) -> str:
    """Return ``text`` in NFC with runs of white space folded to one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks; ``đ`` becomes ``d``.

    Officers often type without marks ("da xong", "quy I"), so matching is done
    on this form. Length can change (NFD decomposition), so never use offsets
    from the result to slice the original.
    """
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return kept.replace("đ", "d").replace("Đ", "D")


def normalize_dashes(text: str) -> str:
    """Map en/em dashes and the like to ``-`` (plans mix them freely)."""
    return text.translate(_DASHES)


def fold(text: str) -> str:
    """Comparison key: NFC, no diacritics, lower case, one kind of dash, single spaces."""
    return nfc(strip_diacritics(normalize_dashes(nfc(text)))).casefold()
