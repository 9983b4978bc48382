"""Markdown for issue 7's sections and the headline, from the results ``bench.run`` stores.

Every function takes the plain dicts the measuring modules return (and
``bench/results.json`` keeps), so a section run alone with ``--only`` is rendered
exactly as in a full run, next to the stored results of the others.
"""

from __future__ import annotations

from typing import Any

from bench.fake_bot_api import GLOBAL_RATE, JITTER

Result = dict[str, Any]


def n(value: float) -> str:
    return f"{value:,.0f}"


def s(value: float) -> str:
    return f"{value:,.2f} s" if value < 100 else f"{value:,.0f} s"


def x(value: float) -> str:
    return f"{value:,.1f}×" if value < 100 else f"{value:,.0f}×"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def ran(entry: Result) -> str:
    return f"run {entry['date']}, load average at start {entry['load']}"


# --- burst ---------------------------------------------------------------------------


def _lost(run: Result) -> int:
    """Reminders whose job ended without a delivery: a 429 or error nobody retries, a miss."""
    return sum(count for outcome, count in run["outcomes"].items() if outcome != "sent")


def naive_all_s(burst: Result, variant: str) -> float | None:
    """Time the naive variant needs for every reminder at its delivery rate (None: never)."""
    run = burst["naive"][variant]
    delivered = run["fake"]["delivered"]
    if not run["stopped"] or not delivered:
        return None  # finished: what was refused is lost for good
    return float(burst["reminders"] * run["elapsed_s"] / delivered)


def _rate(run: Result) -> float:
    return float(run["messages"] / run["elapsed_s"])


def _loaded_pacings(burst: Result) -> str:
    """The three sendings again from a run on a loaded machine, when the results hold one
    (``pacings_loaded``, with its load average in ``loaded_at``); nothing otherwise, not a
    sentence announcing a table that is not there."""
    if not burst.get("pacings_loaded"):
        return ""
    return f""" The same three in a run on a loaded machine
(load average {burst.get("loaded_at", "not recorded")}), where the answer time grows:

{pacing_table(burst, "pacings_loaded")}"""


def pacing_table(burst: Result, key: str = "pacings") -> str:
    """Today's sending beside the even spacing before it, in the same run."""
    runs = burst.get(key)
    if not runs:
        return ""
    before = runs["even-25"]
    header = [
        "sending",
        "time",
        "messages/s",
        "% of 30/s",
        "429 answers",
        "most in 1 s",
        "vs before",
    ]
    rows = [
        [
            run["label"],
            s(run["elapsed_s"]),
            f"{_rate(run):,.1f}",
            f"{_rate(run) / GLOBAL_RATE:.1%}",
            n(run["fake"]["refused"]),
            n(run["fake"]["peak_per_s"]),
            x(_rate(run) / _rate(before)),
        ]
        for run in runs.values()
    ]
    return table(header, rows)


