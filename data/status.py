"""Reading an officer's free-text reply to a reminder (pure, no I/O, no clock).

Officers answer in chat Vietnamese: with or without diacritics, in shorthand
("xong r", "dag lam 70%", "k kịp"), wrapped in politeness ("dạ em báo cáo anh
ạ"). ``parse_reply`` turns one message into a ``Reply`` the conversation core
records or asks back about. The vocabulary is data in ``data/status_vocab.py``;
this module only tokenises, matches and decides.

Decisions, because a recorded completion stops reminders and shows up in the
leader's summary, so a wrong ``done`` costs far more than a question back:

- ``done`` needs a completion word ("xong", "hoàn thành", "đã nộp", "100%") that
  is not negated ("chưa xong"), not asked ("xong chưa?", any clause ending in
  "?"), not promised ("sẽ xong", "xong em báo"), not doubted ("chắc xong rồi"),
  not partial ("xong phần 1", "xong 80%") and not contradicted by another state
  in the same message ("xong việc 1, việc 2 đang làm" is in progress).
- "chưa xong" / "chưa nộp" -> ``in_progress`` (the work is underway but not
  finished); "chưa làm" / "chưa bắt đầu" / a bare "chưa ạ" -> ``not_started``.
- "không xong kịp", "không thể hoàn thành", "không kịp" -> ``blocked``: the
  officer reports a risk, not a request; the bot may offer an extension.
- "gần xong", "sắp xong" -> ``in_progress`` with ``percent=None``: the officer gave
  no number, so none is invented; "một nửa" is 50, "7 phần" / "7/10" are 70.
- Several percentages -> the smallest ("việc 1 100%, việc 2 50%" is 50).
- An extension request outranks a blockage ("vướng số liệu nên xin gia hạn"):
  the leader has to decide on it; the blockage becomes its reason.
- ``new_due`` is read only for extension requests, with the date grammar of
  ``data/status_dates.py``. Several dates -> the latest (the old due date is
  often quoted next to the new one).
- ``late`` is reported only together with ``done``.
- ``percent`` is only what was said: a bare "xong" has ``percent=None``.
- A promise ("mai nộp", "thứ 6 gửi", "đang làm, cuối tuần xong") keeps its state
  (acknowledged, or in progress) and gains ``promised``, the date it names: a
  follow-up hangs on it. Only a completion word or hand-in verb makes a promise.
- "Không có gì vướng" is no blockage: a denied obstacle acknowledges.
- Work handed on ("đã trình ký", "đã chuyển phòng X xử lý", "đã gửi dự thảo xin
  ý kiến") is in progress, and the waiting it causes ("chờ phát hành", "chờ
  duyệt") is not a blockage; waiting for paperwork's routine end never is.
- "Nhắc lại sau 2 ngày", "mai nhắc em" ask for a ``snooze`` (an amount; the
  scheduler finds the working time); a snooze without another state acknowledges.
"""

from __future__ import annotations

import datetime
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from data import status_vocab as vocab
from data import task_codes
from data.status_dates import Snooze, due_dates, promise_date, snooze_request
from data.text import fold, nfc, normalize_dashes

ReplyState = Literal[
    "done",
    "in_progress",
    "blocked",
    "extension_requested",
    "not_started",
    "acknowledged",
    "question",
    "unknown",
]


@dataclass(frozen=True)
class Reply:
    """What an officer's message says about a task."""

    state: ReplyState
    percent: int | None = None
    task_code: str | None = None
    new_due: datetime.date | None = None
    reason: str | None = None
    late: bool = False
    promised: datetime.date | None = None
    snooze: Snooze | None = None


def reply_json(reply: Reply) -> dict[str, Any]:
    """``reply`` as JSON (dates as ISO strings, empty fields left out): the audit's
    intent and a pick menu's kept reply."""
    values = asdict(reply)
    for name in ("new_due", "promised"):
        if values[name] is not None:
            values[name] = values[name].isoformat()
    return {k: v for k, v in values.items() if v not in (None, False)}


def reply_from_json(values: dict[str, Any]) -> Reply:
    """The ``Reply`` that ``reply_json`` wrote."""
    fields = dict(values)
    for name in ("new_due", "promised"):
        if fields.get(name):
            fields[name] = datetime.date.fromisoformat(fields[name])
    if fields.get("snooze"):
        fields["snooze"] = Snooze(**fields["snooze"])
    return Reply(**fields)


