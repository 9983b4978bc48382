"""Run the benchmarks of issues 4 and 7, print the results and rewrite bench/README.md.

``python -m bench.run`` takes about 55 minutes on the 2-core reference machine;
``--only NAME`` runs one section and merges it into the README (the others'
results come from ``bench/results.json``, issue 4's text from the README itself);
``--quick`` divides the sizes by about ten, prints, and leaves both files alone;
``--render`` rewrites the README from ``bench/results.json`` and runs nothing.
``--only incremental`` re-times issue 16's planning table inside section 1 (about ten
minutes) without the rest of the outbox section (APScheduler's jobs take most of it).
PostgreSQL must accept ``postgres`` without a password on 127.0.0.1:5432
(override with ``BENCH_POSTGRES_URL``); the database ``nhacviec_bench`` is
created for the run and dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench import (
    ROOT,
    burst,
    claim_before,
    cluster,
    inbound,
    markdown,
    partitions,
    run_child,
    service,
    summary,
)
from bench.burst import BurstSizes
from bench.claim import BATCH, ClaimStats, TableSize, measure_claims, table_size
from bench.cluster import ClusterSizes
from bench.cluster_markdown import cluster_section
from bench.data import NOW, Sizes, admin_database, load_pending
from bench.inbound import InboundSizes
from bench.incremental import CHANGES, incremental_section
from bench.incremental import measure as measure_incremental
from bench.markdown import n, s, table, x
from bench.planning import PlanningRun, measure_planning
from bench.service import ServiceSizes
from bench.summary import SummarySizes
from data.db import create_engine

POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/nhacviec_bench"
)
INCREMENTAL_URL = (
    make_url(POSTGRES_URL)
    .set(database=f"{make_url(POSTGRES_URL).database}_incremental")
    .render_as_string(hide_password=False)
)
README = ROOT / "bench" / "README.md"
RESULTS = ROOT / "bench" / "results.json"
SECTIONS = (
    "outbox",
    "incremental",
    "burst",
    "inbound",
    "summary",
    "service",
    "cluster",
    "partitions",
)
CHILD_TIMEOUT = 900.0


@dataclass(frozen=True)
class Results:
    sizes: Sizes
    machine: dict[str, str]
    planning: list[PlanningRun]
    table: TableSize
    claims: dict[str, ClaimStats]
    dispatcher: dict[str, Any]
    dispatcher_small: dict[str, Any]
    """The same dispatcher run with a tenth of the pending rows (and as many due)."""
    naive_add: dict[str, Any]
    naive_start: dict[str, Any]


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _ram_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return float("nan")


async def _machine() -> dict[str, str]:
    maintenance = make_url(POSTGRES_URL).set(database="postgres")
    engine = create_engine(maintenance.render_as_string(hide_password=False))
    try:
        async with engine.connect() as conn:
            postgres = str(await conn.scalar(text("SHOW server_version")))
    finally:
        await engine.dispose()
    return {
        "date": date.today().isoformat(),
        "cpus": str(os.cpu_count()),
        "ram": f"{_ram_gib():.0f} GiB",
        "load average at start": " ".join(f"{load:.1f}" for load in os.getloadavg()),
        "python": platform.python_version(),
        "postgresql": postgres,
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": version("SQLAlchemy"),
        "apscheduler": version("APScheduler"),
        "asyncpg": version("asyncpg"),
        "psycopg": version("psycopg"),
    }


async def _plan_sqlite(sizes: Sizes) -> PlanningRun:
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{folder}/bench.db")
        try:
            return await measure_planning(engine, "SQLite", sizes)
        finally:
            await engine.dispose()


async def _collect(sizes: Sizes) -> Results:
    await admin_database(POSTGRES_URL, create=True)
    engine = create_engine(POSTGRES_URL)
    try:
        machine = await _machine()
        _say(f"planning {sizes.assignments:,} assignments on SQLite")
        planning = [await _plan_sqlite(sizes)]
        _say(f"planning {sizes.assignments:,} assignments on PostgreSQL")
        planning.append(await measure_planning(engine, "PostgreSQL", sizes))
        small = sizes.pending_rows // 10
        _say(f"dispatcher process on {small:,} pending rows")
        await load_pending(engine, sizes, small, NOW)
        dispatcher_small = run_child("bench.claim", POSTGRES_URL, timeout=CHILD_TIMEOUT)
        _say(f"filling the outbox with {sizes.pending_rows:,} pending rows")
        await load_pending(engine, sizes, sizes.pending_rows, NOW)
        table = await table_size(engine, NOW)
        _say(f"timing {sizes.claims} claims of each kind")
        claims = await measure_claims(engine, sizes.claims)
        await engine.dispose()
        _say(f"dispatcher process on {sizes.pending_rows:,} pending rows")
        dispatcher = run_child("bench.claim", POSTGRES_URL, timeout=CHILD_TIMEOUT)
        naive_url = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
        naive_args = (
            naive_url.render_as_string(hide_password=False),
            str(sizes.naive_jobs),
            str(sizes.due_rows),
            str(sizes.naive_timed),
            str(sizes.naive_replace_sample),
        )
        _say(f"APScheduler: adding {sizes.naive_jobs:,} jobs")
        naive_add = run_child("bench.naive", "add", *naive_args, timeout=CHILD_TIMEOUT)
        _say("APScheduler: start-up and catch-up")
        naive_start = run_child("bench.naive", "start", *naive_args, timeout=CHILD_TIMEOUT)
    finally:
        await engine.dispose()
        await admin_database(POSTGRES_URL, create=False)
    return Results(
        sizes,
        machine,
        planning,
        table,
        claims,
        dispatcher,
        dispatcher_small,
        naive_add,
        naive_start,
    )


def _ticks(run: dict[str, Any]) -> str:
    return f"{run['ticks']} tick" + ("s" if run["ticks"] != 1 else "")


@dataclass(frozen=True)
class Ratios:
    """Naive over ours, each on the same amount of work."""

    plan: float
    replan: float
    catch_up: float
    memory: float
    memory_listed: float
    naive_plan_s: float
    naive_replan_s: float


def _ratios(results: Results) -> Ratios:
    ours = results.planning[-1]
    add, start, dispatcher = results.naive_add, results.naive_start, results.dispatcher
    per_job = add["add_timed_s"] / results.sizes.naive_timed
    per_replace = add["replace_sample_s"] / results.sizes.naive_replace_sample
    naive_plan_s = per_job * ours.first.created
    naive_replan_s = per_replace * ours.second.wanted
    return Ratios(
        plan=naive_plan_s / ours.first_s,
        replan=naive_replan_s / ours.second_s,
        catch_up=start["catch_up_s"] / dispatcher["drain_s"],
        memory=start["rss_delta_mib"] / dispatcher["rss_delta_mib"],
        memory_listed=start["list_rss_delta_mib"] / dispatcher["rss_delta_mib"],
        naive_plan_s=naive_plan_s,
        naive_replan_s=naive_replan_s,
    )


def _per_row(results: Results, name: str) -> float:
    stats = results.claims[name]
    return stats.p50_ms * 1000 / max(stats.rows, 1)


def _planning_section(results: Results) -> str:
    rows = [
        [
            run.backend,
            n(run.assignments),
            n(run.first.created),
            s(run.first_s),
            n(run.rows_per_s),
            s(run.second_s),
            f"{run.second.created} new, {run.second.cancelled} cancelled",
            s(run.load_s),
        ]
        for run in results.planning
    ]
    header = [
        "backend",
        "assignments",
        "rows created",
        "first run",
        "rows/s",
        "second run",
        "second run changed",
        "(data load)",
    ]
    return table(header, rows)


def _claim_section(results: Results) -> str:
    rows = [
        [
            f"`{name}`",
            f"{stats.p50_ms:,.1f} ms",
            f"{stats.p95_ms:,.1f} ms",
            n(stats.rows),
            "yes" if stats.uses_index else "**no**",
        ]
        for name, stats in results.claims.items()
    ]
    header = ["statement", "p50", "p95", "rows claimed", "uses ix_reminders_claim"]
    return table(header, rows)


def _naive_section(results: Results, ratios: Ratios) -> str:
    sizes, disp = results.sizes, results.dispatcher
    add, start = results.naive_add, results.naive_start
    ours = results.planning[-1]
    replan_note = f" (timed on {n(sizes.naive_replace_sample)}, scaled)"
    rows = [
        [
            f"plan {n(ours.first.created)} reminders",
            f"{s(ratios.naive_plan_s)} ({n(sizes.naive_timed)} took {s(add['add_timed_s'])})",
            s(ours.first_s),
            x(ratios.plan),
        ],
        [
            f"replan them, nothing changed{replan_note}",
            s(ratios.naive_replan_s),
            s(ours.second_s),
            x(ratios.replan),
        ],
        [
            f"start and catch up {n(sizes.due_rows)} missed reminders",
            f"{s(start['catch_up_s'])} ({n(start['executed'])} jobs run)",
            f"{s(disp['drain_s'])} ({n(disp['sent_rows'])} rows sent, {_ticks(disp)})",
            x(ratios.catch_up),
        ],
        [
            "memory after catch-up (RSS increase)",
            f"{start['rss_delta_mib']:,.1f} MiB",
            f"{disp['rss_delta_mib']:,.1f} MiB",
            x(ratios.memory),
        ],
        [
            "memory once every job is listed (`get_jobs()`)",
            f"{start['list_rss_delta_mib']:,.1f} MiB in {s(start['list_s'])}",
            f"{disp['rss_delta_mib']:,.1f} MiB (rows stay in the database)",
            x(ratios.memory_listed),
        ],
    ]
    header = ["", "APScheduler, one job per reminder", "our outbox", "naive / ours"]
    return table(header, rows)


def render_outbox(results: Results, incremental: dict[str, Any]) -> tuple[str, str]:
    """Issue 4's sections (1–3), with issue 16's ``incremental`` section (as stored) in
    section 1, and the claim plans that close the README."""
    sizes, machine, size = results.sizes, results.machine, results.table
    ratios = _ratios(results)
    ours = results.planning[-1]
    disp, small = results.dispatcher, results.dispatcher_small
    small_mib = small["rss_delta_mib"]
    plans = "\n\n".join(
        f"`{name}`:\n\n```\n{stats.plan}\n```" for name, stats in results.claims.items()
    )
    body = f"""Sections 1–3 (issue 4) plan from the fixed instant {NOW.isoformat()} (Monday
08:00 in Hà Nội) with the default policy (60-day horizon, reminders 14/7/3/1/0
working days before, overdue reminders and escalations after); the naive add
rate, bound by one commit per job, moves most with the machine's load.

