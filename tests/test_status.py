"""Reading officers' replies: the corpus, the rules around it and properties."""

from __future__ import annotations

import collections
import datetime
import re
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data import status_vocab as vocab
from data.status import MAX_CHARS, Reply, ReplyState, parse_reply
from data.text import fold
from tests.reply_corpus import CORPUS, TODAY


@pytest.mark.parametrize(("text", "expected"), CORPUS, ids=[text[:40] for text, _ in CORPUS])
def test_it_reads_the_corpus(text: str, expected: Reply) -> None:
    assert parse_reply(text, TODAY) == expected


def test_the_corpus_is_large_and_covers_every_state() -> None:
    counts = collections.Counter(reply.state for _, reply in CORPUS)
    assert len(CORPUS) >= 180
    assert set(counts) == set(get_args(ReplyState))
    assert len({text for text, _ in CORPUS}) == len(CORPUS)


def test_done_is_never_claimed_for_a_reply_that_is_not_done() -> None:
    claimed = [text for text, _ in CORPUS if parse_reply(text, TODAY).state == "done"]
    wrong = [text for text in claimed if dict(CORPUS)[text].state != "done"]
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("xin gia hạn đến 30/6", None),
        ("xin gia hạn đến 30/6/2026", datetime.date(2026, 6, 30)),
        ("xin gia hạn đến 30-6-26", datetime.date(2026, 6, 30)),
        ("xin gia hạn thêm 1 tuần", None),
        ("xin lùi sang quý III", None),
        ("xin lùi sang quý III/2027", datetime.date(2027, 9, 30)),
        ("xin gia hạn đến ngày 15 tháng 7 năm 2026", datetime.date(2026, 7, 15)),
    ],
)
def test_it_needs_today_for_dates_without_a_year(text: str, due: datetime.date | None) -> None:
    reply = parse_reply(text)
    assert reply.state == "extension_requested"
    assert reply.new_due == due


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (datetime.date(2026, 5, 14), datetime.date(2026, 6, 30)),
        (datetime.date(2026, 6, 30), datetime.date(2026, 6, 30)),
        (datetime.date(2026, 7, 1), datetime.date(2027, 6, 30)),
    ],
)
def test_a_date_without_a_year_is_the_next_one(today: datetime.date, due: datetime.date) -> None:
    assert parse_reply("xin gia hạn đến 30/6", today).new_due == due


def test_a_quarter_already_over_is_next_years() -> None:
    reply = parse_reply("xin lùi sang quý II", datetime.date(2026, 8, 1))
    assert reply.new_due == datetime.date(2027, 6, 30)


def test_the_latest_date_is_the_new_due_date() -> None:
    reply = parse_reply("hạn 15/6 nhưng xin gia hạn đến 30/6", TODAY)
    assert reply.new_due == datetime.date(2026, 6, 30)


def test_dates_are_read_only_for_extension_requests() -> None:
    assert parse_reply("xong rồi, nộp ngày 12/5", TODAY) == Reply("done")


def test_a_long_message_is_read_only_at_its_start() -> None:
    long = "xong rồi ạ. " + "bla " * 5000
    assert parse_reply(long, TODAY) == Reply("done")
    hidden = "bla " * (MAX_CHARS // 4) + "xong rồi"
    assert parse_reply(hidden, TODAY) == Reply("unknown")


def test_diacritics_in_any_unicode_form_read_the_same() -> None:
    import unicodedata

    text = "Đã hoàn thành, nhưng trễ hạn ạ"
    decomposed = unicodedata.normalize("NFD", text)
    assert parse_reply(decomposed) == parse_reply(text) == Reply("done", late=True)


def test_a_reason_keeps_the_officers_spelling() -> None:
    reply = parse_reply("Vướng:   chờ  số liệu   của Sở Tài chính ạ")
    assert reply.reason == "chờ số liệu của Sở Tài chính"


# --- properties ---------------------------------------------------------------

_DONE_MARKS = [
    re.compile(" ".join("".join(re.escape(c) + "+" for c in word) for word in marker.split()))
    for marker in vocab.DONE_MARKERS
]
_SAMPLE_PHRASES = (
    "xong rồi chưa đã đang làm hoàn thành nộp gửi vướng chờ gia hạn xin thêm tuần",
    "không ko k dc ạ anh chị em ok 👍 ? , . 100% 70% 7/10 30/6 quý III BDT22-IV.2",
    "một nửa phần trăm trễ muộn chậm sẽ sắp gần nếu khi nào bao giờ thì báo",
)
_WORDS = sorted({*(word for phrase in _SAMPLE_PHRASES for word in phrase.split()), *vocab.TEENCODE})
_MESSAGES = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(_WORDS), max_size=12).map(" ".join),
    st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=5)), max_size=12).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(text=_MESSAGES, today=st.one_of(st.none(), st.dates()))
def test_it_never_raises_and_keeps_its_promises(text: str, today: datetime.date | None) -> None:
    reply = parse_reply(text, today)
    assert reply.percent is None or 0 <= reply.percent <= 100
    if reply.state == "done":
        folded = fold(text[:MAX_CHARS])
        assert any(mark.search(folded) for mark in _DONE_MARKS), text
    if reply.state != "extension_requested":
        assert reply.new_due is None
    if reply.late:
        assert reply.state == "done"


@pytest.mark.parametrize("today", [datetime.date.min, datetime.date.max])
@pytest.mark.parametrize(
    "text",
    [
        "xin gia hạn thêm 2 tháng",
        "xin lùi đến 30/6",
        "xin lùi sang quý I",
        "xin khất đến thứ 6",
        "xin gia hạn đến cuối năm",
        "xin gia hạn sang tháng sau",
        "xin lùi sang năm sau",
    ],
)
def test_dates_at_the_ends_of_the_calendar_give_none_not_errors(
    text: str, today: datetime.date
) -> None:
    assert parse_reply(text, today).state == "extension_requested"


def test_it_reads_only_the_head_of_ten_thousand_characters() -> None:
    """A flood of text is cut before parsing (``MAX_CHARS``): what follows cannot matter."""
    head = "xong BDT22-I.1 ạ "
    text = head + (" ".join(_WORDS) + " ") * 400
    assert len(text) > 10_000
    reply = parse_reply(text[:10_000], TODAY)
    assert reply == parse_reply(text[:MAX_CHARS], TODAY)
