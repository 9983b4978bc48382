"""Hostile HTTP clients against the real server (``bot/webhook.py`` + ``bot/http_limits.py``).

Raw sockets, so a test controls every byte: a forged request declares a megabyte
and sends only its first chunk, then waits. A server that reads the body before
checking the secret never answers it (the test fails on its time bound); ours
answers 403 at once and closes the connection. Slow clients are driven with small
configured deadlines; what is asserted is who got answered or closed, never how
fast. ``/healthz`` runs on SQLite: the database is not what is tested here.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.http_limits import AcceptErrorLog, Limits
from bot.observability import add_observability
from bot.webhook import bound_port, build_app, serve
from scheduler.metrics import Registry

ON_SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

SECRET = "the-right-secret"
MAX_BODY = 64 * 1024
MEGABYTE = 1 << 20
BOUND = 20.0
"""Seconds after which a test gives up waiting: a failure, not a measurement."""


@dataclass
class FakeChannel:
    """The part of a channel the server uses; records what it was handed."""

    name: str = "fake"
    webhook_path: str = "/fake"
    secret_header: str = "X-Fake-Secret"
    max_body: int = MAX_BODY
    received: list[Mapping[str, Any]] = field(default_factory=list)

    def secret_ok(self, header: str | None) -> bool:
        return header is not None and hmac.compare_digest(header.encode(), SECRET.encode())

    async def process_webhook(self, payload: Mapping[str, Any]) -> None:
        self.received.append(payload)


@dataclass
class Server:
    port: int
    channel: FakeChannel


@contextlib.asynccontextmanager
async def _server(
    sessions: async_sessionmaker[AsyncSession], limits: Limits
) -> AsyncIterator[Server]:
    channel = FakeChannel()
    app = build_app([channel], limits)
    add_observability(app, sessions, Registry())
    runner = await serve(app, "127.0.0.1", 0, limits)
    try:
        yield Server(bound_port(runner), channel)
    finally:
        await runner.cleanup()


def _head(path: str, secret: str, length: int | None = None, *, chunked: bool = False) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: bot.example", f"X-Fake-Secret: {secret}"]
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """The status of the response, and whatever follows until the server closes."""
    status_line = await reader.readline()
    rest = await reader.read()  # to EOF: the server closes a refused connection
    return int(status_line.split()[1]), rest


async def _send_part_and_wait(port: int, head: bytes, part: bytes) -> tuple[int, bytes]:
    """Send ``head`` and ``part`` of the body, never the rest; the server's answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head + part)
        await writer.drain()
        return await _answer(reader)
    finally:
        writer.close()


