"""Long polling that acknowledges an update only once it was recorded.

Telegram forgets every update below the ``offset`` of the next ``getUpdates``.
PTB's ``Updater`` moves the offset as soon as it has fetched a batch, so an update
that arrived while the database was away would be acknowledged and lost. This
loop asks with ``offset`` = the last *handled* update + 1: an update is handled
when the conversation recorded it or refused it for good (any error but
``StorageUnavailable``); while the database is away the same update is tried
again with backoff (``bot/channels/retry.py``) and nothing further is fetched.
After a crash the unacknowledged updates come again; the conversation's
``InboundUpdate`` ledger answers each one once.

Updates are fetched as raw JSON and parsed one at a time by the same path as a
webhook body (``process``): PTB's ``get_updates`` parses the whole batch at once,
so one malformed update (a date past year 9999) would fail every fetch and stop
polling for good; here it is logged, acknowledged and skipped.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from telegram.error import TelegramError
from telegram.ext import ExtBot
from telegram.warnings import PTBUserWarning

from bot.channels.retry import MAX_DELAY, until_recorded

logger = logging.getLogger(__name__)

READ_MARGIN = 10.0
"""Seconds a long poll may take beyond its ``timeout`` before the request is given up."""


async def _fetch(
    bot: ExtBot[Any], offset: int | None, timeout: timedelta, allowed_updates: Sequence[str]
) -> list[Any]:
    """One ``getUpdates`` call, its result left unparsed (see the module docstring)."""
    arguments: dict[str, Any] = {
        "timeout": int(timeout.total_seconds()),
        "allowed_updates": list(allowed_updates),
    }
    if offset is not None:
        arguments["offset"] = offset
    with warnings.catch_warnings():  # PTB suggests get_updates, which parses the whole batch
        warnings.filterwarnings("ignore", "Please use 'Bot.getUpdates'", PTBUserWarning)
        result = await bot.do_api_request(
            "getUpdates",
            api_kwargs=arguments,
            read_timeout=timeout.total_seconds() + READ_MARGIN,
        )
    return result if isinstance(result, list) else []


async def poll(
    bot: ExtBot[Any],
    process: Callable[[Mapping[str, Any]], Awaitable[None]],
    *,
    timeout: timedelta,
    allowed_updates: Sequence[str],
    retry_delay: float,
) -> None:
    """Fetch and handle updates in order until cancelled."""
    offset: int | None = None
    delay = retry_delay
    while True:
        try:
            updates = await _fetch(bot, offset, timeout, allowed_updates)
        except TelegramError as error:  # network trouble, Telegram's 5xx, a Conflict: ask again
            logger.warning("telegram: getUpdates failed (%s); again in %.0f s", error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_DELAY)
            continue
        delay = retry_delay
        for update in updates:
            update_id = update.get("update_id") if isinstance(update, dict) else None
            if not isinstance(update_id, int):  # nothing to acknowledge it by; never sent
                logger.warning("telegram: ignored an update without an update_id")
                continue
            await until_recorded(
                functools.partial(process, update),
                what=f"telegram update {update_id}",
                first_delay=retry_delay,
            )
            offset = update_id + 1
