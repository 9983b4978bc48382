"""Merging a unit into another: how an admin confirms that two spellings are one unit.

Importing a plan never merges on a fuzzy guess: a near-miss name becomes a new
unit and the import warns with the registered unit it resembles. If they are the
same, ``nhacviec unit merge NEW REGISTERED`` moves everything over and keeps the
other spelling as an alias, so the next plan that writes it that way matches.

When both units carry the same task in the same role, the two assignments become
one and nothing officers reported is lost: progress moves to the kept assignment;
where both have a row for the same due, the more advanced one stays (done beats
cancelled beats any open state; then the higher percent, then the newer report)
and the other's audit trail and extension requests move onto it.

The report replays that merged audit (``data/report_states``) while the counts and
``/tonghop`` read the kept row, so the two are made to say the same: the merge writes
an audit row recording the kept state (the audit's last word, as after any change),
and the kept row takes from the merged audit what the replay takes from it — the due
in force (the latest extension approved), and for done work when it was closed and
whether the officer said it was late.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from data.errors import UserError
from data.models import (
    Assignment,
    Due,
    ExtensionRequest,
    Mute,
    Officer,
    Progress,
    StatusUpdate,
    Unit,
    utcnow,
)
from data.people import add_alias, find_unit
from data.vn_dates import VN_TZ

_ADVANCE = {"done": 3, "cancelled": 2, "not_started": 0}
"""How far a state has gone; every other (open) state counts 1."""


async def merge_units(
    session: AsyncSession, source_name: str, target_name: str, now: datetime | None = None
) -> Unit:
    """Move assignments, progress, officers, mutes, aliases and sub-units of ``source``
    (``now``: when folded items' audit says they were merged; the clock's time if not given)."""
    now = now or utcnow()
    source = await find_unit(session, source_name)
    target = await find_unit(session, target_name)
    if source.id == target.id:
        raise UserError(f"«{source.name}» và «{target.name}» đã là một đơn vị.")
    kept = {
        (assignment.task_id, assignment.role): assignment
        for assignment in await session.scalars(
            select(Assignment).where(Assignment.unit_id == target.id)
        )
    }
    for assignment in (
        await session.scalars(select(Assignment).where(Assignment.unit_id == source.id))
    ).all():
        twin = kept.get((assignment.task_id, assignment.role))
        if twin is None:
            assignment.unit_id = target.id
        else:
            await _fold_assignment(session, assignment, twin, now)
    await session.execute(
        update(Officer).where(Officer.unit_id == source.id).values(unit_id=target.id)
    )
    await _move_mutes(session, source, target)
    await session.execute(
        update(Unit).where(Unit.parent_id == source.id).values(parent_id=target.id)
    )
    aliases = [a.alias for a in source.aliases]
    await session.delete(source)
    await session.flush()
    for alias in (source.name, *aliases):
        await add_alias(session, target, alias)
    return target


async def _move_mutes(session: AsyncSession, source: Unit, target: Unit) -> None:
    """The source's mutes become the target's; a task both had muted keeps one mute.

    A unit mute has no officer, and NULLs never collide in the UNIQUE key, so moving
    both would silently leave two rows that ``unmute`` would have to remove one by one.
    """
    both = select(Mute.task_id).where(Mute.unit_id == target.id, Mute.officer_id.is_(None))
    await session.execute(
        delete(Mute).where(
            Mute.unit_id == source.id, Mute.officer_id.is_(None), Mute.task_id.in_(both)
        )
    )
    await session.execute(update(Mute).where(Mute.unit_id == source.id).values(unit_id=target.id))


def _advance(progress: Progress) -> tuple[int, int, float, int]:
    """The ordering key of the row to keep: state, percent, newest report, then id."""
    return (
        _ADVANCE.get(progress.state, 1),
        progress.percent or 0,
        progress.updated_at.timestamp(),
        -progress.id,
    )


async def _fold_assignment(
    session: AsyncSession, source: Assignment, target: Assignment, now: datetime
) -> None:
    """Move ``source``'s progress onto ``target`` (its twin in the kept unit), then drop it."""
    if target.officer_id is None:
        target.officer_id = source.officer_id
    theirs = {
        (row.due_id, row.instance): row
        for row in await session.scalars(
            select(Progress).where(Progress.assignment_id == target.id)
        )
    }
    for mine in (
        await session.scalars(select(Progress).where(Progress.assignment_id == source.id))
    ).all():
        other = theirs.get((mine.due_id, mine.instance))
        kept = mine if other is None else await _keep_one(session, mine, other, now)
        kept.assignment_id = target.id
    await session.flush()
    await session.delete(source)


async def _keep_one(
    session: AsyncSession, mine: Progress, other: Progress, now: datetime
) -> Progress:
    """The more advanced of two rows for one due, holding both rows' audit and requests,
    agreeing with that audit's replay."""
    keep, drop = (mine, other) if _advance(mine) > _advance(other) else (other, mine)
    for model in (StatusUpdate, ExtensionRequest):
        await session.execute(
            update(model).where(model.progress_id == drop.id).values(progress_id=keep.id)
        )
    await session.delete(drop)
    await session.flush()  # frees the unique (assignment, due, instance) slot for ``keep``
    await _as_replayed(session, keep)
    session.add(
        StatusUpdate(
            progress_id=keep.id,
            channel="system",
            raw_text="gộp đơn vị",
            intent={"merged": drop.id},
            # done stays done: no new closing, so the replay keeps when it was done
            state_before="done" if keep.state == "done" else None,
            state_after=keep.state,
            percent=keep.percent,
            created_at=now,
        )
    )
    return keep


async def _as_replayed(session: AsyncSession, keep: Progress) -> None:
    """Set ``keep``'s due in force, and its closing when done, as the report replays its
    merged audit: the latest approved extension, the last row that closed it."""
    keep.extended_to = await session.scalar(
        select(ExtensionRequest.requested_due)
        .where(ExtensionRequest.progress_id == keep.id, ExtensionRequest.state == "approved")
        .order_by(ExtensionRequest.decided_at.desc(), ExtensionRequest.id.desc())
        .limit(1)
    )
    if keep.state != "done":
        return
    closing = (
        await session.execute(
            select(StatusUpdate.created_at, StatusUpdate.intent)
            .where(
                StatusUpdate.progress_id == keep.id,
                StatusUpdate.state_after == "done",
                or_(StatusUpdate.state_before.is_(None), StatusUpdate.state_before != "done"),
            )
            .order_by(StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
            .limit(1)
        )
    ).first()
    if closing is None:  # done without an audit row (bulk-loaded): nothing to replay
        return
    keep.done_at = closing.created_at
    due = await session.get(Due, keep.due_id)
    stored = date.fromisoformat(keep.instance) if keep.instance != "-" else None
    in_force = keep.extended_to or stored or (due.due_on if due else None)
    done_on = closing.created_at.astimezone(VN_TZ).date()
    said = bool((closing.intent or {}).get("late"))
    keep.late = said or (in_force is not None and done_on > in_force)
