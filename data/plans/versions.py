"""Write an amended version over an imported plan, keeping what officers already reported.

``amend_plan`` updates rows in place in the caller's transaction, so a preview is
the same work rolled back: what it shows is exactly what ``--apply`` writes. A
matched task keeps its row (code, progress, audit, reminders); its dues are
rewritten position by position and its assignments kept per (unit, role), so the
progress of a unit still on the task survives a moved deadline. A task the new
version drops is marked ``removed_in`` with its open progress cancelled; cancelling
its pending reminders is the outbox's job (``scheduler.outbox.cancel_removed_tasks``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from data.errors import UserError
from data.models import Assignment, Due, Plan, PlanVersion, Progress, Section, Task, Unit
from data.plans.amend import OldTask, PlanDiff, match_tasks
from data.plans.importer import (
    ImportReport,
    TaskDraft,
    code_prefix,
    draft_tasks,
    fill_dues,
    fill_task,
    resolve_units,
)
from data.plans.parsed import ParsedPlan
from data.summary_counts import NOTED

OPEN_STATES = ("not_started", "in_progress", "blocked", "extension_requested")


@dataclass
class AmendReport:
    """What an amended version changes (or would change, for a preview).

    Plain values only: a preview is rolled back before it is shown, and an ORM row
    read after that would try to reload from a closed session.
    """

    code: str
    """The plan's code prefix (``BDT22``)."""
    version: int
    diff: PlanDiff
    report: ImportReport
    removed_ids: list[int]
    already_imported: bool = False


async def current_version(session: AsyncSession, plan_id: int) -> int:
    """The plan's latest version number (1 for a plan imported once)."""
    found = await session.scalar(
        select(func.max(PlanVersion.version)).where(PlanVersion.plan_id == plan_id)
    )
    return int(found or 1)


async def _active_tasks(session: AsyncSession, plan_id: int) -> list[Task]:
    query = (
        select(Task)
        .where(Task.plan_id == plan_id, Task.removed_in.is_(None))
        .options(selectinload(Task.section), selectinload(Task.assignments))
        .options(selectinload(Task.dues))
        .order_by(Task.position)
    )
    return list((await session.scalars(query)).all())


def _old(task: Task) -> OldTask:
    return OldTask(
        id=task.id,
        code=task.code,
        section_title=task.section.title,
        number=task.number,
        content=task.content,
        lead_text=task.lead_text,
        coordinate_text=task.coordinate_text,
        deadline_text=task.deadline_text,
    )


async def amend_plan(
    session: AsyncSession,
    plan: Plan,
    parsed: ParsedPlan,
    *,
    year: int | None = None,
    before_is_previous_day: bool = True,
) -> AmendReport:
    """Match ``parsed`` against ``plan``'s tasks and write the result as the next version."""
    plan_year = year or parsed.year or plan.year
    if plan_year is None:
        raise UserError("Không xác định được năm của kế hoạch; hãy chỉ rõ bằng --year NĂM.")
    parsed = replace(parsed, year=plan_year)
    drafts, warnings = draft_tasks(parsed, plan_year, before_is_previous_day=before_is_previous_day)
    own = code_prefix(parsed, drafts)
    drafts = [replace(d, code=plan.code_prefix + d.code[len(own) :]) for d in drafts]
    report = ImportReport(plan=parsed, code_prefix=plan.code_prefix, tasks=drafts, units={})
    report.warnings.extend(str(w) for w in parsed.warnings)
    report.warnings.extend(warnings)
    version = await current_version(session, plan.id)
    tasks = {task.id: task for task in await _active_tasks(session, plan.id)}
    diff = match_tasks([_old(task) for task in tasks.values()], drafts)
    known = await session.scalar(
        select(PlanVersion.version).where(
            PlanVersion.plan_id == plan.id, PlanVersion.checksum == parsed.checksum
        )
    )
    if known is not None:
        return AmendReport(plan.code_prefix, int(known), diff, report, [], already_imported=True)
    version += 1
    units = await resolve_units(session, drafts, report)
    matches = {id(m.new): m for m in diff.matched}
    sections = await _sections(session, plan, drafts)
    codes = set((await session.scalars(select(Task.code).where(Task.plan_id == plan.id))).all())
    for position, draft in enumerate(drafts):
        match = matches.get(id(draft))
        if match is not None:
            task = tasks[match.old.id]
        else:
            task = Task(plan_id=plan.id, code=_unique(draft.code, codes), dues=[], assignments=[])
            codes.add(task.code)
            session.add(task)
        task.section, task.position = sections[draft.section_number], position
        _rewrite(task, draft, units)
    removed = [tasks[old.id] for old in diff.removed]
    for task in removed:
        task.removed_in = version
    await _cancel_progress(session, [a.id for task in removed for a in task.assignments])
    plan.checksum, plan.source = parsed.checksum, parsed.source
    session.add(
        PlanVersion(
            plan_id=plan.id,
            version=version,
            source=parsed.source,
            checksum=parsed.checksum,
            summary=diff.summary(),
        )
    )
    await session.flush()
    return AmendReport(plan.code_prefix, version, diff, report, [task.id for task in removed])


async def _sections(
    session: AsyncSession, plan: Plan, drafts: list[TaskDraft]
) -> dict[str, Section]:
    """The new version's sections by number: existing rows retitled, missing ones added."""
    rows = (await session.scalars(select(Section).where(Section.plan_id == plan.id))).all()
    by_number = {row.number: row for row in rows}
    wanted: dict[str, Section] = {}
    for draft in drafts:
        if draft.section_number in wanted:
            continue
        section = by_number.get(draft.section_number)
        if section is None:
            section = Section(plan_id=plan.id, number=draft.section_number, title="", position=0)
            session.add(section)
        section.title, section.position = draft.section_title, len(wanted)
        wanted[draft.section_number] = section
    return wanted


def _rewrite(task: Task, draft: TaskDraft, units: dict[str, Unit]) -> None:
    """Bring a task's texts, assignments and dues to the draft, reusing rows where they fit."""
    fill_task(task, draft)
    kept = {(a.unit_id, a.role): a for a in task.assignments}
    assignments: list[Assignment] = []
    for role, names in (("lead", draft.lead_units), ("coordinate", draft.coordinate_units)):
        for name in names:
            key = (units[name].id, role)
            if any((a.unit_id, a.role) == key for a in assignments):
                continue
            row = kept.get(key) or Assignment(unit_id=key[0], role=role)
            row.position = len(assignments)
            assignments.append(row)
    task.assignments = assignments
    count = len(draft.occurrences)
    dues = list(task.dues[:count])
    dues.extend(Due(position=i) for i in range(len(dues), count))
    task.dues = dues
    fill_dues(task.dues, draft)


def _unique(code: str, taken: set[str]) -> str:
    """An added task whose code a kept (renumbered) task holds gets ``-2``, ``-3``…"""
    suffix, candidate = 2, code
    while candidate in taken:
        candidate, suffix = f"{code}-{suffix}", suffix + 1
    return candidate


async def _cancel_progress(session: AsyncSession, assignment_ids: list[int]) -> None:
    """Open progress of dropped tasks becomes cancelled: summaries stop counting it."""
    if assignment_ids:
        await session.execute(
            update(Progress)
            .where(Progress.assignment_id.in_(assignment_ids), Progress.state.in_(OPEN_STATES))
            .values(state="cancelled")
            # the dropped tasks are marked removed in this transaction, which recounts them
            .execution_options(**{NOTED: True})
        )
