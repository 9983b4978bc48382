"""Running a command: one database session, and no traceback ever reaching the user.

A ``UserError`` is printed as one line and exits 1; an unreachable database, or
one that refuses to store (read-only file, full disk), is said so in one line;
anything else is a bug: its traceback goes to a log file (``NHACVIEC_ERROR_LOG``,
default ``nhacviec-error.log``) and the user gets one line.
"""

from __future__ import annotations

import asyncio
import os
import sys
import traceback
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import typer
from rich.console import Console
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from data.db import DatabaseURLError, database_url, open_database
from data.errors import UserError
from scheduler.clock import SystemClock
from scheduler.planner import plan_reminders

T = TypeVar("T")

console = Console(width=None if sys.stdout.isatty() else 160, soft_wrap=False)
errors = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


_UNWRITABLE = (
    "readonly database",  # SQLite: a file its user may not write
    "read-only transaction",  # PostgreSQL: a standby, or default_transaction_read_only
    "disk is full",  # SQLite: ENOSPC
    "disk i/o error",  # SQLite: any failed write (a file-size limit, a dying disk)
    "no space left",  # PostgreSQL: ENOSPC
)
"""Reasons meaning the database is there but refuses to store: not "unreachable"."""


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


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine, turning every failure into one line and an exit code."""
    try:
        return asyncio.run(coroutine)
    except UserError as exc:
        raise fail(str(exc)) from None
    except (OperationalError, DBAPIError, ConnectionError, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        refused = any(sign in reason.lower() for sign in _UNWRITABLE)
        key = "db_unwritable" if refused else "db_unreachable"
        raise fail(t(key, url=_safe_url(), reason=reason)) from None
    except Exception as exc:
        log = os.environ.get("NHACVIEC_ERROR_LOG", "nhacviec-error.log")
        try:
            with open(log, "a", encoding="utf-8") as handle:
                traceback.print_exception(exc, file=handle)
        except OSError:
            log = "(không ghi được tệp nhật ký)"
        raise fail(t("unexpected", kind=type(exc).__name__, log=log), code=2) from None


async def replanned(session: AsyncSession, result: T) -> T:
    """Replan the outbox in the same transaction after an admin change, then pass ``result`` on.

    The planner tick would catch up within minutes anyway; doing it at once makes
    ``schedule preview`` and the next dispatch reflect the change immediately.
    """
    await plan_reminders(session, SystemClock().now())
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
