"""The dialect's own INSERT, for the conflict clauses both backends know.

``INSERT … ON CONFLICT`` is how a row is written once across instances without a
read-then-write race; SQLAlchemy spells it per dialect, and this is the one place
that picks the spelling.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert(session: AsyncSession, model: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT into ``model``'s table that accepts ``on_conflict_do_*`` on this backend."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)
