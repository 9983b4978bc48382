"""Tests of data.deadlines: the corpus of real plan texts, the API contract, robustness."""

from __future__ import annotations

import datetime
import unicodedata
from collections import Counter

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from data.deadlines import Occurrence, parse_deadline
from tests.deadline_corpus import CASES, ISSUE13_CASES, RULES, VARIANTS, Case, Expected

KINDS = {"date", "period", "range", "recurring", "continuous", "on_request", "unparsed"}


def _date(raw: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(raw) if raw else None


def _matches(found: list[Occurrence], expected: list[Expected]) -> bool:
    if len(found) != len(expected):
        return False
    for occurrence, want in zip(found, expected, strict=True):
        kind, due, start = want[0], _date(want[1]), _date(want[2])
        if (occurrence.kind, occurrence.due, occurrence.start) != (kind, due, start):
            return False
        if len(want) == 4 and occurrence.rule != want[3]:
            return False
    return True


def _describe(found: list[Occurrence]) -> list[tuple[object, ...]]:
    return [(o.kind, o.due, o.start, o.rule) for o in found]


@pytest.mark.parametrize(
    "case", CASES + VARIANTS + RULES, ids=lambda case: case[0][:40] or "<empty>"
)
def test_it_reads_each_corpus_text(case: Case) -> None:
    text, plan_year, expected, _source = case
    found = parse_deadline(text, plan_year)
    assert _matches(found, expected), _describe(found)


def test_the_corpus_accuracy_is_total() -> None:
    right = sum(_matches(parse_deadline(text, year), want) for text, year, want, _ in CASES)
    kinds = Counter(want[0] for _, _, expected, _ in CASES for want in expected)
    print(f"deadline corpus: {right}/{len(CASES)} texts right; kinds {dict(kinds)}")
    assert len({text for text, *_ in CASES}) == len(CASES), "corpus texts must be distinct"
    assert right == len(CASES)


def test_it_reads_the_deadlines_of_issue_13() -> None:
    """Before issue 13 the parser read 4 of these 15 cells right (measured 2026-12-07)."""
    right = sum(_matches(parse_deadline(t, year), want) for t, year, want, _ in ISSUE13_CASES)
    print(f"issue 13 deadline cells: {right}/{len(ISSUE13_CASES)} right")
    assert right == len(ISSUE13_CASES)


def test_a_wrapped_line_joins_but_a_new_item_separates() -> None:
    joined = parse_deadline("Trước ngày 10 của\ntháng liền kề", 2026)
    assert [o.rule for o in joined] == ["FREQ=MONTHLY;BYMONTHDAY=9"]
    separate = parse_deadline("Quý II/2026\nQuý IV/2026", 2026)
    assert [o.due for o in separate] == [datetime.date(2026, 6, 30), datetime.date(2026, 12, 31)]


def test_it_keeps_the_given_day_when_before_is_inclusive() -> None:
    found = parse_deadline("Trước ngày 15/6/2022", 2022, before_is_previous_day=False)
    assert [o.due for o in found] == [datetime.date(2022, 6, 15)]
    monthly = parse_deadline("Trước ngày 05 hằng tháng", 2022, before_is_previous_day=False)
    assert [o.rule for o in monthly] == ["FREQ=MONTHLY;BYMONTHDAY=5"]


def test_it_never_takes_the_year_from_the_clock() -> None:
    assert [o.kind for o in parse_deadline("Quý II")] == ["unparsed"]
    assert [o.kind for o in parse_deadline("Trước ngày 15/6")] == ["unparsed"]


def test_it_gives_recurring_rules_without_a_due_when_the_year_is_unknown() -> None:
    (occurrence,) = parse_deadline("Hằng tháng")
    assert (occurrence.kind, occurrence.due, occurrence.rule) == (
        "recurring",
        None,
        "FREQ=MONTHLY;BYMONTHDAY=-1",
    )


def test_each_milestone_quotes_its_own_fragment() -> None:
    text = (
        "Ban hành kế hoạch trong tháng 01/2026, tổ chức kiểm tra chậm nhất trong tháng 6/2026 "
        "và báo cáo kết quả trong tháng 8/2026"
    )
    assert [o.text for o in parse_deadline(text, 2026)] == [
        "Ban hành kế hoạch trong tháng 01/2026",
        "tổ chức kiểm tra chậm nhất trong tháng 6/2026",
        "báo cáo kết quả trong tháng 8/2026",
    ]


def test_it_normalises_any_unicode_form_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Quý II/2022")
    (occurrence,) = parse_deadline(decomposed)
    assert occurrence.due == datetime.date(2022, 6, 30)
    assert occurrence.text == unicodedata.normalize("NFC", "Quý II/2022")


def test_it_does_not_repeat_an_occurrence() -> None:
    assert len(parse_deadline("Quý II/2022, Quý II/2022")) == 1


def test_it_orders_by_due_date() -> None:
    found = parse_deadline("Tháng 12/2022 và tháng 6/2022")
    assert [o.due for o in found] == [datetime.date(2022, 6, 30), datetime.date(2022, 12, 31)]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.one_of(st.none(), st.integers(min_value=1900, max_value=2100)))
def test_it_never_raises_and_returns_valid_occurrences(text: str, plan_year: int | None) -> None:
    for occurrence in parse_deadline(text, plan_year):
        assert occurrence.kind in KINDS
        assert occurrence.due is None or isinstance(occurrence.due, datetime.date)
        if occurrence.kind == "recurring":
            assert occurrence.rule is not None
            rrulestr(occurrence.rule, dtstart=datetime.datetime(2022, 1, 1))


_PIECES = st.sampled_from(
    [
        "Quý",
        "II",
        "IV",
        "/",
        "2022",
        "tháng",
        "ngày",
        "15",
        "6",
        "trước",
        "hằng",
        "năm",
        "từ",
        "đến",
        "-",
        ",",
        "và",
        "31",
        "12",
        "01",
        "tuần",
        "đầu",
        " ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map(" ".join))
def test_it_survives_deadline_shaped_noise(text: str) -> None:
    for occurrence in parse_deadline(text, 2022):
        assert occurrence.kind in KINDS
        if occurrence.rule is not None:
            rrulestr(occurrence.rule, dtstart=datetime.datetime(2022, 1, 1))


@pytest.mark.parametrize(
    ("text", "due", "rule"),
    [
        ("Tháng 9 hằng năm", datetime.date(2022, 9, 30), "FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=-1"),
        ("Quý III hằng năm", datetime.date(2022, 9, 30), "FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=-1"),
        ("Tháng 01 năm sau", datetime.date(2023, 1, 31), None),
        ("Quý I năm tiếp theo", datetime.date(2023, 3, 31), None),
    ],
)
def test_a_yearless_month_reads_with_its_cadence_or_next_year(
    text: str, due: datetime.date, rule: str | None
) -> None:
    (occurrence,) = parse_deadline(text, 2022)
    assert (occurrence.due, occurrence.rule) == (due, rule)
