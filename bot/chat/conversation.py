"""The channel-neutral conversation: an incoming message in, answers out, the database changed.

Telegram, Zalo and the console all call ``Conversation.handle``; none of their
types get in here. Each incoming message is one transaction:

1. ``update_id`` is recorded in ``InboundUpdate`` first: a redelivered update
   (webhook retry, a second instance) returns ``[]`` and changes nothing. The
   channel must still acknowledge a button press (answer the callback).
   The same rows are the inbound rate limit: a chat's updates of the last minute
   are counted in the database (so the limit holds across instances); beyond
   ``inbound_limit`` the first refused update is told to wait and the rest get
   nothing, and none of them is processed. The first ones always are, so a flood
   loses no real update sent before it. Console input (no update id) is not limited.
2. An unlinked chat may only link (``/start CODE`` or the code as text); anything
   else gets a short explanation and no data.
3. A linked officer's command is looked up in ``registry`` and refused before its
   handler runs when the officer's role may not use it; a button, an answer to a
   pending question, or free text is routed to ``status_flow`` /
   ``commands_officer`` / ``commands_leader``.

A ``UserError`` is a refusal: the transaction is rolled back (nothing changes)
and its sentence is the answer (a toast for a button). A database that cannot be
reached (``data/outage.py`` decides) rolls back and raises ``StorageUnavailable``:
nothing was recorded, so the channel must not acknowledge the update (a webhook
answers 503, a poller keeps its offset) and the redelivery is processed whole.
Anything else is logged with its traceback and answered with an apology: never a
traceback in a chat.
Messages for other people (a decision for the officer, a request for leaders)
are ``notice`` rows in the outbox, delivered by the dispatcher on their channel.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat import (
    callbacks,
    commands_leader,
    commands_officer,
    marks,
    pick,
    products,
    prompts,
    registry,
    status_flow,
    texts,
)
from bot.chat.messages import Answer, Button, Incoming, Turn, without_nul
from data.errors import StorageUnavailable, UserError
from data.inbound import record_and_count, record_first_delivery
from data.invites import find_code, officer_and_waiting, redeem
from data.outage import reason, storage_unavailable
from data.products import DEFAULT_SETTINGS, ProductSettings
from data.prompts import waiting_rows
from scheduler.clock import Clock

__all__ = ["Answer", "Button", "Conversation", "Incoming"]

logger = logging.getLogger(__name__)

MAX_TEXT = 10_000
INBOUND_LIMIT = 20
INBOUND_WINDOW = timedelta(seconds=60)


class Conversation:
    """Handles one incoming message at a time; holds no state between messages."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        bot_username: str | None = None,
        inbound_limit: int = INBOUND_LIMIT,
        products: ProductSettings = DEFAULT_SETTINGS,
        pages_url: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._products = products
        self._pages_url = pages_url
        self._clock = clock
        self._inbound_limit = inbound_limit
        self._bot_username = (bot_username or "").lstrip("@").lower() or None

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        """The database, for a channel keeping per-chat state there (Zalo's numbered options)."""
        return self._sessions

    @property
    def products(self) -> ProductSettings:
        """The products' cap and store: a channel checks an announced size before downloading."""
        return self._products

    @property
    def clock(self) -> Clock:
        """The conversation's time, so a channel's expiries move with a test's clock."""
        return self._clock

    async def handle(self, incoming: Incoming) -> list[Answer]:
        """The answers to send back to the sender (``[]`` for a redelivered update)."""
        incoming = without_nul(incoming)
        try:
            async with self._sessions.begin() as session:
                if incoming.update_id:
                    now = self._clock.now()
                    since = now - INBOUND_WINDOW  # refused updates count: a flood stays refused
                    recent = await record_and_count(
                        session, incoming.channel, incoming.update_id, incoming.chat_id, now, since
                    )
                    if recent is None:
                        return []
                    if recent > self._inbound_limit:
                        return _too_many(incoming) if recent == self._inbound_limit + 1 else []
                return await self._route(session, incoming)
        except UserError as refusal:
            await self._record_refused(incoming)
            if incoming.button is not None:
                return [Answer("", toast=str(refusal))]
            return [Answer(str(refusal))]
        except Exception as exc:
            if storage_unavailable(exc):  # rolled back by begin(); the provider redelivers
                logger.warning(
                    "database unavailable on %s update %s: %s",
                    incoming.channel,
                    incoming.update_id,
                    reason(exc),
                )
                raise StorageUnavailable(reason(exc)) from exc
            logger.exception(
                "conversation failed on %s update %s", incoming.channel, incoming.update_id
            )
            return [Answer(texts.SORRY, toast=texts.ERROR_TOAST if incoming.button else None)]

    async def _record_refused(self, incoming: Incoming) -> None:
        """Record the id of a refused update, rolled back with everything else.

        Refusals (a wrong code, a forged button) then count towards the inbound limit
        too, and a redelivered one is not refused twice. Nothing else is written.
        """
        if not incoming.update_id:
            return
        try:
            async with self._sessions.begin() as session:
                await record_first_delivery(
                    session,
                    incoming.channel,
                    incoming.update_id,
                    incoming.chat_id,
                    self._clock.now(),
                )
        except Exception:  # the refusal is still answered; only the count misses one
            logger.exception("could not record refused %s update", incoming.channel)

    async def _route(self, session: AsyncSession, incoming: Incoming) -> list[Answer]:
        now = self._clock.now()
        text = (incoming.text or "")[:MAX_TEXT].strip()
        plain = incoming.button is None and incoming.file is None and text[:1] not in ("", "/")
        answers = plain and not find_code(text)  # a text that may answer what waits: read with
        officer, found = await officer_and_waiting(  # the officer (one statement for both)
            session, incoming.channel, incoming.chat_id, now if answers else None
        )
        if officer is None and incoming.button is not None:
            return [Answer("", toast=texts.NOT_LINKED_TOAST)]
        if officer is None:
            return [await self._link(session, incoming, text)]
        turn = Turn(session, officer, incoming, now, self._products, self._pages_url)
        logger.info(
            "%s update from officer %s",
            incoming.channel,
            officer.id,
            extra={
                "officer_id": officer.id,
                "channel": incoming.channel,
                "update_id": incoming.update_id,
                "kind": "button" if incoming.button is not None else "text",
            },
        )
        if incoming.button is not None:
            return [await _press(turn, incoming.button)]
        if incoming.file is not None:
            return [await products.receive(turn, text)]
        if not text:
            return [Answer(texts.NOT_TEXT)]
        if text.startswith("/"):
            return await self._command(turn, text)
        if find_code(text):
            return [await self._link(session, incoming, text)]
        waiting = await waiting_rows(session, officer.id, incoming.channel, now, found)
        answer = await products.answer_parked(turn, text, waiting)
        answer = answer or await status_flow.handle_prompt_answer(turn, text, waiting)
        return [answer or await status_flow.handle_text(turn, text)]

    async def _link(self, session: AsyncSession, incoming: Incoming, text: str) -> Answer:
        """``/start CODE`` or a bare code links this chat; anything else is explained."""
        code = find_code(text) if text.startswith("/start") or not text.startswith("/") else None
        if code is None:
            return Answer(texts.UNKNOWN_CHAT)
        officer = await redeem(session, code, incoming.channel, incoming.chat_id, self._clock.now())
        return Answer(texts.LINKED.format(name=officer.name))

    async def _command(self, turn: Turn, text: str) -> list[Answer]:
        head, _, args = text.partition(" ")
        name, _, target = head[1:].partition("@")
        if target and self._bot_username and target.lower() != self._bot_username:
            return []  # a command for another bot in a group chat
        name = name.lower()
        if name == "start":
            if find_code(args):
                return [await self._link(turn.session, turn.incoming, text)]
            return [Answer(texts.GREETING.format(name=turn.officer.name))]
        command = registry.find(name)
        if command is None:
            return [Answer(texts.UNKNOWN_COMMAND.format(name=name))]
        if not command.allows(turn.officer.role):
            raise UserError(texts.NOT_ALLOWED)  # before the handler: no data is read
        await prompts.drop_prompts(turn)
        return [await command.handler(turn, args.strip())]


async def _press(turn: Turn, payload: str) -> Answer:
    """A button: validated first; a forged or malformed payload changes nothing."""
    action = callbacks.parse(payload)
    if isinstance(action, callbacks.StatusAction):
        return await status_flow.handle_button(turn, action, payload)
    if isinstance(action, callbacks.SnoozeAction):
        return await marks.press(turn, action, payload)
    if isinstance(action, callbacks.PageAction):
        return await commands_officer.items_page(turn, action.page, edit=True)
    if isinstance(action, callbacks.PickPageAction):
        return await pick.turn_page(turn, action)
    if isinstance(action, callbacks.DecisionAction):
        return await commands_leader.decide(turn, action.request_id, action.approve)
    if isinstance(action, callbacks.FileAction):
        return await products.press(turn, action)
    return Answer("", toast=texts.INVALID_BUTTON)


def _too_many(incoming: Incoming) -> list[Answer]:
    """The one warning of a flood: a toast for a button, a message for text."""
    if incoming.button is not None:
        return [Answer("", toast=texts.TOO_MANY)]
    return [Answer(texts.TOO_MANY)]
