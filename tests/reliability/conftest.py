"""Shared pieces of the fault tests: a marked outbox, its states, and what was delivered.

Every reminder here is a ``notice`` whose body names its key, so a delivered text
tells exactly which reminders it carried and a duplicate shows as a key seen twice.
Notices are not the planner's kinds, so a planner tick leaves them alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import Officer, RecipientLease, Reminder
from tests.fake_zalo_api import FakeZaloApi
from tests.fakes import World, chat_links

MARK = re.compile(r"ma-nhac (rel-\d+-\d+)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "reliability: fault tests (crash, database, provider)")


async def seed_outbox(
    sessions: async_sessionmaker[AsyncSession],
    *,
    officers: int,
    per_officer: int,
    at: datetime,
    channel: str = "zalo",
) -> list[str]:
    """``officers`` officers linked on ``channel`` with ``per_officer`` due notices each.

    Returns the reminder keys; the Zalo chat id of officer ``n`` is ``z<n>``.
    """
    async with sessions.begin() as s:
        s.add_all(
            Officer(
                name=f"Cán bộ {n}",
                links=chat_links(
                    zalo=f"z{n}" if channel == "zalo" else None,
                    telegram=1000 + n if channel == "telegram" else None,
                ),
            )
            for n in range(officers)
        )
    async with sessions() as s:
        ids = list(await s.scalars(select(Officer.id).order_by(Officer.id)))
    keys = [f"rel-{officer}-{k}" for officer in ids for k in range(per_officer)]
    await World(sessions).bulk_reminders(
        [
            {
                "key": key,
                "recipient_id": int(key.split("-")[1]),
                "kind": "notice",
                "slot": key,
                "body": f"ma-nhac {key}",
                "scheduled_at": at,
                "instance": "-",
                "state": "pending",
                "attempts": 0,
                "created_at": at,
                "urgent": True,  # the fault tests run at any hour; quiet hours have their own
            }
            for key in keys
        ]
    )
    return keys


async def states(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Rows per outbox state."""
    async with sessions() as s:
        rows = await s.execute(select(Reminder.state, func.count()).group_by(Reminder.state))
        return {state: n for state, n in rows.all()}


async def held(sessions: async_sessionmaker[AsyncSession]) -> int:
    """Rows a claim holds: ``pending`` rows of people leased (live or passed) and not settled."""
    leased = select(RecipientLease.recipient_id)
    async with sessions() as s:
        count = await s.scalar(
            select(func.count())
            .select_from(Reminder)
            .where(Reminder.state == "pending", Reminder.recipient_id.in_(leased))
        )
        return int(count or 0)


def delivered(texts: Iterable[str]) -> Counter[str]:
    """How many times each reminder key reached a chat."""
    return Counter(key for text in texts for key in MARK.findall(text))


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZaloApi]:
    """A running fake Zalo Bot API (no faults, no delay until a test sets them)."""
    fake = FakeZaloApi(hang=0.3)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()
