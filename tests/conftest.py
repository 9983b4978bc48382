"""Database fixtures: every test that touches the database runs on SQLite and PostgreSQL.

The schema is migrated once per backend per session (by Alembic, as the app does);
each test then gets a clean copy: a copied SQLite file, or truncated PostgreSQL tables.
With ``CI=true`` an unreachable PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from data.db import create_engine, sessionmaker, upgrade
from data.models import Base

# CI runs the property tests on a fixed seed, so a run passes or fails the same way twice;
# local runs stay random to keep finding new cases.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
    hypothesis_settings.load_profile("ci")

LOCAL_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/nhacviec_test_{pid}"


def postgres_url() -> str:
    """CI's database, or one of this run's own: parallel local runs must not truncate
    each other's tables. Under pytest-xdist each worker takes its own copy, named after the
    given database and the worker (``…_gw0``), created and dropped by the worker."""
    given = os.environ.get("TEST_DATABASE_URL")
    if not given:
        return LOCAL_PG.format(pid=os.getpid())
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return given
    base = make_url(given)
    return base.set(database=f"{base.database}_{worker}").render_as_string(hide_password=False)


def _own_database() -> bool:
    """Whether this process creates (and drops) the database it tests on."""
    return "TEST_DATABASE_URL" not in os.environ or "PYTEST_XDIST_WORKER" in os.environ


async def _admin(url: str, *, create: bool) -> None:
    """Run CREATE/DROP DATABASE for ``url``'s database from the maintenance database."""
    target = make_url(url)
    admin = create_async_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            exists = await conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
            )
            if create and not exists:
                await conn.execute(text(f'CREATE DATABASE "{target.database}"'))
            elif exists and not create:
                await conn.execute(text(f'DROP DATABASE "{target.database}" WITH (FORCE)'))
    finally:
        await admin.dispose()


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "template.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_ready() -> Iterator[str]:
    """The migrated PostgreSQL test database (created and dropped here on a local run)."""
    url = postgres_url()
    own = _own_database()
    try:
        if own:
            asyncio.run(_admin(url, create=True))
        asyncio.run(_migrate(url))
    except Exception as exc:  # any failure to connect or migrate means "unreachable"
        where = make_url(url).render_as_string()
        message = f"PostgreSQL unreachable (or migration failed) at {where}: {exc}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    yield url
    if own:
        asyncio.run(_admin(url, create=False))


async def _empty_all(url: str) -> None:
    """Delete every row, children first: much faster than TRUNCATE on tiny tables."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                await conn.execute(table.delete())
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty, migrated database on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    yield _emptied_postgres(request)


def _emptied_postgres(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue("postgres_ready")
    asyncio.run(_empty_all(url))
    return url


@pytest.fixture
async def sessions(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A session factory on the test database (engine disposed after the test)."""
    async with _sessions_on(db_url) as made:
        yield made


@asynccontextmanager
async def _sessions_on(url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(url)
    try:
        yield sessionmaker(engine)
    finally:
        await engine.dispose()


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres)])
def pg_url(request: pytest.FixtureRequest) -> str:
    """``db_url`` on PostgreSQL alone, for what only it has (COPY, triggers, partitions)."""
    return _emptied_postgres(request)


@pytest.fixture
async def pg_sessions(pg_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """``sessions`` on PostgreSQL alone."""
    async with _sessions_on(pg_url) as made:
        yield made
