"""The Zalo channel: reminders out (``ZaloSender``), messages in (polling or webhook).

Incoming messages become ``Incoming(channel="zalo", chat_id=<chat id>, text,
update_id=<message_id>)`` for ``bot/conversation.py``; its answers go back with
``sendMessage`` as plain text (``bot/zalo_text.py``). Linking is the officer typing
the invite code: the bot learns a chat id only once its owner has written.

Duplicates: ``getUpdates`` has no offset, so the same message may come twice; a
bounded in-memory set of recent message ids drops most repeats cheaply, and the
conversation's ``InboundUpdate`` row is the real guard across instances.

Buttons: an answer's buttons are sent as numbered options; typing the number
presses the button (the payload is checked by the core on every press, as on
Telegram). The options live in memory per chat for ``CHOICE_TTL``: after a restart
the officer types the command instead, which always works.

Webhook: ``process_webhook`` compares ``X-Bot-Api-Secret-Token`` in constant time
and answers False (the server says 403) without touching anything when it differs.
Polling: ``start_polling`` drops any webhook (``getUpdates`` does not work while one
is set) and runs one background task taking one update at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import time
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from bot.channels.zalo.client import ZaloClient, ZaloError
from bot.channels.zalo.render import parse_update, render_answer, render_reminder, split_text
from bot.chat.conversation import Conversation
from bot.chat.messages import Incoming
from scheduler.sender import Bundle

logger = logging.getLogger(__name__)

SEEN_LIMIT = 4096
CHOICE_TTL = 2 * 3600.0
MAX_BACKOFF = 30.0


class ZaloSender:
    """Delivers a reminder bundle to one Zalo chat; one attempt, errors as ``ZaloError``."""

    channel = "zalo"
    accepts_unlinked = False

    def __init__(self, client: ZaloClient) -> None:
        self._client = client

    async def send(self, bundle: Bundle) -> str:
        """Send the bundle (in pieces when over 2000 characters); the first piece's id.

        A failure after the first piece makes the outbox resend the whole bundle
        later: a rare duplicate, never a loss.
        """
        ids = [
            await self._client.send_message(bundle.address, piece)
            for piece in split_text(render_reminder(bundle))
        ]
        return ids[0]


class ZaloChannel:
    """One Zalo bot: its client, its sender, and the way in to the conversation."""

    def __init__(
        self,
        token: str,
        conversation: Conversation,
        *,
        api_url: str | None = None,
        webhook_secret: str | None = None,
        poll_timeout: int = 30,
        request_timeout: float = 10.0,
    ) -> None:
        self.client = ZaloClient(token, api_url=api_url, timeout=request_timeout)
        self._conversation = conversation
        self._secret = webhook_secret
        self._poll_timeout = poll_timeout
        self._sender = ZaloSender(self.client)
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._choices: OrderedDict[str, tuple[float, tuple[str, ...]]] = OrderedDict()
        self._task: asyncio.Task[None] | None = None

    @property
    def sender(self) -> ZaloSender:
        return self._sender

    async def start_polling(self) -> None:
        """Drop the webhook and poll in the background until ``stop``."""
        if self._task is None:
            await self.client.delete_webhook()
            self._task = asyncio.create_task(self._poll(), name="zalo-polling")

    async def stop(self) -> None:
        """Stop polling (if running) and close the HTTP client."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.client.aclose()

    async def process_webhook(self, payload: Mapping[str, Any], secret_header: str | None) -> bool:
        """Handle one pushed update; False (and nothing done) when the secret is wrong."""
        if not self._secret or secret_header is None:
            return False
        if not hmac.compare_digest(secret_header.encode(), self._secret.encode()):
            return False
        await self.process_update(payload)
        return True

    async def process_update(self, payload: Mapping[str, Any]) -> None:
        """Hand one update to the conversation and send its answers back."""
        update = parse_update(payload)
        if update is None or not self._first_sight(update.message_id):
            return
        incoming = Incoming("zalo", update.chat_id, text=update.text, update_id=update.message_id)
        answers = await self._conversation.handle(self._pressed(incoming))
        for answer in answers:
            text, payloads = render_answer(answer)
            self._remember(update.chat_id, payloads)
            try:
                for piece in split_text(text):
                    await self.client.send_message(update.chat_id, piece)
            except ZaloError as error:
                logger.warning("zalo: answer to message %s lost: %s", update.message_id, error)

    async def _poll(self) -> None:
        backoff = 1.0
        while True:
            try:
                updates = await self.client.get_updates(self._poll_timeout)
            except ZaloError as error:
                logger.warning("zalo: getUpdates failed (%s); again in %.0f s", error, backoff)
                await asyncio.sleep(error.retry_after or backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = 1.0
            for update in updates:
                try:
                    await self.process_update(update)
                except Exception:  # one bad update must not stop the channel
                    logger.exception("zalo: update failed")

    def _first_sight(self, message_id: str) -> bool:
        if message_id in self._seen:
            return False
        self._seen[message_id] = None
        if len(self._seen) > SEEN_LIMIT:
            self._seen.popitem(last=False)
        return True

    def _remember(self, chat_id: str, payloads: tuple[str, ...]) -> None:
        self._choices.pop(chat_id, None)
        if payloads:
            self._choices[chat_id] = (time.monotonic(), payloads)
            if len(self._choices) > SEEN_LIMIT:
                self._choices.popitem(last=False)

    def _pressed(self, incoming: Incoming) -> Incoming:
        """A bare number answering numbered options is the press of that button."""
        text = (incoming.text or "").strip()
        stamped = self._choices.get(incoming.chat_id)
        if not text.isdigit() or stamped is None:
            return incoming
        at, payloads = stamped
        if time.monotonic() - at > CHOICE_TTL or not 1 <= int(text) <= len(payloads):
            return incoming
        return Incoming(
            "zalo", incoming.chat_id, button=payloads[int(text) - 1], update_id=incoming.update_id
        )
