"""How many examples a property test draws: a share of its full count in `make test`, all of
them in `make test-deep`.

Why: a property that goes through a database or a server pays tens of milliseconds per
example, on both backends; at their full counts these tests pushed `make test` past its
10-minute budget. `make test` draws a quarter (at least 5; on CI the seed is fixed, so
every run checks the same cases), and `make test-deep` (``NHACVIEC_TEST_DEPTH=deep``)
draws them all, to run before a release or after touching what they guard.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

DEEP = os.environ.get("NHACVIEC_TEST_DEPTH", "").lower() == "deep"


def examples(full: int) -> int:
    """``full`` in a deep run, else a quarter of it (at least 5, never more than ``full``)."""
    return full if DEEP else min(full, max(5, full // 4))


def through_storage(full: int) -> settings:
    """A property whose every example writes and reads a database or a server: no deadline
    (a loaded machine is slow, not wrong), function-scoped fixtures shared by the examples on
    purpose, and no example database (CI starts clean anyway)."""
    return settings(
        max_examples=examples(full),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
