"""Several service processes on one PostgreSQL: the 08:00 burst and the answers at once.

The service is started as operators would scale it out: ``dispatchers`` processes
of ``nhacviec run --role dispatcher`` (each plans and sends) and ``receivers`` of
``nhacviec run --role bot`` behind webhooks (this process plays the load balancer,
dealing each chat to one receiver), all on the real clock against one database
holding ``officers`` unit heads linked on Telegram with ``reminders`` urgent rows
due now (four times as many pending for later days). Two fake Bot APIs run in
their own processes: the dispatchers' enforces Telegram's limits (30/s overall,
1/s per chat), the receivers' answers every reply (the inbound section's setup).

While the dispatchers drain the burst, ``chats`` heads send four updates each to
the receivers; every ``REDELIVER``-th update is posted to *two* receivers at the
same instant, as Telegram does when a webhook answered too late and the retry
lands on another instance. Counted, not asserted: messages delivered, 429s,
duplicates on both sides (a delivered message no sent row recorded: its rows
went out twice; an update recorded or answered twice), CPU seconds per process,
and the rows each side wrote to PostgreSQL (``pg_stat_user_tables``) — the
numbers ``docs/scaling.md`` extrapolates from. The same workload runs first with
one dispatcher and one receiver, today's single deployment, for the ratio.

The tasks' dues are moved past the planner's horizon so each dispatcher's
planner tick has nothing of its own to add: what is sent is the burst.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench import ROOT
from bench.data import (
    PERIODS,
    Sizes,
    chat_of,
    fresh_database,
    head_of,
    link_heads,
    load_agency,
    load_pending,
)
from bench.fake_bot_api import TOKEN, FakeBotApi, fake_bot_api
from bench.inbound import JSON, TASKS_PER_PLAN, _percentile, _texts, _update, make_carried_call
from bench.service import TOKENS
from bot.channels.telegram.channel import TelegramChannel

SECRET = "bench-cluster-secret"
REDELIVER = 10
"""Every tenth update is posted to two receivers at once (a provider's retry)."""
FUTURE_FACTOR = 4
START_TIMEOUT = 120.0
DRAIN_TIMEOUT = 900.0
STATS_DELAY_S = 1.5
"""PostgreSQL publishes a session's table counters within a second of its transactions."""
FIRST_START = min(period.start for period in PERIODS)
HORIZON_MARGIN_DAYS = 400
"""Dues start this long after today: past the 60-day horizon, so the planners add nothing."""


@dataclass(frozen=True)
class ClusterSizes:
    officers: int
    reminders: int
    chats: int
    concurrency: int

    @classmethod
    def full(cls) -> ClusterSizes:
        return cls(5_000, 20_000, 1_000, 32)

    @classmethod
    def quick(cls) -> ClusterSizes:
        return cls(500, 2_000, 200, 16)


@dataclass(frozen=True)
class Shape:
    dispatchers: int
    receivers: int

    @property
    def name(self) -> str:
        return f"{self.dispatchers}+{self.receivers}"


SHAPES = (Shape(1, 1), Shape(4, 2))
"""Today's single deployment first, then the scaled-out one, on the same workload."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a running process (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Process:
    role: str
    port: int
    popen: subprocess.Popen[bytes]


@contextmanager
def _service(role: str, url: str, api: FakeBotApi, folder: Path) -> Iterator[Process]:
    """``nhacviec run --role ROLE`` on a free port, its Bot API the fake; SIGTERM at the end."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in TOKENS}
    env.update(
        DATABASE_URL=url,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=api.base_url.removesuffix("/bot"),
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        LOG_FORMAT="json",
        PYTHONPATH=str(ROOT),
    )
    args = [sys.executable, "-m", "bot", "run", "--role", role, "--port", str(port)]
    if role == "bot":
        args += ["--webhook-url", "https://bench.invalid"]
    with open(folder / f"{role}-{port}.log", "wb") as log:
        popen = subprocess.Popen(args, cwd=folder, env=env, stdout=log, stderr=log)
        try:
            yield Process(role, port, popen)
        finally:
            popen.terminate()
            popen.wait(60)


async def _until_healthy(processes: list[Process]) -> None:
    started = time.perf_counter()
    async with httpx.AsyncClient() as client:
        for process in processes:
            while True:
                if process.popen.poll() is not None:
                    raise RuntimeError(f"nhacviec run --role {process.role} exited")
                if time.perf_counter() - started > START_TIMEOUT:
                    raise TimeoutError(f"nhacviec run --role {process.role} did not start")
                try:
                    answer = await client.get(f"http://127.0.0.1:{process.port}/healthz")
                    if answer.status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)


