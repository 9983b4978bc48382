"""Merging a unit into another: how an admin confirms that two spellings are one unit.

Importing a plan never merges on a fuzzy guess: a near-miss name becomes a new
unit and the import warns with the registered unit it resembles. If they are the
same, ``nhacviec unit merge NEW REGISTERED`` moves everything over and keeps the
other spelling as an alias, so the next plan that writes it that way matches.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from data.errors import UserError
from data.models import Assignment, Mute, Officer, Unit
from data.people import add_alias, find_unit


async def merge_units(session: AsyncSession, source_name: str, target_name: str) -> Unit:
    """Move assignments, officers, mutes, aliases and sub-units of ``source`` to ``target``."""
    source = await find_unit(session, source_name)
    target = await find_unit(session, target_name)
    if source.id == target.id:
        raise UserError(f"«{source.name}» và «{target.name}» đã là một đơn vị.")
    kept = {
        (task_id, role)
        for task_id, role in await session.execute(
            select(Assignment.task_id, Assignment.role).where(Assignment.unit_id == target.id)
        )
    }
    for assignment in (
        await session.scalars(select(Assignment).where(Assignment.unit_id == source.id))
    ).all():
        if (assignment.task_id, assignment.role) in kept:
            await session.delete(assignment)
        else:
            assignment.unit_id = target.id
    await session.execute(
        update(Officer).where(Officer.unit_id == source.id).values(unit_id=target.id)
    )
    await session.execute(update(Mute).where(Mute.unit_id == source.id).values(unit_id=target.id))
    await session.execute(
        update(Unit).where(Unit.parent_id == source.id).values(parent_id=target.id)
    )
    aliases = [a.alias for a in source.aliases]
    await session.delete(source)
    await session.flush()
    for alias in (source.name, *aliases):
        await add_alias(session, target, alias)
    return target
