"""The leaders' weekly digest: what is overdue, what falls due this week, what got done.

Computed when the digest is sent (not when it is planned), so it reflects the
updates recorded up to that morning. Plain text: the same words on every channel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy.ext.asyncio import AsyncSession

from data.models import Due, Progress
from data.vn_dates import VN_TZ, vn_date
from data.work_items import WorkItem, work_items

SHOWN = 8
"""Items listed per part; the rest are counted, so the digest stays one screen."""


@dataclass(frozen=True)
class Digest:
    overdue: tuple[WorkItem, ...]
    due_this_week: tuple[WorkItem, ...]
    recently_done: tuple[WorkItem, ...]


async def weekly_digest(session: AsyncSession, today: date) -> Digest:
    """The three lists of the digest for the week starting ``today``."""
    return digest_of(await work_items(session, today=today, where=may_show(today)), today)


def _week(today: date) -> tuple[date, datetime]:
    """The week's last day, and the start of the seven days whose work done is listed."""
    return today + timedelta(days=6), datetime.combine(today - timedelta(days=7), time(0), VN_TZ)


def may_show(today: date) -> ColumnElement[bool]:
    """The items the digest may list, as the database can tell: due (or extended) up to
    the week's end, done in the week before, or recurring (dated per occurrence when read).
    The digest read every work item of every plan and kept a few: 182,000 assignments made
    the dispatcher sending a leader's digest hold 240 MiB more for the send."""
    week_end, since = _week(today)
    due = func.coalesce(Progress.extended_to, Due.due_on)
    return or_(Due.kind == "recurring", due <= week_end, Progress.done_at >= since)


def digest_of(items: Sequence[WorkItem], today: date) -> Digest:
    """The digest's three lists among ``items``."""
    week_end, since = _week(today)
    overdue = sorted(
        (i for i in items if i.deciding and i.days_overdue(today) > 0),
        key=lambda i: (-i.days_overdue(today), i.task_code),
    )
    due_soon = sorted(
        (i for i in items if i.open and i.due_on is not None and today <= i.due_on <= week_end),
        key=lambda i: (i.due_on or today, i.task_code),
    )
    done = sorted(
        (i for i in items if i.state == "done" and i.done_at is not None and i.done_at >= since),
        key=lambda i: i.task_code,
    )
    return Digest(tuple(overdue), tuple(due_soon), tuple(done))


def _part(title: str, items: Sequence[WorkItem], line: Callable[[WorkItem], str]) -> list[str]:
    lines = [f"{title}: {len(items)}"] + [f"  • {line(item)}" for item in items[:SHOWN]]
    if len(items) > SHOWN:
        lines.append(f"  … và {len(items) - SHOWN} việc khác (/quahan, /tonghop để xem đủ)")
    return lines


EMPTY = "Tuần này không có việc quá hạn, đến hạn hay vừa hoàn thành."


def digest_text(digest: Digest, today: date) -> str:
    """The digest as a few short lines per part; one line when there is nothing to say."""
    if not (digest.overdue or digest.due_this_week or digest.recently_done):
        return EMPTY

    def late(i: WorkItem) -> str:
        return f"{i.task_code} · {i.unit_name} — quá hạn {i.days_overdue(today)} ngày"

    def soon(i: WorkItem) -> str:
        return f"{i.task_code} · {i.unit_name} — hạn {vn_date(i.due_on) if i.due_on else '?'}"

    return "\n".join(
        _part("Quá hạn", digest.overdue, late)
        + _part("Đến hạn tuần này", digest.due_this_week, soon)
        + _part(
            "Hoàn thành 7 ngày qua",
            digest.recently_done,
            lambda i: f"{i.task_code} · {i.unit_name}",
        )
    )