def burst_section(entry: Result) -> str:
    burst = entry["result"]
    ours, naive = burst["ours"], burst["naive"]
    rate = ours["messages"] / ours["elapsed_s"]
    columns = [
        ("defaults", "PTB defaults"),
        ("no-misfire", "no misfire limit"),
        ("aio", "no misfire limit + `AIORateLimiter()`"),
    ]

    def naive_row(cell: Any) -> list[str]:
        return [cell(naive[key]) for key, _ in columns]

    def naive_time(run: Result) -> str:
        if run["stopped"]:
            return f"stopped after {s(run['elapsed_s'])}"
        return s(run["elapsed_s"])

    def naive_all(key: str) -> str:
        projected = naive_all_s(burst, key)
        if naive[key]["stopped"] and not naive[key]["fake"]["delivered"]:
            return f"never: nothing delivered in {s(naive[key]['elapsed_s'])}"
        if projected is None:
            return f"never: {n(_lost(naive[key]))} reminders lost"
        return f"≥ {s(projected)} at its rate (and its 429s are lost)"

    rows = [
        [
            "messages to send",
            f"{n(ours['messages'])} (one per officer)",
            *naive_row(lambda _: f"{n(burst['reminders'])} (one per reminder)"),
        ],
        [
            "jobs ended as",
            "",
            *naive_row(
                lambda r: (
                    ", ".join(f"{k} {n(v)}" for k, v in r["outcomes"].items()) or "none finished"
                )
            ),
        ],
        [
            "delivered",
            n(ours["fake"]["delivered"]),
            *naive_row(lambda r: n(r["fake"]["delivered"])),
        ],
        ["time", s(ours["elapsed_s"]), *naive_row(naive_time)],
        [
            "429 answers (overall / per chat)",
            f"{n(ours['fake']['refused'])}",
            *naive_row(
                lambda r: (
                    f"{n(r['fake']['refused'])} ({n(r['fake']['refused_global'])} / "
                    f"{n(r['fake']['refused_chat'])})"
                )
            ),
        ],
        [
            "reminders lost",
            "0" if ours["retried_rows"] == 0 else f"0 ({n(ours['retried_rows'])} rows retried)",
            *naive_row(lambda r: n(_lost(r))),
        ],
        [
            "messages/s delivered",
            f"{rate:,.1f} ({rate / GLOBAL_RATE:.0%} of {GLOBAL_RATE}/s)",
            *naive_row(lambda r: f"{r['fake']['delivered'] / r['elapsed_s']:,.1f}"),
        ],
        [
            "most in any 1 s window",
            n(ours["fake"]["peak_per_s"]),
            *naive_row(lambda r: n(r["fake"]["peak_per_s"])),
        ],
        [
            "reminder rows/s",
            n(ours["sent_rows"] / ours["elapsed_s"]),
            *naive_row(lambda r: n(r["outcomes"].get("sent", 0) / r["elapsed_s"])),
        ],
        [
            f"every one of the {n(burst['reminders'])} reminders delivered",
            s(ours["elapsed_s"]),
            *(naive_all(key) for key, _ in columns),
        ],
    ]
    header = ["", "our outbox", *(f"naive, {label}" for _, label in columns)]
    title = f"{n(burst['reminders'])} reminders to {n(burst['officers'])} officers"
    return f"""## 4. The 08:00 burst: {title}

{ran(entry)}. `bench/burst.py`, `bench/naive_burst.py`, `bench/fake_bot_api.py`.

Every officer is a unit head linked on Telegram with {n(burst["reminders"] // burst["officers"])}
reminders due at 08:00 ({n(burst["reminders"])} rows, plus {n(burst["pending_later"])} pending for
later days). The fake Bot API runs in its own process and enforces Telegram's
limits as a server would: over {GLOBAL_RATE} messages in any one-second window, or a second
message to a chat within a second ({JITTER * 1000:.0f} ms of slack for the network), is
refused with 429 and `retry_after: 1` and not delivered.

*Our outbox*: the real `Dispatcher` (its `RateLimiter`: Telegram's 30 messages in any
second as window tokens shared through the database, each free again a second after
its send's answer, and 1/s per chat; claims of 100 recipients, the next taken while
the one before is sending) sending through
`bot.channels.telegram.channel.TelegramSender` on a real PTB bot whose `base_url` is
the fake; ticks back to back as `dispatch_tick` runs them, {ours["ticks"]} ticks from the
first claim to nothing due. One bundled message per officer.

*Naive*: one PTB `JobQueue` job (`run_once`, APScheduler underneath) per reminder,
all due at the same instant a few seconds ahead on the real clock (PTB's job
queue has no clock to inject), each sending its own message and leaving errors to
the application's error handler, as bots built on the job queue do. Three
variants: PTB's defaults as they come (APScheduler's `misfire_grace_time` of one
second); jobs never skipped as late (`job_kwargs={{"misfire_grace_time": None}}`),
without a rate limiter; and the same with PTB's `AIORateLimiter()` (its defaults:
30/s overall, no per-chat limit for private chats, no retry after a 429), the
typical setup. A naive run is stopped
after {s(burst["naive_bound_s"])} to keep the benchmark bounded; what it delivered by then is
counted.

{table(header, rows)}

The outbox sends a quarter of the messages (bundling) and never trips a limit, so
nothing waits on a retry. The same burst with the even spacing that came before
(a send every 1/rate s, in memory at 25/s before issue 16 or shared at 29/s, claims
of 500 between sends), in the same run:

{pacing_table(burst)}

Even spacing stays under 30 in a second on our clock only; the provider counts
arrivals on its own, and at 29/s a send delayed 34 ms more than the one 30 before
it (a late wake, a busy event loop or network) makes 31: a loaded machine's 429s.
A window token is free one second after its send's *answer*, so 30 tokens allow
no more than 30 arrivals in any second whatever the delays; the price is the answer
time per token cycle (30 / (1 s + latency)), and the claims overlapped with sending
keep the limiter busy between claims.{_loaded_pacings(burst)}

Without a limiter the job queue
starts every due job at once. With PTB's defaults, when handing {n(burst["reminders"])} jobs to
the event loop takes longer than APScheduler's one-second grace time, every job is
skipped as missed, a warning in the log and nothing sent (this benchmark's first
full run: {n(burst["reminders"])} `missed`); otherwise, as without the grace limit, all the sends
start together and queue on PTB's HTTP connection pool: on this machine none
completed within the bound at full size (at a tenth of it they ended in `TimedOut`
or 429). A job whose send fails is over and its reminder lost. `AIORateLimiter`
keeps the overall rate (though its bursts still overrun a one-second window), but
it knows nothing of the 1/s per private chat (two of an officer's reminders close
together in the queue are refused) and its default is not to retry.
"""


