"""PTB handlers: an ``Update`` becomes an ``Incoming``; the core's ``Answer``s become messages.

Handlers only translate. No state lives in PTB (no ConversationHandler, user_data
or JobQueue): questions the bot asked are ``PendingPrompt`` rows, reminders are
outbox rows; ``bot_data`` holds only the ``Conversation`` the handlers call.
Only private chats are served: officers are linked by their private chat id.
A callback is answered (its toast) before the pressed message is edited.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from telegram import (
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MaybeInaccessibleMessage,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)

from bot.channels.telegram.files import incoming_file
from bot.channels.telegram.render import Keyboard, Part, answer_parts, file_caption
from bot.channels.webhook_reply import WebhookReply, offer
from bot.chat import registry
from bot.chat.messages import Answer, FileOut, Incoming
from data.errors import StorageUnavailable

logger = logging.getLogger(__name__)

CONVERSATION = "conversation"
"""The ``bot_data`` key of the ``Conversation`` (set by ``TelegramChannel``)."""
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_OUTAGES: ContextVar[list[StorageUnavailable] | None] = ContextVar("outages", default=None)


@contextlib.contextmanager
def storage_failures() -> Iterator[list[StorageUnavailable]]:
    """Collect the database outages ``on_error`` sees while one update is processed.

    PTB passes a handler's exception to the error handler and returns normally; the
    channel needs to know, so the update is not acknowledged (see ``polling.py``).
    """
    failures: list[StorageUnavailable] = []
    token = _OUTAGES.set(failures)
    try:
        yield failures
    finally:
        _OUTAGES.reset(token)


def keyboard(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    """PTB's inline keyboard for rendered buttons (None when there are none)."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.payload) for b in row] for row in buttons]
    )


def _incoming(update: Update, **fields: Any) -> Incoming:
    user = update.effective_user
    chat = update.effective_chat
    chat_id = chat.id if chat is not None else user.id if user is not None else 0
    language = user.language_code if user is not None else None
    return Incoming(
        "telegram", str(chat_id), update_id=str(update.update_id), language=language, **fields
    )


def _for_another_bot(text: str | None, username: str) -> bool:
    """``/viec@other_bot``: PTB's ``CommandHandler`` passed it over, and so do we."""
    command, at, target = (text or "").partition(" ")[0].partition("@")
    return command.startswith("/") and bool(at) and target.lower() != username.lower()


