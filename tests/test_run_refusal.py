"""``nhacviec run`` with no channel that reaches people refuses to start.

It used to fall back to the console: the dispatcher printed every due reminder on
the terminal and marked it sent, so no officer ever got one. Now it names what
to set, and ``--console`` is the explicit way to only print.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app import switched_on
from bot.channels.registry import CHANNELS
from bot.cli import app
from bot.settings import Settings
from data.errors import UserError


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with no ``.env`` and no channel variable in the environment."""
    for variable in {v for plugin in CHANNELS.values() for v in plugin.variables}:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'service.db'}")
    monkeypatch.setenv("NHACVIEC_LANG", "vi")
    return tmp_path


def test_run_without_a_channel_refuses_in_one_line_naming_what_to_set(bare: Path) -> None:
    result = CliRunner().invoke(app, ["run"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for needed in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "--console"):
        assert needed in lines[0]
    assert not (bare / "service.db").exists()  # refused before the database was opened


def test_the_refusal_is_in_english_for_an_english_terminal(
    bare: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NHACVIEC_LANG", "en")
    result = CliRunner().invoke(app, ["run"])
    assert result.stderr.startswith("Error: No chat channel is configured")


def test_the_console_runs_only_when_asked_for() -> None:
    with pytest.raises(UserError, match="--console"):
        switched_on(Settings())
    assert list(switched_on(Settings(channels={"NHACVIEC_CONSOLE": "1"}))) == ["console"]
    assert list(switched_on(Settings(channels={"ZALO_BOT_TOKEN": "1:z"}))) == ["zalo"]
