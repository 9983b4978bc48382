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
Telegram). What the numbers stand for is stored per chat for ``CHOICE_TTL``
(``data/chat_options.py``), so a number typed after a restart, or to another
instance, presses what the officer saw.

Webhook: ``start_webhook`` gives Zalo its own secret (never Telegram's); the server
checks ``X-Bot-Api-Secret-Token`` with ``secret_ok`` before ``process_webhook``.
Polling: ``start_polling`` drops any webhook (``getUpdates`` does not work while one
is set) and runs one background task taking one update at a time. ``getUpdates``
has no offset, so a fetched update is already gone from Zalo: while the database
is away the poller keeps it and tries again (``bot/channels/retry.py``), and an
update counts as seen only once it was handled.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections import OrderedDict
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import httpx

from bot.channels.base import Pacing, Plugin, secret_matches
from bot.channels.retry import FIRST_DELAY, until_recorded
from bot.channels.zalo.client import ZaloClient, ZaloError
from bot.channels.zalo.files import fetch_photo
from bot.channels.zalo.render import (
    parse_update,
    preview,
    render_answer,
    render_reminder,
    split_text,
)
from bot.chat.conversation import Conversation
from bot.chat.messages import FileIn, Incoming
from data.chat_options import chosen_option, show_options
from data.errors import StorageUnavailable, UserError
from data.outage import reason, storage_unavailable
from scheduler.sender import Bundle

logger = logging.getLogger(__name__)

SEEN_LIMIT = 4096
MAX_OPTION_DIGITS = 2
CHOICE_TTL = timedelta(hours=2)
MAX_BACKOFF = 30.0
PACING = Pacing(per_second=25.0, per_chat_seconds=1.0, pause_globally=False)
"""Zalo publishes no rate; Telegram's numbers are a safe guess. A 429 is about one chat."""
MAX_BODY = 64 << 10
"""A Zalo text is at most 2,000 characters; 64 KiB is generous for one update."""


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

    name = "zalo"
    webhook_path = "/zalo"
    secret_header = "X-Bot-Api-Secret-Token"
    max_body = MAX_BODY
    pacing: Pacing | None = PACING

    def __init__(
        self,
        token: str,
        conversation: Conversation,
        *,
        api_url: str | None = None,
        poll_timeout: int = 30,
        request_timeout: float = 10.0,
        retry_delay: float = FIRST_DELAY,
    ) -> None:
        self.client = ZaloClient(token, api_url=api_url, timeout=request_timeout)
        self._conversation = conversation
        self._secret: str | None = None
        self._poll_timeout = poll_timeout
        self._retry_delay = retry_delay
        self._sender = ZaloSender(self.client)
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._task: asyncio.Task[None] | None = None

    @property
    def sender(self) -> ZaloSender:
        return self._sender

    async def start_sending(self) -> None:
        """Nothing to prepare: the HTTP client connects on first use."""

    async def start_webhook(self, base_url: str, secret: str) -> None:
        """Have Zalo push to ``base_url + webhook_path`` with ``secret`` in the header."""
        self._secret = secret
        await self.client.set_webhook(base_url.rstrip("/") + self.webhook_path, secret)

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

    def secret_ok(self, header: str | None) -> bool:
        """Whether ``header`` is the secret given to Zalo at ``start_webhook``."""
        return secret_matches(self._secret, header)

    async def process_webhook(self, payload: Mapping[str, Any]) -> None:
        """Handle one pushed update (secret checked); ``StorageUnavailable`` propagates."""
        await self.process_update(payload)

    async def process_update(self, payload: Mapping[str, Any]) -> None:
        """Hand one update to the conversation and send its answers back."""
        update = parse_update(payload)
        if update is None or update.message_id in self._seen:
            return
        incoming = Incoming(
            "zalo",
            update.chat_id,
            text=update.text,
            update_id=update.message_id,
            file=await self._photo(update.photo) if update.photo else None,
        )
        answers = await self._conversation.handle(await self._pressed(incoming))
        self._saw(update.message_id)
        for answer in answers:
            text, payloads = render_answer(answer)
            await self._remember(update.chat_id, payloads)
            try:
                for piece in split_text(text):
                    await self.client.send_message(update.chat_id, piece)
            except ZaloError as error:
                logger.warning("zalo: answer to message %s lost: %s", update.message_id, error)

    async def _photo(self, url: str) -> FileIn:
        """The photo sent (an officer's product); one that cannot be fetched is an empty
        file, which the core answers by asking for it again."""
        try:
            return await fetch_photo(url, self._conversation.products)
        except httpx.HTTPError as error:
            logger.warning("zalo: photo not fetched: %s", type(error).__name__)
            return FileIn("anh-zalo", b"")

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
                    await until_recorded(
                        functools.partial(self.process_update, update),
                        what="zalo update",
                        first_delay=self._retry_delay,
                    )
                except Exception:  # one bad update must not stop the channel
                    logger.exception("zalo: update failed")

    def _saw(self, message_id: str) -> None:
        """Remember a handled message id (a bounded set: the database is the real guard)."""
        self._seen[message_id] = None
        if len(self._seen) > SEEN_LIMIT:
            self._seen.popitem(last=False)

    async def _remember(self, chat_id: str, payloads: tuple[str, ...]) -> None:
        """Store the options just shown (none: forget the earlier ones).

        The answer was already recorded, so a failure here is logged, not raised:
        the officer can still type the command.
        """
        expires_at = self._conversation.clock.now() + CHOICE_TTL
        try:
            async with self._conversation.sessions.begin() as session:
                await show_options(session, self.name, chat_id, payloads, expires_at=expires_at)
        except Exception:
            logger.exception("zalo: options shown in chat %s not stored", chat_id)

    async def _pressed(self, incoming: Incoming) -> Incoming:
        """A bare number answering numbered options is the press of that button."""
        text = (incoming.text or "").strip()
        if not text.isdigit() or len(text) > MAX_OPTION_DIGITS:
            return incoming
        now = self._conversation.clock.now()
        try:
            async with self._conversation.sessions() as session:
                payload = await chosen_option(session, self.name, incoming.chat_id, int(text), now)
        except Exception as exc:
            if storage_unavailable(exc):  # keep the update: the number may be a press
                raise StorageUnavailable(reason(exc)) from exc
            raise
        if payload is None:
            return incoming
        return Incoming(self.name, incoming.chat_id, button=payload, update_id=incoming.update_id)


def _build(settings: Mapping[str, str], conversation: Conversation) -> ZaloChannel:
    token = settings.get("ZALO_BOT_TOKEN", "")
    if not token.strip():
        raise UserError("ZALO_BOT_TOKEN rỗng; hãy đặt token của bot Zalo.")
    return ZaloChannel(token.strip(), conversation, api_url=settings.get("ZALO_API_URL"))


PLUGIN = Plugin(
    build=_build,
    switch="ZALO_BOT_TOKEN",
    settings=("ZALO_API_URL",),
    secrets=("ZALO_BOT_TOKEN",),
    webhook_secret="ZALO_WEBHOOK_SECRET",
    preview=preview,
)
