"""Inbound status updates per second, end to end: webhook POST in, row in ``status_updates`` out.

``chats`` unit heads, each linked on Telegram, each leading two tasks (plans of
500 tasks), send four updates each ("đang làm 50% B01-I.7", "xong B01-I.7", then the same
for their second task) to the real webhook server (``bot.webhook.build_app`` with
``bot.channels.telegram.channel.TelegramChannel.process_webhook``, the secret header checked, PTB
parsing the update and running our handlers, the conversation writing to
PostgreSQL and replying through the fake Bot API, limits off). The server runs in
its own process (``python -m bench.inbound URL BOT_API_URL`` prints its port);
this process posts the updates with ``concurrency`` requests in flight, one round
of one update per chat at a time, so each chat's updates arrive in order as
Telegram sends them. Each chat sends four updates, under the inbound limit of
twenty a minute: the limit is not what is measured.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
from sqlalchemy import func, select

from bench import ROOT
from bench.data import Sizes, chat_of, code_of, fresh_database, head_of, link_heads, load_agency
from bench.fake_bot_api import TOKEN, fake_bot_api
from bot.channels.telegram.channel import TelegramChannel
from bot.chat.conversation import Conversation
from bot.webhook import bound_port, build_app, serve
from data.db import create_engine, sessionmaker
from data.models import InboundUpdate, StatusUpdate
from scheduler.clock import SystemClock

SECRET = "bench-webhook-secret"


@dataclass(frozen=True)
class InboundSizes:
    chats: int
    concurrency: int

    @classmethod
    def full(cls) -> InboundSizes:
        return cls(1_000, 32)

    @classmethod
    def quick(cls) -> InboundSizes:
        return cls(200, 16)


TASKS_PER_PLAN = 500
"""Plans of 500 tasks: positions stay within the three digits a real code has ("KH12-IV.2")."""


def _texts(unit: int, units: int) -> list[str]:
    """The four updates of one head, in the order sent: tasks ``unit`` and ``unit + units``."""
    first, second = code_of(unit, TASKS_PER_PLAN), code_of(unit + units, TASKS_PER_PLAN)
    return [f"đang làm 50% {first}", f"xong {first}", f"dang lam 30% {second}", f"xong {second}"]


def _update(update_id: int, chat: int, text: str) -> dict[str, Any]:
    user = {"id": chat, "is_bot": False, "first_name": f"Cán bộ {chat}", "language_code": "vi"}
    message = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": chat, "type": "private", "first_name": user["first_name"]},
        "from": user,
        "text": text,
    }
    return {"update_id": update_id, "message": message}


async def _post_all(port: int, sizes: InboundSizes) -> tuple[float, list[float], int]:
    """Every update posted; wall time, each request's latency (s), non-200 answers."""
    url = f"http://127.0.0.1:{port}/telegram"
    headers = {TelegramChannel.secret_header: SECRET}
    ids = itertools.count(1)
    latencies: list[float] = []
    failures = 0
    gate = asyncio.Semaphore(sizes.concurrency)
    connector = aiohttp.TCPConnector(limit=sizes.concurrency)
    async with aiohttp.ClientSession(connector=connector) as client:

        async def post(body: dict[str, Any]) -> None:
            nonlocal failures
            async with gate:
                started = time.perf_counter()
                async with client.post(url, json=body, headers=headers) as answer:
                    await answer.read()
                    failures += answer.status != 200
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        for round_ in range(4):
            await asyncio.gather(
                *(
                    post(_update(next(ids), chat_of(head_of(u)), _texts(u, sizes.chats)[round_]))
                    for u in range(1, sizes.chats + 1)
                )
            )
        return time.perf_counter() - started, latencies, failures


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def measure(url: str, sizes: InboundSizes) -> dict[str, Any]:
    engine = await fresh_database(url)
    try:
        plans = -(-2 * sizes.chats // TASKS_PER_PLAN)
        shape = replace(
            Sizes.quick(), plans=plans, tasks_per_plan=TASKS_PER_PLAN, units=sizes.chats, leaders=1
        )
        await load_agency(engine, shape)
        await link_heads(engine)
        with fake_bot_api(limits=False) as fake:
            server = subprocess.Popen(
                [sys.executable, "-m", "bench.inbound", url, fake.base_url],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )
            try:
                assert server.stdout is not None
                port = int(server.stdout.readline())
                wall, latencies, failures = await _post_all(port, sizes)
            finally:
                server.terminate()
                server.wait(30)
            replies = (await fake.stats())["delivered"]
        async with engine.connect() as conn:
            recorded = int(await conn.scalar(select(func.count()).select_from(StatusUpdate)) or 0)
            received = int(await conn.scalar(select(func.count()).select_from(InboundUpdate)) or 0)
    finally:
        await engine.dispose()
    return {
        "chats": sizes.chats,
        "concurrency": sizes.concurrency,
        "posted": len(latencies),
        "failures": failures,
        "received": received,
        "recorded": recorded,
        "replies": replies,
        "wall_s": wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": _percentile(latencies, 0.95) * 1000,
        "max_ms": max(latencies) * 1000,
    }


async def _serve(url: str, bot_api: str) -> None:
    """The webhook server under test: the real app, its own engine (pool as configured)."""
    engine = create_engine(url)
    channel = TelegramChannel(
        TOKEN,
        Conversation(sessionmaker(engine), SystemClock()),
        base_url=bot_api,
    )
    await channel.start_webhook("https://bench.invalid", SECRET)
    runner = await serve(build_app([channel]), "127.0.0.1", 0)
    print(bound_port(runner), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(_serve(sys.argv[1], sys.argv[2]))
