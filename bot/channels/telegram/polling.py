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
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.channels.retry import MAX_DELAY, until_recorded

logger = logging.getLogger(__name__)


async def poll(
    bot: ExtBot[Any],
    process: Callable[[Update], Awaitable[None]],
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
            updates = await bot.get_updates(
                offset=offset, timeout=timeout, allowed_updates=list(allowed_updates)
            )
        except TelegramError as error:  # network trouble, Telegram's 5xx, a Conflict: ask again
            logger.warning("telegram: getUpdates failed (%s); again in %.0f s", error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_DELAY)
            continue
        delay = retry_delay
        for update in updates:
            await until_recorded(
                functools.partial(process, update),
                what=f"telegram update {update.update_id}",
                first_delay=retry_delay,
            )
            offset = update.update_id + 1