# Chat messages are short; a pasted report is not read past this point.
MAX_CHARS = 1000

_TOKEN = re.compile(
    rf"(?P<code>{task_codes.TOKEN})"
    r"|(?P<num>\d+(?:[.,/-]\d+)*)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<newline>\n)"
    r"|(?P<punct>[?？!.,;:%/])"
    r"|(?P<other>\S)"
)
_IGNORED_MARKS = frozenset({"\ufe0f", "\u200d", *map(chr, range(0x1F3FB, 0x1F400))})
_CLAUSE_ENDS = frozenset({".", "!", "?", ";", ",", "\n", "nhung"})
_PHRASE_ENDS = frozenset({".", "!", "?", ";", ",", "\n"})
_CODE_KEY = "#code"
_ROMAN = re.compile(r"[ivx]+")


@dataclass(frozen=True)
class _Token:
    raw: str
    key: str
    start: int
    end: int


@dataclass(frozen=True)
class _Clause:
    """Tokens between two breaks, with their keys joined for regex matching."""

    first: int  # index of the first token in the message
    keys: tuple[str, ...]
    text: str
    offsets: tuple[int, ...]
    question: bool

    def token_span(self, start: int, end: int) -> tuple[int, int]:
        """Message token indices [first, last) covering characters start..end of ``text``."""
        first = bisect_right(self.offsets, start) - 1
        last = bisect_right(self.offsets, max(start, end - 1))
        return self.first + first, self.first + last


@dataclass(frozen=True)
class _Hit:
    state: ReplyState
    start: int  # message token indices
    end: int
    label: bool = False  # a blocked word whose reason follows it ("vướng: ...")
    origin: str = ""  # "waiting", "forwarded" or "no_obstacle": see ``_settle``


def parse_reply(text: str, today: datetime.date | None = None) -> Reply:
    """Read one chat message; ``today`` resolves dates without a year and durations."""
    raw = _prepare(text)
    tokens = _tokenise(raw)
    clauses = _clauses(tokens)
    hits = _settle([hit for clause in clauses for hit in _hits(clause)])
    percent = _percent(clauses)
    state = _decide({hit.state for hit in hits}, percent)
    code = next((task_codes.normalise(t.raw) for t in tokens if t.key == _CODE_KEY), None)
    reason = (
        _reason(state, hits, tokens, raw) if state in ("blocked", "extension_requested") else None
    )
    keys = " ".join(t.key for t in tokens)
    due = None
    if state == "extension_requested":
        due = max(due_dates(keys, today), default=None)
    late = state == "done" and _is_late(clauses)
    snooze = snooze_request(keys)
    if snooze is not None and state in ("question", "unknown"):
        state = "acknowledged"
    promised = None
    if snooze is None and today is not None and _promises(state, clauses):
        promised = promise_date(keys, today)
    return Reply(state, percent, code, due, reason, late, promised, snooze)


def _promises(state: ReplyState, clauses: Sequence[_Clause]) -> bool:
    """Whether a reply can carry a promised date: work not finished, a completion named."""
    if state not in ("acknowledged", "in_progress"):
        return False
    said = [clause.text for clause in clauses if not clause.question]
    return any(_DONE.search(text) or _DONE_VERB.search(text) for text in said)


def _settle(hits: list[_Hit]) -> list[_Hit]:
    """Drop the hits another one overrides: a denied obstacle's blocked word and "gì ạ"
    question; the waiting that follows work handed on."""
    denied = [(hit.start, hit.end) for hit in hits if hit.origin == "no_obstacle"]
    forwarded = any(hit.origin == "forwarded" for hit in hits)

    def overridden(hit: _Hit) -> bool:
        if forwarded and hit.origin == "waiting":
            return True
        inside = any(hit.start < end and start < hit.end for start, end in denied)
        return inside and hit.state in ("blocked", "question")

    return [hit for hit in hits if not overridden(hit)]


# --- tokens and clauses -----------------------------------------------------


def _prepare(text: str) -> str:
    """NFC, one kind of dash, single spaces, look-alikes and invisible marks read as what
    they look like (``data/task_codes.py``); line breaks kept (they end sentences)."""
    cleaned = task_codes.clean(text[:MAX_CHARS])
    return "\n".join(nfc(normalize_dashes(line)) for line in cleaned.splitlines())