# --- inbound -------------------------------------------------------------------------


INBOUND_NAMES = {
    "minimal": "minimal handler (the floor)",
    "before": "real path, before issue 16",
    "now": "real path, now",
}


def inbound_rate(run: Result) -> float:
    """Status updates recorded per second of the run's wall time."""
    return float(run["recorded"] / run["wall_s"])


def inbound_section(entry: Result) -> str:
    r = entry["result"]
    runs = r["runs"]
    floor = inbound_rate(runs["minimal"])
    rows = [
        [
            INBOUND_NAMES[name],
            run["load"],
            n(run["recorded"]),
            n(run["replies"]),
            s(run["wall_s"]),
            f"{inbound_rate(run):,.1f}",
            f"{run['p50_ms']:,.0f} ms",
            f"{run['p95_ms']:,.0f} ms",
            f"{run['max_ms']:,.0f} ms",
            n(run["failures"]),
            f"{inbound_rate(run) / floor:.0%}",
            f"{run['cpu_ms']:.1f} ms" if "cpu_ms" in run else "",
            f"{1000 / run['cpu_ms']:,.0f}" if "cpu_ms" in run else "",
        ]
        for name, run in runs.items()
    ]
    header = [
        "server",
        "load at start",
        "rows recorded",
        "replies",
        "wall time",
        "updates/s",
        "p50",
        "p95",
        "max",
        "non-200",
        "of the floor",
        "server CPU per update",
        "updates/s a core allows",
    ]
    now, before = runs["now"], runs["before"]
    return f"""## 5. Inbound status updates, end to end on PostgreSQL

{ran(entry)}. `bench/inbound.py`.

{n(r["chats"])} unit heads, each linked on Telegram and leading two tasks, send four
updates each ("đang làm 50% B01-I.7", "xong B01-I.7", then the same for the second
task, with and without diacritics) to a webhook server running in its own process
with the engine as configured; {r["concurrency"]} requests in flight, one round of one
update per chat at a time so each chat's updates arrive in order. A request is
answered once the update is recorded and replied to: through the fake Bot API
(another process) before the response, or, on the real path now, in the webhook's
response itself, which the poster then makes to the fake as Telegram would. Three
servers take the same load one after the other, each on a fresh database: the
*minimal* handler (aiohttp receives the update, one INSERT and commit through
SQLAlchemy/asyncpg, one answer through PTB's bot), the real path
(`bot.webhook`, `TelegramChannel.process_webhook`: secret header, PTB parsing, our
handlers, the conversation's transaction, the replan of the task's reminders, the
reply) as it was at commit `{r["baseline"]}` when issue 16 was filed (run from a
`git archive` of it), and the real path now. Rows recorded are `status_updates`
(the minimal handler's: `inbound_updates`).

{table(header, rows)}

Now against before: {x(inbound_rate(now) / inbound_rate(before))} the rate,
p95 {x(before["p95_ms"] / now["p95_ms"])} lower. The server's CPU per update is its
process's user and system time over the run (`/proc`) divided by the updates: one
process (one core for its Python) cannot record more than 1,000 ms divided by it a
second, whatever the rest of the machine does.
{_ceiling(runs["minimal"])}

{INBOUND_FINDINGS}
"""


