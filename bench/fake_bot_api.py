"""A lean fake Telegram Bot API for the benchmarks, in its own process, enforcing the limits.

``python -m bench.fake_bot_api [--limits]`` prints its port on the first line of
stdout, then answers ``getMe`` and ``sendMessage`` for any token, and accepts
``setWebhook`` and ``setMyCommands`` (the inbound run registers its webhook
secret). It runs in its own process so that answering 25 requests a second does
not take CPU from the side being measured. ``tests/fake_telegram.py`` stays the
tests' fake: it records every call and scripts faults, which a 20,000-message run
does not need.

With ``--limits`` it enforces what Telegram asks of bots (about 30 messages a
second overall, one a second per chat) as a server would: a message over either
limit is refused with 429 and ``retry_after`` and not delivered. Arrival times are
the server's, so a per-chat gap is allowed ``JITTER`` of slack for the network.
``GET /stats`` answers the counts, ``GET /deliveries`` each delivered message's
chat and id (the cluster run counts duplicates by them), ``POST /reset`` clears them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiohttp import web

from bench import ROOT

GLOBAL_RATE = 30
PER_CHAT_GAP = 1.0
JITTER = 0.05
TOKEN = "123456789:AAF-bench-token-0123456789abcdefghij"
BOT = {"id": 123456789, "is_bot": True, "first_name": "Nhắc việc", "username": "nhacviec_bench"}


@dataclass
class Counts:
    """What the server delivered and refused, and when the deliveries happened."""

    limits: bool
    delivered: int = 0
    refused_global: int = 0
    refused_chat: int = 0
    first_at: float = math.nan
    last_at: float = math.nan
    peak_per_s: int = 0
    window: deque[float] = field(default_factory=deque)
    chats: dict[str, float] = field(default_factory=dict)
    messages: list[tuple[str, int]] = field(default_factory=list)
    """(chat, message id) of every delivery, in order."""

    def admit(self, chat: str, now: float) -> str | None:
        """Record a delivery to ``chat`` at ``now``, or say which limit refuses it."""
        while self.window and self.window[0] <= now - 1.0:
            self.window.popleft()
        if self.limits and len(self.window) >= GLOBAL_RATE:
            self.refused_global += 1
            return "global"
        if self.limits and now - self.chats.get(chat, -math.inf) < PER_CHAT_GAP - JITTER:
            self.refused_chat += 1
            return "chat"
        self.window.append(now)
        self.chats[chat] = now
        self.delivered += 1
        self.peak_per_s = max(self.peak_per_s, len(self.window))
        self.first_at = now if math.isnan(self.first_at) else self.first_at
        self.last_at = now
        return None

    def stats(self) -> dict[str, Any]:
        span = self.last_at - self.first_at if self.delivered > 1 else math.nan
        return {
            "delivered": self.delivered,
            "refused_global": self.refused_global,
            "refused_chat": self.refused_chat,
            "refused": self.refused_global + self.refused_chat,
            "span_s": None if math.isnan(span) else span,
            "peak_per_s": self.peak_per_s,
        }


def build(limits: bool) -> web.Application:
    counts = Counts(limits)
    message_ids = iter(range(1, 1 << 62))

    async def send_message(request: web.Request) -> web.Response:
        json_body = request.content_type == "application/json"  # a call carried in a response
        params: dict[str, Any] = dict(await request.json() if json_body else await request.post())
        chat = str(params.get("chat_id"))
        refused = counts.admit(chat, time.monotonic())
        if refused is not None:
            body = {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            }
            return web.json_response(body, status=429)
        message_id = next(message_ids)
        counts.messages.append((chat, message_id))
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": int(chat), "type": "private"},
            "from": BOT,
            "text": str(params.get("text", "")),
        }
        return web.json_response({"ok": True, "result": message})

    async def get_me(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "result": BOT})

    async def accepted(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "result": True})

    async def stats(_request: web.Request) -> web.Response:
        return web.json_response(counts.stats())

    async def deliveries(_request: web.Request) -> web.Response:
        return web.json_response(counts.messages)

    async def reset(_request: web.Request) -> web.Response:
        nonlocal counts
        counts = Counts(limits)
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/bot{token}/sendMessage", send_message)
    app.router.add_route("*", "/bot{token}/getMe", get_me)
    app.router.add_post("/bot{token}/setWebhook", accepted)
    app.router.add_post("/bot{token}/setMyCommands", accepted)
    app.router.add_get("/stats", stats)
    app.router.add_get("/deliveries", deliveries)
    app.router.add_post("/reset", reset)
    return app


@dataclass(frozen=True)
class FakeBotApi:
    """A running fake, as seen from the benchmark."""

    port: int

    @property
    def base_url(self) -> str:
        """What PTB's ``base_url`` takes (``…/bot``, the token is appended)."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def stats(self) -> dict[str, Any]:
        async with httpx.AsyncClient() as client:
            answer: dict[str, Any] = (await client.get(self._url("stats"))).json()
        return answer

    async def deliveries(self) -> list[tuple[str, int]]:
        """(chat, message id) of every message delivered since the last reset."""
        async with httpx.AsyncClient() as client:
            answer = (await client.get(self._url("deliveries"))).json()
        return [(str(chat), int(message_id)) for chat, message_id in answer]

    async def reset(self) -> None:
        async with httpx.AsyncClient() as client:
            (await client.post(self._url("reset"))).raise_for_status()

    def _url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"


@contextlib.contextmanager
def fake_bot_api(*, limits: bool) -> Iterator[FakeBotApi]:
    """Start the fake in a child process for the duration of the block."""
    args = [sys.executable, "-m", "bench.fake_bot_api", *(["--limits"] if limits else [])]
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield FakeBotApi(int(process.stdout.readline()))
    finally:
        process.terminate()
        process.wait(10)


async def _serve(limits: bool) -> None:
    runner = web.AppRunner(build(limits), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    print(runner.addresses[0][1], flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limits", action="store_true", help="30/s overall, 1/s per chat")
    asyncio.run(_serve(parser.parse_args().limits))
