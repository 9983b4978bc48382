"""Button payloads: compact, validated strings (Telegram allows 64 bytes of callback data).

Grammar (anything else is rejected, so a forged payload is just "invalid"):

- ``s:<act>:<ref>`` — a status action on one work item.
  ``act``: ``d`` done · ``p`` in progress (asks the percent) · ``p<1-99>`` in
  progress at that percent · ``b`` blocked (asks the reason) · ``x`` extension
  (asks the date) · ``x<YYYYMMDD>`` extension to that date · ``n`` not started.
  ``ref``: ``r<reminder id>`` (a button on a sent reminder: the row knows the
  assignment, due and instance) or ``w<assignment id>.<due id>``.
- ``z:<ref>`` — "Nhắc lại sau" on one work item (asks when);
  ``z:<when>:<ref>`` — snooze it: ``2h`` two hours, ``sm`` tomorrow morning,
  ``t2`` next Monday morning (``SNOOZES``).
- ``v:<page>`` — a page of /viec.
- ``k:<prompt id>:<page>`` — a page of a "which task?" menu (the prompt lists its items).
- ``g:<a|r>:<request id>`` — approve or refuse an extension request.
- ``f:w<assignment id>.<due id>`` — the task a parked file (a product) is for.

The payload carries ids only; who may act on them is checked on every press.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from data.status_dates import Snooze

MAX_BYTES = 64
_REF = r"(?P<ref>r\d{1,12}|w\d{1,12}\.\d{1,12})"
_STATUS = re.compile(r"s:(?P<act>d|n|b|p(?:[1-9]\d?)?|x(?:\d{8})?):" + _REF)
_SNOOZE = re.compile(r"z:(?:(?P<when>2h|sm|t2):)?" + _REF)
_PAGE = re.compile(r"v:(?P<page>\d{1,4})")
_PICK_PAGE = re.compile(r"k:(?P<prompt>\d{1,12}):(?P<page>\d{1,4})")
_DECISION = re.compile(r"g:(?P<verdict>[ar]):(?P<request>\d{1,12})")
_FILE = re.compile(r"f:w(?P<assignment>\d{1,12})\.(?P<due>\d{1,12})")


@dataclass(frozen=True)
class StatusAction:
    """A status button: what to record (or ask) about which item."""

    state: str  # done | in_progress | blocked | extension_requested | not_started
    percent: int | None
    new_due: date | None
    reminder_id: int | None
    assignment_id: int | None
    due_id: int | None


@dataclass(frozen=True)
class SnoozeAction:
    """The "Nhắc lại sau" button (``snooze`` None: ask when) or one of its choices."""

    snooze: Snooze | None
    reminder_id: int | None
    assignment_id: int | None
    due_id: int | None


@dataclass(frozen=True)
class PageAction:
    page: int


@dataclass(frozen=True)
class PickPageAction:
    """A page of the "which task?" menu kept by pending prompt ``prompt_id``."""

    prompt_id: int
    page: int


@dataclass(frozen=True)
class DecisionAction:
    request_id: int
    approve: bool


@dataclass(frozen=True)
class FileAction:
    """The item picked for the officer's parked file (``bot/chat/products.py``)."""

    assignment_id: int
    due_id: int


Action = StatusAction | SnoozeAction | PageAction | PickPageAction | DecisionAction | FileAction

SNOOZES = {"2h": Snooze("hour", 2), "sm": Snooze("day", 1), "t2": Snooze("weekday", 0)}
"""The snooze button's choices (labels in ``texts.SNOOZE_OPTIONS``): two hours, tomorrow
morning, next Monday morning, as the typed ``NHACLAI <code> 2h|mai|thu 2`` reads them."""

_STATES = {"d": "done", "n": "not_started", "b": "blocked", "p": "in_progress"}
_STATES["x"] = "extension_requested"


def _ref(reminder_id: int | None, work: tuple[int, int] | None) -> str:
    return f"r{reminder_id}" if reminder_id is not None else "w{}.{}".format(*(work or (0, 0)))


def _checked(payload: str) -> str:
    if parse(payload) is None:
        raise ValueError(f"invalid payload {payload!r}")
    return payload


def status_payload(
    act: str, *, reminder_id: int | None = None, work: tuple[int, int] | None = None
) -> str:
    """Build ``s:<act>:<ref>`` for a reminder row or an (assignment, due) pair."""
    return _checked(f"s:{act}:{_ref(reminder_id, work)}")


def snooze_payload(
    when: str | None, *, reminder_id: int | None = None, work: tuple[int, int] | None = None
) -> str:
    """Build ``z:<ref>`` (ask when) or ``z:<when>:<ref>`` (one of ``SNOOZES``)."""
    return _checked(f"z:{when + ':' if when else ''}{_ref(reminder_id, work)}")


def pick_page_payload(prompt_id: int, page: int) -> str:
    """Build ``k:<prompt id>:<page>``."""
    return _checked(f"k:{prompt_id}:{page}")


def file_payload(work: tuple[int, int]) -> str:
    """Build ``f:w<assignment id>.<due id>``."""
    return _checked("f:w{}.{}".format(*work))


def parse(payload: str) -> Action | None:
    """The action a payload stands for, or None when it is malformed or too long."""
    if len(payload.encode("utf-8")) > MAX_BYTES:
        return None
    if match := _STATUS.fullmatch(payload):
        return _status(match.group("act"), match.group("ref"))
    if match := _SNOOZE.fullmatch(payload):
        when = match.group("when")
        return SnoozeAction(SNOOZES[when] if when else None, *_reference(match.group("ref")))
    if match := _PAGE.fullmatch(payload):
        return PageAction(int(match.group("page")))
    if match := _PICK_PAGE.fullmatch(payload):
        return PickPageAction(int(match.group("prompt")), int(match.group("page")))
    if match := _DECISION.fullmatch(payload):
        return DecisionAction(int(match.group("request")), match.group("verdict") == "a")
    if match := _FILE.fullmatch(payload):
        return FileAction(int(match.group("assignment")), int(match.group("due")))
    return None


def _status(act: str, ref: str) -> StatusAction | None:
    percent = int(act[1:]) if act[0] == "p" and len(act) > 1 else None
    new_due = None
    if act[0] == "x" and len(act) > 1:
        try:
            new_due = date(int(act[1:5]), int(act[5:7]), int(act[7:9]))
        except ValueError:
            return None
    return StatusAction(_STATES[act[0]], percent, new_due, *_reference(ref))


def _reference(ref: str) -> tuple[int | None, int | None, int | None]:
    """(reminder id, assignment id, due id) of a matched ``r<id>`` / ``w<a>.<d>``."""
    if ref[0] == "r":
        return int(ref[1:]), None, None
    first, second = ref[1:].split(".")
    return None, int(first), int(second)
