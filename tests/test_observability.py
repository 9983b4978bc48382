"""``/metrics`` and ``/healthz`` over real HTTP on 127.0.0.1, with a good and a broken database."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.observability import CONTENT_TYPE, add_observability, serve_observability
from bot.webhook import bound_port, build_app
from data.db import create_engine, sessionmaker
from scheduler.clock import FakeClock
from scheduler.metrics import Registry
from tests.fakes import World

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
BROKEN = "postgresql+asyncpg://nobody:pw@127.0.0.1:1/none"


async def _get(port: int, path: str) -> tuple[int, str, str]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, response.headers["Content-Type"], await response.text()


async def _serve(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[int]:
    registry = Registry()
    registry.send_latency.observe(0.2, channel="telegram", outcome="ok")
    runner = await serve_observability(sessions, registry, "127.0.0.1", 0, FakeClock(NOW))
    try:
        yield bound_port(runner)
    finally:
        await runner.cleanup()


@pytest.fixture
async def port(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[int]:
    async for bound in _serve(sessions):
        yield bound


@pytest.fixture
async def broken_port() -> AsyncIterator[int]:
    engine = create_engine(BROKEN)
    try:
        async for bound in _serve(sessionmaker(engine)):
            yield bound
    finally:
        await engine.dispose()


async def test_metrics_answer_with_the_database_numbers(
    port: int, sessions: async_sessionmaker[AsyncSession]
) -> None:
    world = World(sessions)
    officer = await world.officer("Lê Văn Cường", telegram=77)
    await world.reminder(officer, NOW - timedelta(minutes=2))
    status, content_type, body = await _get(port, "/metrics")
    assert (status, content_type) == (200, CONTENT_TYPE)
    lines = body.splitlines()
    assert 'nhacviec_reminders{state="pending",kind="before",channel="none"} 1' in lines
    assert "nhacviec_queue_depth 1" in lines
    assert "nhacviec_queue_oldest_due_age_seconds 120" in lines
    assert 'nhacviec_send_latency_seconds_count{channel="telegram",outcome="ok"} 1' in lines


async def test_healthz_is_ok_when_the_database_answers(port: int) -> None:
    assert await _get(port, "/healthz") == (200, "text/plain; charset=utf-8", "ok")


async def test_healthz_is_503_with_the_reason_in_the_log_only(
    broken_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.observability")
    status, _, body = await _get(broken_port, "/healthz")
    assert (status, body) == (503, "database unavailable")
    (record,) = [r for r in caplog.records if r.name == "bot.observability"]
    assert "healthz: database unreachable: " in record.getMessage()
    assert "connect" in record.getMessage().lower()  # the driver's reason, for the operator


async def test_metrics_still_answer_when_the_database_is_unreachable(broken_port: int) -> None:
    status, _, body = await _get(broken_port, "/metrics")
    assert status == 200
    assert "nhacviec_database_up 0" in body.splitlines()
    assert "nhacviec_reminders" not in body and "nhacviec_send_latency_seconds_count" in body


async def _ok(_: web.Request) -> web.Response:
    return web.Response(text="ok")


def test_it_refuses_an_app_that_already_routes_healthz() -> None:
    app = build_app([])
    app.router.add_get("/healthz", _ok)
    with pytest.raises(ValueError, match="already routed"):
        add_observability(app, sessionmaker(create_engine(BROKEN)), Registry())