def _tokenise(raw: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(raw):
        kind, word = match.lastgroup, match.group()
        if word in _IGNORED_MARKS:
            continue
        tokens.append(_Token(word, _key(kind, word), match.start(), match.end()))
    return tokens


def _key(kind: str | None, word: str) -> str:
    if kind == "code":
        return _CODE_KEY
    if kind == "word":
        return _word_key(word)
    if kind == "other":
        return "ok" if word in vocab.ACK_EMOJI else "#sym"
    return "?" if word == "？" else word


def _word_key(word: str) -> str:
    lower = word.lower()
    if lower in vocab.RAW_SENSES:
        return vocab.RAW_SENSES[lower]
    folded = fold(word)
    key = folded if _ROMAN.fullmatch(folded) else _squeeze(folded)
    if key in vocab.AMBIGUOUS and folded != lower:
        return "OTHER"
    return vocab.TEENCODE.get(key, key)


def _squeeze(word: str) -> str:
    """Undo chat elongation ("xonggg", "okkk") but keep the real double o ("xoong")."""
    return re.sub(r"([a-np-z])\1", r"\1", re.sub(r"([a-z])\1{2,}", r"\1", word))


def _clauses(tokens: Sequence[_Token]) -> list[_Clause]:
    clauses, start = [], 0
    for index, token in enumerate([*tokens, _Token("", "\n", 0, 0)]):
        if token.key in _CLAUSE_ENDS:
            if index > start:
                clauses.append(_clause(tokens, start, index, token.key == "?"))
            start = index + 1
    return clauses


def _clause(tokens: Sequence[_Token], start: int, end: int, asked: bool) -> _Clause:
    keys = tuple(t.key for t in tokens[start:end])
    offsets, position = [], 0
    for key in keys:
        offsets.append(position)
        position += len(key) + 1
    spoken = [key for key in keys if key not in vocab.ADDRESS_TERMS and key not in {"oi", "#sym"}]
    asked = asked or spoken[-1:] == ["QPART"]
    return _Clause(start, keys, " ".join(keys), tuple(offsets), asked)


def _content(keys: Iterable[str]) -> list[str]:
    """Keys without politeness: "dạ chưa ạ anh" -> ["chua"]."""
    skip = vocab.PARTICLES | vocab.ADDRESS_TERMS | {"vang", "#sym", ":", "%"}
    return [key for key in keys if key not in skip]


# --- matching ---------------------------------------------------------------


def _alternation(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\S)(?:" + "|".join(patterns) + r")(?!\S)")


_DONE = _alternation(vocab.DONE_WORDS)
_DONE_VERB = _alternation(vocab.DONE_VERBS)
_NEGATION = _alternation(vocab.NEGATIONS)
_NEAR = _alternation(vocab.NEAR)
_FUTURE = _alternation(vocab.FUTURE)
_DOUBT = _alternation(vocab.DOUBT)
_CONDITION = _alternation(vocab.CONDITION)
_NOMINAL = re.compile(r"(?:^|\s)(?:" + "|".join(vocab.NOMINAL) + r")$")
_PARTIAL = re.compile(r"^(?:(?:\d+|mot) )?(?:" + "|".join(vocab.PARTIAL_AFTER) + r")(?! viec)\b")
_AFTER_CANNOT = re.compile(r"^(?:\S+ )?khong (?:kip|duoc|the|xong)\b")
_AFTER_ASKED = re.compile(r"^(?:\S+ ){0,3}?(?:chua|khong(?: (?:a|anh|chi|QPART|nhi|vay|ha))*$)")
_AFTER_PROMISE = re.compile(
    r"^(?:thi |la )?(?:em |minh |toi |chung em |ben em )?(?:se )?"
    r"(?:bao|gui|nop|bao cao|bao lai|trinh|chuyen)\b"
)
_AFTER_THEN = re.compile(r"^(?:\S+ ){0,2}thi(?!\S)")  # "xong thì báo", "xong sớm thì tốt"
_CANNOT = re.compile(r"(?<!\S)(?:khong|chang)(?!\S)")  # "không xong" cannot, "chưa xong" not yet
_NOT_HANDED_IN = _alternation(vocab.NOT_HANDED_IN)
_AFTER_DOUBT = re.compile(r"^(?:\S+ ){0,3}?(?:" + "|".join(vocab.DOUBT_AFTER) + r")(?!\S)")
_DENIAL = _alternation(vocab.DENIAL)
_QUESTION = _alternation(vocab.QUESTION)
_STATE_PATTERNS: tuple[tuple[ReplyState, re.Pattern[str]], ...] = (
    ("in_progress", _alternation(vocab.IN_PROGRESS)),
    ("not_started", _alternation(vocab.NOT_STARTED)),
    ("extension_requested", _alternation(vocab.EXTENSION)),
    ("acknowledged", _alternation(vocab.ACKNOWLEDGED)),
    ("question", _QUESTION),
)
_BLOCKED_LABEL = _alternation(vocab.BLOCKED_LABELS)
_BLOCKED_CONTENT = _alternation(vocab.BLOCKED_CONTENT)
_BLOCKED_WAITING = _alternation(vocab.BLOCKED_WAITING)
_FORWARDED = _alternation(vocab.FORWARDED)
_NO_OBSTACLE = _alternation(vocab.NO_OBSTACLE)
_REQUEST_IN_QUESTION = re.compile(r"(?<!\S)(?:xin|cho (?:em|minh|toi|chung em)|\d+)(?!\S)")
_LATE = _alternation(vocab.LATE)
_LATE_CANCEL = _alternation(vocab.LATE_CANCEL)


def _hits(clause: _Clause) -> list[_Hit]:
    hits = [*_done_hits(clause)]
    for state, pattern in _STATE_PATTERNS:
        hits.extend(_plain_hits(clause, pattern, state))
    hits.extend(_plain_hits(clause, _BLOCKED_LABEL, "blocked", label=True))
    hits.extend(_plain_hits(clause, _BLOCKED_CONTENT, "blocked"))
    hits.extend(_plain_hits(clause, _BLOCKED_WAITING, "blocked", origin="waiting"))
    hits.extend(_plain_hits(clause, _FORWARDED, "in_progress", origin="forwarded"))
    for match in _NO_OBSTACLE.finditer(clause.text):
        hits.append(_Hit("acknowledged", *_windows(clause, match)[2], origin="no_obstacle"))
    content = [key for key in _content(clause.keys) if key not in {"van", "cung"}]
    if content == ["chua"]:
        hits.append(_Hit("not_started", clause.first, clause.first + len(clause.keys)))
    elif content in (["duoc"], ["da"]):
        hits.append(_Hit("acknowledged", clause.first, clause.first + len(clause.keys)))
    if clause.question:
        hits.append(_Hit("question", clause.first, clause.first + len(clause.keys)))
    return hits


def _windows(clause: _Clause, match: re.Match[str]) -> tuple[str, str, tuple[int, int]]:
    """The four keys before a match, the five after it, and its token span."""
    first, last = clause.token_span(match.start(), match.end())
    local_first, local_last = first - clause.first, last - clause.first
    before = " ".join(clause.keys[max(0, local_first - 4) : local_first])
    after = " ".join(clause.keys[local_last : local_last + 5])
    return before, after, (first, last)


def _done_hits(clause: _Clause) -> Iterable[_Hit]:
    for match in _DONE.finditer(clause.text):
        before, after, span = _windows(clause, match)
        state = _read_completion(clause, before, after)
        if state is not None:
            yield _Hit(state, *span)
    for match in _DONE_VERB.finditer(clause.text):
        before, after, span = _windows(clause, match)
        next_keys = after.split()
        handed_in = (
            before.endswith(("da", "da duoc", "vua", "moi"))
            or "roi" in next_keys[:4]
            or bool(_LATE.match(" ".join(next_keys[:2])))
        )
        if _NOT_HANDED_IN.search(" ".join(next_keys[:3])):
            continue
        if not handed_in and not before.endswith("chua"):
            if _FUTURE.search(before) and not _QUESTION.search(clause.text):
                yield _Hit("acknowledged", *span)
            continue
        state = _read_completion(clause, before, after)
        if state is not None:
            yield _Hit(state, *span)


def _read_completion(clause: _Clause, before: str, after: str) -> ReplyState | None:
    """What a completion word means in its context; None when it says nothing."""
    conditional = _CONDITION.search(before) or _AFTER_THEN.match(after)
    asked = clause.question or (_QUESTION.search(clause.text) and not conditional)
    if _DENIAL.search(clause.text):
        return "in_progress"
    if asked or _AFTER_ASKED.match(after):
        return "question"
    if _AFTER_CANNOT.match(after):
        return "blocked"
    if _NOMINAL.search(before) or _AFTER_DOUBT.match(after):
        return None
    if _NEGATION.search(before):
        return "blocked" if _CANNOT.search(before) else "in_progress"
    perfective = before.endswith("da") or after.startswith("roi")
    if conditional or (not perfective and _AFTER_PROMISE.match(after)):
        return "acknowledged"
    if _DOUBT.search(before):
        return None
    if _NEAR.search(before) or _PARTIAL.match(after):
        return "in_progress"
    if _FUTURE.search(before) and not perfective:
        return "acknowledged"
    return "done"


def _plain_hits(
    clause: _Clause,
    pattern: re.Pattern[str],
    state: ReplyState,
    *,
    label: bool = False,
    origin: str = "",
) -> Iterable[_Hit]:
    for match in pattern.finditer(clause.text):
        before, after, span = _windows(clause, match)
        if state == "question" or not clause.question:
            if state == "question" or not _NEGATION.search(" ".join(before.split()[-2:])):
                yield _Hit(state, *span, label=label, origin=origin)
        elif _NEGATION.search(" ".join(before.split()[-2:])):
            continue
        elif state == "extension_requested" and _REQUEST_IN_QUESTION.search(clause.text):
            yield _Hit(state, *span)
        elif state in ("acknowledged", "extension_requested") or _AFTER_ASKED.search(after):
            yield _Hit("question", *span)
        else:
            yield _Hit(state, *span, label=label, origin=origin)


# --- deciding ---------------------------------------------------------------

_PRECEDENCE: tuple[ReplyState, ...] = (
    "extension_requested",
    "blocked",
    "in_progress",
    "not_started",
    "done",
)


def _decide(states: set[ReplyState], percent: int | None) -> ReplyState:
    if "done" in states and "not_started" in states:
        return "in_progress"
    for state in _PRECEDENCE:
        if state in states:
            if state == "done" and percent is not None and percent < 100:
                return "in_progress"
            return state
    if percent is not None:
        return "done" if percent == 100 else "not_started" if percent == 0 else "in_progress"
    for state in ("acknowledged", "question"):
        if state in states:
            return state
    return "unknown"


def _is_late(clauses: Iterable[_Clause]) -> bool:
    for clause in clauses:
        if clause.question:
            continue
        for match in _LATE.finditer(clause.text):
            before, _, _ = _windows(clause, match)
            if not _LATE_CANCEL.search(" ".join(before.split()[-2:])):
                return True
    return False


# --- percentages ------------------------------------------------------------

_NUMBER = r"(\d{1,3})(?:[.,]\d+)?"
_PERCENT_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], int | None]], ...] = (
    (
        re.compile(r"(?<!\S)(?:chua|khong) (?:\S+ )?" + _NUMBER + r" (?:%|phan tram)"),
        lambda m: None,
    ),
    (re.compile(r"(?<!\S)" + _NUMBER + r" (?:%|phan tram)(?!\S)"), lambda m: int(m[1])),
    (
        re.compile(r"(?<!\S)(?:duoc|dat|xong|lam|chung|khoang|tam|moi) (\d{1,2})/10(?!\S)"),
        lambda m: int(m[1]) * 10,
    ),
    (
        re.compile(
            r"(?<!\S)(?:duoc|dat|lam duoc|chung|khoang|tam|moi) (\d{1,2}|[a-z]+) phan(?! tram)"
        ),
        lambda m: _tenths(m[1]),
    ),
    (re.compile(r"^(\d{1,2})/10$"), lambda m: int(m[1]) * 10),
    (
        re.compile(r"(?<!\S)(?:(?:mot|1) (?:nua|HALF)|HALF)(?! (?:thang|tuan|nam|ngay|buoi|gio))"),
        lambda m: 50,
    ),
)
_COMMAND_PERCENT = re.compile(r"^dang (\d{1,3})(?!\S)(?! %)")


