"""The README section of ``bench.cluster`` from the result ``bench.run`` stores."""

from __future__ import annotations

from typing import Any

from bench.fake_bot_api import GLOBAL_RATE
from bench.markdown import n, ran, s, table, x

Result = dict[str, Any]


def _rate(run: Result) -> float:
    """Messages a second while the burst went out (first to last delivery at the fake)."""
    sent = run["sent"]
    return float(sent["delivered"] / sent["span_s"]) if sent["span_s"] else 0.0


def _answers(run: Result) -> float:
    inbound = run["inbound"]
    return float(inbound["recorded"] / inbound["wall_s"])


def _drained(run: Result) -> str:
    return s(run["drained_s"]) if run["drained_s"] is not None else "**not drained**"


def _cpu(run: Result, role: str) -> str:
    return " + ".join(f"{cpu:,.1f}" for cpu in run["cpu_s"][role]) + " s"


def _sending_row(run: Result) -> list[str]:
    sent, dup = run["sent"], run["duplicates"]
    return [
        f"{run['dispatchers']} dispatcher(s)",
        _drained(run),
        f"{n(sent['delivered'])} ({n(dup['rows_sent'])} rows; "
        f"{n(run.get('burst_states', {}).get('cancelled', 0))} cancelled by an answer)",
        f"{_rate(run):,.1f}/s ({_rate(run) / GLOBAL_RATE:.0%})",
        f"{sent['refused']} ({sent['refused_global']} / {sent['refused_chat']})",
        str(dup["unrecorded"]),
        str(dup["officers_split"]),
        _cpu(run, "dispatcher"),
    ]


def _sending(runs: list[Result]) -> str:
    first, last = runs[0], runs[-1]
    ratio = x(_rate(last) / _rate(first)) if _rate(first) else ""
    rows = [_sending_row(run) for run in runs] + [["ratio", "", "", ratio, "", "", "", ""]]
    header = [
        "",
        "burst sent (from start)",
        "messages delivered",
        "rate (of 30/s)",
        "429 (overall / per chat)",
        "messages no row recorded (duplicates)",
        "officers whose burst came in 2+ messages",
        "CPU, each dispatcher",
    ]
    return table(header, rows)


def _answering_row(run: Result) -> list[str]:
    inbound = run["inbound"]
    return [
        f"{run['receivers']} receiver(s)",
        f"{n(inbound['posted'])} ({n(inbound['updates'])} distinct)",
        " / ".join(n(inbound[k]) for k in ("received", "recorded", "replies")),
        str(inbound["non_200"]),
        f"{_answers(run):,.1f}",
        f"{inbound['p50_ms']:,.0f} ms",
        f"{inbound['p95_ms']:,.0f} ms",
        _cpu(run, "bot"),
    ]


def _answering(runs: list[Result]) -> str:
    ratio = x(_answers(runs[-1]) / _answers(runs[0]))
    rows = [_answering_row(run) for run in runs] + [["ratio", "", "", "", ratio, "", "", ""]]
    header = [
        "",
        "updates posted",
        "ledger rows / status updates / replies",
        "non-200",
        "updates/s recorded",
        "p50",
        "p95",
        "CPU, each receiver",
    ]
    return table(header, rows)


def _writes(cluster: Result, names: list[str]) -> str:
    runs = cluster["runs"]
    tables = sorted({name for run in runs.values() for name in run["writes"]})

    def cell(run: Result, name: str) -> str:
        ins, upd, dele = run["writes"].get(name, [0, 0, 0])
        if name == "(commits)":
            return n(ins)
        return " / ".join(n(v) for v in (ins, upd, dele))

    rows = [
        [f"`{t}`" if t != "(commits)" else "commits"] + [cell(runs[m], t) for m in names]
        for t in tables
    ]
    return table(["table (inserted / updated / deleted)", *names], rows)


def cluster_section(entry: Result) -> str:
    cluster = entry["result"]
    names = list(cluster["runs"])
    return f"""## 8. Several processes on one PostgreSQL: the burst and the answers at once

{ran(entry)}. `bench/cluster.py`; the deployment arithmetic built on it is in
`docs/scaling.md`.

The service as operators scale it out, each process started as `nhacviec run`:
dispatchers (`--role dispatcher`: plan and send) and receivers (`--role bot`
behind webhooks; the load generator plays the load balancer, each chat always on
the same receiver), on one PostgreSQL and the real clock. {n(cluster["officers"])} unit
heads linked on Telegram have {n(cluster["reminders"])} urgent reminders due at once
({n(cluster["pending_later"])} more pending for later days); the dispatchers' fake Bot
API enforces Telegram's limits ({GLOBAL_RATE}/s overall, 1/s per chat, a refused message
is not delivered). While the burst goes out, {n(cluster["chats"])} of the heads send
four status updates each ({cluster["concurrency"]} requests in flight); every
{cluster["redeliver_every"]}th update is posted to two receivers at the same instant, as a
provider's retry after a slow answer lands on another instance. The same workload
runs first on one dispatcher and one receiver (today's single deployment), then on
{names[-1].replace("+", " dispatchers and ")} receivers, each on a fresh database.

Duplicates are counted, not asserted: every message the fake delivered must be
the `provider_message_id` of the sent rows of its chat (a message no row recorded
means rows went out twice); an update must leave one ledger row, one status
update and one reply however many receivers it reached.

{_sending(list(cluster["runs"].values()))}

{_answering(list(cluster["runs"].values()))}

What each run wrote to PostgreSQL (`pg_stat_user_tables`, from the end of the
load to the processes' exit; start-up included):

{_writes(cluster, names)}

The machine has 2 cores shared by PostgreSQL, both fakes, the load generator and
the service's processes: more processes here share the same CPU, so the answer
rate cannot grow with them; what the run shows is that they share the work
correctly (one message per officer, each update once) and that the sends stay
under the provider's limit however many dispatchers send.
"""
