"""The plan's identity (issue 13 §2): title after the kind of document, number, year."""

from __future__ import annotations

import pytest

from data.plans.identity import plan_year
from data.plans.parsed import ParsedPlan
from data.plans.text_plan import parse_plan_text
from tests.plan_identity_corpus import CASES, Identity, IdentityCase


def _identity(plan: ParsedPlan) -> Identity:
    return (plan.title, plan.number, plan.symbol, plan.year)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case[1][0][:40])
def test_it_reads_each_opening(case: IdentityCase) -> None:
    text, expected, _source = case
    assert _identity(parse_plan_text(text, source="t")) == expected


def test_the_corpus_accuracy_is_total() -> None:
    """Before issue 13 the reader got 2 of these 8 openings right (measured 2026-12-07)."""
    right = sum(_identity(parse_plan_text(text, source="t")) == want for text, want, _ in CASES)
    print(f"plan identity corpus: {right}/{len(CASES)} openings right")
    assert right == len(CASES)


def test_the_year_says_why() -> None:
    plan = parse_plan_text(CASES[0][0], source="t")
    assert plan.year_reason == "theo tiêu đề «… năm 2026»"
    signed = parse_plan_text(CASES[2][0], source="t")
    assert signed.year_reason == "theo ngày ký 09/01/2025"


def test_a_cited_document_never_gives_the_year() -> None:
    title = "Thực hiện Nghị định số 31/2021/NĐ-CP ngày 26/3/2021 của Chính phủ"
    assert plan_year(title, None, None).year is None
    assert plan_year("Chuyển đổi số giai đoạn 2026 - 2030", None, 2025).year == 2026


def test_a_blank_draft_number_is_not_a_warning() -> None:
    plan = parse_plan_text(CASES[1][0], source="t")
    assert not [w for w in plan.warnings if "số" in w.message.lower()], plan.warnings