def _ceiling(floor: dict[str, Any]) -> str:
    """What the floor's own CPU says of the rate one process can reach (old runs: nothing)."""
    if "cpu_ms" not in floor:
        return ""
    return (
        f"The minimal handler alone spends {floor['cpu_ms']:.1f} ms, so no handler of this\n"
        f"stack records more than {1000 / floor['cpu_ms']:,.0f} updates/s in one process"
        " on this machine."
    )


INBOUND_FINDINGS = """Where the time went before (py-spy on the server at the quick size,
200 chats, as shares of the request path): the conversation's transaction 80%, of which
the replan of the task's reminders 42% (building `_cancel_closed_work`'s correlated statement
alone 20%: SQLAlchemy adapting its aliases column by column on every call; the
`holidays` package asked again for the year by each new calendar 6%), recording the
status 9%, the ledger's insert and rate-limit count 9%, finding the task 6%, loading
the officer 4.5%; the reply through PTB and httpx 18%; PTB's parsing about 1%. A third
of the samples sat in socket writes: one per statement, and an update ran 25
statements (plus BEGIN, COMMIT and the pool's pre-ping) against the minimal handler's
one. In CPU seconds of the server process the real path took about 21 ms per update
and the minimal handler about 5 ms, on this machine while it ran other benchmarks.

Since then the replan reads one due's rows (incremental planning), every statement an
answer runs is built once per process with bound parameters, the package's holidays are
computed once per year and process, no connection is pinged on checkout unless it
rested, and a reply that is one plain message rides in the webhook's response (Telegram
runs the call; the server sends it through the Bot API when the response cannot be
written). An update now runs 12 statements before its commit and 3 at it on PostgreSQL,
13 and 4 on SQLite (`tests/test_answer_round_trips.py` pins them): the progress upserted
and its due and task read (the task locked for the summaries' recount) in one statement
on PostgreSQL, the officer, their links and what waits for their answer in one, the task
and its items in one, the policies and the calendar in one, the mutes and the officers
in one, the questions waiting deleted only when there are some, and the recount's reads
and writes two statements fewer. py-spy's 43% of samples in socket writes (full size,
load 4) were mostly the server waiting for a core after waking PostgreSQL on two shared
cores, not work: the server spends about 1 ms of an update in the kernel. Of its CPU,
about three quarters is the statements themselves in SQLAlchemy and asyncpg (0.4–0.9 ms
each), PTB's parsing with aiohttp and JSON about 1.2 ms, our own Python the rest, so the
number of statements is what is left between the real path and the floor."""


# --- /tonghop ------------------------------------------------------------------------


def ms(value: float) -> str:
    return f"{value * 1000:,.0f} ms"


def ms1(value: float) -> str:
    return f"{value * 1000:,.1f} ms"


def summary_section(entry: Result) -> str:
    r = entry["result"]
    rows = [
        [
            name,
            backend,
            ms(call["today_s"]),
            ms(call["before_s"]),
            x(call["before_s"] / call["today_s"]),
        ]
        for backend, b in r["backends"].items()
        for name, call in b["calls"].items()
    ]
    header = ["asked", "backend", "today", "before issue 16", "before / today"]
    pg = r["backends"]["PostgreSQL"]
    return f"""## 6. Leaders' summaries on a plan with {n(r["assignments"])} assignments

{ran(entry)}. `bench/summary.py`, `bench/summary_before.py`.

One plan, one lead unit per task out of {n(r["units"])}, {r["progress_share"]:.0%} of the work items
with a progress row (done on time and late, in progress, blocked), asked on
{r["today"]} so the January–March dues are overdue ({n(pg["overdue"])} overdue items, of which
the lists show {pg["shown"]}). Median of {r["samples"]} runs, each in a fresh session, today's
code beside the code before issue 16 (kept in `bench/summary_before.py`) in the same run:
`/tonghop` is `plan_summary` and `summary_text`, `/quahan` `overdue`, `/chuabaocao`
`not_reported`; the overview of one plan its figures (today `report_head`, before the
plan's `build_report`), `overdue` and `not_reported`; a unit head's overview the unit's
report (before: the whole plan's was read), `overdue` and `not_reported` of the unit; a
task's page its report row (today its own task's report, before the plan's). Every
progress row has the audit row that wrote it, as the writers leave them.

{table(header, rows)}

Before, `/tonghop` and `/quahan` fetched every overdue item as a work item to show 20,
and `/chuabaocao` every work item of the plan to count the open ones per unit. Today
they read `summary_counts` (`data/summary_counts.py`, migration 0016): counts per plan,
unit, officer, state and due date, a few rows per unit, kept by every transaction that
touches a task (its share in `task_counts` recounted before commit), and compared
with today at read time, so days passing need no write. Each task's rows carry its code
and units' names, so the 20 most overdue are the first entries of an index and only
their items are fetched.
Keeping them costs a write one task's recount: {_recounts(r, "recount_one_s", ms1)} (median
of 5, in its own transaction); recounting all {n(r["assignments"])} tasks (bulk loads, the
migration) {_recounts(r, "recount_all_s", s)}. The overview's figures are the report's
(`build_report` replays every task's audit; the page and the Word report must never
disagree): the counts keep each task's report state as of now (measure `report`,
`data/report_counts.py`, decided by the report's own function; in progress with its
earliest open due, split by today's date), so a plan's figures and figures by unit are
a sum over a few rows per unit ({_same(r)}); its recent updates are the plan's
latest audit rows, newest first along an index (migration 0019). "Who has not reported"
asks each unit with open work whether it has an update since the point, instead of
reading every update since then.
"""


def _same(r: dict[str, Any]) -> str:
    same = all(b.get("overview_equals_report") for b in r["backends"].values())
    return "equal to `build_report`'s on both backends" if same else "NOT equal to the report's"


def _recounts(r: dict[str, Any], key: str, unit: Any) -> str:
    return ", ".join(f"{unit(b[key])} on {name}" for name, b in r["backends"].items() if key in b)


# --- the whole service ---------------------------------------------------------------


def service_section(entry: Result, dispatcher: Result | None) -> str:
    r = entry["result"]
    drained = (
        f"{s(r['drained_s'])} after start-up, {r['rss_drained_mib']:,.0f} MiB"
        if r["drained_s"] is not None
        else f"not within {s(r['watch_s'])}"
    )
    rows = [
        ["answering /healthz (start-up done)", s(r["ready_s"]), f"{r['rss_ready_mib']:,.0f} MiB"],
        [f"{n(r['due'])} due rows sent", drained.split(", ")[0], drained.split(", ")[-1]],
        [f"after {s(r['watch_s'])} of ticks", "", f"{r['rss_end_mib']:,.0f} MiB"],
        ["peak (`VmHWM`)", "", f"{r['peak_mib']:,.0f} MiB"],
    ]
    compare = ""
    if dispatcher is not None:
        compare = (
            f" For comparison, the dispatcher alone (section 2) held "
            f"{dispatcher['rss_before_mib'] + dispatcher['rss_delta_mib']:,.0f} MiB after "
            "sending the same 5,000 due rows."
        )
    return f"""## 7. Memory of `nhacviec run --role all` with {n(r["pending"])} pending reminders

{ran(entry)}. `bench/service.py`.

The whole service as operators start it (`python -m bot run --role all`: webhook
and observability server, planner and dispatcher ticks; no token, so the console
sender, its output to /dev/null) against PostgreSQL holding an agency of
{n(r["assignments"])} assignments due in the months ahead of the real clock, planned by the
planner before the start (as the service's first tick would): {n(r["pending"])} pending
reminders, all but {n(r["due"])} of the planner's own kinds (before, on the day, overdue,
escalations), which the service's ticks must leave in place; the {n(r["due"])} others are a
leader's urgent `manual` reminders, due now, for the dispatcher to send.

{table(["", "when", "resident memory"], rows)}

{n(r["pending_end"])} rows still pending at the end: what is not due stays in the
database and costs the process nothing: the planner's tick reads only the dues and
rows of the days entering its horizon.{compare} Not measured here: a global policy or
calendar change replans every due in the process that makes it (section 1's full replan),
which holds every wanted row of the horizon for the length of that replan.
"""


# --- headline ------------------------------------------------------------------------


def headline(stored: dict[str, Result]) -> str:
    rows: list[list[str]] = []
    if "burst" in stored:
        burst = stored["burst"]["result"]
        ours = burst["ours"]
        naive = burst["naive"]
        defaults, none, aio = naive["defaults"], naive["no-misfire"], naive["aio"]
        projected = naive_all_s(burst, "aio")
        rows.append(
            [
                f"08:00 burst, {n(burst['reminders'])} reminders, {n(burst['officers'])} officers",
                f"all in {s(ours['elapsed_s'])}, {n(ours['messages'])} messages, "
                f"{n(ours['fake']['refused'])} × 429",
                f"PTB defaults: {n(defaults['fake']['delivered'])} delivered in "
                f"{s(defaults['elapsed_s'])}; no misfire limit: "
                f"{n(none['fake']['delivered'])} in {s(none['elapsed_s'])}; "
                f"+ AIORateLimiter: {n(aio['fake']['delivered'])} in {s(aio['elapsed_s'])}, "
                f"{n(aio['fake']['refused'])} × 429 (lost)",
                (f"{x(projected / ours['elapsed_s'])} faster to deliver all; " if projected else "")
                + f"{x(burst['reminders'] / ours['messages'])} fewer messages",
            ]
        )
    if "outbox" in stored:
        ratios = stored["outbox"]["result"]
        rows.append(
            [
                f"plan {n(ratios['rows'])} reminders / replan unchanged",
                f"{s(ratios['ours_plan_s'])} / {s(ratios['ours_replan_s'])}",
                f"{s(ratios['naive_plan_s'])} / {s(ratios['naive_replan_s'])} (APScheduler jobs)",
                f"{x(ratios['plan'])} / {x(ratios['replan'])}",
            ]
        )
    if "inbound" in stored:
        runs = stored["inbound"]["result"]["runs"]
        now, before, floor = runs["now"], runs["before"], runs["minimal"]
        rows.append(
            [
                "inbound status updates (PostgreSQL, one webhook process)",
                f"{inbound_rate(now):,.1f} updates/s, p50 {now['p50_ms']:,.0f} ms, "
                f"p95 {now['p95_ms']:,.0f} ms ({inbound_rate(now) / inbound_rate(floor):.0%} "
                f"of the minimal handler's {inbound_rate(floor):,.0f}/s)",
                f"before issue 16: {inbound_rate(before):,.1f} updates/s, "
                f"p95 {before['p95_ms']:,.0f} ms",
                x(inbound_rate(now) / inbound_rate(before)),
            ]
        )
    if "summary" in stored:
        r = stored["summary"]["result"]
        pg = r["backends"]["PostgreSQL"]
        tonghop = pg["calls"]["/tonghop"]
        rows.append(
            [
                f"`/tonghop` on {n(r['assignments'])} assignments (PostgreSQL)",
                ms(tonghop["today_s"]),
                f"before issue 16: {ms(tonghop['before_s'])}",
                x(tonghop["before_s"] / tonghop["today_s"]),
            ]
        )
    if "service" in stored:
        r = stored["service"]["result"]
        rows.append(
            [
                f"`nhacviec run --role all`, {n(r['pending'])} pending",
                f"{r['rss_ready_mib']:,.0f} MiB at start, {r['rss_end_mib']:,.0f} MiB after ticks",
                "",
                "",
            ]
        )
    return table(["", "ours", "naive / alternative", "ratio"], rows)