async def _post_updates(
    receivers: list[Process], sizes: ClusterSizes, bot_api: str
) -> dict[str, Any]:
    """Four rounds of one update per chat, each chat on its receiver; some posted twice. A
    reply carried in a response is made to the fake at ``bot_api``, as Telegram makes it,
    so it counts among the replies."""
    headers = {TelegramChannel.secret_header: SECRET}
    urls = [f"http://127.0.0.1:{r.port}{TelegramChannel.webhook_path}" for r in receivers]
    ids = itertools.count(1)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    gate = asyncio.Semaphore(sizes.concurrency)
    connector = aiohttp.TCPConnector(limit=sizes.concurrency)
    async with aiohttp.ClientSession(connector=connector) as client:

        async def post(url: str, body: dict[str, Any]) -> None:
            async with gate:
                started = time.perf_counter()
                async with client.post(url, json=body, headers=headers) as answer:
                    carried = await answer.json() if answer.content_type == JSON else None
                    statuses[answer.status] += 1
                latencies.append(time.perf_counter() - started)
            await make_carried_call(client, carried, bot_api)

        def posts(unit: int, round_: int) -> list[Any]:
            update_id = next(ids)
            body = _update(update_id, chat_of(head_of(unit)), _texts(unit, sizes.officers)[round_])
            mine = urls[unit % len(urls)]
            twice = update_id % REDELIVER == 0
            other = urls[(unit + 1) % len(urls)]
            return [post(mine, body)] + ([post(other, body)] if twice else [])

        started = time.perf_counter()
        for round_ in range(4):
            await asyncio.gather(
                *(p for unit in range(1, sizes.chats + 1) for p in posts(unit, round_))
            )
        wall = time.perf_counter() - started
    return {
        "updates": sizes.chats * 4,
        "posted": len(latencies),
        "non_200": sum(count for status, count in statuses.items() if status != 200),
        "wall_s": wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": _percentile(latencies, 0.95) * 1000,
    }


async def _scalar(engine: AsyncEngine, sql: str, **params: Any) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text(sql), params) or 0)


DUE_LEFT = (
    "SELECT count(*) FROM reminders WHERE kind = 'manual'"
    " AND state IN ('pending', 'sending') AND scheduled_at <= :loaded_at"
)
"""The burst's rows still queued. Only the loaded ones (``manual``): a leader's digest that
the processes' own planners add for today waits for the working day when the bench runs
at night (quiet hours), and the drain waited for it until its timeout."""


async def _drain(engine: AsyncEngine, loaded_at: datetime, started: float) -> float | None:
    """Seconds from the processes' start until every row due at ``loaded_at`` has left
    the queue, sent or failed (None: timed out); rows coming due later do not count."""
    while time.perf_counter() - started < DRAIN_TIMEOUT:
        if await _scalar(engine, DUE_LEFT, loaded_at=loaded_at) == 0:
            return time.perf_counter() - started
        await asyncio.sleep(0.5)
    return None


TABLE_WRITES = """
SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables
"""


async def _table_writes(engine: AsyncEngine) -> dict[str, list[int]]:
    async with engine.connect() as conn:
        rows = (await conn.execute(text(TABLE_WRITES))).all()
        commits = await conn.scalar(
            text("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
        )
    return {"(commits)": [int(commits or 0), 0, 0]} | {
        str(name): [int(i), int(u), int(d)] for name, i, u, d in rows
    }


def _writes_delta(before: dict[str, list[int]], after: dict[str, list[int]]) -> dict[str, Any]:
    """Rows inserted, updated, deleted per table during the run (tables that changed)."""
    delta = {
        name: [a - b for a, b in zip(values, before.get(name, [0, 0, 0]), strict=True)]
        for name, values in after.items()
    }
    return {name: values for name, values in sorted(delta.items()) if any(values)}


async def _duplicates(engine: AsyncEngine, api: FakeBotApi, loaded_at: datetime) -> dict[str, Any]:
    """Deliveries against the outbox: a message no sent row recorded means rows sent twice;
    an officer whose burst rows (due at ``loaded_at``) went out in several messages means
    the dispatchers split one person's bundle."""
    delivered = await api.deliveries()
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT recipient_id, provider_message_id, scheduled_at <= :loaded_at "
                    "FROM reminders WHERE state = 'sent' AND channel = 'telegram'"
                ),
                {"loaded_at": loaded_at},
            )
        ).all()
    recorded = {(str(chat_of(r)), int(m)) for r, m, _ in rows if m is not None}
    burst = {(r, m) for r, m, in_burst in rows if in_burst}
    messages_per_officer = Counter(r for r, _ in burst)
    return {
        "rows_sent": len(rows),
        "messages": len(delivered),
        "unrecorded": len(set(delivered) - recorded),
        "recorded_not_delivered": len(recorded - set(delivered)),
        "officers": len(messages_per_officer),
        "officers_split": sum(1 for count in messages_per_officer.values() if count > 1),
    }