def _tenths(word: str) -> int | None:
    count = int(word) if word.isdigit() else vocab.NUMBER_WORDS.get(word)
    return count * 10 if count is not None and 2 <= count <= 10 else None


def _percent(clauses: Sequence[_Clause]) -> int | None:
    """The smallest percentage stated outside questions ("7 phần" = 70, "một nửa" = 50)."""
    values: list[int] = []
    for index, clause in enumerate(clauses):
        if clause.question:
            continue
        text = clause.text
        for pattern, value in _PERCENT_RULES:
            for match in pattern.finditer(text):
                number = value(match)
                if number is not None and 0 <= number <= 100:
                    values.append(number)
            text = pattern.sub(lambda m: " " * len(m[0]), text)
        command = _COMMAND_PERCENT.match(clause.text) if index == 0 else None
        if command and int(command[1]) <= 100:
            values.append(int(command[1]))
    return min(values, default=None)


# --- task codes and reasons -------------------------------------------------


_REASON_MARKER = re.compile(r"^(?:" + "|".join(vocab.REASON_MARKERS) + r")$")
_REASON_STOP = re.compile(r"^(?:" + "|".join(vocab.REASON_STOPS) + r")$")
_TRAILING_NOISE = vocab.PARTICLES | {",", ":", "-", "#sym", "ok"}
_LEADING_NOISE = frozenset(
    {":", "-", ",", "la", "ve", "o", "#code", "#sym", "thi", "vang", "dang", "van", "con", "phai"}
)


