"""Button payloads: compact, validated strings (Telegram allows 64 bytes of callback data).

Grammar (anything else is rejected, so a forged payload is just "invalid"):

- ``s:<act>:<ref>`` — a status action on one work item.
  ``act``: ``d`` done · ``p`` in progress (asks the percent) · ``p<1-99>`` in
  progress at that percent · ``b`` blocked (asks the reason) · ``x`` extension
  (asks the date) · ``x<YYYYMMDD>`` extension to that date · ``n`` not started.
  ``ref``: ``r<reminder id>`` (a button on a sent reminder: the row knows the
  assignment, due and instance) or ``w<assignment id>.<due id>``.
- ``v:<page>`` — a page of /viec.
- ``g:<a|r>:<request id>`` — approve or refuse an extension request.

The payload carries ids only; who may act on them is checked on every press.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MAX_BYTES = 64
_STATUS = re.compile(
    r"s:(?P<act>d|n|b|p(?:[1-9]\d?)?|x(?:\d{8})?):(?P<ref>r\d{1,12}|w\d{1,12}\.\d{1,12})"
)
_PAGE = re.compile(r"v:(?P<page>\d{1,4})")
_DECISION = re.compile(r"g:(?P<verdict>[ar]):(?P<request>\d{1,12})")


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
class PageAction:
    page: int


@dataclass(frozen=True)
class DecisionAction:
    request_id: int
    approve: bool


Action = StatusAction | PageAction | DecisionAction

_STATES = {"d": "done", "n": "not_started", "b": "blocked", "p": "in_progress"}
_STATES["x"] = "extension_requested"


def status_payload(
    act: str, *, reminder_id: int | None = None, work: tuple[int, int] | None = None
) -> str:
    """Build ``s:<act>:<ref>`` for a reminder row or an (assignment, due) pair."""
    ref = f"r{reminder_id}" if reminder_id is not None else "w{}.{}".format(*(work or (0, 0)))
    payload = f"s:{act}:{ref}"
    if parse(payload) is None:
        raise ValueError(f"invalid status payload {payload!r}")
    return payload


def parse(payload: str) -> Action | None:
    """The action a payload stands for, or None when it is malformed or too long."""
    if len(payload.encode("utf-8")) > MAX_BYTES:
        return None
    if match := _STATUS.fullmatch(payload):
        return _status(match.group("act"), match.group("ref"))
    if match := _PAGE.fullmatch(payload):
        return PageAction(int(match.group("page")))
    if match := _DECISION.fullmatch(payload):
        return DecisionAction(int(match.group("request")), match.group("verdict") == "a")
    return None


def _status(act: str, ref: str) -> StatusAction | None:
    percent = int(act[1:]) if act[0] == "p" and len(act) > 1 else None
    new_due = None
    if act[0] == "x" and len(act) > 1:
        try:
            new_due = date(int(act[1:5]), int(act[5:7]), int(act[7:9]))
        except ValueError:
            return None
    reminder_id = int(ref[1:]) if ref[0] == "r" else None
    assignment_id = due_id = None
    if ref[0] == "w":
        first, second = ref[1:].split(".")
        assignment_id, due_id = int(first), int(second)
    return StatusAction(_STATES[act[0]], percent, new_due, reminder_id, assignment_id, due_id)
