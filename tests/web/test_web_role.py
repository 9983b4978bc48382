"""``nhacviec run --role web`` serves the pages (and /healthz) with no chat channel set up,
and ``nhacviec web link`` prints a link that signs in on that server."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import serve_forever
from bot.settings import Settings
from scheduler.clock import FakeClock
from tests.web.web_server import START, add_officer, link_for


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_web_role_needs_no_channel_and_serves_pages(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock(START)
    officer = await add_officer(sessions, "Phạm Quốc Bảo")
    token = await link_for(sessions, officer, clock)
    port = _free_port()
    settings = Settings(role="web", listen="127.0.0.1", port=port).checked()
    assert settings.pages_url == f"http://localhost:{port}"
    stop = asyncio.Event()
    service = asyncio.create_task(serve_forever(sessions, settings, clock, stop))
    try:
        async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as client:
            for _ in range(200):  # until the server listens
                try:
                    health = await client.get("/healthz")
                    break
                except aiohttp.ClientConnectorError:
                    await asyncio.sleep(0.02)
            assert health.status == 200
            signed = await client.post(f"/dang-nhap/{token}", allow_redirects=False)
            assert signed.status == 303
            assert "nhacviec_phien" in signed.headers["Set-Cookie"]
    finally:
        stop.set()
        await service
