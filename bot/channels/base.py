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

Each provider gets its own webhook secret (``start_webhook``): with one secret
shared, whoever learnt Zalo's could forge a Telegram update.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from scheduler.limits import Pacing
from scheduler.sender import Bundle, Sender

if TYPE_CHECKING:
    from bot.chat.conversation import Conversation

__all__ = ["Channel", "Pacing", "Plugin", "secret_matches"]


class Channel(Protocol):
    """A configured chat channel: sends reminders and receives messages."""

    name: str
    """The registry's name, stored in ``officer_links.channel`` and ``reminders.channel``."""
    webhook_path: str
    """Where the provider posts updates on our server, e.g. ``/telegram``; "" for none."""
    secret_header: str
    """The header carrying the webhook secret the provider was given at ``setWebhook``."""
    max_body: int
    """The largest update body (bytes) the provider can send; larger is refused unread."""
    pacing: Pacing | None
    """The provider's sending limits; None: never paced (the console)."""

    @property
    def sender(self) -> Sender: ...

    def secret_ok(self, header: str | None) -> bool:
        """Whether ``header`` is this channel's webhook secret (constant time)."""
        ...

    async def process_webhook(self, payload: Mapping[str, Any]) -> None:
        """Handle one pushed update whose secret was already checked."""
        ...

    async def start_polling(self) -> None:
        """Receive by asking the provider (returns at once; runs until ``stop``)."""
        ...

    async def start_webhook(self, base_url: str, secret: str) -> None:
        """Tell the provider to push to ``base_url + webhook_path`` with ``secret``."""
        ...

    async def start_sending(self) -> None:
        """Get ready to send without receiving (a dispatcher-only process)."""
        ...

    async def stop(self) -> None: ...


Build = Callable[[Mapping[str, str], "Conversation"], Channel]
"""(the settings that are set, by variable name; the conversation) → the channel."""


@dataclass(frozen=True)
class Plugin:
    """A registry entry: what a channel reads from the environment and how it is built."""

    build: Build
    switch: str
    """The variable whose presence turns the channel on (its token, usually)."""
    settings: tuple[str, ...] = ()
    """Other environment variables the channel reads (``.env`` works too)."""
    secrets: tuple[str, ...] = ()
    """Variables that logs must never show."""
    webhook_secret: str | None = None
    """The variable holding its webhook secret; unset, one is made and stored at first start."""
    local_only: bool = False
    """Reaches no one but this terminal (the console): ``nhacviec run`` without a channel
    that reaches people refuses to start rather than mark reminders sent to the screen."""
    preview: Callable[[Bundle], str] | None = None
    """A reminder as this channel shows it, for ``nhacviec schedule simulate --channels``."""

    @property
    def variables(self) -> tuple[str, ...]:
        """Every variable the channel reads."""
        secret = (self.webhook_secret,) if self.webhook_secret else ()
        return (self.switch, *self.settings, *secret)


def secret_matches(expected: str | None, header: str | None) -> bool:
    """Constant-time comparison; no secret yet (not in webhook mode) matches nothing."""
    if not expected or header is None:
        return False
    return hmac.compare_digest(header.encode(), expected.encode())
