"""The channels the service knows: the only place that lists them.

``nhacviec run`` builds every channel whose settings are present, serves the
webhooks of those that take one, and hands their senders and ``Pacing`` to the
dispatcher; settings, logs' redaction and ``/metrics`` read the names from here.
Adding a channel is a folder under ``bot/channels/`` exposing a ``Plugin``, and
one line below. The order is the order channels are started and listed.
"""

from __future__ import annotations

from bot.channels.base import Plugin
from bot.channels.console.channel import PLUGIN as CONSOLE
from bot.channels.telegram.channel import PLUGIN as TELEGRAM
from bot.channels.zalo.channel import PLUGIN as ZALO

CHANNELS: dict[str, Plugin] = {
    "telegram": TELEGRAM,
    "zalo": ZALO,
    "console": CONSOLE,
}


def secret_variables() -> tuple[str, ...]:
    """Every variable whose value logs must mask: tokens and webhook secrets."""
    names = {n for p in CHANNELS.values() for n in (*p.secrets, p.webhook_secret) if n}
    return tuple(sorted(names))
