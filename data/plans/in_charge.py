"""The person in charge a plan names ("Người xử lý", "Cán bộ phụ trách") -> an officer.

Tracking sheets name the officer handling each task. At import the name is
matched to the registered officers, compared folded (no diacritics, any case)
as secretaries type names both ways. Two officers may share a name in
different units, so one in the task's own units wins; elsewhere only a single
match is taken. A name nobody matches imports the task all the same, without an
officer in charge (the unit's focal points are reminded), and says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import Officer
from data.text import fold


@dataclass(frozen=True)
class Match:
    """The officer in charge and their unit (None for an officer without one)."""

    officer_id: int
    unit_id: int | None


@dataclass(frozen=True)
class Roster:
    """Active officers by folded name."""

    by_name: Mapping[str, Sequence[Match]]

    def find(self, name: str, unit_ids: Sequence[int]) -> Match | None:
        """The officer called ``name``: the one in ``unit_ids``, else the only one."""
        candidates = self.by_name.get(_key(name), ())
        own = [match for match in candidates if match.unit_id in unit_ids]
        if len(own) == 1:
            return own[0]
        return candidates[0] if len(candidates) == 1 and not own else None

    def unknown(self, code: str, name: str, unit_ids: Sequence[int]) -> str | None:
        """The warning for a name that matches no one (or several), else None."""
        if not name.strip() or self.find(name, unit_ids) is not None:
            return None
        several = len(self.by_name.get(_key(name), ())) > 1
        reason = "có nhiều cán bộ trùng tên" if several else "chưa có trong danh sách cán bộ"
        return (
            f"{code}: người xử lý «{name}» {reason}; nhiệm vụ vẫn nhập, chưa giao người phụ trách."
        )


def _key(name: str) -> str:
    return " ".join(fold(name).split())


async def load_roster(session: AsyncSession) -> Roster:
    """Every active officer, ready for matching names from a plan."""
    rows = await session.execute(
        select(Officer.id, Officer.name, Officer.unit_id).where(Officer.active.is_(True))
    )
    by_name: dict[str, list[Match]] = {}
    for officer_id, name, unit_id in rows:
        by_name.setdefault(_key(name), []).append(Match(officer_id, unit_id))
    return Roster(by_name)
