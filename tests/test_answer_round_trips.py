"""Round trips of the answer path (issue 16): a count, not a time.

Each statement is a round trip to the database and a few hundred microseconds of
SQLAlchemy's CPU, and one webhook process records every officer's answers: the
status update's statements are pinned as a ceiling, so a change that adds one
says so here. Connections in steady use are not pinged on checkout; one that
rested in the pool is, and a dead one is replaced before anyone uses it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, Session

from data import db
from data.db import create_engine, sessionmaker
from scheduler.planner import plan_reminders
from tests.planning_helpers import HUNG, START, seed_with_officers
from tests.test_conversation import Chat

STATEMENTS = {
    "sqlite": {"đang làm 50% BDT22-I.1": 13, "xong BDT22-I.1": 14},
    "postgresql": {"đang làm 50% BDT22-I.1": 12, "xong BDT22-I.1": 13},
}
"""The ceiling per update, up to its commit: the ledger's insert with the rate-limit
count (1), the officer with its unit and links, the question and the parked file
waiting (1), the task's items found by its code (1), the progress upserted and returned
with its due and task, the task locked (1 on PostgreSQL, whose upsert is a CTE of the
read; 2 on SQLite), the progress update and its audit row (2), the due's replan (6, the
policies and the calendar in one, the mutes and the officers in one; 7 with the
reminders "xong" cancels). It was 25 and 26: the officer in 3, the waiting rows in 2,
the progress read back, its due and task in 2, the policies twice, the count on its
own; then 18 and 19: the task read before its
items, the questions dropped when none was waiting, the calendar read on its own; then
15 and 16 on both backends: the upsert and the read of its due a statement each; then
14 and 15 (13 and 14 on PostgreSQL) with the waiting rows read with the officer, and
13 and 14 (12 and 13) with the mutes and the officers read together. The
summaries' counts kept at the commit (``data/summary_counts.py``) are ``AT_COMMIT``'s."""
AT_COMMIT = {"sqlite": 4, "postgresql": 3}
"""The summaries' recount of the task at the commit: on PostgreSQL the task is already locked
by the read of its due (a read of the kept share that waited for the lock saw it as it was
before, ``test_summary_counts``; the lock was a statement of its own at the commit, 6),
its kept share deleted and returned (1: it was read, then deleted), its items and its
reporting points (1: a statement each before), its new share (1) and the plan's counts
(1; on PostgreSQL both in one statement, ``summary_counts._keep_and_add``).
The task of the due is the session's own copy of the due (it was a statement of its own)."""


@pytest.fixture
def engine(db_url: str) -> Iterator[AsyncEngine]:
    yield create_engine(db_url)


async def test_a_status_update_stays_within_its_statements(engine: AsyncEngine) -> None:
    sessions: async_sessionmaker[AsyncSession] = sessionmaker(engine)
    await seed_with_officers(sessions)
    async with sessions.begin() as session:
        await plan_reminders(session, START)
    chat = Chat(sessions)
    await chat.link(HUNG)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    def commits(_session: Session) -> None:
        at_commit.append(len(statements))

    at_commit: list[int] = []
    event.listen(engine.sync_engine, "before_cursor_execute", count)
    event.listen(Session, "before_commit", commits, insert=True)  # before the summaries' hook
    try:
        for said, ceiling in STATEMENTS[engine.dialect.name].items():
            statements.clear()
            at_commit.clear()
            answer = await chat.one(HUNG, said)
            assert answer.text.startswith("Đã ghi nhận"), answer.text
            assert len(at_commit) == 1  # one transaction
            assert at_commit[0] <= ceiling, "\n".join(statements[: at_commit[0]])
            recount = statements[at_commit[0] :]
            assert len(recount) <= AT_COMMIT[engine.dialect.name], "\n".join(recount)
    finally:
        event.remove(Session, "before_commit", commits)
        event.remove(engine.sync_engine, "before_cursor_execute", count)
        await engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_only_a_rested_connection_is_pinged_and_a_dead_one_replaced(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings: list[object] = []
    real = type(engine.sync_engine.dialect).do_ping

    def counting(self: Any, dbapi_connection: Any) -> bool:
        pings.append(dbapi_connection)
        return bool(real(self, dbapi_connection))

    monkeypatch.setattr(type(engine.sync_engine.dialect), "do_ping", counting)
    try:
        async with engine.connect() as conn:
            first = await conn.scalar(text("SELECT pg_backend_pid()"))
        for _ in range(3):  # in steady use: no ping
            async with engine.connect() as conn:
                assert await conn.scalar(text("SELECT pg_backend_pid()")) == first
        assert pings == []
        async with create_engine(engine.url.render_as_string(False)).connect() as other:
            await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        monkeypatch.setattr(db, "IDLE_PING", 0.0)  # the connection has rested: pinged, replaced
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT pg_backend_pid()")) != first
        assert len(pings) == 1
    finally:
        await engine.dispose()


async def test_a_select_asks_its_mappers_only_once_the_transaction_touched_counts(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summaries' hook looks at every statement; a select's mappers cost its column
    descriptions (a fifth of a millisecond on the item query), so it asks for them only
    when the transaction has something to recount before a read of the counts."""
    sessions: async_sessionmaker[AsyncSession] = sessionmaker(engine)
    await seed_with_officers(sessions)
    async with sessions.begin() as session:
        await plan_reminders(session, START)
    chat = Chat(sessions)
    await chat.link(HUNG)
    asked: list[str] = []
    real = ORMExecuteState.all_mappers

    def counting(self: ORMExecuteState) -> Any:
        if self.is_select:  # a DML statement's mapper is its subject: nothing to compute
            asked.append(str(self.statement))
        return real.__get__(self)

    monkeypatch.setattr(ORMExecuteState, "all_mappers", property(counting))
    try:
        answer = await chat.one(HUNG, "/viec")  # reads only: nothing touched
        assert "BDT22-I.1" in answer.text
        assert asked == []
    finally:
        await engine.dispose()