async def _relay(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    if message is None or _for_another_bot(message.text, context.bot.username):
        return
    reply_to = message.reply_to_message
    conversation = context.bot_data[CONVERSATION]
    incoming = _incoming(
        update,
        text=message.text or message.caption,
        reply_to=str(reply_to.message_id) if reply_to is not None else None,
        file=await incoming_file(message, context.bot, conversation.products),
    )
    answers = [answer for answer in await conversation.handle(incoming) if answer.text]
    if len(answers) == 1 and _in_response(context.bot, message.chat_id, answers[0]):
        return
    for answer in answers:
        await _deliver(context.bot, message.chat_id, answer)


def _in_response(bot: ExtBot[Any], chat_id: int, answer: Answer) -> bool:
    """Offer ``answer`` for the webhook's response when it is one plain ``sendMessage``
    (``bot/channels/webhook_reply.py``); False: send it as today."""
    parts = answer_parts(answer)
    if answer.file is not None or answer.edit or len(parts) != 1:
        return False
    [part] = parts
    ask = answer.force_reply and not part.buttons
    markup = ForceReply(selective=True) if ask else keyboard(part.buttons)
    body: dict[str, Any] = {
        "method": "sendMessage",
        "chat_id": chat_id,
        "text": part.html,
        "parse_mode": ParseMode.HTML.value,
        "link_preview_options": NO_PREVIEW.to_dict(),
    }
    if markup is not None:
        body["reply_markup"] = markup.to_dict()

    async def fallback() -> None:
        await _send_parts(bot, chat_id, parts, answer.force_reply)

    return offer(WebhookReply(body, fallback))


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command (/start CODE, /viec, /tonghop …): the user sees the core's answer."""
    await _relay(update, context)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text or an unknown command: a status update, an answer to a question, a code."""
    await _relay(update, context)


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A document or photo (a product, ``files.py``), a sticker, a voice…: the caption is
    read as text; without a file or a caption the core says it reads text."""
    await _relay(update, context)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button press: the toast first, then the pressed message edited (or a new one)."""
    query = update.callback_query
    if query is None:
        return
    incoming = _incoming(update, button=query.data if isinstance(query.data, str) else "")
    answers = await context.bot_data[CONVERSATION].handle(incoming)
    try:
        await query.answer(next((a.toast for a in answers if a.toast), None))
    except BadRequest as exc:  # "query is too old" after downtime: the edit still matters
        logger.info("could not answer callback %s: %s", query.id, exc.message)
    for answer in answers:
        if answer.text:
            edited = query.message if answer.edit else None
            await _deliver(context.bot, int(incoming.chat_id), answer, edited)


async def _deliver(
    bot: ExtBot[Any], chat_id: int, answer: Answer, edited: MaybeInaccessibleMessage | None = None
) -> None:
    """Send ``answer`` (split when long); with ``edited``, its first part replaces that message.

    An answer with a file is sent as a new message even when ``edited``: a text message
    cannot become a photo or a document.
    """
    if answer.file is not None:
        await _send_file(bot, chat_id, answer, answer.file)
        return
    parts = answer_parts(answer)
    if isinstance(edited, Message) and await _edit(edited, parts[0]):
        parts = parts[1:]
    await _send_parts(bot, chat_id, parts, answer.force_reply)


async def _send_file(bot: ExtBot[Any], chat_id: int, answer: Answer, file: FileOut) -> None:
    """The file (sendPhoto / sendDocument) captioned with the answer, the rest after it.

    Telegram refusing the file (a BadRequest: too big, a picture it cannot read) must not
    lose the answer: the text is then sent alone, and the refusal logged.
    """
    caption, rest = file_caption(answer)
    html = caption.html if caption is not None else None
    markup = keyboard(caption.buttons) if caption is not None else None
    try:
        if file.kind == "photo":
            await bot.send_photo(
                chat_id,
                file.content,
                filename=file.name,
                caption=html,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
        else:
            await bot.send_document(
                chat_id,
                file.content,
                filename=file.name,
                caption=html,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
    except BadRequest as exc:
        logger.warning("telegram refused file %s: %s", file.name, exc.message)
        rest = answer_parts(answer)
    await _send_parts(bot, chat_id, rest, answer.force_reply)


async def _send_parts(bot: ExtBot[Any], chat_id: int, parts: list[Part], force: bool) -> None:
    """Text messages in order; ``force`` asks for a reply on the last one (when buttonless)."""
    for number, part in enumerate(parts, start=1):
        ask = force and number == len(parts) and not part.buttons
        await bot.send_message(
            chat_id,
            part.html,
            parse_mode=ParseMode.HTML,
            reply_markup=ForceReply(selective=True) if ask else keyboard(part.buttons),
            link_preview_options=NO_PREVIEW,
        )


async def _edit(message: Message, part: Part) -> bool:
    """Edit in place; False when Telegram refuses (then the caller sends a new message)."""
    try:
        await message.edit_text(
            part.html,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(part.buttons),
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as exc:
        if "not modified" in exc.message.lower():
            return True
        logger.info("could not edit message %s: %s", message.message_id, exc.message)
        return False
    return True


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Logs the failure with its traceback; nothing is sent to the chat.

    A database outage is handed to the channel instead (``storage_failures``): the
    update will be tried again, so it is not a failure yet.
    """
    update_id = update.update_id if isinstance(update, Update) else None
    outages = _OUTAGES.get()
    if isinstance(context.error, StorageUnavailable) and outages is not None:
        outages.append(context.error)
        return
    logger.error("telegram update %s failed", update_id, exc_info=context.error)


def add_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Every handler of the bot, in matching order, and the one error handler."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    names = ["start", *registry.routed_names()]
    application.add_handler(CommandHandler(names, on_command, filters=private))
    application.add_handler(MessageHandler(private & filters.TEXT, on_text))
    application.add_handler(MessageHandler(private & ~filters.TEXT, on_other))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_error_handler(on_error)
