"""Telegram: the channel object and how the registry builds it.

``TelegramChannel`` builds the PTB ``Application`` (handlers in ``handlers.py``,
rendering in ``render.py``, reminders out through ``sender.py``) and receives by
polling (``polling.py``: an update is acknowledged only once recorded) or by
webhook (``process_webhook``). ``run`` shares one event loop with the scheduler,
so nothing here blocks.
``TELEGRAM_API_URL`` points it at another Bot API server (a self-hosted
``telegram-bot-api``, the tests' fake) exactly as PTB's ``base_url`` does.

No ``AIORateLimiter``: the dispatcher paces reminders itself (``PACING``: 30/s
overall, 1/s per chat, the whole bot paused on ``RetryAfter``) and retries through
the outbox. A second limiter retrying inside ``send`` would hold rows the
dispatcher leased and hide the 429 it wants to see. Answers to a user's own
message are one or two sends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import ApplicationBuilder

from bot.channels.base import Pacing, Plugin, secret_matches
from bot.channels.bounds import telegram_update_ok
from bot.channels.retry import FIRST_DELAY
from bot.channels.telegram.handlers import CONVERSATION, add_handlers, storage_failures
from bot.channels.telegram.polling import poll
from bot.channels.telegram.render import preview
from bot.channels.telegram.sender import TelegramSender
from bot.chat import registry
from bot.chat.conversation import Conversation
from data.errors import UserError

__all__ = ["PLUGIN", "TelegramChannel", "TelegramSender", "validate_token"]

logger = logging.getLogger(__name__)

TOKEN_PATTERN = re.compile(r"\d+:[A-Za-z0-9_-]{30,}")
ALLOWED_UPDATES = ("message", "callback_query")
PACING = Pacing(per_second=30.0, per_chat_seconds=1.0, pause_globally=True)
"""Telegram allows ~30/s overall and 1/s per chat; a 429 is about the whole bot. The full 30:
the limiter counts each send until its answer came back (``scheduler/pace.py``), so network
jitter costs us time, not a margin kept below the provider's number."""
MAX_BODY = 64 << 10
"""An update is a few KiB (a text is at most 4,096 characters, a quoted reply as much
again); 64 KiB is generous, and a forged flood cannot make the server buffer more."""


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


class TelegramChannel:
    """The bot: handlers on a PTB ``Application``, polling or webhook, and its ``sender``."""

    name = "telegram"
    webhook_path = "/telegram"
    secret_header = "X-Telegram-Bot-Api-Secret-Token"
    max_body = MAX_BODY
    pacing: Pacing | None = PACING

    def __init__(
        self,
        token: str | None,
        conversation: Conversation,
        *,
        base_url: str | None = None,
        base_file_url: str | None = None,
        retry_delay: float = FIRST_DELAY,
    ) -> None:
        builder = ApplicationBuilder().token(validate_token(token)).job_queue(None).updater(None)
        if base_url:
            builder = builder.base_url(base_url)
        if base_file_url:
            builder = builder.base_file_url(base_file_url)
        self._secret: str | None = None
        self._retry_delay = retry_delay
        self._polling: asyncio.Task[None] | None = None
        self.application = builder.build()
        self.application.bot_data[CONVERSATION] = conversation
        add_handlers(self.application)

    @property
    def sender(self) -> TelegramSender:
        """A ``Sender`` on the same bot (and connection pool) as the handlers."""
        return TelegramSender(self.application.bot)

    async def start_sending(self) -> None:
        """The bot's HTTP session, for a process that sends without receiving."""
        await self.application.initialize()

    async def start_polling(self, poll_timeout: timedelta = timedelta(seconds=10)) -> None:
        """Drop any webhook and poll in the background until ``stop`` (returns at once)."""
        await self.application.initialize()
        await self.application.bot.delete_webhook()
        await self.register_commands()
        self._polling = asyncio.create_task(
            poll(
                self.application.bot,
                self.process_webhook,
                timeout=poll_timeout,
                allowed_updates=ALLOWED_UPDATES,
                retry_delay=self._retry_delay,
            ),
            name="telegram-polling",
        )

    async def start_webhook(self, base_url: str, secret: str) -> None:
        """Register ``base_url + webhook_path`` with ``secret``; updates then arrive pushed."""
        await self.application.initialize()
        self._secret = secret
        await self.application.bot.set_webhook(
            base_url.rstrip("/") + self.webhook_path,
            secret_token=secret,
            allowed_updates=list(ALLOWED_UPDATES),
        )
        await self.register_commands()

    async def stop(self) -> None:
        """Stop polling and close the HTTP connections."""
        if self._polling is not None:
            self._polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._polling
            self._polling = None
        await self.application.shutdown()

    def secret_ok(self, header: str | None) -> bool:
        """Whether ``header`` is the secret given to Telegram at ``start_webhook``."""
        return secret_matches(self._secret, header)

    async def process_webhook(self, payload: Mapping[str, Any]) -> None:
        """Handle one update's JSON, pushed (its secret already checked) or polled.

        A malformed update is logged and acknowledged, so Telegram does not resend it;
        ``StorageUnavailable`` propagates, so the server answers 503 and Telegram retries.
        """
        try:
            update = Update.de_json(dict(payload), self.application.bot)
        except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError, RecursionError):
            # PTB does not validate: a wrong type surfaces as any of these (a string where an
            # object belongs, a date out of range, nesting too deep)
            logger.warning("ignored a malformed webhook update", exc_info=True)
            return
        await self.process_update(update)

    async def process_update(self, update: Update) -> None:
        """Run the handlers on ``update``; raise ``StorageUnavailable`` if they met it.

        PTB hands a handler's exception to the error handler instead of raising it;
        ``storage_failures`` collects the database outages it sees for this update.
        An update from an impossible chat or user id is malformed: logged, not handled.
        """
        if not telegram_update_ok(update):
            logger.warning(
                "ignored telegram update %s: chat or user id out of range", update.update_id
            )
            return
        with storage_failures() as failures:
            await self.application.process_update(update)
        if failures:
            raise failures[0]

    async def register_commands(self) -> None:
        """The command menu: Vietnamese by default, English for English-language clients."""
        bot = self.application.bot
        await bot.set_my_commands([BotCommand(*entry) for entry in registry.menu("vi")])
        english = [BotCommand(*entry) for entry in registry.menu("en")]
        await bot.set_my_commands(english, language_code="en")


def _build(settings: Mapping[str, str], conversation: Conversation) -> TelegramChannel:
    api = settings.get("TELEGRAM_API_URL", "").rstrip("/")
    return TelegramChannel(
        settings.get("TELEGRAM_BOT_TOKEN"),
        conversation,
        base_url=f"{api}/bot" if api else None,
        base_file_url=f"{api}/file/bot" if api else None,
    )


PLUGIN = Plugin(
    build=_build,
    switch="TELEGRAM_BOT_TOKEN",
    settings=("TELEGRAM_API_URL",),
    secrets=("TELEGRAM_BOT_TOKEN",),
    webhook_secret="TELEGRAM_WEBHOOK_SECRET",
    preview=preview,
)
