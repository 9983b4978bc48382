"""The CLI error log: tracebacks redacted like the JSON log, readable by its owner only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import typer
from telegram.error import InvalidToken

from bot.commands.runner import run

TOKEN = "123456789:AAHk3xVw-_fakeTokenForTests0123456789ab"
WEBHOOK_SECRET = "s3cret-webhook_value"


async def _crash() -> None:
    try:
        raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.")
    except InvalidToken as exc:  # a chained cause is written too
        raise RuntimeError(f"startup failed with secret {WEBHOOK_SECRET}") from exc


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "error.log"
    monkeypatch.setenv("NHACVIEC_ERROR_LOG", str(path))
    monkeypatch.setenv("WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("NHACVIEC_LANG", "vi")
    return path


def _run_crash() -> None:
    with pytest.raises(typer.Exit) as exit_info:
        run(_crash())
    assert exit_info.value.exit_code == 2


def test_it_writes_the_traceback_with_every_secret_masked(log: Path) -> None:
    _run_crash()
    written = log.read_text(encoding="utf-8")
    assert "InvalidToken" in written and "RuntimeError" in written
    assert TOKEN not in written and TOKEN.split(":")[1] not in written
    assert WEBHOOK_SECRET not in written
    assert written.count("<token>") >= 2


def test_it_creates_the_file_readable_by_its_owner_only(log: Path) -> None:
    previous = os.umask(0o022)
    try:
        _run_crash()
    finally:
        os.umask(previous)
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_it_tightens_an_error_log_left_readable_by_an_older_version(log: Path) -> None:
    log.write_text("old entry\n", encoding="utf-8")
    log.chmod(0o644)
    _run_crash()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert log.read_text(encoding="utf-8").startswith("old entry\n")
