"""An amended version of a plan over the imported one: which task is which, and what changed.

Secretaries receive corrected plans: sections renumbered, a task reworded, a deadline
moved, a unit added, a task dropped or added. Re-importing the file as a new plan
would lose every answer and double every reminder, so the new tasks are matched to
the old ones and the old rows are updated in place: a matched task keeps its code,
its progress, its audit and its reminder history.

Matching (pure, ``match_tasks``): the content, folded (no diacritics, lower case),
is compared with rapidfuzz's ``token_sort_ratio`` (word order does not matter, a
reworded phrase keeps most of its words). A pair is a candidate at
``MATCH_SIMILARITY`` (70) or more, or at ``NEAR_SIMILARITY`` (45) when the section
title and the task number agree as well; candidates are taken best first, each
task at most once, the section title and the number breaking ties (+5 each). The
section number is not a tie-breaker: a renumbered section keeps its title, not
its number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from data.plans.importer import TaskDraft
from data.text import fold

MATCH_SIMILARITY = 70
NEAR_SIMILARITY = 45
TIE_BONUS = 5


@dataclass(frozen=True)
class OldTask:
    """An imported task as the matching sees it."""

    id: int
    code: str
    section_title: str
    number: str | None
    content: str
    lead_text: str
    """The lead units as stored: the split names joined by ", " (a name may hold a comma)."""
    coordinate_text: str
    deadline_text: str


@dataclass(frozen=True)
class Match:
    """An imported task and the row of the new version that is the same task."""

    old: OldTask
    new: TaskDraft
    similarity: float

    @property
    def reworded(self) -> bool:
        return fold(self.old.content) != fold(self.new.content)

    @property
    def deadline_changed(self) -> bool:
        return fold(self.old.deadline_text) != fold(self.new.deadline_text)

    @property
    def units_changed(self) -> bool:
        return (self.old.lead_text, self.old.coordinate_text) != (
            ", ".join(self.new.lead_units),
            ", ".join(self.new.coordinate_units),
        )


@dataclass
class PlanDiff:
    """What an amended version changes; ``summary`` is stored with the version."""

    matched: list[Match] = field(default_factory=list)
    added: list[TaskDraft] = field(default_factory=list)
    removed: list[OldTask] = field(default_factory=list)

    @property
    def reworded(self) -> list[Match]:
        return [m for m in self.matched if m.reworded]

    @property
    def deadlines_changed(self) -> list[Match]:
        return [m for m in self.matched if m.deadline_changed]

    @property
    def units_changed(self) -> list[Match]:
        return [m for m in self.matched if m.units_changed]

    def summary(self) -> dict[str, int]:
        return {
            "matched": len(self.matched),
            "reworded": len(self.reworded),
            "deadlines_changed": len(self.deadlines_changed),
            "units_changed": len(self.units_changed),
            "added": len(self.added),
            "removed": len(self.removed),
        }


def similarity(old: str, new: str) -> float:
    """0–100: how alike two task contents are, diacritics, case and word order aside."""
    return float(fuzz.token_sort_ratio(fold(old), fold(new)))


def match_tasks(old: list[OldTask], new: list[TaskDraft]) -> PlanDiff:
    """Pair each task of the new version with at most one imported task (see module doc)."""
    candidates: list[tuple[float, float, int, int]] = []
    for i, before in enumerate(old):
        for j, after in enumerate(new):
            alike = similarity(before.content, after.content)
            same_place = fold(before.section_title) == fold(after.section_title)
            same_number = before.number == after.number
            if alike >= MATCH_SIMILARITY or (
                alike >= NEAR_SIMILARITY and same_place and same_number
            ):
                score = alike + TIE_BONUS * same_place + TIE_BONUS * same_number
                candidates.append((score, alike, i, j))
    candidates.sort(key=lambda c: (-c[0], c[2], c[3]))
    paired_old: dict[int, tuple[int, float]] = {}
    paired_new: set[int] = set()
    for _, alike, i, j in candidates:
        if i not in paired_old and j not in paired_new:
            paired_old[i] = (j, alike)
            paired_new.add(j)
    by_new = {j: (i, alike) for i, (j, alike) in paired_old.items()}
    diff = PlanDiff()
    for j, after in enumerate(new):
        if j in by_new:
            i, alike = by_new[j]
            diff.matched.append(Match(old[i], after, alike))
        else:
            diff.added.append(after)
    diff.removed = [before for i, before in enumerate(old) if i not in paired_old]
    return diff
