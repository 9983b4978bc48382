"""The plan's identity read from its opening: which line holds the title, and its year.

Real plans put the kind of document ("KẾ HOẠCH", "NGHỊ QUYẾT", "QUYẾT ĐỊNH",
"CHƯƠNG TRÌNH") on a line of its own with the subject on the next line, or both on one
line ("KẾ HOẠCH Triển khai … năm 2026"). The year the plan is *for* is the one its
subject names: a plan signed in December 2025 "… năm 2026" is a 2026 plan, and a title
citing "Kết luận số 213-KL/TW ngày 21 tháng 11 năm 2025" is not a 2025 plan. Only
when the subject names no year does the signing date give it. Pure: text in, values out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from data.plans.columns import clean
from data.text import fold

KINDS = ("ke hoach", "nghi quyet", "quyet dinh", "chuong trinh")
_KIND_LINE = re.compile(rf"^({'|'.join(KINDS)})\b\s*:?\s*(.*)$")
# Dates and numbers of cited documents: "ngày 21 tháng 11 năm 2025", "ngày 09/01/2025",
# "Nghị định số 31/2021/NĐ-CP", "57-NQ/TW". They never give the plan's year.
_CITED = re.compile(
    r"\bngay\s*\d{1,2}\s*(?:thang\s*\d{1,2}\s*nam\s*\d{4}|[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4})"
    r"|\b\d+(?:[/\-]\d+)*[/\-][a-z][a-z0-9&]*(?:[/\-][a-z0-9&]+)*"
)
_YEAR = re.compile(r"\bnam\s+((?:19|20)\d{2})\b(?!\s*-\s*(?:19|20)\d{2})")
_SPAN = re.compile(
    r"\b(?:giai\s+doan\s+|nam\s+hoc\s+|nhiem\s+ky\s+)?((?:19|20)\d{2})\s*-\s*((?:19|20)\d{2})\b"
)


@dataclass(frozen=True)
class KindLine:
    """Where the kind of document is written, and the title when it shares the line."""

    index: int
    title: str


def find_kind_line(lines: Sequence[str]) -> KindLine | None:
    """The first line naming the kind of document in capitals, with any title after it.

    Capitals tell the heading from a sentence of the introduction ("Kế hoạch này …").
    """
    for index, line in enumerate(lines):
        text = clean(line).strip("*").strip()
        match = _KIND_LINE.match(fold(text))
        if match is None:
            continue
        kind_length = len(match[1])
        if text[:kind_length].isupper():
            rest = text[kind_length:].lstrip(" :").strip()
            return KindLine(index, rest if match[2] else "")
    return None


@dataclass(frozen=True)
class PlanYear:
    """The year a plan is for and, in Vietnamese, why (shown at import)."""

    year: int | None
    reason: str


def plan_year(title: str, signed_on: date | None, signed_year: int | None) -> PlanYear:
    """The subject's year ("năm 2026", "giai đoạn 2026 - 2030"), else the signing year.

    A plain "năm YYYY" outranks a span: "… giai đoạn 2021 - 2025 năm 2023" is a 2023
    plan within the programme. Several plain years: the last one, the subject's own. A
    span gives its first year only to a plan signed before it starts; a plan signed
    inside its span ("giai đoạn 2021 - 2025", signed in 2022) is for the signing year.
    """
    subject = _CITED.sub(" ", fold(title))
    years = _YEAR.findall(subject)
    if years:
        return PlanYear(int(years[-1]), f"theo tiêu đề «… năm {years[-1]}»")
    signed = signed_on.year if signed_on is not None else signed_year
    span = _SPAN.search(subject)
    if span is not None and (signed is None or signed < int(span[1])):
        return PlanYear(int(span[1]), f"theo tiêu đề «… {span[1]} - {span[2]}»")
    if signed_on is not None:
        return PlanYear(signed_on.year, f"theo ngày ký {signed_on:%d/%m/%Y}")
    if signed_year is not None:
        return PlanYear(signed_year, f"theo năm ký {signed_year}")
    return PlanYear(None, "")
