"""A reminder pasted back to the bot: recognised by the reminder's own fixed words.

Officers copy a reminder (or its "Trả lời: XONG … DANG 50 … VUONG … GIAHAN …"
line) and send it back, to ask or by mistake. Read as a reply it holds every
status at once and was recorded as an extension request ("GIAHAN … 30/6"); it
is answered with a short how-to instead, and nothing is recorded. The words come
from ``bot/reminder_words.py``, so they follow what reminders really say.
"""

from __future__ import annotations

import re

from bot import reminder_words as words
from data.text import fold

_ANSWER_LINE = fold(words.FOOTER).partition(":")[0] + ":"
_COMMANDS = re.compile(r"(?<!\S)[\"“«]?(?:xong|dang 50|vuong|giahan|xin gia han)(?!\S)")
_FRAME = (
    re.compile(rf"(?m)^{re.escape(fold(words.greeting('')).rstrip(', '))}\s"),
    re.compile(rf"(?m)^{re.escape(fold(words.TITLE))}\W+thu\s"),
    re.compile(rf"(?m)^\s*{re.escape(fold(words.DUE_LABEL))}:\s*thu\s"),
)


def is_pasted_reminder(text: str) -> bool:
    """The answer line with several of its commands, or two of a reminder's frame lines."""
    lines = "\n".join(fold(line) for line in text.splitlines())
    for line in lines.splitlines():
        head, _, rest = line.partition(_ANSWER_LINE)
        if _ANSWER_LINE in line and not head.strip() and len(_COMMANDS.findall(rest)) >= 2:
            return True
    return sum(1 for frame in _FRAME if frame.search(lines)) >= 2
