"""A ``Sender`` that prints bundles: the demo's and a developer's channel, no token needed.

It accepts officers with no linked chat (``accepts_unlinked``; the address is
the officer's name) so a fresh database can be played through end to end.
Output is plain Vietnamese text, the same words an officer would read in a chat.
"""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console

from bot import reminder_words as words
from scheduler.sender import Bundle


def render_bundle(bundle: Bundle) -> str:
    """The whole message as plain text, items numbered in the bundle's order."""
    tail = words.footer(bundle)
    return f"{words.plain_body(bundle)}\n{tail}" if tail else words.plain_body(bundle)


class ConsoleSender:
    """Prints each bundle to a rich ``Console`` or a text stream; message ids count up."""

    channel = "console"
    accepts_unlinked = True

    def __init__(self, out: Console | TextIO | None = None) -> None:
        self._out = out if out is not None else sys.stdout
        self._count = 0

    async def send(self, bundle: Bundle) -> str:
        """Print ``bundle`` and return ``console-<n>``; never fails."""
        text = render_bundle(bundle)
        header = f"── {bundle.channel} → {bundle.address} ──"
        if isinstance(self._out, Console):
            self._out.print(header, text, sep="\n", markup=False, highlight=False)
        else:
            self._out.write(f"{header}\n{text}\n")
        self._count += 1
        return f"console-{self._count}"
