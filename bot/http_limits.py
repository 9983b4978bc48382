"""Limits for slow and many clients: deadlines, a cap on open connections, quiet accept errors.

Without them, 3,000 connections that send their headers a byte at a time were held
for an hour each, and once the process ran out of file descriptors every failed
``accept()`` logged a traceback (193 MB of log in a minute).

- ``header_timeout``: a connection must send a whole request head this soon after
  it opens, or after its previous response; else it is closed. aiohttp's
  keep-alive timer does exactly this (armed when the connection is made and after
  each response, it closes a connection still waiting for a complete request), so
  it is set to this value. aiohttp arms it at connection start since 3.14.4 (the
  version ``pyproject.toml`` requires); before, a first request could trickle forever.
- ``body_timeout``: the webhook handler's deadline for reading a body (``bot/webhook.py``).
- ``max_connections``: open connections beyond it are answered 503 and closed at
  once, so slow clients cannot take every file descriptor and a provider's retry
  finds a free slot when they are gone. Kept well under the usual 1,024 limit.
- accept errors (out of file descriptors, buffers or memory) are logged at most
  once per ``accept_log_every`` seconds, with how many were left out.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

logger = logging.getLogger(__name__)

BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
    b"Content-Length: 4\r\nRetry-After: 5\r\nConnection: close\r\n\r\nbusy"
)
"""What a connection over the cap gets before it is closed."""
OUT_OF_RESOURCES = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})


@dataclass(frozen=True)
class Limits:
    """Deadlines (seconds) and the connection cap of the HTTP server."""

    header_timeout: float = 10.0
    body_timeout: float = 10.0
    max_connections: int = 256
    accept_log_every: float = 60.0


class _Gate:
    """Counts open connections against the cap."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.open = 0

    def enter(self) -> bool:
        if self.open >= self.limit:
            return False
        self.open += 1
        return True

    def leave(self) -> None:
        self.open -= 1


class _Guarded(asyncio.Protocol):
    """One connection: handed to aiohttp's protocol when under the cap, else 503 and closed.

    aiohttp's protocol is only made for an admitted connection; every transport
    callback is passed on to it unchanged.
    """

    def __init__(self, make: Callable[[], asyncio.Protocol], gate: _Gate) -> None:
        self._make = make
        self._gate = gate
        self._inner: asyncio.Protocol | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if not self._gate.enter():
            assert isinstance(transport, asyncio.Transport)
            transport.write(BUSY)
            transport.close()  # after the 503 is flushed
            return
        self._inner = self._make()
        self._inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self._inner is not None:
            self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received() if self._inner is not None else None

    def connection_lost(self, exc: Exception | None) -> None:
        if self._inner is not None:
            self._gate.leave()
            self._inner.connection_lost(exc)

    def pause_writing(self) -> None:
        if self._inner is not None:
            self._inner.pause_writing()

    def resume_writing(self) -> None:
        if self._inner is not None:
            self._inner.resume_writing()


class _GuardedSite(web.BaseSite):
    """aiohttp's TCP site with every connection passing through ``_Guarded``, and the
    loop's accept errors logged quietly while it listens."""

    def __init__(self, runner: web.AppRunner, host: str, port: int, limits: Limits) -> None:
        super().__init__(runner)
        self._host, self._port = host, port
        self._gate = _Gate(limits.max_connections)
        self._accept_log_every = limits.accept_log_every
        self._accept_log: AcceptErrorLog | None = None

    @property
    def name(self) -> str:
        return f"http://{self._host}:{self._port}"

    async def start(self) -> None:
        await super().start()
        server = self._runner.server
        assert server is not None
        loop = asyncio.get_running_loop()
        self._accept_log = AcceptErrorLog(loop, self._accept_log_every)
        loop.set_exception_handler(self._accept_log)
        self._server = await loop.create_server(
            lambda: _Guarded(server, self._gate),
            self._host,
            self._port,
            backlog=self._backlog,
            reuse_address=True,
        )

    async def stop(self) -> None:
        if self._accept_log is not None:
            self._accept_log.uninstall(asyncio.get_running_loop())
        await super().stop()


class AcceptErrorLog:
    """The loop's exception handler: accept errors once per ``every`` seconds, others as before.

    asyncio reports a failed ``accept()`` through the loop's exception handler,
    with a traceback, once per pending connection and again after every retry.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        every: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._previous = loop.get_exception_handler()
        self._every = every
        self._monotonic = monotonic
        self._next_line = float("-inf")
        self._left_out = 0

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if not (isinstance(exc, OSError) and exc.errno in OUT_OF_RESOURCES and "socket" in context):
            if self._previous is not None:
                self._previous(loop, context)
            else:
                loop.default_exception_handler(context)
            return
        now = self._monotonic()
        if now < self._next_line:
            self._left_out += 1
            return
        logger.error(
            "cannot accept connections: %s (%d more since the last line)", exc, self._left_out
        )
        self._next_line, self._left_out = now + self._every, 0

    def uninstall(self, loop: asyncio.AbstractEventLoop) -> None:
        """Give the loop its previous handler back (when the server stops)."""
        loop.set_exception_handler(self._previous)


async def start_site(runner: web.AppRunner, host: str, port: int, limits: Limits) -> None:
    """Listen on ``host:port`` for ``runner``, within ``limits``."""
    await _GuardedSite(runner, host, port, limits).start()
