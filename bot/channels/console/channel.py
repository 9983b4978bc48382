"""The console as a channel: reminders printed on this terminal, nothing received.

``nhacviec run --console`` (``NHACVIEC_CONSOLE=1``) adds it; it is never a
silent fallback: with no channel configured, ``run`` refuses to start, since
printing a reminder here marks it sent while no officer sees it. People talk
to the bot on the console through ``nhacviec chat`` (``repl.py``), which needs
no running service, so this channel takes no webhook and polls nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.channels.base import Pacing, Plugin
from bot.channels.console.sender import ConsoleSender
from bot.chat.conversation import Conversation


class ConsoleChannel:
    """A ``Channel`` whose only part is the ``ConsoleSender``."""

    name = "console"
    webhook_path = ""
    secret_header = ""
    max_body = 0
    pacing: Pacing | None = None

    def __init__(self) -> None:
        self._sender = ConsoleSender()

    @property
    def sender(self) -> ConsoleSender:
        return self._sender

    def secret_ok(self, header: str | None) -> bool:
        """No webhook: nothing is ever accepted."""
        return False

    async def process_webhook(self, payload: Mapping[str, Any]) -> None:
        raise NotImplementedError("the console takes no webhook")

    async def start_polling(self) -> None:
        """Nothing to receive (``nhacviec chat`` is the console's way in)."""

    async def start_webhook(self, base_url: str, secret: str) -> None:
        """Nothing to register."""

    async def start_sending(self) -> None:
        """Nothing to prepare."""

    async def stop(self) -> None:
        """Nothing to close."""


def _build(settings: Mapping[str, str], conversation: Conversation) -> ConsoleChannel:
    return ConsoleChannel()


PLUGIN = Plugin(build=_build, switch="NHACVIEC_CONSOLE", local_only=True)
