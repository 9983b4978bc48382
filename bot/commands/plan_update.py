"""``plan import NEW --update PLAN [--apply]``: an amended version over an imported plan.

The preview and the update are the same work (``update_file``); the preview's
transaction is rolled back, so what it shows is exactly what ``--apply`` writes,
and it never changes live data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands.runner import console, errors
from bot.i18n import t
from data.models import Plan
from data.plans.columns import Column
from data.plans.importer import read_plan_file
from data.plans.parsed import ParsedPlan
from data.plans.versions import AmendReport, amend_plan
from data.plans.view import find_plan
from scheduler.outbox import cancel_removed_tasks
from scheduler.planner import replan_plan
from scheduler.settings import load_policy


async def update_file(
    session: AsyncSession,
    path: Path,
    ref: str,
    year: int | None,
    now: datetime,
    *,
    sheet: str | None = None,
    named: Mapping[Column, str] | None = None,
) -> AmendReport:
    """Write ``path`` as the next version of plan ``ref``, cancel what it dropped, replan.

    ``sheet`` and ``named`` read the file as a first import would (``--sheet``, ``--column``).
    """
    plan = await find_plan(session, ref)
    parsed = read_plan_file(path, sheet=sheet, named=named)
    return await update_parsed(session, parsed, plan, year, now)


async def update_parsed(
    session: AsyncSession, parsed: ParsedPlan, plan: Plan, year: int | None, now: datetime
) -> AmendReport:
    """Write a parsed plan as the next version of ``plan`` (the CLI's file, a page's upload)."""
    strict = (await load_policy(session)).before_is_previous_day
    amended = await amend_plan(session, plan, parsed, year=year, before_is_previous_day=strict)
    if not amended.already_imported:
        await cancel_removed_tasks(session, amended.removed_ids)
        await replan_plan(session, now, plan.id)
    return amended


def print_amendment(amended: AmendReport, *, applied: bool) -> None:
    """The difference, one line per change, then whether it was written."""
    for warning in amended.report.warnings:
        errors.print(t("warning", message=warning), style="yellow", markup=False)
    code = amended.code
    if amended.already_imported:
        console.print(t("amend_same", version=amended.version, code=code), markup=False)
        return
    diff = amended.diff
    summary = diff.summary()
    head = t(
        "amend_head",
        code=code,
        version=amended.version,
        matched=summary["matched"],
        reworded=summary["reworded"],
        deadlines=summary["deadlines_changed"],
        units=summary["units_changed"],
        added=summary["added"],
        removed=summary["removed"],
    )
    console.print(head, markup=False)
    for match in diff.matched:
        old, new = match.old, match.new
        if match.reworded:
            line = t("amend_reworded", code=old.code, old=old.content, new=new.content)
            console.print(line, markup=False)
        if match.deadline_changed:
            line = t("amend_deadline", code=old.code, old=old.deadline_text, new=new.deadline_text)
            console.print(line, markup=False)
        if match.units_changed:
            before = "; ".join(text for text in (old.lead_text, old.coordinate_text) if text)
            after = "; ".join(", ".join(n) for n in (new.lead_units, new.coordinate_units) if n)
            console.print(t("amend_units", code=old.code, old=before, new=after), markup=False)
    for draft in diff.added:
        console.print(t("amend_added", code=draft.code, content=draft.content), markup=False)
    for gone in diff.removed:
        console.print(t("amend_removed", code=gone.code, content=gone.content), markup=False)
    if applied:
        console.print(t("amend_applied", code=code, version=amended.version), style="bold")
    else:
        console.print(t("amend_preview"), style="bold")
