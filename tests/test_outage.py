"""One classification of database failures: "try again later" or "a bug".

The conversation raises ``StorageUnavailable`` (the channel does not acknowledge,
the provider redelivers) exactly when the CLI says "cannot reach the database".
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat import texts
from bot.chat.conversation import Conversation, Incoming
from data.db import create_engine, sessionmaker
from data.errors import StorageUnavailable
from data.outage import storage_unavailable, storage_unwritable
from scheduler.clock import FakeClock
from tests.planning_helpers import START

BROKEN = "postgresql+asyncpg://nobody:pw@127.0.0.1:1/none"


class _PgError(Exception):
    """What SQLAlchemy's asyncpg adapter wraps: the server's SQLSTATE on ``sqlstate``."""

    def __init__(self, message: str, sqlstate: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def _wrapped(kind: type[DBAPIError], orig: Exception, invalidated: bool = False) -> DBAPIError:
    return kind("SELECT 1", None, orig, connection_invalidated=invalidated)


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionRefusedError(111, "Connect call failed"),
        TimeoutError(),  # asyncpg's connect timeout
        OSError(-2, "Name or service not known"),
        PoolTimeout("QueuePool limit of size 5 overflow 5 reached, connection timed out"),
        _wrapped(DBAPIError, Exception("connection was closed in the middle"), invalidated=True),
        _wrapped(InterfaceError, Exception("connection is closed")),
        _wrapped(DBAPIError, _PgError("terminating connection", "57P01")),
        _wrapped(DBAPIError, _PgError("the database system is starting up", "57P03")),
        _wrapped(DBAPIError, _PgError("sorry, too many clients already", "53300")),
        _wrapped(DBAPIError, _PgError("connection failure", "08006")),
        _wrapped(OperationalError, sqlite3.OperationalError("database is locked")),
        _wrapped(OperationalError, sqlite3.OperationalError("unable to open database file")),
    ],
    ids=repr,
)
def test_it_calls_connection_failures_unavailable(exc: Exception) -> None:
    assert storage_unavailable(exc)
    assert not storage_unwritable(exc)


@pytest.mark.parametrize(
    "exc",
    [
        _wrapped(
            OperationalError, sqlite3.OperationalError("attempt to write a readonly database")
        ),
        _wrapped(OperationalError, sqlite3.OperationalError("database or disk is full")),
        _wrapped(DBAPIError, _PgError("cannot execute INSERT in a read-only transaction", "25006")),
    ],
    ids=repr,
)
def test_a_database_refusing_to_store_is_unwritable_and_unavailable(exc: Exception) -> None:
    assert storage_unwritable(exc) and storage_unavailable(exc)


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("a bug"),
        _wrapped(IntegrityError, _PgError("duplicate key value", "23505")),
        _wrapped(OperationalError, sqlite3.OperationalError("no such table: officers")),
        _wrapped(DBAPIError, _PgError('relation "officers" does not exist', "42P01")),
    ],
    ids=repr,
)
def test_a_bug_is_not_an_outage(exc: Exception) -> None:
    assert not storage_unavailable(exc)


async def test_the_conversation_raises_storage_unavailable_instead_of_apologising() -> None:
    engine = create_engine(BROKEN)
    try:
        conversation = Conversation(sessionmaker(engine), FakeClock(START))
        with pytest.raises(StorageUnavailable):
            await conversation.handle(Incoming("telegram", "42", text="/viec", update_id="1"))
    finally:
        await engine.dispose()


async def test_a_genuine_bug_still_gets_the_apology(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(Conversation, "_route", broken)
    conversation = Conversation(sessions, FakeClock(START))
    (answer,) = await conversation.handle(Incoming("telegram", "42", text="/viec", update_id="1"))
    assert answer.text == texts.SORRY
