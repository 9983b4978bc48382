"""Real published plans, measured (issue 13: "tasks and units found against the truth").

Each plan in ``tests/real_plans`` carries its published rows and the truth written
by hand from the page (see the module's docstring for the source). Its Word and
Excel forms are built here, read by the real reader (``parse_plan``) and split by
the importer (``draft_tasks``), then compared with the truth: tasks found, unit
sets exactly as named (NFC), deadlines readable. ``FLOOR`` pins today's numbers so
a later change cannot lose accuracy silently; a known miss would be a strict xfail
of its own task below, not of the whole measure.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import pytest

from data.plans.importer import TaskDraft, draft_tasks, parse_plan
from tests.real_plans import tlu_vuot_gio_2020
from tests.real_plans.documents import plan_docx, plan_xlsx
from tests.real_plans.tlu_vuot_gio_2020 import Truth

PLANS: tuple[ModuleType, ...] = (tlu_vuot_gio_2020,)
BUILDERS: dict[str, Callable[[ModuleType], bytes]] = {"docx": plan_docx, "xlsx": plan_xlsx}


@dataclass(frozen=True)
class Score:
    """Tasks found of the truth, unit sets exactly right, deadlines read, tasks not in it."""

    found: int
    units_exact: int
    deadlines_read: int
    extra: int


# (plan, format) -> today's score; raise it when the readers get better, never lower it.
FLOOR: dict[tuple[str, str], Score] = {
    ("tlu_vuot_gio_2020", "docx"): Score(found=16, units_exact=16, deadlines_read=16, extra=0),
    ("tlu_vuot_gio_2020", "xlsx"): Score(found=16, units_exact=16, deadlines_read=16, extra=0),
}


def _key(text: str) -> str:
    """Content compared as a person reads it: NFC, any line break or run of spaces one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _name(plan: ModuleType) -> str:
    return plan.__name__.rsplit(".", 1)[-1]


def _drafts(plan: ModuleType, kind: str) -> dict[str, TaskDraft]:
    parsed = parse_plan(BUILDERS[kind](plan), source=f"{_name(plan)}.{kind}")
    drafts, _ = draft_tasks(parsed, plan.YEAR)
    return {_key(draft.content): draft for draft in drafts}


def _units(names: list[str]) -> frozenset[str]:
    return frozenset(unicodedata.normalize("NFC", name) for name in names)


def _units_exact(truth: Truth, draft: TaskDraft) -> bool:
    return (_units(draft.lead_units), _units(draft.coordinate_units)) == (
        truth.lead,
        truth.coordinate,
    )


def _deadline_read(draft: TaskDraft) -> bool:
    return bool(draft.occurrences) and all(o.kind != "unparsed" for o in draft.occurrences)


def _score(plan: ModuleType, kind: str) -> Score:
    drafts = _drafts(plan, kind)
    matched = [(t, drafts[_key(t.content)]) for t in plan.TRUTH if _key(t.content) in drafts]
    return Score(
        found=len(matched),
        units_exact=sum(_units_exact(truth, draft) for truth, draft in matched),
        deadlines_read=sum(_deadline_read(draft) for _, draft in matched),
        extra=len(drafts) - len(matched),
    )


@pytest.mark.parametrize("kind", sorted(BUILDERS))
@pytest.mark.parametrize("plan", PLANS, ids=_name)
def test_accuracy_on_a_real_plan_does_not_fall(plan: ModuleType, kind: str) -> None:
    floor = FLOOR[(_name(plan), kind)]
    score = _score(plan, kind)
    assert score.found >= floor.found, score
    assert score.units_exact >= floor.units_exact, score
    assert score.deadlines_read >= floor.deadlines_read, score
    assert score.extra <= floor.extra, score


# (plan, task ref) -> why it is read wrong today; each becomes a strict xfail below.
KNOWN_MISSES: dict[tuple[str, str], str] = {}


def _cases() -> list[object]:
    cases: list[object] = []
    for plan in PLANS:
        for truth in plan.TRUTH:
            for kind in sorted(BUILDERS):
                miss = KNOWN_MISSES.get((_name(plan), truth.ref))
                marks = [pytest.mark.xfail(reason=miss, strict=True)] if miss else []
                case_id = f"{_name(plan)}-{truth.ref}-{kind}"
                cases.append(pytest.param(plan, truth, kind, marks=marks, id=case_id))
    return cases


@pytest.mark.parametrize(("plan", "truth", "kind"), _cases())
def test_each_published_task_is_read_as_published(
    plan: ModuleType, truth: Truth, kind: str
) -> None:
    drafts = _drafts(plan, kind)
    draft = drafts.get(_key(truth.content))
    assert draft is not None, f"{truth.ref} not found"
    assert _units(draft.lead_units) == truth.lead
    assert _units(draft.coordinate_units) == truth.coordinate
    assert draft.deadline_text == truth.deadline
    assert _deadline_read(draft)
