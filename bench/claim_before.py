"""The dispatcher's claim as goal 4 of issue 16 found it, loaded from git, to time beside
today's (``bench/claim.py``).

Read from the commit before the change (``git show``) and run against today's schema,
so the section reports both in the same run, on the same table and load.
"""

from __future__ import annotations

import types
from functools import cache

from bench import module_at

BEFORE = "85ebaab"
"""The last commit before the claim's goal-4 work (``scheduler/outbox.py`` as it found it)."""
LEASED_INDEX = "CREATE INDEX ix_reminders_leased ON reminders (lease_until) WHERE state = 'sending'"
"""What its ``take_back`` read (migration 0015; 0017 dropped it): created while it is timed."""


@cache
def outbox() -> types.ModuleType:
    """``scheduler/outbox.py`` at ``BEFORE``, as a module of its own."""
    return module_at(BEFORE, "scheduler/outbox.py")