def _reason(
    state: ReplyState, hits: Sequence[_Hit], tokens: Sequence[_Token], raw: str
) -> str | None:
    """The officer's own words for the cause, NFC, without politeness around them."""
    blocked = sorted((hit for hit in hits if hit.state == "blocked"), key=lambda hit: hit.start)
    extension = [hit for hit in hits if hit.state == "extension_requested"]
    labels = [hit.end for hit in blocked if hit.label]
    contents = [_with_negation(tokens, hit.start) for hit in blocked if not hit.label]
    marked = _marked_reasons(tokens)
    if state == "extension_requested":
        starts = [*marked, *labels, *contents]
    else:
        starts = [*labels, *marked, *contents]
    for start in starts:
        text = _phrase(tokens, raw, start, stop_at={hit.start for hit in extension})
        if text:
            return text
    return None


def _with_negation(tokens: Sequence[_Token], start: int) -> int:
    """Include "không" / "chưa" in front of "xong kịp", "kịp": they carry the meaning."""
    negated = start > 0 and _NEGATION.fullmatch(tokens[start - 1].key)
    return start - 1 if negated else start


def _marked_reasons(tokens: Sequence[_Token]) -> list[int]:
    """Token indices just after "vì", "do", "lý do", "tại vì" ..."""
    found = []
    for index, token in enumerate(tokens):
        if token.raw.lower() not in vocab.REASON_MARKER_SPELLINGS:
            continue
        pair = f"{token.key} {tokens[index + 1].key}" if index + 1 < len(tokens) else ""
        if _REASON_MARKER.match(pair):
            found.append(index + 2)
        elif _REASON_MARKER.match(token.key):
            found.append(index + 1)
    return found


def _phrase(tokens: Sequence[_Token], raw: str, start: int, stop_at: set[int]) -> str | None:
    """The words from ``start`` to the end of the sentence, cut before "nên", "xin"."""
    end = start
    while end < len(tokens) and tokens[end].key not in _PHRASE_ENDS and end not in stop_at:
        if end > start and _REASON_STOP.match(tokens[end].key):
            break
        end += 1
    while start < end and (
        tokens[start].key in _LEADING_NOISE or _REASON_MARKER.match(tokens[start].key)
    ):
        start += 1
    end = _trim_politeness(tokens, start, end)
    if start >= end:
        return None
    return nfc(raw[tokens[start].start : tokens[end - 1].end]) or None


def _trim_politeness(tokens: Sequence[_Token], start: int, end: int) -> int:
    """Drop "ạ", "nhé", "anh ơi", trailing commas from the end of a phrase."""
    while end > start:
        key = tokens[end - 1].key
        called = end < len(tokens) and tokens[end].key in {"a", "oi"}
        if not (key in _TRAILING_NOISE or (key in vocab.ADDRESS_TERMS and called)):
            break
        end -= 1
    return end
