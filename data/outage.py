"""Which failures mean "the database cannot take this now" rather than "a bug".

One classification for every caller, so they agree: the conversation answers a
webhook 503 (the provider redelivers) instead of apologising, and the CLI says
"cannot reach the database" or "cannot write to it" in one line instead of
logging a traceback as a bug.

Unavailable: the driver could not connect or lost the connection (``OSError``
and its ``ConnectionError``/``TimeoutError``, SQLAlchemy's pool checkout
timeout, an invalidated connection, an ``InterfaceError``), PostgreSQL said so
by SQLSTATE (08 connection exception, 53 insufficient resources such as too many
connections or a full disk, 57P admin/crash shutdown or "cannot connect now"), or
SQLite's file cannot be used (locked past the busy timeout, not openable, not a
database, a failed or refused write). A wrong query ("no such table", a broken
constraint) is a bug, not an outage.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError
from sqlalchemy.exc import TimeoutError as PoolTimeout

SQLSTATE_CLASSES = ("08", "53", "57P")
"""PostgreSQL error classes that say the server, not the statement, is the problem."""

UNWRITABLE = (
    "readonly database",  # SQLite: a file its user may not write
    "read-only transaction",  # PostgreSQL: a standby, or default_transaction_read_only
    "disk is full",  # SQLite: ENOSPC
    "disk i/o error",  # SQLite: any failed write (a file-size limit, a dying disk)
    "no space left",  # PostgreSQL: ENOSPC
)
"""Reasons meaning the database is there but refuses to store."""

SQLITE_FILE = ("unable to open database", "database is locked", "not a database")
"""SQLite's ways of saying the file cannot be used right now."""


def reason(exc: BaseException) -> str:
    """The driver's first line (no URL or password is in it), for logs and the CLI."""
    message = str(getattr(exc, "orig", None) or exc).strip()
    return (message.splitlines() or [type(exc).__name__])[0]


def storage_unwritable(exc: BaseException) -> bool:
    """The database answered but refuses to store (read-only, full disk)."""
    if not isinstance(exc, DBAPIError):
        return False
    lowered = reason(exc).lower()
    return any(sign in lowered for sign in UNWRITABLE)


def storage_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` means "try again later" (see the module docstring)."""
    if isinstance(exc, OSError | PoolTimeout):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated or isinstance(exc, InterfaceError):
        return True
    if str(getattr(exc.orig, "sqlstate", None) or "").startswith(SQLSTATE_CLASSES):
        return True
    lowered = reason(exc).lower()
    return any(sign in lowered for sign in SQLITE_FILE + UNWRITABLE)