## 1. Planning {n(sizes.assignments)} assignments

{sizes.plans} plans × {n(sizes.tasks_per_plan)} tasks; each task has one period due
(a month or a quarter of January–June 2026, in equal shares) and one lead unit out
of {n(sizes.units)}, each with a head officer, plus {sizes.leaders} leaders. Written with
SQLAlchemy Core bulk inserts, then `scheduler.planner.plan_reminders` is run twice,
each in its own transaction (commit included in the time). The planner reads every
assignment; the rows are the reminders inside the horizon.

{_planning_section(results)}

### Incremental planning (issue 16)

A change replans the dues it affects in its own transaction, and the periodic tick
(`planner.advance`) only plans the days that entered the horizon since the last one
(`planner_state`), reading the dues with a reminder on them (`scheduler/entering.py`).
Timed on PostgreSQL beside the planner before issue 16 (read from git,
`bench/planner_before.py`) on the same data in the same run, then on ten times the
agency with today's planner only; each change and tick is its own transaction, commit
included, the median of {CHANGES}. The day-turn tick moves the clock one day on
(its rows are the reminders of the day that entered the horizon).

{_incremental_block(incremental)}

## 2. Due-scan and claim on PostgreSQL

{n(size.rows)} pending reminders of which {n(size.due)} are due, the rest spread over
60 days. Table `reminders`: {size.total_mib:,.0f} MiB ({size.heap_mib:,.0f} MiB heap,
{size.index_mib:,.0f} MiB of indexes). Each claim is timed {sizes.claims} times
inside a transaction that is rolled back, so every sample faces the same
{n(size.due)} due rows. `outbox.claim` is the dispatcher's statement: the oldest
{BATCH} due rows and every other due row of the same recipients (one message per
recipient per tick), hence more rows than the batch. The simple claim is issue 4's
`UPDATE … WHERE id IN (SELECT … ORDER BY scheduled_at LIMIT {BATCH} FOR UPDATE SKIP LOCKED)`.

