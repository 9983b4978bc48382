"""The port between the scheduler and the chat channels.

The dispatcher hands a ``Bundle`` (everything one recipient gets in one send slot)
to a ``Sender``; channels in ``bot/`` implement it. Provider knowledge stays in the
channel: it raises ``SendError`` with ``permanent`` or ``retry_after`` set, and the
dispatcher decides what happens next from those two facts alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol


class SendError(Exception):
    """A failed send: ``permanent`` (blocked, chat gone) or retryable, maybe after a delay."""

    def __init__(
        self, reason: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.permanent, self.retry_after = permanent, retry_after


@dataclass(frozen=True)
class ReminderItem:
    """One line of a bundle: which task, which due, and why it is sent now."""

    reminder_id: int
    kind: str
    task_code: str | None
    content: str
    unit: str | None
    due: date | None
    role: str | None = None
    state: str | None = None
    subject: str | None = None
    """For escalations: the officer or unit whose silence is escalated."""
    note: str = ""
    """Free text (a digest's summary); empty for ordinary reminders."""
    promised: date | None = None
    """The date the officer last promised the work for (``Progress.expected_on``)."""
    reason: str | None = None
    """Why the item comes beyond its kind, for the renderer to put in words:
    ``unreachable`` (an escalation about an officer the bot cannot reach) or
    ``unreported`` (an open occurrence whose next one is already due)."""


@dataclass(frozen=True)
class Bundle:
    """Everything one recipient gets in one message, on one channel."""

    recipient_id: int
    recipient_name: str
    channel: str
    address: str
    today: date
    items: tuple[ReminderItem, ...]


class Sender(Protocol):
    """A channel that can deliver a bundle; one attempt per call, no retries inside."""

    channel: str

    async def send(self, bundle: Bundle) -> str:
        """Deliver ``bundle``; return the provider's message id, or raise ``SendError``."""
        ...
