"""The design DESIGN.md rules out, measured: one APScheduler 3 job per reminder.

Jobs live in APScheduler's ``SQLAlchemyJobStore`` on the same PostgreSQL (it is
synchronous, hence psycopg 3 rather than asyncpg), so they survive a restart as
our outbox rows do. Jobs are ``date`` jobs with ``misfire_grace_time=None`` and
``coalesce=True``: without that a restart after downtime would silently drop
every missed reminder, which would make the comparison unfair to the outbox.

Two phases, each its own process (``python -m bench.naive PHASE URL N DUE SAMPLE``):
``add`` plans N jobs (DUE of them already due) and re-plans SAMPLE of them
with ``replace_existing``, as a second planning run must; ``start`` starts a
scheduler on that store and waits until the DUE missed jobs have run (a restart
at 08:00), then lists every job, as a preview or a "cancel this task's
reminders" needs to.
"""

from __future__ import annotations

import sys
import threading
import time
from datetime import datetime, timedelta
from typing import Any

from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_REMOVED, JobEvent
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from bench import peak_rss_mib, report, rss_mib
from bench.data import NOW

TABLE = "apscheduler_jobs"
SPREAD = timedelta(days=60)
LATER = timedelta(hours=1)
"""Jobs not due start this far ahead, so none falls due while the store is being filled."""
CATCH_UP_TIMEOUT = 600.0


def send_reminder(key: str) -> None:
    """The job body: sending is not what is measured, so it does nothing."""


def _scheduler(url: str) -> BackgroundScheduler:
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=url, tablename=TABLE)},
        job_defaults={"misfire_grace_time": None, "coalesce": True},
        timezone="Asia/Ho_Chi_Minh",
    )


def _run_at(i: int, jobs: int, due: int, now: datetime) -> datetime:
    """The outbox rows' spread: ``due`` already due, the rest over 60 days from ``LATER``."""
    if i < due:
        return now - timedelta(seconds=i + 1)
    return now + LATER + (i - due) * (SPREAD / max(jobs - due, 1))


def _add(scheduler: BackgroundScheduler, i: int, at: datetime, *, replace: bool) -> None:
    key = f"bench:{i}"
    scheduler.add_job(
        "bench.naive:send_reminder",
        "date",
        run_date=at,
        args=[key],
        id=key,
        replace_existing=replace,
    )


def add_jobs(url: str, jobs: int, due: int, sample: int) -> dict[str, Any]:
    """Plan ``jobs`` reminders as jobs, then plan ``sample`` of them again."""
    before = rss_mib()
    scheduler = _scheduler(url)
    scheduler.start(paused=True)
    scheduler.remove_all_jobs()
    real_now = datetime.now(NOW.tzinfo)
    started = time.perf_counter()
    for i in range(jobs):
        # Due jobs are placed just behind the real clock: APScheduler has no injectable clock.
        _add(scheduler, i, _run_at(i, jobs, due, real_now), replace=False)
    added = time.perf_counter() - started
    started = time.perf_counter()
    for i in range(sample):
        _add(scheduler, i, _run_at(i, jobs, due, real_now), replace=True)
    replaced = time.perf_counter() - started
    after = rss_mib()
    # No shutdown(): it wakes the paused loop thread in the stopped state, which then
    # runs the due jobs meant for the ``start`` phase. The thread is a daemon; exiting ends it.
    return {"add_s": added, "replace_sample_s": replaced, "rss_delta_mib": after - before}


def start_and_catch_up(url: str, due: int) -> dict[str, Any]:
    """Start on the stored jobs, wait for the ``due`` missed ones, then list them all."""
    before = rss_mib()
    seen = {EVENT_JOB_EXECUTED: 0, EVENT_JOB_REMOVED: 0}
    finished = threading.Event()

    def on_event(event: JobEvent) -> None:
        # A date job is removed from the store after it is submitted: once both
        # counts reach ``due`` the catch-up pass is over and nothing races the shutdown.
        seen[event.code] += 1
        if min(seen.values()) >= due:
            finished.set()

    scheduler = _scheduler(url)
    scheduler.add_listener(on_event, EVENT_JOB_EXECUTED | EVENT_JOB_REMOVED)
    started = time.perf_counter()
    scheduler.start()
    if due:
        finished.wait(CATCH_UP_TIMEOUT)
    caught_up = time.perf_counter() - started
    after_start = rss_mib()
    started = time.perf_counter()
    listed = len(scheduler.get_jobs())
    listing = time.perf_counter() - started
    after_listing = rss_mib()
    scheduler.shutdown(wait=True)
    return {
        "catch_up_s": caught_up,
        "executed": seen[EVENT_JOB_EXECUTED],
        "rss_delta_mib": after_start - before,
        "list_s": listing,
        "listed": listed,
        "list_rss_delta_mib": after_listing - before,
        "peak_rss_mib": peak_rss_mib(),
    }


def main(argv: list[str]) -> None:
    phase, url, jobs, due, sample = argv
    if phase == "add":
        report(add_jobs(url, int(jobs), int(due), int(sample)))
    elif phase == "start":
        report(start_and_catch_up(url, int(due)))
    else:
        raise SystemExit(f"unknown phase {phase!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
