"""Bundles and answers as Telegram HTML messages, split under the 4096-character limit.

Pure functions, no PTB types: ``channel.py`` and ``handlers.py`` turn each ``Part`` into a
``sendMessage`` call. Everything that came from people or plans is escaped with
``html.escape``; the only tags are the ones written here, each opened and closed
on one line, so a message can be cut between any two lines without breaking HTML.

A reminder item carries its own buttons (Hoàn thành · Đang thực hiện · Vướng mắc ·
Xin gia hạn, then Nhắc lại sau), with payloads naming the reminder row (``s:d:r<id>``):
the button works on whichever part of a split bundle it sits. Items that are not
about the recipient's own work (digests, notices, escalations) have no buttons.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from bot import reminder_words as words
from bot.chat.messages import Answer, Button
from bot.chat.status_flow import action_buttons
from scheduler.sender import Bundle, ReminderItem

Keyboard = tuple[tuple[Button, ...], ...]

LIMIT = 4096
"""Telegram's maximum message length in UTF-16 units; we count the HTML, never shorter."""
CAPTION_LIMIT = 1024
"""Telegram's maximum caption of a photo or document, counted like ``LIMIT``."""
MAX_CONTENT = 300
"""A task's content is cut here: the reminder names the task, the plan has the rest."""
MAX_NOTE = 1500
"""A digest's or notice's text is cut here, so any one item fits a message with room to spare."""
MAX_ITEMS = 10
"""Items per message: 40 buttons stay readable on a phone and far below Telegram's cap."""
_RESERVE = 32
"""Room kept in every part for the ``(2/3)`` marker added once the parts are counted."""


@dataclass(frozen=True)
class Part:
    """One Telegram message: HTML text and the inline keyboard under it."""

    html: str
    buttons: Keyboard = ()


@dataclass(frozen=True)
class _Block:
    lines: tuple[str, ...]
    buttons: Keyboard = ()


def _size(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary before ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:.") + "…"


def _item_block(number: int, item: ReminderItem, bundle: Bundle, prefixed: bool) -> _Block:
    title = " · ".join(part for part in (words.heading(item.kind), item.task_code) if part)
    lines = [f"<b>{number}. {_e(title)}</b>" if title else f"<b>{number}.</b>"]
    if item.content.strip():
        lines.append(_e(shorten(item.content, MAX_CONTENT)))
    note = words.note_of(item)
    note = note if len(note) <= MAX_NOTE else note[: MAX_NOTE - 1] + "…"
    subject = words.subject_line(item, note)
    if subject:
        lines.append(_e(subject))
    elif note:
        lines += [_e(line) for line in note.splitlines() if line.strip()]
    unit = words.unit_line(item)
    if unit:
        lines.append(_e(unit))
    if item.due is not None:
        lines.append(f"{words.DUE_LABEL}: <b>{_e(words.due_phrase(item.due, bundle.today))}</b>")
    promised = words.promised_line(item)
    if promised:
        lines.append(_e(promised))
    buttons: Keyboard = ()
    if words.is_actionable(item) and item.task_code:
        prefix = f"{item.task_code.partition('-')[2] or item.task_code}: " if prefixed else ""
        buttons = action_buttons(reminder_id=item.reminder_id, prefix=prefix)
    return _Block(tuple(lines), buttons)


def bundle_parts(bundle: Bundle, limit: int = LIMIT) -> list[Part]:
    """The bundle as one message, or several when it is long (each with its items' buttons)."""
    actionable = sum(1 for i in bundle.items if words.is_actionable(i))
    head = (
        f"<b>{_e(words.dated_title(bundle.today, ' — '))}</b>",
        _e(words.greeting(bundle.recipient_name)),
    )
    blocks = [
        _item_block(n, item, bundle, prefixed=actionable > 1)
        for n, item in enumerate(bundle.items, start=1)
    ]
    tail = (f"<i>{_e(words.FOOTER)}</i>",) if actionable else ()
    return _pack(head, blocks, tail, limit, MAX_ITEMS)


def preview(bundle: Bundle) -> str:
    """The bundle's messages as HTML, each button as ``[label]``: what a person checks."""
    lines = ["┌ Telegram (HTML, nút bấm)"]
    for part in bundle_parts(bundle):
        lines.append(part.html)
        lines += ["  ".join(f"[{b.label}]" for b in row) for row in part.buttons]
    return "\n".join(lines)


def answer_parts(answer: Answer, limit: int = LIMIT) -> list[Part]:
    """A conversation answer (plain text) escaped and split; its buttons go on the last part."""
    budget = limit - _RESERVE
    lines = [piece for line in answer.text.split("\n") for piece in _hard_split(line, budget)]
    blocks = [_Block((line,)) for line in lines]
    parts = _pack((), blocks, (), limit, max_items=len(blocks) + 1)
    last = parts[-1]
    return [*parts[:-1], Part(last.html, answer.buttons)]


def file_caption(answer: Answer) -> tuple[Part | None, list[Part]]:
    """The caption of the answer's file and the messages sent after the file.

    The whole text is the caption when it fits (a chart with its summary reads as one
    message); otherwise the file goes bare and the text follows it, split as usual, so
    nothing is cut. The buttons go on whichever carries the text's end.
    """
    parts = answer_parts(answer, CAPTION_LIMIT)
    if len(parts) == 1:
        return parts[0], []
    return None, answer_parts(answer)


def _hard_split(line: str, budget: int) -> list[str]:
    """One plain line escaped, cut into pieces whose HTML fits ``budget`` (entities kept whole)."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        escaped = _e(char)
        if size + _size(escaped) > budget:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(escaped)
        size += _size(escaped)
    pieces.append("".join(current))
    return pieces


def _pack(
    head: tuple[str, ...], blocks: list[_Block], tail: tuple[str, ...], limit: int, max_items: int
) -> list[Part]:
    """Greedy: blocks in order, a new part when the next block would not fit (never mid-block)."""
    budget = limit - _RESERVE
    groups: list[tuple[list[str], list[tuple[Button, ...]], int]] = [(list(head), [], 0)]
    for block in blocks:
        lines, rows, count = groups[-1]
        size = _size("\n".join([*lines, *block.lines]))
        if count and (size > budget or count >= max_items):
            groups.append(([], [], 0))
            lines, rows, count = groups[-1]
        lines += block.lines
        rows += block.buttons
        groups[-1] = (lines, rows, count + 1)
    if tail:
        lines, rows, count = groups[-1]
        if _size("\n".join([*lines, *tail])) > budget:
            groups.append(([], [], 0))
        groups[-1][0].extend(tail)
    total = len(groups)
    parts = []
    for number, (lines, rows, _) in enumerate(groups, start=1):
        marker = [f"<i>({number}/{total})</i>"] if total > 1 else []
        parts.append(Part("\n".join([*lines, *marker]), tuple(rows)))
    return parts
