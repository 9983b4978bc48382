"""Structured logs: one JSON object per line, and never a bot token in them.

Why a filter on the handler and not trust in callers: the token is part of every
Bot API URL (``/bot<TOKEN>/sendMessage``), and httpx, PTB and exception messages
print those URLs. Redaction is applied to the rendered message, the traceback and
every string passed with ``extra=``, whoever logged it. Three nets: the configured
secrets verbatim, anything shaped like a Telegram token, and whatever follows
``/bot`` in a URL path (Zalo's token has no fixed shape).

The CLI's error log (``bot/commands/runner.py``) writes tracebacks through the
same redaction: ``redactor()`` masks the secrets ``configure_logging`` was given
and those of the environment (a command that never configured logging has only
those), with the same token-shaped nets.

Context travels as ``extra=`` (``officer_id``, ``channel``, ``reminder_id``,
``update_id`` …) and becomes top-level keys, so a log search is a field query.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from bot.channels.registry import secret_variables

MASK = "<token>"
TELEGRAM_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]{30,}")
BOT_PATH = re.compile(r"(?<=/bot)(?!<token>)[^/\s?#\"']+")
SECRET_VARIABLES = (*secret_variables(), "WEBHOOK_SECRET")
"""Each channel's tokens and webhook secrets, and the retired shared secret if still set."""
QUIET = ("httpx", "httpcore", "apscheduler", "weasyprint")
"""Per-request and per-tick INFO lines: noise at the volume of a morning burst (and
WeasyPrint's ten "Step n" lines for every PDF report printed)."""
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


class Redactor:
    """Replaces secrets in text: configured values first, then token-shaped strings."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        # Longest first, so a secret containing another is masked whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        text = TELEGRAM_TOKEN.sub(MASK, text)
        return BOT_PATH.sub(MASK, text)


_configured: tuple[str | None, ...] = ()
"""The secrets ``configure_logging`` was last given."""


def redactor() -> Redactor:
    """The JSON log's redaction, plus the secrets of the environment."""
    return Redactor([*_configured, *(os.environ.get(name) for name in SECRET_VARIABLES)])


def redacted_traceback(exc: BaseException) -> str:
    """``exc``'s traceback (causes included) with every secret masked, as the log writes it."""
    return redactor()("".join(traceback.format_exception(exc)))


class RedactFilter(logging.Filter):
    """Renders and redacts a record in place, before any formatter sees it."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self._redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self._redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        for key, value in _extras(record).items():
            if isinstance(value, str):
                setattr(record, key, self._redact(value))
        return True


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "event", …extras, "exc"?}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
            **_extras(record),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _RECORD_FIELDS}


def configure_logging(
    json: bool = True,
    level: str = "INFO",
    secrets: Iterable[str | None] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """One handler (stderr by default) on the root logger, replacing others, redacting
    ``secrets`` (pass the bot tokens and the webhook secret). Returns the handler."""
    global _configured
    _configured = tuple(secrets)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RedactFilter(Redactor(_configured)))
    handler.setFormatter(
        JsonFormatter()
        if json
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler
