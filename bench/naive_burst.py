"""The burst the naive way: one PTB ``JobQueue`` job per reminder, each its own message.

``python -m bench.naive_burst BASE_URL OFFICERS REMINDERS VARIANT BOUND_S`` builds a
PTB ``Application`` on the fake Bot API with its ``JobQueue`` (APScheduler's
``AsyncIOScheduler`` underneath, jobs in memory as PTB sets it up) and adds one
``run_once`` job per reminder, all at the same instant a few seconds ahead: PTB's
job queue runs on the real clock, with no clock to inject. Each job sends its own
message, as a bot written around the job queue does: no bundling, no catching of
errors (they reach the application's error handler). ``VARIANT`` (see ``VARIANTS``)
is PTB's defaults as they come (APScheduler's one-second ``misfire_grace_time``),
or jobs that are never skipped as late (``misfire_grace_time=None``) without a
rate limiter or with PTB's ``AIORateLimiter()`` (its defaults: 30/s overall,
20/min per group, no per-chat limit for private chats, no retry on 429).

Reminder ``i`` goes to the head of unit ``i % officers``, as tasks are dealt in
``bench.data``, so the reminders of one officer are spread over the queue. The
run stops once every job has finished or after ``BOUND_S``, whichever is first
(a watchdog thread: without a limiter the jobs can starve the event loop).
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.events import EVENT_JOB_MISSED, JobEvent
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, CallbackContext

from bench import report
from bench.data import chat_of, code_of, head_of, unit_of
from bench.fake_bot_api import TOKEN

VARIANTS = {"defaults": (False, True), "no-misfire": (False, False), "aio": (True, False)}
"""Variant: (``AIORateLimiter``, APScheduler's default misfire grace time)."""
LEAD = timedelta(seconds=5)
"""How far ahead of the last ``run_once`` the jobs are due, so all wait for the same instant."""


def _text(i: int, reminders: int) -> str:
    return (
        f"🔔 Nhắc việc: {code_of(i, reminders)} — Nhiệm vụ thử tải {i}\n"
        "Hạn: 31/01/2026 (còn 3 ngày làm việc). Trả lời “xong”, “đang làm 50%”…"
    )


async def burst(base_url: str, officers: int, reminders: int, variant: str, bound: float) -> None:
    limited, default_grace = VARIANTS[variant]
    job_kwargs: dict[str, Any] = {} if default_grace else {"misfire_grace_time": None}
    builder = ApplicationBuilder().token(TOKEN).base_url(base_url)
    if limited:
        builder = builder.rate_limiter(AIORateLimiter())
    application: Application[Any, Any, Any, Any, Any, Any] = builder.build()
    outcomes: Counter[str] = Counter()
    finished = asyncio.Event()

    def settle(outcome: str) -> None:
        outcomes[outcome] += 1
        if outcomes.total() >= reminders:
            finished.set()

    async def remind(context: CallbackContext[Any, Any, Any, Any]) -> None:
        assert context.job is not None
        chat, text = context.job.data
        await context.bot.send_message(chat, text)
        settle("sent")

    async def on_error(_update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
        settle(type(context.error).__name__)

    def on_missed(_event: JobEvent) -> None:
        settle("missed")

    application.add_error_handler(on_error)
    await application.initialize()
    await application.start()
    queue = application.job_queue
    assert queue is not None
    queue.scheduler.add_listener(on_missed, EVENT_JOB_MISSED)
    added = time.perf_counter()
    due = datetime.now(UTC) + LEAD + timedelta(seconds=reminders / 5_000)
    for i in range(1, reminders + 1):
        chat = chat_of(head_of(unit_of(i, officers)))
        queue.run_once(
            remind, when=due, data=(chat, _text(i, reminders)), chat_id=chat, job_kwargs=job_kwargs
        )
    add_s = time.perf_counter() - added
    await asyncio.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()))
    started = time.perf_counter()

    def finish() -> None:
        report(
            {
                "add_s": add_s,
                "elapsed_s": time.perf_counter() - started,
                "stopped": not finished.is_set(),
                "outcomes": dict(outcomes),
            }
        )
        # Jobs still waiting on the limiter would hold a clean shutdown for minutes.
        os._exit(0)

    # A thread, not the loop: 20,000 sends at once can starve the loop far past the bound.
    threading.Timer(bound, finish).start()
    await finished.wait()
    finish()


if __name__ == "__main__":
    base_url, officers, reminders, variant, bound = sys.argv[1:]
    asyncio.run(burst(base_url, int(officers), int(reminders), variant, float(bound)))