{_claim_section(results)}

The dispatcher as its own process (`python -m bench.claim`), from connecting to
every due row sent through the console sender to /dev/null: first tick
{s(disp["first_tick_s"])}, all {n(disp["sent_rows"])} due rows sent in {_ticks(disp)} and
{s(disp["drain_s"])} ({n(disp["messages"])} bundled messages); resident memory
{disp["rss_before_mib"]:,.0f} MiB before, +{disp["rss_delta_mib"]:,.1f} MiB after
(peak {disp["peak_rss_mib"]:,.0f} MiB) with {n(size.rows)} rows pending. The same run
with {n(size.rows // 10)} rows pending and the same {n(size.due)} due: +{small_mib:,.1f} MiB,
{s(small["drain_s"])}. The dispatcher's memory follows the rows due in one tick, not the
outbox: pending rows stay in the database.

Each timed claim is rolled back. `outbox.claim` leases people, not rows: it writes one
narrow `recipient_leases` row per person picked ({BATCH}) and reads their due rows, which
stay `pending` until settled. `outbox.claim at {claim_before.BEFORE}` (read from git, with
`ix_reminders_leased` that its taking back of expired leases read, created for its
samples) and the simple claim write every row they claim, a new row version and an entry
in each index: per row claimed they cost about
{_per_row(results, f"outbox.claim at {claim_before.BEFORE}"):,.0f} µs and
{_per_row(results, "simple claim"):,.0f} µs, `outbox.claim`
{_per_row(results, "outbox.claim"):,.0f} µs.

## 3. The naive design: one APScheduler job per reminder

APScheduler {machine["apscheduler"]} `BackgroundScheduler` with a `SQLAlchemyJobStore`
on the same PostgreSQL through psycopg {machine["psycopg"]} (the job store is
synchronous), `date` jobs, `misfire_grace_time=None` and `coalesce=True` (without
them a restart silently drops missed reminders). {n(sizes.naive_jobs)} jobs are
added one `add_job` at a time (each its own INSERT and commit, as the API does), of
which {n(sizes.due_rows)} already due; a replan is `add_job(replace_existing=True)`.
The first {n(sizes.naive_timed)} adds and {n(sizes.naive_replace_sample)} replans are timed at
PostgreSQL's default durability; the other adds go through a second store on the
same table with `synchronous_commit=off`, untimed, to keep the run short.
A new process then starts a scheduler on the store and waits until the missed
jobs have run. Times per job are scaled to the {n(ours.first.created)} reminders our
planner created on PostgreSQL; our side is section 1's PostgreSQL run and the
dispatcher process above (which faces {n(size.rows)} rows, not {n(sizes.naive_jobs)}).

{_naive_section(results, ratios)}

Adding jobs ran at {n(sizes.naive_timed / results.naive_add["add_timed_s"])} jobs/s against
{n(ours.rows_per_s)} rows/s for the planner, which also works out *which* reminders
are needed (policy, working-day calendar, recipients) while APScheduler was handed them.
APScheduler's job store loads only due jobs at start, so its start-up memory stays
small until something lists or searches jobs (a preview, cancelling a task's
reminders): then every job is unpickled into memory, growing with the number of
jobs, while the outbox answers such questions with SQL.
"""
    return body, f"## Plans (section 2)\n\n{plans}\n"


def _incremental_block(section: dict[str, Any]) -> str:
    """Issue 16's table inside issue 4's section 1 (``section`` as stored: date, load,
    result), between markers so that ``--only incremental`` can replace it alone: the
    whole outbox section takes far longer."""
    if not section:
        return "<!-- incremental -->\nNot run yet: `--only incremental`.\n<!-- /incremental -->"
    table = incremental_section(section["result"]["runs"])
    ran = f"Run {section['date']}, load average at start {section['load']}."
    return f"<!-- incremental -->\n{ran}\n\n{table}\n<!-- /incremental -->"


def _with_incremental(outbox: str, section: dict[str, Any]) -> str:
    """The carried-over outbox section with its incremental block replaced."""
    old = _between(outbox, "incremental")
    if not old:
        raise SystemExit("bench/README.md has no incremental markers: run the outbox section")
    block = f"<!-- incremental -->\n{old}\n<!-- /incremental -->"
    return outbox.replace(block, _incremental_block(section))


def _print_summary(results: Results) -> None:
    print(_planning_section(results), end="\n\n")
    print(_claim_section(results), end="\n\n")
    print(_naive_section(results, _ratios(results)))


def _outbox_result(results: Results) -> dict[str, Any]:
    """What the headline and section 7 need of issue 4's run."""
    ratios, ours = _ratios(results), results.planning[-1]
    return {
        "rows": ours.first.created,
        "ours_plan_s": ours.first_s,
        "ours_replan_s": ours.second_s,
        "naive_plan_s": ratios.naive_plan_s,
        "naive_replan_s": ratios.naive_replan_s,
        "plan": ratios.plan,
        "replan": ratios.replan,
        "dispatcher": results.dispatcher,
    }


async def _measure(name: str, quick: bool) -> tuple[dict[str, Any], Results | None]:
    """Run one section on a fresh database (dropped after); issue 4's also returns its Results."""
    sizes = Sizes.quick() if quick else Sizes.full()
    if name == "outbox":
        results = await _collect(sizes)
        _print_summary(results)
        return _outbox_result(results), results
    if name == "incremental":
        runs = [run.as_dict() for run in await measure_incremental(INCREMENTAL_URL, sizes)]
        print(incremental_section(runs), end="\n\n")
        return {"runs": runs}, None
    try:
        if name == "burst":
            return await burst.measure(
                POSTGRES_URL, BurstSizes.quick() if quick else BurstSizes.full()
            ), None
        if name == "inbound":
            return await inbound.measure(
                POSTGRES_URL, InboundSizes.quick() if quick else InboundSizes.full()
            ), None
        if name == "summary":
            return await summary.measure(
                POSTGRES_URL, SummarySizes.quick() if quick else SummarySizes.full()
            ), None
        if name == "partitions":
            return await partitions.main(POSTGRES_URL, quick), None
        if name == "cluster":
            return await cluster.measure(
                POSTGRES_URL, ClusterSizes.quick() if quick else ClusterSizes.full()
            ), None
        return await service.measure(
            POSTGRES_URL, ServiceSizes.quick() if quick else ServiceSizes.full()
        ), None
    finally:
        await admin_database(POSTGRES_URL, create=False)


def _between(text: str, name: str) -> str:
    """The block of a previous README between ``<!-- name -->`` markers ("" when absent)."""
    start, end = f"<!-- {name} -->\n", f"\n<!-- /{name} -->"
    if start not in text or end not in text:
        return ""
    return text.split(start, 1)[1].split(end, 1)[0]


def document(stored: dict[str, Any], outbox: str, plans: str) -> str:
    """The README: headline, issue 4's sections (carried over unless rerun), then issue 7's."""
    machine = ", ".join(f"{key} {value}" for key, value in stored["machine"].items())
    sections = [
        render_section(stored)
        for key, render_section in (
            ("burst", lambda st: markdown.burst_section(st["burst"])),
            ("inbound", lambda st: markdown.inbound_section(st["inbound"])),
            ("summary", lambda st: markdown.summary_section(st["summary"])),
            (
                "service",
                lambda st: markdown.service_section(
                    st["service"], st.get("outbox", {}).get("result", {}).get("dispatcher")
                ),
            ),
            ("cluster", lambda st: cluster_section(st["cluster"])),
            ("partitions", lambda st: markdown.partitions_section(st["partitions"])),
        )
        if key in stored
    ]
    new = "\n".join(sections)
    return f"""# Benchmarks: the outbox design, measured (issues 4 and 7)

Generated by `python -m bench.run` (or `make bench`; about an hour on this machine).
`--only NAME` runs one section ({", ".join(SECTIONS)}) and merges it
into this file; `--quick` runs every size at about a tenth and only prints; `--render`
rewrites this file from the kept results. The numbers behind the
headline and sections 4–7 are kept in `bench/results.json`. Not part of `make test`.
PostgreSQL must accept `postgres` without a password on 127.0.0.1:5432
(`BENCH_POSTGRES_URL` overrides); each section gets a fresh database, dropped after.

Machine: {machine}.

Wall times on this small shared machine move with its load; each section says
when it ran and the load at its start.

## Headline

{markdown.headline(stored)}

<!-- outbox -->
{outbox}
<!-- /outbox -->

{new}
<!-- plans -->
{plans}
<!-- /plans -->
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes, no README")
    parser.add_argument("--only", choices=SECTIONS, help="run one section, merge into the README")
    parser.add_argument(
        "--render", action="store_true", help="rewrite the README from results.json, run nothing"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    stored: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous = README.read_text() if README.exists() else ""
    outbox, plans = _between(previous, "outbox"), _between(previous, "plans")
    if args.render:  # a change to the text only: the numbers stay those of their runs
        outbox = _with_incremental(outbox, stored.get("incremental", {}))
        README.write_text(document(stored, outbox, plans))
        return
    stored["machine"] = asyncio.run(_machine())
    for name in [args.only] if args.only else SECTIONS:
        _say(f"section {name}")
        load = " ".join(f"{value:.1f}" for value in os.getloadavg())
        result, results = asyncio.run(_measure(name, args.quick))
        print(json.dumps({name: result}, indent=1, default=str))
        if args.quick:
            continue
        stored[name] = {"date": date.today().isoformat(), "load": load, "result": result}
        if name == "incremental":
            outbox = _with_incremental(outbox, stored[name])
        if results is not None:
            outbox, plans = render_outbox(results, stored.get("incremental", {}))
    if not args.quick:
        RESULTS.write_text(json.dumps(stored, indent=1, default=str) + "\n")
        README.write_text(document(stored, outbox, plans))
        _say(f"wrote {README.relative_to(ROOT)}")
    _say(f"done in {time.perf_counter() - started:,.0f} s")


if __name__ == "__main__":
    main()
