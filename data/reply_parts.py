"""One message, several tasks: which words go with which code (pure, no I/O).

"xong V.3 rồi, còn V.2 đang làm 30%" is two updates. A message naming several
codes is cut between them, each part read on its own by ``parse_reply``, so no
status said of one task is recorded on another:

- Codes joined only by "và", "với", "cả", "&", "+", commas or spaces share their
  words ("xong V.2 và V.3 rồi": both done).
- Otherwise the cut falls on the last break between two codes (a comma, a
  semicolon, a full stop, a new line, "còn", "nhưng"), or right before the next
  code when there is none ("V.2 xong V.3 đang làm").
- A message with one code and another clause introduced by "còn" / "nhưng" that
  says a different status ("xong V.2, còn cái kia đang làm") talks about a task it
  does not name: ``split_parts`` returns None and the bot asks instead of guessing.

Corrections ("à nhầm, xong rồi", "không phải, đang làm thôi") are recognised by
``correction``: the words after the marker are the new status of the previous
update, not its reason.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace
from itertools import pairwise

from data.status import Reply, parse_reply
from data.task_codes import clean, find_codes
from data.text import fold

RECORDABLE = frozenset({"done", "in_progress", "blocked", "extension_requested", "not_started"})
_JOINERS = re.compile(r"(?:\s|,|&|\+|\bvà\b|\bva\b|\bvới\b|\bvoi\b|\bcả\b|\bca\b)*", re.IGNORECASE)
_BREAK = re.compile(r"[,;\n]|\.(?!\d)|\b(?:còn|con|nhưng|nhung)\b(?!\s+\d)", re.IGNORECASE)
_OTHER_SUBJECT = re.compile(r"(?:[,;]\s*|\s)(?:còn|con|nhưng|nhung)\s+(?!\d)", re.IGNORECASE)
_CORRECTION = re.compile(
    r"^(?:(?:a|a a|da|ah|oi|em|e|xin loi|sorry)[\s,]+)*"
    r"(?:nham|em nham|bao nham|khong phai|ko phai|k phai|kp|sua lai|dinh chinh)"
    r"(?:\s+(?:roi|a|nhe|anh|chi))*\s*[,:.!;-]+\s*"
)


@dataclass(frozen=True)
class Part:
    """The words of a message about one task, read, with that task's code."""

    text: str
    reply: Reply


def split_parts(text: str, today: datetime.date | None = None) -> list[Part] | None:
    """The message's parts, one per code named (one part when it names one or none);
    None when one of its statements is about a task it does not name."""
    cleaned = clean(text)
    codes = find_codes(cleaned)
    if len({code for _, _, code in codes}) < 2:
        if _speaks_of_another_task(cleaned, codes, today):
            return None
        return [Part(text, parse_reply(text, today))]
    parts = []
    for segment, named in _segments(cleaned, codes):
        reply = parse_reply(segment, today)
        parts += [Part(segment.strip(" ,;\n"), replace(reply, task_code=code)) for code in named]
    return parts


def _segments(text: str, codes: list[tuple[int, int, str]]) -> list[tuple[str, list[str]]]:
    """The text cut between codes, each piece with the codes it holds (see the module)."""
    pieces: list[tuple[str, list[str]]] = []
    start, named = 0, [codes[0][2]]
    for (_, end, _), (next_start, _, next_code) in pairwise(codes):
        gap = text[end:next_start]
        if _JOINERS.fullmatch(gap):
            named.append(next_code)
            continue
        breaks = list(_BREAK.finditer(gap))
        cut = end + breaks[-1].start() if breaks else next_start
        pieces.append((text[start:cut], named))
        start, named = cut, [next_code]
    pieces.append((text[start:], named))
    return [(piece, list(dict.fromkeys(names))) for piece, names in pieces]


def _speaks_of_another_task(
    text: str, codes: list[tuple[int, int, str]], today: datetime.date | None
) -> bool:
    """A clause after "còn" / "nhưng" with its own status, and the one code on the other side."""
    masked = text
    for start, end, _ in codes:
        masked = masked[:start] + "#" * (end - start) + masked[end:]
    for match in _OTHER_SUBJECT.finditer(masked):
        before, after = text[: match.start()], text[match.end() :]
        said = parse_reply(before, today).state, parse_reply(after, today).state
        if not set(said) <= RECORDABLE or said[0] == said[1]:
            continue
        code_before = any(end <= match.start() for _, end, _ in codes)
        code_after = any(start >= match.end() for start, _, _ in codes)
        if code_before != code_after or not codes:
            return True
    return False


def correction(text: str) -> str | None:
    """The words after "à nhầm," / "không phải," (the corrected status), else None."""
    folded = fold(text)
    match = _CORRECTION.match(folded)
    if match is None or match.end() >= len(folded):
        return None
    # fold keeps the length of Vietnamese text (marks removed, one letter each), so the
    # position in the folded text is the position in the original one once spaces agree.
    words_before = len(folded[: match.end()].split())
    rest = text.split(maxsplit=words_before)
    return rest[-1] if len(rest) > words_before else None