async def _request(port: int, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        head = f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        head += f"X-Fake-Secret: {SECRET}\r\nContent-Length: {len(body)}\r\n\r\n"
        writer.write(head.encode() + body)
        await writer.drain()
        status, rest = await _answer(reader)
        return status, rest.split(b"\r\n\r\n", 1)[-1]
    finally:
        writer.close()


@pytest.fixture
async def server(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Server]:
    async with _server(sessions, Limits()) as running:
        yield running


@ON_SQLITE
async def test_a_wrong_secret_is_refused_before_the_body_is_read(server: Server) -> None:
    forged = _head("/fake", "wrong", MEGABYTE)
    status, _ = await asyncio.wait_for(_send_part_and_wait(server.port, forged, b"x" * 1024), BOUND)
    assert status == 403
    assert server.channel.received == []


@ON_SQLITE
async def test_a_declared_body_over_the_cap_is_refused_unread(server: Server) -> None:
    status, _ = await asyncio.wait_for(
        _send_part_and_wait(server.port, _head("/fake", SECRET, MEGABYTE), b"{"), BOUND
    )
    assert status == 413


@ON_SQLITE
async def test_a_chunked_body_is_refused_once_it_passes_the_cap(server: Server) -> None:
    chunk = b"x" * 8192
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(MAX_BODY // 8192 + 2))
    # the closing zero-length chunk is never sent: only the cap can end the read
    status, _ = await asyncio.wait_for(
        _send_part_and_wait(server.port, _head("/fake", SECRET, chunked=True), body), BOUND
    )
    assert status == 413 and server.channel.received == []


@ON_SQLITE
async def test_a_flood_of_forged_megabytes_leaves_real_updates_and_healthz_answered(
    server: Server,
) -> None:
    """16 connections post 1 MB bodies with a wrong secret, 12 each, while real work goes on."""
    forged = _head("/fake", "wrong", MEGABYTE)
    first_chunk = b"x" * 65536

    async def attacker() -> list[int]:
        return [(await _send_part_and_wait(server.port, forged, first_chunk))[0] for _ in range(12)]

    async def real_work() -> list[tuple[int, bytes]]:
        answers = []
        for n in range(5):
            update = json.dumps({"update_id": n}).encode()
            answers.append(await _request(server.port, "POST", "/fake", update))
            answers.append(await _request(server.port, "GET", "/healthz"))
        return answers

    floods = asyncio.gather(*(attacker() for _ in range(16)))
    real, refused = await asyncio.wait_for(asyncio.gather(real_work(), floods), BOUND)
    assert [status for flood in refused for status in flood] == [403] * 16 * 12
    assert real == [(200, b"ok")] * 10
    assert server.channel.received == [{"update_id": n} for n in range(5)]


@ON_SQLITE
async def test_slow_clients_are_cut_off_and_the_cap_refuses_extras(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """8 slots; 8 clients send their headers a byte at a time, 4 more knock, then a real one."""
    limits = Limits(header_timeout=0.5, body_timeout=0.5, max_connections=8)
    head = _head("/fake", SECRET, 2) + b"{}"

    async def slowloris(port: int, admitted: asyncio.Event) -> int:
        """Bytes of ``head`` sent before the server closed the connection."""
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        admitted.set()
        closed = asyncio.ensure_future(reader.read())
        sent = 0
        with contextlib.suppress(ConnectionError):
            while sent < len(head) and not closed.done():
                writer.write(head[sent : sent + 1])
                sent += 1
                await asyncio.wait([closed], timeout=0.05)  # the attacker's pace
        assert await closed == b"", "cut off without an answer"
        writer.close()
        return sent

    async with _server(sessions, limits) as server:
        admitted = [asyncio.Event() for _ in range(8)]
        slow = [asyncio.ensure_future(slowloris(server.port, a)) for a in admitted]
        await asyncio.wait_for(asyncio.gather(*(a.wait() for a in admitted)), BOUND)
        extras = await asyncio.wait_for(
            asyncio.gather(*(_send_part_and_wait(server.port, b"", b"") for _ in range(4))), BOUND
        )
        assert [status for status, _ in extras] == [503] * 4
        sent = await asyncio.wait_for(asyncio.gather(*slow), BOUND)
        assert all(n < len(head) for n in sent), "no slow client finished its request"
        assert await asyncio.wait_for(_request(server.port, "GET", "/healthz"), BOUND) == (
            200,
            b"ok",
        )
        assert server.channel.received == []


@ON_SQLITE
async def test_a_body_sent_too_slowly_gets_408(sessions: async_sessionmaker[AsyncSession]) -> None:
    limits = Limits(header_timeout=5, body_timeout=0.3)
    async with _server(sessions, limits) as server:
        status, _ = await asyncio.wait_for(
            _send_part_and_wait(server.port, _head("/fake", SECRET, 100), b"{"), BOUND
        )
    assert status == 408 and server.channel.received == []


def test_accept_errors_are_logged_once_per_interval(caplog: pytest.LogCaptureFixture) -> None:
    loop = asyncio.new_event_loop()
    now = [0.0]
    try:
        loop.set_exception_handler(AcceptErrorLog(loop, every=60, monotonic=lambda: now[0]))
        caplog.set_level(logging.ERROR, logger="bot.http_limits")
        emfile = {
            "message": "socket.accept() out of system resource",
            "exception": OSError(24, "Too many open files"),
            "socket": object(),
        }
        for _ in range(3000):
            loop.call_exception_handler(emfile)
        now[0] = 61.0
        loop.call_exception_handler(emfile)
    finally:
        loop.close()
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.http_limits"]
    assert len(lines) == 2
    assert "Too many open files" in lines[0] and "(0 more" in lines[0]
    assert "(2999 more since the last line)" in lines[1]
    assert all(r.exc_info is None for r in caplog.records)


def test_other_loop_errors_still_reach_the_previous_handler() -> None:
    loop = asyncio.new_event_loop()
    seen: list[dict[str, Any]] = []
    try:
        loop.set_exception_handler(lambda _, context: seen.append(context))
        loop.set_exception_handler(AcceptErrorLog(loop, every=60))
        loop.call_exception_handler({"message": "Task exception was never retrieved"})
    finally:
        loop.close()
    assert [c["message"] for c in seen] == ["Task exception was never retrieved"]


async def test_the_server_has_no_route_for_a_channel_without_webhooks() -> None:
    app = build_app([FakeChannel(webhook_path="")])
    assert [r.canonical for r in app.router.resources()] == []
    assert isinstance(app, web.Application)
