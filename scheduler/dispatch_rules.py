"""Pure rules of the dispatcher: what a recipient's claimed rows become, and where they go.

Coalescing — what a recipient's claimed rows become. A *topic* is one due
occurrence of one assignment (due, assignment, instance); rows of kinds
before/on_day/checkin/overdue about one topic give at most one item:
- due date not passed (today or later, in Vietnam): the latest row is sent, the
  older ones are cancelled "superseded: newer reminder";
- due date passed: before/on_day/checkin rows are cancelled "superseded: due
  passed". The latest claimed overdue row is sent (older overdue rows are
  superseded). With no overdue row claimed and none pending or sent for that
  recipient and topic, the latest stale row is sent as an ``overdue`` item
  instead: after ten days of downtime an officer reads one "quá hạn" line per
  task, not ten reminders. When an overdue reminder is pending for later it
  speaks for itself and nothing about the topic is sent now. A coordinating
  unit's stale rows are only superseded: it is never chased as overdue.
A promise's follow-up and a snooze (``followup``, ``snooze``) are rows about their
topic too: before the due date the one the officer asked for is the item sent
(its heading says why it comes back) and the plan's rows of that instant are
superseded; past the due date they are stale rows like a ``before``.
Occurrences of one recurring due (one assignment) give one item: the oldest
occurrence's ("quá hạn (lần 10)" for January and "(lần 5)" for February in one
message was one task twice); the newer ones are cancelled "superseded: older
occurrence open".
Escalations about one topic give one item (the latest; the others are superseded
"superseded: same escalation"), so a leader reads each late task once.
Digests, notices, manual rows and rows without a due are always items
(a notice's ``body`` is the item's ``note``).

Routing: the preferred channel when linked, then the other linked channels in
the order of the configured senders (the registry's order), keeping only
channels with a configured sender; on a permanent failure the next one is tried
in the same tick. An officer with no usable link goes to a sender with
``accepts_unlinked`` (the console), else the rows fail "chưa liên kết kênh nào".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date

from scheduler.outbox import ClaimedRow, Topic
from scheduler.sender import Sender

DUE_PASSED = "superseded: due passed"
NEWER = "superseded: newer reminder"
SAME_ESCALATION = "superseded: same escalation"
OLDER_OPEN = "superseded: older occurrence open"
_ASKED_KINDS = frozenset({"followup", "snooze"})
_TOPIC_KINDS = frozenset({"before", "on_day", "checkin", "overdue", *_ASKED_KINDS})
_STALE_KINDS = frozenset({"before", "on_day", "checkin", *_ASKED_KINDS})


@dataclass(frozen=True)
class Selection:
    """A recipient's claimed rows sorted out: items to send (row, kind sent as) and rows to drop."""

    items: tuple[tuple[ClaimedRow, str], ...]
    superseded: tuple[tuple[int, str], ...]


def select_items(
    rows: Sequence[ClaimedRow],
    due_of: Mapping[int, date | None],
    overdue_known: Set[Topic],
    today: date,
    coordinating: Set[int] = frozenset(),
) -> Selection:
    """Apply the coalescing rule of the module docstring to one recipient's rows.

    ``coordinating`` holds the ids of rows about a coordinating unit's part.
    """
    items: list[tuple[ClaimedRow, str]] = []
    superseded: list[tuple[int, str]] = []
    topics: dict[Topic, list[ClaimedRow]] = defaultdict(list)
    escalations: dict[Topic, list[ClaimedRow]] = defaultdict(list)
    for row in rows:
        if row.kind in _TOPIC_KINDS and row.due_id is not None:
            topics[row.topic].append(row)
        elif row.kind == "escalation" and row.due_id is not None:
            escalations[row.topic].append(row)
        else:
            items.append((row, row.kind))
    for group in escalations.values():
        group.sort(key=lambda r: (r.scheduled_at, r.id))
        items.append((group[-1], "escalation"))
        superseded += [(r.id, SAME_ESCALATION) for r in group[:-1]]
    for topic, group in topics.items():
        group.sort(key=lambda r: (r.scheduled_at, r.id))
        due = due_of.get(group[0].id)
        if due is None or due >= today:
            sent = ([r for r in group if r.kind in _ASKED_KINDS] or group)[-1]
            items.append((sent, sent.kind))
            superseded += [(r.id, NEWER) for r in group if r is not sent]
            continue
        stale = [r for r in group if r.kind in _STALE_KINDS]
        overdue = [r for r in group if r.kind == "overdue"]
        superseded += [(r.id, NEWER) for r in overdue[:-1]]
        if overdue:
            items.append((overdue[-1], "overdue"))
        elif stale and topic not in overdue_known and stale[-1].id not in coordinating:
            items.append((stale.pop(), "overdue"))
        superseded += [(r.id, DUE_PASSED) for r in stale]
    items, newer = _oldest_occurrences(items)
    return Selection(tuple(items), (*superseded, *newer))


def _oldest_occurrences(
    items: list[tuple[ClaimedRow, str]],
) -> tuple[list[tuple[ClaimedRow, str]], list[tuple[int, str]]]:
    """One item per recurring due and assignment: the oldest occurrence's (ISO instances sort)."""
    oldest: dict[tuple[int | None, int | None], tuple[ClaimedRow, str]] = {}
    kept: list[tuple[ClaimedRow, str]] = []
    superseded: list[tuple[int, str]] = []
    for row, kind in sorted(items, key=lambda item: item[0].instance):
        if kind not in _TOPIC_KINDS or row.instance == "-":
            kept.append((row, kind))
        elif (row.due_id, row.assignment_id) in oldest:
            superseded.append((row.id, OLDER_OPEN))
        else:
            oldest[(row.due_id, row.assignment_id)] = (row, kind)
            kept.append((row, kind))
    return kept, superseded


def routes(
    links: Mapping[str, str],
    preferred: str | None,
    senders: Mapping[str, Sender],
    *,
    unlinked_address: str,
) -> list[tuple[str, str]]:
    """(channel, address) pairs to try in order; see "Routing" in the module docstring.

    ``links`` maps each linked channel to the officer's address there;
    ``unlinked_address`` is what a sender accepting unlinked officers gets (a name).
    """
    order = [preferred, *(channel for channel in senders if channel != preferred)]
    found = [(c, links[c]) for c in order if c is not None and c in links and c in senders]
    if found:
        return found
    for channel, sender in senders.items():
        if getattr(sender, "accepts_unlinked", False):
            return [(channel, unlinked_address)]
    return []