async def _burst_states(engine: AsyncEngine, loaded_at: datetime) -> dict[str, int]:
    """What became of the burst's rows: sent, or cancelled when the update closed the task."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT state, count(*) FROM reminders"
                " WHERE kind = 'manual' AND scheduled_at <= :at GROUP BY 1"
            ),
            {"at": loaded_at},
        )
        return {str(state): int(count) for state, count in rows}


async def _run_shape(url: str, sizes: ClusterSizes, shape: Shape) -> dict[str, Any]:
    engine = await fresh_database(url)
    try:
        loaded_at = await _load(engine, sizes)
        await engine.dispose()  # the loading sessions end: their counters reach the statistics
        await asyncio.sleep(STATS_DELAY_S)
        before = await _table_writes(engine)
        with (
            fake_bot_api(limits=True) as sending,
            fake_bot_api(limits=False) as replying,
            tempfile.TemporaryDirectory() as folder,
            ExitStack() as stack,
        ):
            started = time.perf_counter()
            dispatchers = [
                stack.enter_context(_service("dispatcher", url, sending, Path(folder)))
                for _ in range(shape.dispatchers)
            ]
            receivers = [
                stack.enter_context(_service("bot", url, replying, Path(folder)))
                for _ in range(shape.receivers)
            ]
            drain = asyncio.create_task(_drain(engine, loaded_at, started))
            await _until_healthy(receivers + dispatchers)
            ready_s = time.perf_counter() - started
            inbound = await _post_updates(receivers, sizes, replying.base_url)
            drained_s = await drain
            cpu = {
                role: [
                    round(_cpu_s(p.popen.pid), 2) for p in dispatchers + receivers if p.role == role
                ]
                for role in ("dispatcher", "bot")
            }
            stack.close()  # SIGTERM every process: their last statistics reach PostgreSQL
            sent = await sending.stats()
            duplicates = await _duplicates(engine, sending, loaded_at)
            replies = await replying.stats()
        burst_states = await _burst_states(engine, loaded_at)
        inbound |= {
            "received": await _scalar(engine, "SELECT count(*) FROM inbound_updates"),
            "recorded": await _scalar(engine, "SELECT count(*) FROM status_updates"),
            "replies": replies["delivered"],
        }
        await asyncio.sleep(STATS_DELAY_S)
        writes = _writes_delta(before, await _table_writes(engine))
    finally:
        await engine.dispose()
    return {
        "dispatchers": shape.dispatchers,
        "receivers": shape.receivers,
        "ready_s": ready_s,
        "drained_s": drained_s,
        "sent": sent,
        "duplicates": duplicates,
        "burst_states": burst_states,
        "inbound": inbound,
        "cpu_s": cpu,
        "writes": writes,
    }


async def _load(engine: AsyncEngine, sizes: ClusterSizes) -> datetime:
    """The agency, its heads linked, dues past the horizon, the burst due now (returned)."""
    shape = replace(
        Sizes.quick(),
        plans=-(-sizes.reminders // TASKS_PER_PLAN),
        tasks_per_plan=TASKS_PER_PLAN,
        units=sizes.officers,
        leaders=1,
        due_rows=sizes.reminders,
    )
    await load_agency(engine, shape)
    await link_heads(engine)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE dues SET start_on = start_on + CAST(:days AS integer), "
                "due_on = due_on + CAST(:days AS integer)"
            ),
            {"days": (datetime.now(UTC).date() - FIRST_START).days + HORIZON_MARGIN_DAYS},
        )
    pending, now = sizes.reminders * (1 + FUTURE_FACTOR), datetime.now(UTC)
    await load_pending(engine, shape, pending, now, kind="manual")
    return now


async def measure(url: str, sizes: ClusterSizes) -> dict[str, Any]:
    """Each shape in turn on a fresh database, same workload."""
    runs = {shape.name: await _run_shape(url, sizes, shape) for shape in SHAPES}
    return {
        "officers": sizes.officers,
        "reminders": sizes.reminders,
        "pending_later": sizes.reminders * FUTURE_FACTOR,
        "chats": sizes.chats,
        "concurrency": sizes.concurrency,
        "redeliver_every": REDELIVER,
        "runs": runs,
    }
