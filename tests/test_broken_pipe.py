"""``nhacviec … | head``: when the reader goes away, the command stops quietly.

Python ignores SIGPIPE, so a write to a closed pipe raises ``BrokenPipeError``,
an ``OSError`` that the CLI reported as "Không kết nối được cơ sở dữ liệu". Now
nothing is printed and the exit code is 141, as for a death by SIGPIPE.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.commands.guard import BROKEN_PIPE_EXIT

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A database holding the sample plan and officers; the environment to run against it."""
    variables = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'pipe.db'}",
        "NHACVIEC_LANG": "vi",
        "NHACVIEC_ERROR_LOG": str(tmp_path / "error.log"),
        "PYTHONPATH": str(ROOT),
    }
    runner = CliRunner(env=variables)
    for argv in (
        ["plan", "import", str(SAMPLES / "ke-hoach-thi-dua-khen-thuong-2022.txt")],
        ["officer", "import", str(SAMPLES / "officers.csv")],
    ):
        assert runner.invoke(app, argv).exit_code == 0
    return variables


def _into_a_closed_pipe(argv: list[str], env: dict[str, str], stdin: str) -> tuple[int, str]:
    """Run ``nhacviec ARGV`` with its output going to a pipe nobody reads any more."""
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *argv],
        stdin=subprocess.PIPE,
        stdout=write_end,
        stderr=subprocess.PIPE,
        cwd=env["NHACVIEC_ERROR_LOG"].rsplit("/", 1)[0],
        env=env,
    )
    os.close(write_end)
    os.close(read_end)  # `head` has read its lines and gone
    _, errors = process.communicate(stdin.encode(), timeout=120)
    return process.returncode, errors.decode()


@pytest.mark.parametrize(
    ("argv", "stdin"),
    [
        (["chat", "--as", "Lê Văn Hùng", "--now", "2022-03-28T16:00"], "/viec\n/huongdan\n"),
        (["plan", "show"], ""),
    ],
    ids=["chat", "plan show"],
)
def test_a_closed_pipe_ends_the_command_quietly(
    argv: list[str], stdin: str, env: dict[str, str]
) -> None:
    code, errors = _into_a_closed_pipe(argv, env, stdin)
    assert errors == ""
    assert code == BROKEN_PIPE_EXIT
