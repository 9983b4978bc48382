"""The console channel: talk to the conversation core from a terminal, no token needed.

Used by ``nhacviec chat --as OFFICER`` (development, support) and by the demo.
The console is a trusted local channel: its chat id is the officer id, so no
invite is needed. Buttons print as ``[1] Hoàn thành  [2] Đang thực hiện``;
typing a number within that range presses the button (any other input is a
message, so "60" still answers a question about a percentage). An answer that
replaces the message it came from (Telegram edits it in place) starts with ✎.
A file an answer carries (a report, a chart) is written to a folder (the current
one by default) and its path printed: a terminal shows no picture or document.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot.chat.conversation import Answer, Conversation, Incoming
from bot.chat.messages import FileOut

EDITED = "✎ "
"""Marks an answer shown in place of the earlier message (no internal word in a chat)."""
SAVED = "📎 Đã lưu tệp: {path}"


def save(file: FileOut, folder: Path) -> Path:
    """Write ``file`` into ``folder`` under its own name (only the name: never a path
    it might carry) and return where it went; a second report of the day replaces the first."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(file.name).name
    path.write_bytes(file.content)
    return path


def render(answer: Answer) -> list[str]:
    """The lines a person reads for one answer (a toast in parentheses, then text, buttons)."""
    lines = [f"({answer.toast})"] if answer.toast else []
    if answer.text:
        lines.append(f"{EDITED if answer.edit else ''}{answer.text}")
    buttons = [button for row in answer.buttons for button in row]
    if buttons:
        lines.append("  ".join(f"[{n}] {b.label}" for n, b in enumerate(buttons, start=1)))
    return lines


async def play(
    conversation: Conversation,
    officer_id: int,
    lines: Iterable[str],
    out: TextIO | None = None,
    *,
    echo: bool = True,
    files: Path | None = None,
) -> list[str]:
    """Send each input line as the officer; return (and write to ``out``) the transcript lines.

    Files the answers carry are saved in ``files`` (the current folder when None).
    """
    transcript: list[str] = []
    payloads: list[str] = []

    def emit(text: str) -> None:
        for line in text.splitlines():
            transcript.append(line)
            if out is not None:
                out.write(line + "\n")
        if out is not None:
            out.flush()

    for raw in lines:
        line = raw.rstrip("\r\n")
        if echo:
            emit(f"> {line}")
        choice = line.strip()
        pressed = choice.isdigit() and 1 <= int(choice) <= len(payloads)
        incoming = Incoming(
            "console",
            str(officer_id),
            text=None if pressed else line,
            button=payloads[int(choice) - 1] if pressed else None,
        )
        answers = await conversation.handle(incoming)
        for answer in answers:
            for rendered in render(answer):
                emit(rendered)
            if answer.file is not None:
                emit(SAVED.format(path=save(answer.file, files or Path.cwd())))
        shown = [b.payload for a in answers for row in a.buttons for b in row]
        if answers:
            payloads = shown
    return transcript
