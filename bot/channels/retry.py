"""Hold an update until the database can record it: the receivers' answer to an outage.

A provider forgets an update once we acknowledge it (Telegram: the next
``getUpdates`` offset; Zalo: ``getUpdates`` itself, which has no offset). So a
poller that meets ``StorageUnavailable`` keeps the one update it holds and tries
again, waiting longer each time up to ``MAX_DELAY``, and fetches nothing new
meanwhile: what is held stays bounded to one update, and nothing is lost or
answered with an apology while the database is away.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from data.errors import StorageUnavailable

logger = logging.getLogger(__name__)

FIRST_DELAY = 1.0
MAX_DELAY = 30.0
Sleep = Callable[[float], Awaitable[None]]


async def until_recorded(
    attempt: Callable[[], Awaitable[None]],
    *,
    what: str,
    first_delay: float = FIRST_DELAY,
    sleep: Sleep = asyncio.sleep,
) -> None:
    """Run ``attempt`` until it no longer raises ``StorageUnavailable`` (other errors pass)."""
    delay = first_delay
    while True:
        try:
            await attempt()
            return
        except StorageUnavailable:
            logger.warning("%s: database unavailable; trying again in %.1f s", what, delay)
        await sleep(delay)
        delay = min(delay * 2, MAX_DELAY)
