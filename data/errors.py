"""The one error type that carries a message meant for a person.

Anything raised as ``UserError`` is shown as one line (in Vietnamese) and the
command exits non-zero; anything else is a bug and is logged, never shown raw.
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action; ``str(error)`` is the sentence to show."""


class StorageUnavailable(Exception):
    """The database could not be reached while handling an update: retry, do not apologise.

    A webhook answers 503 so the provider redelivers (updates are de-duplicated by
    id); a poller keeps the update and does not acknowledge it.
    """
