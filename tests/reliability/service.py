"""The real service (``nhacviec run --role dispatcher``) as a subprocess, for the fault tests.

Crash and shutdown tests need the process as deployed: its signal handlers, its
APScheduler ticks and its own event loop, sending over Zalo to the fake Bot API.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import pytest

from tests.fake_zalo_api import TOKEN, FakeZaloApi


def service_env(db_url: str, zalo_url: str, tmp: Path) -> dict[str, str]:
    """The service's environment: only Zalo configured, pointing at the fake."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env |= {
        "DATABASE_URL": db_url,
        "ZALO_BOT_TOKEN": TOKEN,
        "ZALO_API_URL": zalo_url,
        "NHACVIEC_ERROR_LOG": str(tmp / "error.log"),
        "PORT": "0",  # /healthz on any free port: other test runs may hold 8080
    }
    return env


async def start_service(db_url: str, zalo_url: str, tmp: Path) -> asyncio.subprocess.Process:
    """``nhacviec run --role dispatcher`` in its own process (cwd without a ``.env``).

    Its output goes to ``tmp / "service.log"``.
    """
    log = (tmp / "service.log").open("wb")
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from bot.cli import main; main()",
        "run",
        "--role",
        "dispatcher",
        cwd=tmp,
        env=service_env(db_url, zalo_url, tmp),
        stdout=log,
        stderr=log,
    )


async def wait_for_sends(
    fake: FakeZaloApi, process: asyncio.subprocess.Process, n: int, log: Path
) -> None:
    """Until the fake has received ``n`` messages; fails if the service dies first."""
    deadline = time.monotonic() + 90  # the whole suite on 2 cores is slow to start it
    while len(fake.sent) < n:
        if process.returncode is not None:
            pytest.fail(f"the service exited early:\n{log.read_text(errors='replace')[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {n} sends within 90 s:\n{log.read_text(errors='replace')[-3000:]}")
        await asyncio.sleep(0.02)
