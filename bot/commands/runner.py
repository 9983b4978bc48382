"""Running a command: one database session, and no traceback ever reaching the user.

A ``UserError`` is printed as one line and exits 1; an unreachable database, or
one that refuses to store (read-only file, full disk), is said so in one line;
anything else is a bug: its traceback goes to a log file (``NHACVIEC_ERROR_LOG``,
default ``nhacviec-error.log``) and the user gets one line. Which database
failures are which is decided in ``data/outage.py``, as the conversation decides.

The error log holds tracebacks, and a traceback can hold a token (PTB's
``InvalidToken`` repeats the whole token in its message): it goes through the JSON
log's redactor, and the file is created readable by its owner only (0600).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Collection, Coroutine
from typing import Any, TypeVar

import typer
from rich.console import Console
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.logs import redacted_traceback
from data.db import DatabaseURLError, database_url, open_database
from data.errors import UserError
from data.outage import reason, storage_unavailable, storage_unwritable
from scheduler.clock import SystemClock
from scheduler.planner import plan_reminders, replan_plan, replan_tasks

T = TypeVar("T")


class _Console(Console):
    """Rich's console, leaving a closed pipe to ``bot/commands/guard.py``.

    Rich exits with 1 by itself when its reader goes away; the CLI ends every
    command that way with one code (141), whoever was writing.
    """

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


# Markup and emoji codes off: plan titles, task names and unit names are user data, and
# "[/]" in one crashed `plan show` while "[link=…]" became a live link in the terminal.
# Styling is done with Text objects and style= arguments instead.
console = _Console(
    width=None if sys.stdout.isatty() else 160, soft_wrap=False, markup=False, emoji=False
)
errors = _Console(
    stderr=True, width=None if sys.stderr.isatty() else 160, markup=False, emoji=False
)


ERROR_LOG_MODE = 0o600


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` as the one line a user sees, and the exit to raise."""
    errors.print(
        t("error", message=message), style="bold red", markup=False, highlight=False, soft_wrap=True
    )
    return typer.Exit(code)


def _safe_url() -> str:
    try:
        return make_url(database_url()).render_as_string(hide_password=True)
    except DatabaseURLError:
        return "?"


def run(coroutine: Coroutine[Any, Any, T], *, refused: int = 1) -> T:
    """Run a command's coroutine, turning every failure into one line and an exit code.

    ``refused`` is the exit code of a ``UserError``: 2 where a wrong name is a usage
    error of a read-only command (``nhacviec report``), as Click's are.
    """
    try:
        return asyncio.run(coroutine)
    except BrokenPipeError:  # our reader went away: not the database (bot/commands/guard.py)
        raise
    except Exception as exc:
        raise exit_for(exc, refused=refused) from None


def exit_for(exc: Exception, *, refused: int = 1) -> typer.Exit:
    """Say in one line why a command failed; the exit to raise (2 for a bug, else 1)."""
    if isinstance(exc, UserError):
        return fail(str(exc), code=refused)
    if storage_unavailable(exc):
        key = "db_unwritable" if storage_unwritable(exc) else "db_unreachable"
        return fail(t(key, url=_safe_url(), reason=reason(exc)))
    log = write_error_log(exc)
    return fail(t("unexpected", kind=type(exc).__name__, log=log), code=2)


def write_error_log(exc: BaseException) -> str:
    """Append ``exc``'s redacted traceback to the error log; its path, or why not."""
    path = os.environ.get("NHACVIEC_ERROR_LOG", "nhacviec-error.log")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, ERROR_LOG_MODE)
        with open(fd, "a", encoding="utf-8") as handle:
            os.fchmod(fd, ERROR_LOG_MODE)  # a file made by an older version may be 0644
            handle.write(redacted_traceback(exc) + "\n")
    except OSError:
        return "(không ghi được tệp nhật ký)"
    return path


async def replanned(
    session: AsyncSession,
    result: T,
    *,
    tasks: Collection[str] = (),
    plan_id: int | None = None,
) -> T:
    """Replan the outbox in the same transaction after an admin change, then pass ``result`` on.

    Only what the change affects: ``tasks`` (codes of tasks edited or muted), ``plan_id``
    (a plan's own policy), else everything (people, the global policy, the calendar). The
    planner tick only plans the days entering the horizon, so nothing else would.
    """
    now = SystemClock().now()
    if plan_id is not None:
        await replan_plan(session, now, plan_id)
    elif tasks:
        await replan_tasks(session, now, tasks)
    else:
        await plan_reminders(session, now)
    return result


async def in_session(
    work: Callable[[AsyncSession], Awaitable[T]], *, commit: bool = True, url: str | None = None
) -> T:
    """Run ``work`` in one transaction: committed when it returns, rolled back on error."""
    async with open_database(url) as sessions, sessions() as session:
        result = await work(session)
        if commit:
            await session.commit()
        else:
            await session.rollback()
        return result
