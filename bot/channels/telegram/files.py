"""A document or photo an officer sends becomes ``FileIn`` bytes for the conversation.

The size Telegram announces (``file_size`` on the message, then on ``getFile``) is
compared with the products' cap first: past it nothing is downloaded, and the core
refuses by the announced size (``FileIn.size``) in its own words. A photo comes in
several sizes; the largest is the readable one (a signed page must be legible).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Message
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.chat.messages import FileIn
from data.products import ProductSettings, too_big

logger = logging.getLogger(__name__)


async def incoming_file(
    message: Message, bot: ExtBot[Any], settings: ProductSettings
) -> FileIn | None:
    """The file ``message`` carries, fetched unless announced past the cap; None without one."""
    if message.document is not None:
        document = message.document
        file_id, size = document.file_id, document.file_size
        name, mime = document.file_name or "tep", document.mime_type or ""
    elif message.photo:
        largest = max(message.photo, key=lambda p: (p.file_size or 0, p.width * p.height))
        file_id, size = largest.file_id, largest.file_size
        name, mime = f"anh-{largest.file_unique_id}.jpg", "image/jpeg"
    else:
        return None
    if too_big(size, settings):
        return FileIn(name, b"", mime, size)
    try:
        found = await bot.get_file(file_id)
        if too_big(found.file_size, settings):
            return FileIn(name, b"", mime, found.file_size)
        content = bytes(await found.download_as_bytearray())
    except TelegramError as error:  # the core asks for the file again rather than lose it
        logger.warning("telegram: file not fetched: %s", error)
        return FileIn(name, b"", mime)
    return FileIn(name, content, mime, len(content))
