"""Each task's report state as of now, for the summaries' counts (measure ``report``).

The overview shows a plan's figures as its report gives them (``data/report_states``:
six states, by unit) and built the report for it: every task's audit replayed, 4 s at
100,000 assignments. As of now the audit's last word on an item is its ``Progress``
row (every change of one is audited with it, ``data/progress.py``), so the report's
state of a task is decided here from the rows ``data/summary_counts`` already reads,
by the report's own function (``standing``), and kept per plan, unit and state:

- a task with items: once judged on all its deciding items (unit 0) and once per
  deciding unit, an open one with the earliest due in force of its open items (late
  as of any day after it);
- a removed task: stopped; a task without items (no unit or no due): not started;
  each once for unit 0 and once per deciding unit, as the report lists them;
- a task with a recurring due: only marked (``RECURRING``): its occurrences are
  replayed by the report itself when the overview is read (``data/report_figures``).

One thing ``Progress`` does not say: whether a done item's ``late`` is the officer's
word or the date. When the date no longer makes it late (an extension approved after
the work was done, a due moved later), the audit row that closed it says (``said_late``):
one query, only for such items.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, aliased

from data.models import Assignment, Due, Plan, StatusUpdate, Task
from data.report_model import NOT_STARTED, STOPPED
from data.report_states import Trace, row_due, standing
from data.vn_dates import VN_TZ
from data.work_items import _Found, _Progress

REPORT = "report"
"""The measure of these counts in ``summary_counts``."""
RECURRING = "recurring"
"""The state of a task with a recurring due: counted by replaying it when read."""
WHOLE_TASK = 0
CHUNK = 2000
"""Items asked about per query (IN lists stay well under both drivers' parameter limits)."""
Rows = Sequence[tuple[_Found, _Progress | None]]
_assigned = aliased(Assignment)
Traced = tuple[Trace, date | None]
"""An item's trace and its stored due."""
Standing = Counter[tuple[int, int, str, date | None]]
"""(plan id, unit id or ``WHOLE_TASK``, report state, earliest open due) -> tasks."""


def _date_late(found: _Found, progress: _Progress) -> bool:
    due = progress.extended_to or found.due_on
    done_at = progress.done_at
    return due is not None and done_at is not None and done_at.astimezone(VN_TZ).date() > due


def undecided(rows: Iterable[Rows]) -> set[int]:
    """Progress ids of done items marked late that their dates no longer make late."""
    return {
        progress.id
        for task_rows in rows
        for found, progress in task_rows
        if progress is not None
        and progress.state == "done"
        and progress.late
        and not _date_late(found, progress)
    }


def said_late(session: Session, progress_ids: Collection[int]) -> set[int]:
    """Of these items, those the officer said were done late (the last audit row that
    closed them, as the report replays it)."""
    ordered = sorted(progress_ids)
    said: dict[int, Any] = {}
    for start in range(0, len(ordered), CHUNK):  # a rebuild may ask about thousands
        query = (
            select(StatusUpdate.progress_id, StatusUpdate.intent)
            .where(
                StatusUpdate.progress_id.in_(ordered[start : start + CHUNK]),
                StatusUpdate.state_after == "done",
                or_(StatusUpdate.state_before.is_(None), StatusUpdate.state_before != "done"),
            )
            .order_by(StatusUpdate.created_at, StatusUpdate.id)
        )
        said.update(
            (progress, (intent or {}).get("late")) for progress, intent in session.execute(query)
        )
    return {progress for progress, late in said.items() if late}


def _trace(found: _Found, progress: _Progress | None, said: Collection[int]) -> Trace:
    if progress is None:
        return Trace()
    late = progress.late and (progress.id in said or _date_late(found, progress))
    return Trace(
        state=progress.state,
        done_at=progress.done_at,
        said_late=late,
        extended_to=progress.extended_to,
    )


def _recurring(rows: Rows) -> bool:
    return any(found.due_kind == "recurring" and found.rule for found, _ in rows)


def _deciding_traces(rows: Rows, said: Collection[int]) -> dict[int, list[Traced]]:
    """The traces of a one-off task's deciding items, whole (``WHOLE_TASK``) and per
    deciding unit: the leads' items, every unit's when none leads."""
    leads = {found.unit_id for found, _ in rows if found.role == "lead"}
    per_unit: dict[int, list[Traced]] = defaultdict(list)
    for found, progress in rows:
        if found.role == "lead" or not leads:
            per_unit[found.unit_id].append((_trace(found, progress, said), found.due_on))
    return {WHOLE_TASK: [item for items in per_unit.values() for item in items], **per_unit}


def report_standing(rows: Rows, said: Collection[int]) -> Standing:
    """One task's report state, whole and per deciding unit, from its item rows."""
    plan = rows[0][0].plan_id
    if _recurring(rows):
        return Counter({(plan, WHOLE_TASK, RECURRING, None): 1})
    deciding = _deciding_traces(rows, said)
    return Counter({(plan, unit, *standing(traces)): 1 for unit, traces in deciding.items()})


def report_row_dues(rows: Rows, said: Collection[int]) -> dict[int, date | None]:
    """The due of one task's report row, whole and per deciding unit (none for a recurring
    task: the report replays it)."""
    return {} if _recurring(rows) else deciding_row_dues(rows, said)


def deciding_row_dues(rows: Rows, said: Collection[int] = ()) -> dict[int, date | None]:
    """The due of a task's report row from its one-off deciding items, whole and per
    deciding unit (a removed task's, recurring or not, as the report lists it)."""
    return {unit: row_due(traces) for unit, traces in _deciding_traces(rows, said).items()}


def itemless_standing(session: Session, task_ids: Collection[int] | None) -> dict[int, Standing]:
    """Of these tasks (every one when None), those without item rows: removed (stopped) or
    without a unit or a due (not started); archived plans' left out, as everywhere."""
    query = (
        select(Task.id, Task.plan_id, Task.removed_in, Assignment.unit_id, Assignment.role)
        .join(Plan, Plan.id == Task.plan_id)
        .outerjoin(Assignment, Assignment.task_id == Task.id)
        .where(Plan.archived_at.is_(None))
    )
    if task_ids is not None:
        query = query.where(Task.id.in_(sorted(task_ids)))
    else:  # the ``_joined`` rows of data/work_items are of the others
        query = query.where(
            or_(
                Task.removed_in.is_not(None),
                ~exists().where(_assigned.task_id == Task.id),
                ~exists().where(Due.task_id == Task.id),
            )
        )
    tasks: dict[int, tuple[int, bool]] = {}
    units: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for task, plan, removed_in, unit, role in session.execute(query):
        tasks[task] = (plan, removed_in is not None)
        if unit is not None:
            units[task].append((unit, role))
    found: dict[int, Standing] = {}
    for task, (plan, removed) in tasks.items():
        state = STOPPED if removed else NOT_STARTED
        leads = [unit for unit, role in units[task] if role == "lead"]
        deciding = leads or [unit for unit, _ in units[task]]
        found[task] = Counter({(plan, WHOLE_TASK, state, None): 1})
        found[task].update((plan, unit, state, None) for unit in dict.fromkeys(deciding))
    return found
