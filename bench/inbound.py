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
twenty a minute: the limit is not what is measured. A reply the server carries in its
webhook response is then made to the fake Bot API by this process, as Telegram would.

Three servers take the same load in one run, each on its own fresh database and
fake: the *minimal* handler (``--minimal``: aiohttp receives, one INSERT and commit
through SQLAlchemy/asyncpg, one answer through PTB's bot), the floor of this stack;
the real path as it was when issue 16 was filed (commit ``BASELINE``, unpacked with
``git archive`` and run from there, its own migrations and data loader included);
and the real path now.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import itertools
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import insert, text
from telegram.ext import ApplicationBuilder

from bench import ROOT
from bench.data import admin_database, chat_of, code_of, head_of
from bench.fake_bot_api import TOKEN, fake_bot_api
from bot.channels.telegram.channel import TelegramChannel
from bot.chat.conversation import Conversation
from bot.webhook import bound_port, build_app, serve
from data.db import create_engine, sessionmaker
from data.models import InboundUpdate
from scheduler.clock import SystemClock

SECRET = "bench-webhook-secret"
BASELINE = "c101222"
"""The commit issue 16 was filed against: today's design, measured beside the current one."""
VARIANTS = ("minimal", "before", "now")
JSON = "application/json"


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


async def make_carried_call(client: aiohttp.ClientSession, carried: Any, bot_api: str) -> None:
    """The call a webhook's response carried (a reply in the response), made to the fake Bot
    API at ``bot_api`` as Telegram makes it once the response is in; nothing if none."""
    if isinstance(carried, dict) and "method" in carried:
        call = f"{bot_api}{TOKEN}/{carried.pop('method')}"
        async with client.post(call, json=carried) as made:
            await made.read()


async def _post_all(port: int, sizes: InboundSizes, bot_api: str) -> tuple[float, list[float], int]:
    """Every update posted; wall time, each request's latency (s), non-200 answers.

    A call carried in a response's body (a reply in the webhook's response) is made to the
    fake Bot API as Telegram makes it, after the response: it counts among the replies."""
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
                    carried = await answer.json() if answer.content_type == JSON else None
                    failures += answer.status != 200
                latencies.append(time.perf_counter() - started)
            await make_carried_call(client, carried, bot_api)

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


_SETUP = """
import asyncio, sys
from dataclasses import replace
from sqlalchemy import text
from bench.data import Sizes, fresh_database, link_heads, load_agency
from bench.inbound import TASKS_PER_PLAN

async def main(url, chats):
    engine = await fresh_database(url)
    plans = -(-2 * chats // TASKS_PER_PLAN)
    shape = replace(
        Sizes.quick(), plans=plans, tasks_per_plan=TASKS_PER_PLAN, units=chats, leaders=1
    )
    await load_agency(engine, shape)
    await link_heads(engine)
    async with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
        await conn.execute(text("VACUUM ANALYZE"))
    await engine.dispose()

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""
"""A fresh database with the agency, migrated and loaded by the code of the tree it runs in
(the baseline's schema is its own), then vacuumed and analysed: otherwise autovacuum
analysed the freshly loaded tables during the measurement, its CPU (seconds on this
two-core machine) taken from whichever server ran first."""


@contextlib.contextmanager
def _tree(variant: str) -> Iterator[Path]:
    """Where a variant's code lives: this checkout, or the baseline commit unpacked."""
    if variant != "before":
        yield ROOT
        return
    with tempfile.TemporaryDirectory(prefix="nhacviec-baseline-") as folder:
        archive = subprocess.run(
            ["git", "archive", BASELINE], cwd=ROOT, capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        yield Path(folder)


def _cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` so far (Linux ``/proc``): what one
    server spent on the load, whatever else the machine ran meanwhile."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _count(url: str) -> tuple[int, int]:
    """Rows in ``status_updates`` and ``inbound_updates``."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            recorded = await conn.scalar(text("SELECT count(*) FROM status_updates"))
            received = await conn.scalar(text("SELECT count(*) FROM inbound_updates"))
    finally:
        await engine.dispose()
    return int(recorded or 0), int(received or 0)


async def _run_variant(url: str, sizes: InboundSizes, variant: str) -> dict[str, Any]:
    """One server under the whole load, on a fresh database; its numbers."""
    with _tree(variant) as tree:
        env = {**os.environ, "PYTHONPATH": str(tree)}
        setup = [sys.executable, "-c", _SETUP, url, str(sizes.chats)]
        subprocess.run(setup, cwd=tree, env=env, check=True, capture_output=True)
        load = " ".join(f"{value:.1f}" for value in os.getloadavg())
        with fake_bot_api(limits=False) as fake:
            args = [url, fake.base_url, *(["--minimal"] if variant == "minimal" else [])]
            server = subprocess.Popen(
                [sys.executable, "-m", "bench.inbound", *args],
                cwd=tree,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            try:
                assert server.stdout is not None
                port = int(server.stdout.readline())
                cpu_before = _cpu_seconds(server.pid)
                wall, latencies, failures = await _post_all(port, sizes, fake.base_url)
                cpu = _cpu_seconds(server.pid) - cpu_before
            finally:
                server.terminate()
                server.wait(30)
            replies = (await fake.stats())["delivered"]
    recorded, received = await _count(url)
    return {
        "load": load,
        "posted": len(latencies),
        "failures": failures,
        "received": received,
        "recorded": recorded if variant != "minimal" else received,
        "replies": replies,
        "wall_s": wall,
        "cpu_ms": cpu * 1000 / len(latencies),
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": _percentile(latencies, 0.95) * 1000,
        "max_ms": max(latencies) * 1000,
    }


async def measure(url: str, sizes: InboundSizes) -> dict[str, Any]:
    """The three servers one after the other under the same load."""
    runs = {}
    try:
        for variant in VARIANTS:
            runs[variant] = await _run_variant(url, sizes, variant)
    finally:
        await admin_database(url, create=False)
    return {
        "chats": sizes.chats,
        "concurrency": sizes.concurrency,
        "baseline": BASELINE,
        "runs": runs,
    }


async def _serve_minimal(url: str, bot_api: str) -> None:
    """The floor of this stack: aiohttp receives the update, one INSERT and commit through
    SQLAlchemy/asyncpg, one answer through PTB's bot (its HTTP client, as the real one)."""
    engine = create_engine(url)
    bot = ApplicationBuilder().token(TOKEN).base_url(bot_api).updater(None).build().bot
    await bot.initialize()

    async def receive(request: web.Request) -> web.Response:
        if request.headers.get(TelegramChannel.secret_header) != SECRET:
            return web.Response(status=403)
        update = await request.json()
        chat = update["message"]["chat"]["id"]
        async with engine.begin() as conn:
            row = {
                "channel": "telegram",
                "update_id": str(update["update_id"]),
                "chat_id": str(chat),
                "received_at": datetime.now(UTC),
            }
            await conn.execute(insert(InboundUpdate).values(row))
        await bot.send_message(chat, "Đã ghi nhận.")
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post(TelegramChannel.webhook_path, receive)
    runner = await serve(app, "127.0.0.1", 0)
    print(bound_port(runner), flush=True)
    await asyncio.Event().wait()


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
    serve_one = _serve_minimal if "--minimal" in sys.argv[3:] else _serve
    asyncio.run(serve_one(sys.argv[1], sys.argv[2]))
