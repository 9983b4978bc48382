"""Officer links: which chat on which channel belongs to which officer.

A link is an ``OfficerLink`` row (officer, channel, address). The address is
opaque here: whether ``-100123`` is a valid chat is its channel's knowledge, in
``bot/``; this module only keeps one officer per chat and one chat per officer
and channel. The officer's links load with the officer (``Officer.links``), so
the dispatcher routes without a query per recipient; these functions keep that
collection in step with the rows they write.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from data.errors import UserError
from data.models import Officer, OfficerLink, Unit

ADDRESS_MAX = 64
"""The width of ``OfficerLink.address``: no provider's chat id comes near it."""


async def linked_officer(session: AsyncSession, channel: str, address: str) -> Officer | None:
    """The officer this chat is linked to, active or not (an address belongs to one officer).

    Every incoming message starts here, so it is one statement: the officer's links are
    joined in (an officer has a chat or two) rather than read by a second query, and the
    unit's aliases, which no answer reads, are not read at all (a query for the units
    that wants them loads them; touching them on this officer's unit raises).
    """
    found = await session.scalars(by_address(), {"channel": channel, "address": address})
    return found.unique().first()


@cache
def by_address() -> Select[Officer]:
    """``linked_officer``'s statement, built once per process with the chat bound at each
    execution: building it (its joins and loader options) anew cost every message more
    CPU than its round trip, and the built statement keeps its cache key (issue 16)."""
    return (
        select(Officer)
        .join(OfficerLink, OfficerLink.officer_id == Officer.id)
        .where(OfficerLink.channel == bindparam("channel"))
        .where(OfficerLink.address == bindparam("address"))
        .options(joinedload(Officer.links), joinedload(Officer.unit).raiseload(Unit.aliases))
    )


async def link(
    session: AsyncSession, officer: Officer, channel: str, address: str, now: datetime
) -> None:
    """Link ``address`` on ``channel`` to ``officer``, replacing the officer's earlier chat there.

    The caller checks that the chat is not another officer's; the UNIQUE
    (channel, address) constraint is the last word when two links race.
    """
    if not 0 < len(address) <= ADDRESS_MAX:
        raise UserError("Mã cuộc trò chuyện không hợp lệ.")
    for existing in officer.links:
        if existing.channel == channel:
            existing.address, existing.linked_at = address, now
            break
    else:
        officer.links.append(OfficerLink(channel=channel, address=address, linked_at=now))
    await session.flush()


async def unlink(session: AsyncSession, officer: Officer, channel: str) -> bool:
    """Forget the officer's chat on ``channel``; False when there was none."""
    kept = [existing for existing in officer.links if existing.channel != channel]
    if len(kept) == len(officer.links):
        return False
    officer.links = kept
    await session.flush()
    return True
