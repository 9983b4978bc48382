"""The planner as it was before issue 16, loaded from git, to time beside today's.

Issue 16 made planning incremental; the benchmark reports each number beside the
old code's in the same run. Rather than a copy of 500 lines, the old module is
read from the commit before the change (``git show``) and run against today's
schema, with the outbox insert it used then (batched VALUES, no COPY). A fresh
clone has the history; a shallow one says what is missing.
"""

from __future__ import annotations

import types
from collections.abc import Iterable
from datetime import datetime
from functools import cache

from sqlalchemy.ext.asyncio import AsyncSession

from bench import module_at
from scheduler import outbox
from scheduler.outbox import NewReminder

BEFORE = "c101222"
"""The last commit before incremental planning (``scheduler/planner.py`` as issue 16 found it)."""


async def _insert_as_before(
    session: AsyncSession, rows: Iterable[NewReminder], now: datetime
) -> None:
    await outbox._insert(session, rows, now)


@cache
def planner() -> types.ModuleType:
    """``scheduler/planner.py`` at ``BEFORE``, as a module of its own."""
    module = module_at(BEFORE, "scheduler/planner.py")
    module.__dict__["plan_slots"] = _insert_as_before
    return module
