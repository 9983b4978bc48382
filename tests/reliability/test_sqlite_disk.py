"""A SQLite file that cannot be written: one clear line, no partial write, no corruption.

Two ways the disk refuses, both of which work when the tests run as root (where a
``chmod 0444`` stops nothing):
- read-only: the database opened with ``?mode=ro`` (a URI filename), which is what
  SQLite falls back to by itself for a file its user may not write;
- full: the command runs with ``RLIMIT_FSIZE`` a little above the WAL's first
  frames (and ``SIGXFSZ`` ignored), so the write that would grow a file fails
  mid-transaction, as on a full disk.
Each time the database must read back identical (``iterdump``) and pass
``PRAGMA integrity_check``, and the same command must succeed once the disk is fine.
"""

from __future__ import annotations

import asyncio
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from data.db import create_engine, sessionmaker
from scheduler.clock import FakeClock
from scheduler.dispatcher import Dispatcher
from tests.fakes import FakeSender
from tests.planning_helpers import seed_with_officers
from tests.reliability.conftest import seed_outbox, states

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.parametrize("db_url", ["sqlite"], indirect=True),
]

PLAN = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "group_numbered.txt"
FILE_LIMIT = 40_000
"""Bytes a file may grow to: room for the WAL index (32 KiB) and a few WAL frames."""
T0 = datetime(2022, 3, 28, 1, 0, tzinfo=UTC)


def _path(db_url: str) -> Path:
    return Path(make_url(db_url).database or "")


def _read_only_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///file:{path}?mode=ro&uri=true"


def _snapshot(path: Path) -> tuple[str, list[str]]:
    """``PRAGMA integrity_check`` and the whole content as SQL, read without writing."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        dump = list(conn.iterdump())
    conn.close()
    return check, dump


def _limit_file_size() -> None:
    """In the child: a full disk, as far as growing any file goes."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write instead of killing us
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))


def _import(
    url: str, tmp: Path, preexec: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    """``nhacviec plan import PLAN`` against ``url`` in a child process."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "NHACVIEC_ERROR_LOG": str(tmp / "error.log"),
        "NHACVIEC_LANG": "vi",
    }
    return subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "plan", "import", str(PLAN)],
        env=env,
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=preexec,
    )


async def _seeded(db_url: str) -> Path:
    """The sample plan and roster in the test database, checkpointed into the file."""
    engine = create_engine(db_url)
    try:
        await seed_with_officers(sessionmaker(engine))
    finally:
        await engine.dispose()
    return _path(db_url)


def _assert_one_clear_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert len(lines) == 1 and lines[0].startswith("Lỗi: Không ghi được"), result.stderr
    assert any(w in lines[0] for w in words), lines[0]
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("case", "words"),
    [("read-only", ("readonly", "read-only")), ("disk full", ("disk", "full"))],
)
async def test_plan_import_on_an_unwritable_disk_says_so_and_changes_nothing(
    db_url: str, tmp_path: Path, case: str, words: tuple[str, ...]
) -> None:
    path = await _seeded(db_url)
    before = _snapshot(path)
    assert before[0] == "ok"

    if case == "read-only":
        refused = await asyncio.to_thread(_import, _read_only_url(path), tmp_path)
    else:
        refused = await asyncio.to_thread(_import, db_url, tmp_path, _limit_file_size)
    _assert_one_clear_line(refused, *words)
    assert _snapshot(path) == before, "not a byte of the data changed, integrity ok"

    accepted = await asyncio.to_thread(_import, db_url, tmp_path)
    assert accepted.returncode == 0 and "Đã nhập kế hoạch" in accepted.stdout, accepted
    check, dump = _snapshot(path)
    assert check == "ok" and len(dump) > len(before[1])
    print(f"\n[{case}] {refused.stderr.strip()} → after: {accepted.stdout.strip()}")


async def test_dispatcher_on_a_read_only_database_sends_nothing_and_loses_nothing(
    db_url: str,
) -> None:
    engine = create_engine(db_url)
    keys = await seed_outbox(sessionmaker(engine), officers=10, per_officer=3, at=T0)
    await engine.dispose()
    path = _path(db_url)
    before = _snapshot(path)

    read_only = create_engine(_read_only_url(path))
    sender = FakeSender("zalo")
    try:
        with pytest.raises(OperationalError, match="readonly"):
            await Dispatcher(
                sessionmaker(read_only), {"zalo": sender}, FakeClock(T0)
            ).dispatch_once()
        assert sender.attempts == [], "no claim, no send"
    finally:
        await read_only.dispose()
    assert _snapshot(path) == before

    engine = create_engine(db_url)
    sessions = sessionmaker(engine)
    try:
        result = await Dispatcher(sessions, {"zalo": sender}, FakeClock(T0)).dispatch_once()
        assert result.sent == len(keys) and await states(sessions) == {"sent": len(keys)}
    finally:
        await engine.dispose()
    assert _snapshot(path)[0] == "ok"
