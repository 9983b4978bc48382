"""``make demo``: the whole loop on a fresh SQLite file, no token needed.

Each step runs a real ``nhacviec`` command (echoed as a person would type it),
so the demo shows exactly what a secretary will see.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from bot.cli import app
from bot.commands.runner import console

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
DEMO_DB = Path("nhacviec-demo.db")
DEMO_START = "2022-01-01"


def step(*args: str) -> None:
    """Echo and run one ``nhacviec`` command; stop the demo if it fails."""
    console.rule(f"[bold]$ nhacviec {' '.join(args)}", align="left")
    try:
        app(list(args), standalone_mode=False)
    except typer.Exit as exc:
        if exc.exit_code:
            sys.exit(exc.exit_code)


def main() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DEMO_DB}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite+aiosqlite:///{DEMO_DB.resolve()}"
    plan = SAMPLES / "ke-hoach-thi-dua-khen-thuong-2022.txt"
    step("plan", "import", str(plan))
    step("plan", "import", str(plan))
    step("plan", "show")
    step("plan", "dues", "--from", DEMO_START, "--days", "90")
    step("officer", "import", str(SAMPLES / "officers.csv"))
    step("unit", "list")
    step("plan", "check")
    step("schedule", "preview", "--from", "2022-03-28", "--until", "2022-04-01")
    # A year of reminders on simulated time: January and Tết in full (no message from
    # 31/1 to 4/2, February's check-ins on Monday 7/2), the first "14 working days
    # before", an escalation to the leader, and the check-ins moved past 30/4–3/5.
    step(
        "schedule",
        "simulate",
        "--from",
        "2022-01-01",
        "--until",
        "2022-12-31",
        "--full-until",
        "2022-02-11",
        "--show",
        "2022-03-11",
        "--show",
        "2022-04-07",
        "--show",
        "2022-05-04",
    )


if __name__ == "__main__":
    main()
