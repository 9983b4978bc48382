"""Test doubles that record instead of mocking, and a builder for outbox scenarios."""

from __future__ import annotations

import asyncio
import heapq
import inspect
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from itertools import count
from typing import TypeVar

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import (
    Assignment,
    Due,
    Officer,
    OfficerLink,
    Plan,
    Reminder,
    Section,
    Task,
    Unit,
)
from scheduler.sender import Bundle, SendError

T = TypeVar("T")
BeforeSend = Callable[[Bundle], Awaitable[None] | None]


class FakeSender:
    """Records every bundle; ``fail_next`` scripts errors per address, in order."""

    accepts_unlinked = False

    def __init__(self, channel: str = "telegram", before_send: BeforeSend | None = None) -> None:
        self.channel = channel
        self.before_send = before_send
        self.sent: list[Bundle] = []
        self.attempts: list[Bundle] = []
        self._errors: dict[str, deque[SendError]] = defaultdict(deque)
        self._ids = count(1)

    def fail_next(self, address: str, *errors: SendError) -> None:
        """The next sends to ``address`` raise ``errors``, one each, then succeed again."""
        self._errors[address].extend(errors)

    async def send(self, bundle: Bundle) -> str:
        self.attempts.append(bundle)
        if self.before_send is not None:
            result = self.before_send(bundle)
            if inspect.isawaitable(result):
                await result
        if self._errors[bundle.address]:
            raise self._errors[bundle.address].popleft()
        self.sent.append(bundle)
        return f"{self.channel}-{next(self._ids)}"

    def sent_ids(self) -> list[int]:
        """Reminder ids delivered, one entry per delivery (duplicates show)."""
        return [item.reminder_id for bundle in self.sent for item in bundle.items]


class FakeTimer:
    """Virtual monotonic time: sleepers wake in deadline order and time jumps to each deadline.

    Rate-limit tests pace hundreds of sends without sleeping; concurrent sleepers
    see the same timeline a real clock would give them.
    """

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int]] = []
        self._seq = count()

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        entry = (self.now + seconds, next(self._seq))
        heapq.heappush(self._sleepers, entry)
        while True:  # let every runnable task go first, so an earlier sleeper can register
            await asyncio.sleep(0)
            if self._sleepers[0] == entry:
                break
        heapq.heappop(self._sleepers)
        self.now = max(self.now, entry[0])


def chat_links(*, telegram: int | None = None, zalo: str | None = None) -> list[OfficerLink]:
    """An officer's links as tests give them: a Telegram chat id and/or a Zalo user id."""
    given = {"telegram": None if telegram is None else str(telegram), "zalo": zalo}
    return [OfficerLink(channel=c, address=a) for c, a in given.items() if a is not None]


class World:
    """Builds units, officers, tasks with one due, and outbox rows with little ceremony."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._n = count(1)
        self._plan_section: tuple[int, int] | None = None

    async def _add(self, obj: T) -> T:
        async with self.sessions.begin() as s:
            s.add(obj)
        return obj

    async def unit(self, name: str) -> Unit:
        return await self._add(Unit(name=name, key=name.lower()))

    async def officer(
        self,
        name: str,
        unit: Unit | None = None,
        *,
        role: str = "officer",
        telegram: int | None = None,
        zalo: str | None = None,
        preferred: str | None = None,
    ) -> Officer:
        return await self._add(
            Officer(
                name=name,
                unit_id=unit.id if unit else None,
                role=role,
                links=chat_links(telegram=telegram, zalo=zalo),
                preferred_channel=preferred,
            )
        )

    async def task(
        self, unit: Unit, due_on: date | None, *, officer: Officer | None = None
    ) -> tuple[Due, Assignment]:
        """A task led by ``unit`` with one due; returns the due and the assignment."""
        n = next(self._n)
        async with self.sessions.begin() as s:
            if self._plan_section is None:
                plan = Plan(code_prefix="KH", title="Kế hoạch", source="t", checksum="c")
                s.add(plan)
                await s.flush()
                section = Section(plan_id=plan.id, number="I", title="Mục I", position=1)
                s.add(section)
                await s.flush()
                self._plan_section = (plan.id, section.id)
            plan_id, section_id = self._plan_section
            task = Task(
                plan_id=plan_id,
                section_id=section_id,
                code=f"KH-I.{n}",
                content=f"Nhiệm vụ số {n}",
                position=n,
            )
            s.add(task)
            await s.flush()
            due = Due(task_id=task.id, position=1, kind="date", due_on=due_on)
            assignment = Assignment(
                task_id=task.id,
                unit_id=unit.id,
                role="lead",
                officer_id=officer.id if officer else None,
            )
            s.add_all([due, assignment])
        return due, assignment

    async def reminder(
        self,
        recipient: Officer,
        at: datetime,
        *,
        kind: str = "before",
        slot: str | None = None,
        due: Due | None = None,
        assignment: Assignment | None = None,
    ) -> int:
        slot = slot or f"{kind}-{next(self._n)}"
        key = f"{due.id if due else '-'}:-:{recipient.id}:{kind}:{slot}"
        row = Reminder(
            key=key,
            recipient_id=recipient.id,
            kind=kind,
            slot=slot,
            scheduled_at=at,
            due_id=due.id if due else None,
            assignment_id=assignment.id if assignment else None,
        )
        return (await self._add(row)).id

    async def bulk_reminders(self, rows: list[dict[str, object]]) -> None:
        """Insert many rows in one statement (the concurrency test's 2,000)."""
        async with self.sessions.begin() as s:
            await s.execute(insert(Reminder), rows)
