"""The real service for the browser tests: ``nhacviec run --role web`` as a subprocess on a
fresh SQLite file, with the sample units and officers registered (no plan yet: the tests
import it through the upload form, as a secretary would)."""

from __future__ import annotations

import asyncio
import csv
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select

from bot.commands.people import ROSTER_CONTACTS
from data.db import create_engine, sessionmaker, upgrade
from data.models import Officer, Unit
from data.people import add_unit, import_roster
from data.web_auth import issue_link, sign_in_url

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
ROSTER = SAMPLES / "officers.csv"
NHACVIEC = Path(sys.executable).with_name("nhacviec")
STARTUP_SECONDS = 30
T = TypeVar("T")
LINK = re.compile(r"^https?://\S+/dang-nhap/\S+$", re.M)


def _run(work: Coroutine[Any, Any, T]) -> T:
    """``work`` on an event loop of its own thread: Playwright's sync API keeps one
    running in this thread, where ``asyncio.run`` is refused."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, work).result()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _register(url: str) -> None:
    """The roster's units (parents first, as the CSV lists them) and officers."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
        sessions = sessionmaker(engine)
        text = ROSTER.read_text("utf-8")
        async with sessions.begin() as session:
            for name in dict.fromkeys(row["unit"] for row in csv.DictReader(text.splitlines())):
                if await session.scalar(select(Unit.id).where(Unit.name == name)) is None:
                    await add_unit(session, name)
            await import_roster(session, text, ROSTER_CONTACTS)
    finally:
        await engine.dispose()


async def _token(url: str, name: str) -> str:
    engine = create_engine(url)
    try:
        async with sessionmaker(engine).begin() as session:
            officer = await session.scalar(select(Officer).where(Officer.name == name))
            assert officer is not None, name
            return await issue_link(session, officer, datetime.now(UTC))
    finally:
        await engine.dispose()


@dataclass
class Site:
    """The running service and how to sign people in to it."""

    url: str
    database: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log: Path

    def cli_link(self, name: str) -> str:
        """``nhacviec web link NAME``: the sign-in link the command prints."""
        done = subprocess.run(
            [str(NHACVIEC), "web", "link", name],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        found = LINK.search(done.stdout)
        assert found, done.stdout
        return found.group(0)

    def link(self, name: str) -> str:
        """A sign-in link made in the database directly (the command costs seconds a run)."""
        return sign_in_url(self.url, _run(_token(self.database, name)))

    def logs(self) -> str:
        return self.log.read_text("utf-8", errors="replace")[-4000:]


def start(folder: Path) -> Site:
    """Register the people, start the server, wait until ``/healthz`` answers."""
    database = f"sqlite+aiosqlite:///{folder / 'nhacviec.db'}"
    _run(_register(database))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": database, "WEB_URL": url, "PORT": str(port)}
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(NHACVIEC), "run", "--role", "web", "--port", str(port)],
            env=env,
            cwd=folder,  # no developer's .env
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    site = Site(url, database, env, process, log)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {site.logs()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as health:
                if health.status == 200:
                    return site
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    stop(site)
    raise AssertionError(f"/healthz did not answer in {STARTUP_SECONDS} s: {site.logs()}")


def stop(site: Site) -> None:
    site.process.terminate()
    try:
        site.process.wait(10)
    except subprocess.TimeoutExpired:
        site.process.kill()
        site.process.wait()
