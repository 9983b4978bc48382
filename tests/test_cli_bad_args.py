"""Every ``nhacviec`` command given bad arguments: one line on stderr, a non-zero exit.

The commands and their options are read from the Typer app itself, so a command
or option added later is covered without touching this file; an option of a type
missing from ``BAD`` fails the test until its bad values are listed. Before, an
impossible date (``calendar add-off 2026-02-30``, ``plan dues --from 2026-13-01``),
``--until`` before ``--from`` and ``chat --now "ngày mai"`` printed a traceback,
and Typer printed usage errors as a framed panel of several lines.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from bot.cli import app
from bot.commands.plan import ColumnName

BAD: dict[Any, tuple[str, ...]] = {
    date: ("2026-02-30", "2026-13-01", "31/02/2022", "ngày mai", "1999-12-31", "99999-01-01"),
    datetime: ("ngày mai", "2022-13-01T09:00", "2022-03-28T25:00", "hôm qua 9h"),
    int: ("x", "1.5", "-1", "99999999999999999999999"),
    Path: ("/khong-co/ke-hoach.txt",),
    ColumnName: ("ten=Tên văn bản", "task", "task=", "=Tên văn bản"),
}
"""Bad values per option type (the annotation, unwrapped)."""

GOOD: dict[Any, str] = {
    date: "2022-01-01",
    datetime: "2022-03-28T09:00",
    int: "1",
    str: "x",
    Path: __file__,
}
"""A valid value per type, for the other required parameters of the call."""

NOT_CHECKED = (str, bool)
"""Any text is a valid name or code (a wrong one is a lookup, said in one line); flags."""

SEMANTIC = (
    ("schedule", "preview", "--from", "2022-03-01", "--until", "2022-02-01"),
    ("schedule", "simulate", "--from", "2022-12-31", "--until", "2022-01-01"),
    (
        "schedule",
        "simulate",
        "--from",
        "2022-01-01",
        "--until",
        "2022-01-31",
        "--show",
        "2022-02-01",
    ),
)
"""Each value valid on its own, wrong together."""


def _commands(
    command: Any = None, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(path, command) of every command and group of the app that takes parameters or none."""
    command = command or typer.main.get_command(app)
    subcommands = getattr(command, "commands", {})
    if path and (not subcommands or _params(command)):
        yield path, command
    for name, sub in sorted(subcommands.items()):
        yield from _commands(sub, (*path, name))


def _params(command: Any) -> list[Any]:
    return [p for p in command.params if p.name != "help"]


def _kind(param: Any) -> Any:
    annotation = param.type_descriptor.annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    if typing.get_origin(annotation) is list:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _argv(path: tuple[str, ...], command: Any, bad: Any = None, value: str = "") -> list[str]:
    """A call of ``command`` with every required parameter valid and ``bad`` set to ``value``."""
    positional: list[str] = []
    options: list[str] = []
    for param in _params(command):
        is_option = type(param).__name__ == "TyperOption"
        if param is bad:
            given = value
        elif param.required or not is_option:
            given = GOOD.get(_kind(param), "x")
        else:
            continue
        if is_option:
            options += [param.opts[0], given]
        else:
            positional.append(given)
    return [*path, *options, *positional]


def _cases() -> Iterator[Any]:
    for path, command in _commands():
        name = " ".join(path)
        yield pytest.param([*path, "--khong-co-tuy-chon"], id=f"{name} --unknown")
        if any(p.required for p in _params(command)):
            yield pytest.param(list(path), id=f"{name} (missing)")
        for param in _params(command):
            kind = _kind(param)
            if kind in NOT_CHECKED:
                continue
            assert kind in BAD, f"{name} {param.name}: add bad values for {kind} to BAD"
            for value in BAD[kind]:
                yield pytest.param(
                    _argv(path, command, param, value), id=f"{name} {param.name}={value}"
                )
    for argv in SEMANTIC:
        yield pytest.param(list(argv), id=" ".join(argv))


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No ``.env``, no channel token, a throw-away database: nothing real is touched."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("NHACVIEC_LANG", "vi")
    monkeypatch.setenv("NHACVIEC_ERROR_LOG", str(tmp_path / "error.log"))
    for variable in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "NHACVIEC_CONSOLE"):
        monkeypatch.delenv(variable, raising=False)
    return tmp_path


@pytest.mark.parametrize("argv", list(_cases()))
def test_a_bad_call_is_one_line_and_a_non_zero_exit(argv: list[str], isolated: Path) -> None:
    result = CliRunner().invoke(app, argv)
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Lỗi: "), lines[0]
    assert "Traceback" not in result.output
    assert not (isolated / "error.log").exists()  # a refusal, not a bug


def test_the_issue_examples_are_among_the_cases() -> None:
    ids = {" ".join(case.values[0]) for case in _cases()}
    assert "calendar add-off 2026-02-30 x" in ids
    assert "plan dues --from 2026-13-01 x" in ids
    assert "chat --as x --now ngày mai" in ids
    assert " ".join(SEMANTIC[0]) in ids
