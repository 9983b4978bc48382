"""The one error type that carries a message meant for a person.

Anything raised as ``UserError`` is shown as one line (in Vietnamese) and the
command exits non-zero; anything else is a bug and is logged, never shown raw.
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action; ``str(error)`` is the sentence to show."""
