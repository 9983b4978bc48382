"""Range checks on the ids a provider sends, applied where its updates are parsed.

An id outside these bounds belongs to no real chat. The update carrying it is
treated like any other malformed update (logged, acknowledged, never stored or
answered) instead of being recorded in the inbound ledger, linked to an officer
or answered to an address the provider would refuse.
"""

from __future__ import annotations

from telegram import Update

TELEGRAM_ID_LIMIT = 2**52
"""Bot API: chat and user ids "have at most 52 significant bits" (dialog ids span about
-4·10¹² … 1.1·10¹²), so anything at or past 2⁵² in either direction is forged."""
ID_MAX = 64
"""The width of the id columns (``inbound_updates``, officer links): a longer id is no Zalo id."""


def telegram_id_ok(value: object) -> bool:
    """Whether ``value`` can be a Telegram chat or user id: a non-zero 52-bit integer."""
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and 0 < abs(value) < TELEGRAM_ID_LIMIT
    )


def telegram_update_ok(update: Update) -> bool:
    """Whether the chat and the user of ``update`` (where present) have possible ids."""
    peers = (update.effective_chat, update.effective_user)
    return all(peer is None or telegram_id_ok(peer.id) for peer in peers)


def zalo_id(value: object) -> str | None:
    """``value`` as a Zalo id (a string or number of 1–64 characters), else None."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value)
    return text if 0 < len(text) <= ID_MAX else None
