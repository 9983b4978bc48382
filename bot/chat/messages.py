"""What flows in and out of the conversation core, with no channel's types in it.

A channel (Telegram, Zalo, console) turns what it receives into an ``Incoming``
and renders each ``Answer`` it gets back; ``Turn`` is what a handler works with
while one incoming message is processed (one database transaction).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from data.models import Officer
from data.products import DEFAULT_SETTINGS, ProductSettings
from scheduler.clock import TZ


@dataclass(frozen=True)
class FileIn:
    """A file that came with a message (a document, or a photo's largest size).

    The channel has already fetched it — after checking the size the provider
    announced against the cap, before downloading — so the conversation sees bytes
    and never a provider's file id.
    """

    name: str
    content: bytes
    announced_type: str = ""
    """The MIME type the sender's app claimed; the store checks the bytes, not this."""
    size: int | None = None
    """The size the provider announced (or counted while downloading). Past the cap the
    channel downloads nothing and ``content`` is empty: the core refuses by this size."""


@dataclass(frozen=True)
class FileOut:
    """A file an answer carries: a report document or a chart picture.

    ``photo`` files are shown inline where the channel can (the answer's text is
    their caption); ``document`` files are sent as attachments.
    """

    name: str
    content: bytes
    kind: str = "document"  # "document" | "photo"
    elsewhere: str = ""
    """Where to get the file on a channel that cannot send it (Zalo): a line added to
    the text there, so the reader is never left wondering where the document went."""


@dataclass(frozen=True)
class Incoming:
    """One message or button press from a chat."""

    channel: str  # "telegram" | "zalo" | "console"
    chat_id: str  # the sender's chat/user id on that channel (console: the officer id)
    text: str | None = None
    button: str | None = None  # callback payload (see bot/callbacks.py)
    reply_to: str | None = None  # provider message id replied to
    update_id: str | None = None  # provider update id: a redelivery is processed once
    language: str | None = None
    file: FileIn | None = None


def without_nul(incoming: Incoming) -> Incoming:
    """``incoming`` with NUL characters removed from every field: PostgreSQL refuses them
    in text columns, so one NUL made the whole update fail there (SQLite stored it)."""
    values = {f.name: getattr(incoming, f.name) for f in fields(incoming)}
    cleaned: dict[str, str] = {
        k: v.replace("\x00", "") for k, v in values.items() if isinstance(v, str)
    }
    return replace(incoming, **cleaned)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Button:
    label: str
    payload: str


@dataclass(frozen=True)
class Answer:
    """One message back to the sender, as plain text (the channel escapes and formats it).

    ``text == ""`` means "send no message": only ``toast`` is shown (a refused button).
    ``edit`` asks to edit the message the pressed button was on instead of sending.
    ``force_reply`` asks the user to answer (Telegram ForceReply; it cannot carry
    buttons there, so answers with buttons never set it).
    ``file`` is sent with the answer; a photo takes the text as its caption.
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False
    force_reply: bool = False
    toast: str | None = None
    file: FileOut | None = None


@dataclass(frozen=True)
class Turn:
    """One incoming message being handled by a linked officer."""

    session: AsyncSession
    officer: Officer
    incoming: Incoming
    now: datetime
    products: ProductSettings = DEFAULT_SETTINGS
    """Where products are stored and their size cap (``data/products.py``)."""
    pages_url: str | None = None
    """Where the web pages are served, for ``/web``'s sign-in link; None: no pages."""

    @property
    def today(self) -> date:
        """Today in Vietnam: due dates and "còn N ngày" are about Vietnamese days."""
        return self.now.astimezone(TZ).date()