# --- partitions ------------------------------------------------------------------------


def partitions_section(entry: Result) -> str:
    r = entry["result"]
    plain, monthly = r["plain"], r["monthly"]

    def row(name: str, key: str, shown: Any) -> list[str]:
        return [name, shown(plain[key]), shown(monthly[key]), x(plain[key] / monthly[key])]

    rows = [
        [
            f"claim, {q}",
            f"{plain['claim'][q + '_ms']:,.1f} ms",
            f"{monthly['claim'][q + '_ms']:,.1f} ms",
            x(plain["claim"][q + "_ms"] / monthly["claim"][q + "_ms"]),
        ]
        for q in ("p50", "p95")
    ]
    rows.append(row("retention of the oldest month", "retention_ms", lambda v: f"{v:,.0f} ms"))
    rows += [
        [what, "—", f"{monthly[key]:,.1f} ms", "—"]
        for what, key in (
            ("COPY of 20,000 new rows (median of 5)", "insert_20000_ms"),
            ("one INSERT of 500 rows (median of 5)", "insert_500_ms"),
        )
    ]
    disk = (
        f"{plain['outbox_mib']:,.0f} MiB plain; {monthly['outbox_mib']:,.0f} MiB partitioned"
        f" plus {monthly['keys_mib']:,.0f} MiB of keys (`reminder_keys`)"
    )
    return f"""## 9. A year of history: the outbox plain and partitioned by month

{ran(entry)}. `python -m bench.partitions URL`; migration 0018, `data/partitions.py`.

Two PostgreSQL databases built alike in the same run: {n(r["pending"])} pending rows
(5,000 due) and twelve months of sent history, {n(r["history_per_month"])} rows a month;
one stops at migration 0017 (the outbox one plain table with its UNIQUE key), the other
is at the head (partitioned by the month of `created_at`, which no statement changes, the
keys kept by triggers in `reminder_keys`). The claim is the dispatcher's (rolled back, 20
samples); retention forgets the oldest month (`OUTBOX_RETENTION_MONTHS`): a DELETE of its
rows on the plain table, a DROP of its partition on the partitioned one. The planner's
inserts are timed at the head only: its COPY relies on 0018's key trigger to skip a taken
key, which the plain table lacks.

{table(["", "plain (0017)", "monthly partitions", "plain / partitioned"], rows)}

Disk: {disk}.

What partitions buy is retention: a month goes by a DROP instead of a DELETE that leaves
the table bloated. What they cost is the key kept a second time, a trigger on every
insert, and a claim that looks into every month's partition: the claim that leases people
(migration 0017) already reads only due rows through partial indexes, so history does not
slow it on the plain table either, and the partitioned claim is the slower one here. A
claim restricted to the months that can hold due rows would take that back (not built).
"""
