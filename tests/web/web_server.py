"""The web pages on a real aiohttp test server over a test database, for page tests."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.web.app import add_web, web_config
from bot.web.visit import UPLOAD_BYTES
from bot.webhook import build_app
from data.models import Officer
from data.web_auth import issue_link
from scheduler.clock import FakeClock

START = datetime(2022, 3, 28, 2, 0, tzinfo=UTC)
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


@asynccontextmanager
async def web_client(
    sessions: async_sessionmaker[AsyncSession], clock: FakeClock
) -> AsyncIterator[TestClient[object, object]]:
    """A client of the pages (webhook-less server, as ``--role web`` serves it)."""
    app = build_app([], max_request=UPLOAD_BYTES)
    add_web(app, await web_config(sessions, clock, "http://nhacviec.test"))
    async with TestClient(TestServer(app)) as client:
        yield client


async def add_officer(
    sessions: async_sessionmaker[AsyncSession], name: str, role: str = "admin"
) -> int:
    async with sessions.begin() as session:
        officer = Officer(name=name, role=role)
        session.add(officer)
        await session.flush()
        return officer.id


async def link_for(
    sessions: async_sessionmaker[AsyncSession], officer_id: int, clock: FakeClock
) -> str:
    """A fresh sign-in token for the officer."""
    async with sessions.begin() as session:
        officer = await session.get(Officer, officer_id)
        assert officer is not None
        return await issue_link(session, officer, clock.now())


async def sign_in(
    client: TestClient[object, object],
    sessions: async_sessionmaker[AsyncSession],
    officer_id: int,
    clock: FakeClock,
) -> str:
    """Sign the client in as the officer; the CSRF token of the session."""
    token = await link_for(sessions, officer_id, clock)
    response = await client.post(f"/dang-nhap/{token}", allow_redirects=False)
    assert response.status == 303, await response.text()
    page = await client.get("/dang-nhap")
    found = CSRF.search(await page.text())
    assert found, "a signed-in page carries the CSRF token in its forms"
    return found.group(1)
