"""An answer carried in the webhook's own HTTP response instead of a second request.

Telegram lets a webhook answer an update with one Bot API call in its response body
(``{"method": "sendMessage", ...}``): the reply to an officer's status update then
costs no request of its own (a TCP exchange, PTB's and httpx's CPU: a fifth of an
answer's time). Telegram does not say whether that call succeeded, so it is used only
for what today's path would send as one plain ``sendMessage``; anything else (a file,
an edit, several parts, a button's toast) still goes out through the Bot API.

The server (``bot/webhook.py``) opens a slot around ``process_webhook``
(``answering_in_response``); a channel ``offer``s its reply there, or sends it itself
when no slot is open (polling, a test calling ``process_webhook``) or the slot is taken.
The reply keeps its ``fallback``, the same answer sent the ordinary way: the server
runs it when the response cannot be written (Telegram closed the connection, e.g.
after its own timeout), so a reply is never dropped with the response.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

__all__ = ["WebhookReply", "answering_in_response", "offer"]


@dataclass(frozen=True)
class WebhookReply:
    """One provider call for the response body, and how to make it without the response."""

    body: dict[str, Any]
    """The call as the provider reads it from the response (Telegram: ``method`` + params)."""
    fallback: Callable[[], Awaitable[None]]
    """The same reply sent as its own request: run when the response is not delivered."""


_SLOT: ContextVar[list[WebhookReply] | None] = ContextVar("webhook_reply", default=None)


@contextlib.contextmanager
def answering_in_response() -> Iterator[list[WebhookReply]]:
    """While handling one pushed update: the reply offered for its response (at most one)."""
    replies: list[WebhookReply] = []
    token = _SLOT.set(replies)
    try:
        yield replies
    finally:
        _SLOT.reset(token)


def offer(reply: WebhookReply) -> bool:
    """Put ``reply`` in the response; False: no slot open or already taken, send it yourself."""
    replies = _SLOT.get()
    if replies is None or replies:
        return False
    replies.append(reply)
    return True
