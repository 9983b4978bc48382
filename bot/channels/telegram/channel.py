"""Telegram: the channel object and the ``Sender`` that delivers reminders.

``TelegramChannel`` builds the PTB ``Application`` (handlers in
``bot/telegram_handlers.py``, rendering in ``bot/telegram_render.py``) and
starts it by polling or webhook. ``run`` shares one event loop with the
scheduler, so polling is started with ``initialize``/``start``/
``updater.start_polling`` rather than the blocking ``run_polling``.
``base_url``/``base_file_url`` point it at another Bot API server (a self-hosted
``telegram-bot-api``, the tests' fake) exactly as PTB's builder does.

No ``AIORateLimiter``: the dispatcher paces reminders itself (``scheduler/limits.py``:
25/s overall, 1/s per chat, pause on ``RetryAfter``) and retries through the outbox.
A second limiter retrying inside ``send`` would hold rows the dispatcher leased and
hide the 429 it wants to see. Answers to a user's own message are one or two sends.
"""

from __future__ import annotations

import hmac
import logging
import re
import warnings
from datetime import timedelta
from typing import Any

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import ApplicationBuilder, ExtBot
from telegram.warnings import PTBDeprecationWarning

from bot.channels.telegram.handlers import CONVERSATION, NO_PREVIEW, add_handlers, keyboard
from bot.channels.telegram.render import bundle_parts
from bot.chat import registry
from bot.chat.conversation import Conversation
from data.errors import UserError
from scheduler.sender import Bundle, SendError

__all__ = ["TelegramChannel", "TelegramSender", "validate_token"]

logger = logging.getLogger(__name__)

TOKEN_PATTERN = re.compile(r"\d+:[A-Za-z0-9_-]{30,}")
SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram allows as secret_token
ALLOWED_UPDATES = ("message", "callback_query")


def validate_token(token: str | None) -> str:
    """The token, or a ``UserError`` saying what is wrong (never echoing the secret)."""
    token = (token or "").strip()
    if not token:
        raise UserError(
            "Thiếu TELEGRAM_BOT_TOKEN: tạo bot với @BotFather rồi đặt mã vào biến môi trường "
            "TELEGRAM_BOT_TOKEN hoặc tệp .env."
        )
    if not TOKEN_PATTERN.fullmatch(token):
        raise UserError(
            "TELEGRAM_BOT_TOKEN không đúng dạng (số:chuỗi ký tự, ví dụ 123456789:AAE…); "
            "hãy sao chép lại nguyên mã do @BotFather cấp."
        )
    return token


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


class TelegramChannel:
    """The bot: handlers on a PTB ``Application``, polling or webhook, and its ``sender``."""

    def __init__(
        self,
        token: str | None,
        conversation: Conversation,
        *,
        base_url: str | None = None,
        base_file_url: str | None = None,
        webhook_secret: str | None = None,
    ) -> None:
        builder = ApplicationBuilder().token(validate_token(token)).job_queue(None)
        if base_url:
            builder = builder.base_url(base_url)
        if base_file_url:
            builder = builder.base_file_url(base_file_url)
        if webhook_secret is not None and not SECRET_PATTERN.fullmatch(webhook_secret):
            raise UserError("Mã bí mật webhook chỉ gồm chữ, số, “_” và “-” (tối đa 256 ký tự).")
        self._secret = webhook_secret
        self.application = builder.build()
        self.application.bot_data[CONVERSATION] = conversation
        add_handlers(self.application)

    @property
    def sender(self) -> TelegramSender:
        """A ``Sender`` on the same bot (and connection pool) as the handlers."""
        return TelegramSender(self.application.bot)

    async def start_polling(self, poll_timeout: timedelta = timedelta(seconds=10)) -> None:
        """Start answering by long polling, on the running loop (returns at once)."""
        await self.application.initialize()
        await self.application.start()
        assert self.application.updater is not None
        await self.application.updater.start_polling(
            timeout=poll_timeout, allowed_updates=list(ALLOWED_UPDATES)
        )

    async def start_webhook(self, url: str) -> None:
        """Register ``url`` with Telegram; updates then arrive through ``process_webhook``."""
        if self._secret is None:
            raise UserError("Chế độ webhook cần mã bí mật (secret token).")
        await self.application.initialize()
        await self.application.start()
        await self.application.bot.set_webhook(
            url, secret_token=self._secret, allowed_updates=list(ALLOWED_UPDATES)
        )

    async def stop(self) -> None:
        """Stop polling and the application, and close the HTTP connections."""
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    async def process_webhook(self, payload: dict[str, Any], secret_header: str | None) -> bool:
        """Handle one webhook update; False (answer 403) unless the secret header matches.

        Without a configured secret every request is refused: webhook mode needs one.
        A malformed body is logged and acknowledged (True), so Telegram does not resend it.
        """
        if self._secret is None or secret_header is None:
            return False
        if not hmac.compare_digest(secret_header.encode(), self._secret.encode()):
            return False
        try:
            update = Update.de_json(payload, self.application.bot)
        except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError, RecursionError):
            # PTB does not validate: a wrong type surfaces as any of these (a string where an
            # object belongs, a date out of range, nesting too deep)
            logger.warning("ignored a malformed webhook update", exc_info=True)
            return True
        await self.application.process_update(update)
        return True

    async def register_commands(self) -> None:
        """The command menu: Vietnamese by default, English for English-language clients."""
        bot = self.application.bot
        await bot.set_my_commands([BotCommand(*entry) for entry in registry.menu("vi")])
        english = [BotCommand(*entry) for entry in registry.menu("en")]
        await bot.set_my_commands(english, language_code="en")
