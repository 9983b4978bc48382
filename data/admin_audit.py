"""The admin audit: every correction made from the command line, with who made it.

Corrections change imported data without a file (``task edit``, ``plan archive``,
``unit rename``, ``officer edit|remove``). Each writes one ``admin_changes`` row in
the same transaction as the change, so a change without its row cannot exist and a
wrong correction can be traced to a person and undone by hand from ``before``.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import AdminChange

ACTOR_VARIABLE = "NHACVIEC_ACTOR"
ACTOR_MAX = 100


def current_actor() -> str:
    """Who is correcting: ``NHACVIEC_ACTOR`` (a shared admin account names the person),
    else the operating-system user."""
    try:
        fallback = getpass.getuser()
    except (KeyError, OSError):  # a container user with no passwd entry
        fallback = "?"
    return (os.environ.get(ACTOR_VARIABLE, "").strip() or fallback)[:ACTOR_MAX]


async def record_change(
    session: AsyncSession,
    command: str,
    target: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    *,
    at: datetime,
) -> AdminChange:
    """Write the audit row of one correction (in the caller's transaction)."""
    row = AdminChange(
        at=at,
        actor=current_actor(),
        command=command,
        target=target[:300],
        before=dict(before),
        after=dict(after),
    )
    session.add(row)
    await session.flush()
    return row


async def recent_changes(session: AsyncSession, limit: int) -> Sequence[AdminChange]:
    """The last ``limit`` corrections, newest first."""
    query = select(AdminChange).order_by(AdminChange.at.desc(), AdminChange.id.desc()).limit(limit)
    return (await session.scalars(query)).all()
