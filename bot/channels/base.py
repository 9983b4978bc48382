"""What the service needs of a chat channel: one protocol, implemented once per folder.

Every provider (``telegram/``, ``zalo/``, ``console/``) is a folder under
``bot/channels/`` holding its sender, receiver (polling and webhook), rendering and
error classification; ``bot/channels/registry.py`` names them. ``run``, the webhook
server, ``/metrics`` and routing iterate over the registry: nothing outside a
channel's folder names a provider.

The webhook server relies on three cheap facts before it reads a body:
``webhook_path`` (where the provider posts), ``secret_ok`` (the provider's secret
header, compared in constant time) and ``max_body`` (the largest update the
provider can send). Only then is the body read and handed to ``process_webhook``,
which raises ``data.errors.StorageUnavailable`` when the database cannot record
the update, so the server answers 503 and the provider redelivers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from scheduler.sender import Sender


@dataclass(frozen=True)
class Pacing:
    """A provider's sending limits, as the dispatcher's limiter needs them."""

    per_second: float
    """Messages per second over all chats."""
    per_chat_seconds: float
    """Seconds between two messages to one chat."""
    pause_globally: bool
    """Whether a "slow down" answer is about the whole bot (Telegram) or one chat."""


class Channel(Protocol):
    """A configured chat channel: sends reminders and receives messages."""

    name: str
    """The registry's name, stored in ``officer_links.channel`` and ``reminders.channel``."""
    webhook_path: str
    """Where the provider posts updates on our server, e.g. ``/telegram``."""
    secret_header: str
    """The header carrying the webhook secret the provider was given at ``setWebhook``."""
    max_body: int
    """The largest update body (bytes) the provider can send; larger is refused unread."""
    pacing: Pacing

    @property
    def sender(self) -> Sender: ...

    def secret_ok(self, header: str | None) -> bool:
        """Whether ``header`` is this channel's webhook secret (constant time)."""
        ...

    async def process_webhook(self, payload: Mapping[str, Any]) -> None:
        """Handle one pushed update whose secret was already checked."""
        ...

    async def start_polling(self) -> None: ...

    async def start_webhook(self, base_url: str) -> None:
        """Tell the provider to push to ``base_url + webhook_path`` with our secret."""
        ...

    async def stop(self) -> None: ...
