"""What Zalo shows and sends: plain text only, no buttons, at most 2000 characters a message.

Pure functions, no I/O. A reminder is the plain rendering (``bot/reminder_words.py``) with the
commands to type instead of buttons ("XONG BDT22-I.1 · DANG 50 BDT22-I.1 · …",
"NHACLAI BDT22-I.1 2h", all understood by ``data/status.py``). A conversation answer's
buttons become numbered options; ``channel.py`` remembers them per chat so typing "2" presses
the second one. Updates arrive as ``{"event_name", "message"}``, in the
``{"ok", "result"}`` envelope or flat (both accepted).

Files: the Bot API sends no file from bytes (``client.py``: no ``sendDocument``;
``sendPhoto`` takes a link Zalo fetches). A photo on an answer (a chart) is left out,
its text stands alone; a document is replaced by a line saying where to get it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot import reminder_words as words
from bot.channels.bounds import zalo_id
from bot.channels.zalo.client import MAX_TEXT
from bot.chat.messages import Answer, FileOut
from scheduler.sender import Bundle

TEXT_EVENT = "message.text.received"
IMAGE_EVENT = "message.image.received"
"""A photo: ``message.photo`` is its link (some deliveries say ``photo_url``), ``caption``
its text. Zalo bots receive no other file: a PDF or Word file raises no event we can read."""
NO_FILES = "Zalo chưa cho bot gửi tệp nên tệp {name} không gửi kèm được."


@dataclass(frozen=True)
class ZaloUpdate:
    """The parts of one received Zalo message that the conversation needs."""

    event: str
    message_id: str
    chat_id: str
    text: str | None
    photo: str | None = None
    """The link of a received photo (http or https), to fetch as an officer's product."""


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def parse_update(payload: Mapping[str, Any]) -> ZaloUpdate | None:
    """A private-chat message in ``payload``, or None (other events, groups, malformed)."""
    body = _mapping(payload.get("result")) or payload
    message = _mapping(body.get("message"))
    chat, sender = _mapping(message.get("chat")), _mapping(message.get("from"))
    if str(chat.get("chat_type", "PRIVATE")).upper() != "PRIVATE" or sender.get("is_bot"):
        return None  # one bot, one officer per chat: group chats are not linked
    chat_id = zalo_id(chat.get("id") or sender.get("id"))
    message_id = zalo_id(message.get("message_id"))
    if chat_id is None or message_id is None:
        return None
    event = str(body.get("event_name") or "")
    text = message.get("text")
    if event == IMAGE_EVENT:
        link = message.get("photo") or message.get("photo_url")
        caption = message.get("caption")
        photo = link if isinstance(link, str) and link.startswith(("https://", "http://")) else None
        words = caption if isinstance(caption, str) and caption.strip() else None
        return ZaloUpdate(event, message_id, chat_id, words, photo)
    is_text = isinstance(text, str) and event in (TEXT_EVENT, "")
    return ZaloUpdate(event, message_id, chat_id, text if is_text else None)


def commands_line(code: str) -> str:
    """What to type about task ``code``, since Zalo has no buttons: the status commands,
    then the snooze (Telegram's "Nhắc lại sau" button)."""
    return (
        f"Trả lời: XONG {code} · DANG 50 {code} · VUONG {code} <lý do> · GIAHAN {code} 30/6\n"
        f"Nhắc lại sau: NHACLAI {code} 2h (hoặc mai, thu 2)"
    )


def render_reminder(bundle: Bundle) -> str:
    """The plain rendering of ``bundle``, with Zalo's commands as the footer."""
    body = words.plain_body(bundle)
    codes = [i.task_code for i in bundle.items if i.task_code and words.is_actionable(i)]
    if not codes:
        return body
    footer = commands_line(codes[0])
    if len(set(codes)) > 1:
        footer += f"\n(thay {codes[0]} bằng mã việc khác trong danh sách)"
    return f"{body}\n{footer}"


def preview(bundle: Bundle) -> str:
    """The reminder as Zalo shows it, under a heading."""
    return f"┌ Zalo (văn bản, lệnh gõ)\n{render_reminder(bundle)}"


def file_note(file: FileOut | None) -> str:
    """The line sent instead of a document (none for a photo: its text says it all)."""
    if file is None or file.kind == "photo":
        return ""
    return " ".join(part for part in (NO_FILES.format(name=file.name), file.elsewhere) if part)


def render_answer(answer: Answer) -> tuple[str, tuple[str, ...]]:
    """The text to send for ``answer`` and the button payloads its numbers stand for."""
    text = "\n".join(part for part in (answer.text or answer.toast, file_note(answer.file)) if part)
    buttons = [button for row in answer.buttons for button in row]
    if not buttons:
        return text, ()
    options = "\n".join(f"{n}. {button.label}" for n, button in enumerate(buttons, start=1))
    hint = f"Trả lời 1–{len(buttons)} để chọn." if len(buttons) > 1 else "Trả lời 1 để chọn."
    return f"{text}\n{options}\n{hint}", tuple(button.payload for button in buttons)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at line ends when possible."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines():
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        joined = f"{current}\n{line}" if current else line
        if len(joined) > limit:
            pieces.append(current)
            joined = line
        current = joined
    if current.strip():
        pieces.append(current)
    return [piece for piece in pieces if piece.strip()]
