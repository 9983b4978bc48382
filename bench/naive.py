"""The design DESIGN.md rules out, measured: one APScheduler 3 job per reminder.

Jobs live in APScheduler's ``SQLAlchemyJobStore`` on the same PostgreSQL (it is
synchronous, hence psycopg 3 rather than asyncpg), so they survive a restart as
our outbox rows do. Jobs are ``date`` jobs with ``misfire_grace_time=None`` and
``coalesce=True``: without that a restart after downtime would silently drop
every missed reminder, which would make the comparison unfair to the outbox.

Two phases, each its own process (``python -m bench.naive PHASE URL N DUE TIMED SAMPLE``):
``add`` plans N jobs (DUE of them already due; the first TIMED are timed) and
re-plans SAMPLE of them with ``replace_existing``, as a second planning run must; ``start`` starts a
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
FILL = "fill"
"""A second store on the same table whose commits skip the fsync: it fills the store
with the jobs past the timed ones quickly, through the same ``add_job``, untimed."""
_NO_FSYNC = {"connect_args": {"options": "-c synchronous_commit=off"}}


def send_reminder(key: str) -> None:
    """The job body: sending is not what is measured, so it does nothing."""


def _scheduler(url: str, *, fill: bool = False) -> BackgroundScheduler:
    stores = {"default": SQLAlchemyJobStore(url=url, tablename=TABLE)}
    if fill:
        stores[FILL] = SQLAlchemyJobStore(url=url, tablename=TABLE, engine_options=_NO_FSYNC)
    return BackgroundScheduler(
        jobstores=stores,
        job_defaults={"misfire_grace_time": None, "coalesce": True},
        timezone="Asia/Ho_Chi_Minh",
    )


def _run_at(i: int, jobs: int, due: int, now: datetime) -> datetime:
    """The outbox rows' spread: ``due`` already due, the rest over 60 days from ``LATER``."""
    if i < due:
        return now - timedelta(seconds=i + 1)
    return now + LATER + (i - due) * (SPREAD / max(jobs - due, 1))


def _add(scheduler: BackgroundScheduler, i: int, at: datetime, store: str, replace: bool) -> None:
    key = f"bench:{i}"
    scheduler.add_job(
        "bench.naive:send_reminder",
        "date",
        run_date=at,
        args=[key],
        id=key,
        jobstore=store,
        replace_existing=replace,
    )


def add_jobs(url: str, jobs: int, due: int, timed: int, sample: int) -> dict[str, Any]:
    """Plan ``jobs`` reminders as jobs (the first ``timed`` timed), then ``sample`` again.

    Only the first ``timed`` adds are timed, at PostgreSQL's default durability; the
    rest go through the ``FILL`` store, so that the store holds ``jobs`` jobs for the
    ``start`` phase without the whole run waiting on one fsync per job.
    """
    before = rss_mib()
    scheduler = _scheduler(url, fill=True)
    scheduler.start(paused=True)
    scheduler.remove_all_jobs()
    # Due jobs are placed just behind the real clock: APScheduler has no injectable clock.
    real_now = datetime.now(NOW.tzinfo)
    started = time.perf_counter()
    for i in range(timed):
        _add(scheduler, i, _run_at(i, jobs, due, real_now), "default", replace=False)
    added = time.perf_counter() - started
    for i in range(timed, jobs):
        _add(scheduler, i, _run_at(i, jobs, due, real_now), FILL, replace=False)
    started = time.perf_counter()
    for i in range(sample):
        _add(scheduler, i, _run_at(i, jobs, due, real_now), "default", replace=True)
    replaced = time.perf_counter() - started
    after = rss_mib()
    # No shutdown(): it wakes the paused loop thread in the stopped state, which then
    # runs the due jobs meant for the ``start`` phase. The thread is a daemon; exiting ends it.
    return {"add_timed_s": added, "replace_sample_s": replaced, "rss_delta_mib": after - before}


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
    phase, url, jobs, due, timed, sample = argv
    if phase == "add":
        report(add_jobs(url, int(jobs), int(due), int(timed), int(sample)))
    elif phase == "start":
        report(start_and_catch_up(url, int(due)))
    else:
        raise SystemExit(f"unknown phase {phase!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
