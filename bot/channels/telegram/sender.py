"""Telegram's ``Sender``: one attempt per bundle, Telegram's errors mapped to ``SendError``.

``_classify`` is the one place that knows which Telegram errors are worth
retrying; the dispatcher reads only ``permanent`` and ``retry_after``.
"""

from __future__ import annotations

import warnings
from datetime import timedelta
from typing import Any

from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot
from telegram.warnings import PTBDeprecationWarning

from bot.channels.telegram.handlers import NO_PREVIEW, keyboard
from bot.channels.telegram.render import bundle_parts
from scheduler.sender import Bundle, SendError


def _retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # int vs timedelta depends on PTB_TIMEDELTA; take either
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _classify(exc: TelegramError) -> SendError:
    """The one place that knows which Telegram errors are worth retrying."""
    reason = f"telegram: {exc.message}"
    if isinstance(exc, RetryAfter):  # flood control: the dispatcher pauses and retries
        return SendError(reason, retry_after=_retry_seconds(exc))
    if isinstance(exc, Forbidden):  # blocked by the user, deactivated, kicked: resending won't help
        return SendError(reason, permanent=True)
    if isinstance(exc, ChatMigrated):  # a group became a supergroup: the stored id is dead
        return SendError(f"{reason} (new chat id {exc.new_chat_id})", permanent=True)
    if isinstance(exc, BadRequest):  # "chat not found" and every malformed request
        return SendError(reason, permanent=True)
    # TimedOut, NetworkError, InvalidToken (our configuration, not the officer's), Conflict,
    # an unreadable response: the outbox retries with backoff.
    return SendError(reason)


class TelegramSender:
    """Delivers a bundle as one message, or several under 4096 characters each."""

    channel = "telegram"

    def __init__(self, bot: ExtBot[Any]) -> None:
        self._bot = bot

    async def send(self, bundle: Bundle) -> str:
        """Send every part; return the *first* part's id (a reply to it finds the bundle).

        A failure after some parts were sent raises too: the outbox resends the
        whole bundle, so a long bundle may arrive twice but never half.
        """
        first: str | None = None
        for part in bundle_parts(bundle):
            try:
                message = await self._bot.send_message(
                    bundle.address,
                    part.html,
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard(part.buttons),
                    link_preview_options=NO_PREVIEW,
                )
            except TelegramError as exc:
                raise _classify(exc) from exc
            first = first or str(message.message_id)
        assert first is not None  # a bundle always renders at least one part
        return first
