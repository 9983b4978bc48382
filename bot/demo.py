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


if __name__ == "__main__":
    main()
