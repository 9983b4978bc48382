"""Issue 12: recurring dues do not pile up, and coordinating units are not chased.

A monthly report left unanswered: each occurrence's overdue reminders give way to
the next occurrence's, the open one is told "quá hạn, chưa báo cáo" once (in the
message of the next one's due day, one line per task) and still escalates; "ngày
30 / 31 hằng tháng" has a due in every month. Coordinating units get the reminders
before the due only, stop when the lead reports done, and a unit that leads and
coordinates one task is reminded once.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from itertools import pairwise
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat.conversation import Conversation, Incoming
from bot.render import slot_label
from data.deadlines import parse_deadline
from data.models import Due, Reminder, Task
from data.people import find_officer
from data.plans.importer import import_plan, read_plan_file
from scheduler.calendar import WorkCalendar
from scheduler.clock import TZ, FakeClock
from scheduler.dispatch_rules import OLDER_OPEN, select_items
from scheduler.dispatcher import Dispatcher
from scheduler.outbox import ClaimedRow
from scheduler.planner import plan_reminders
from scheduler.policy import (
    UNREPORTED,
    Policy,
    expand_recurring,
    occurrences_with_next,
    overdue_slots,
    reminder_slots,
    until_next_occurrence,
)
from scheduler.simulation import simulate
from tests.fakes import FakeSender
from tests.planning_helpers import BAO, HUNG, MONTHLY, seed_with_officers

Sessions = async_sessionmaker[AsyncSession]
DUC = "Nguyễn Minh Đức"  # unit head, Văn phòng (Ban Dân tộc): coordinates below

COORDINATED = """Số: 08/KH-BDT

Bình Phước, ngày 10 tháng 01 năm 2022

**KẾ HOẠCH**

**Phối hợp năm 2022**

Số TT\tNội dung công việc\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện
<b>I</b>\t<b>Phối hợp</b>\t\t\t
1\tTổng hợp báo cáo quý.\tBan Dân tộc\tVăn phòng (Ban Dân tộc)\tNgày 31/3/2022
2\tRà soát danh sách.\tBan Dân tộc\tBan Dân tộc, Văn phòng (Ban Dân tộc)\tNgày 31/3/2022
3\tBáo cáo tháng.\tBan Dân tộc\tVăn phòng (Ban Dân tộc)\tTrước ngày 05 hằng tháng
"""
"""Lead Ban Dân tộc (head Lê Văn Hùng), coordinating Văn phòng (head Nguyễn Minh Đức);
task 2 names Ban Dân tộc in both columns; task 3 is a monthly report."""


class Everyone(FakeSender):
    """The fake channel, taking officers who linked no chat (as the console does)."""

    accepts_unlinked = True


async def _import(sessions: Sessions, tmp_path: Path, text: str, prefix: str) -> list[str]:
    path = tmp_path / f"{prefix}.txt"
    path.write_text(text, "utf-8")
    async with sessions() as s:
        report = await import_plan(s, read_plan_file(path), prefix=prefix)
        await s.commit()
    return [task.code for task in report.tasks]


async def _rows(sessions: Sessions, code: str) -> list[Reminder]:
    async with sessions() as s:
        found = await s.scalars(
            select(Reminder)
            .join(Due, Due.id == Reminder.due_id)
            .join(Task, Task.id == Due.task_id)
            .where(Task.code == code)
            .order_by(Reminder.scheduled_at, Reminder.id)
        )
        return list(found.all())


async def _officer_id(sessions: Sessions, name: str) -> int:
    async with sessions() as s:
        return (await find_officer(s, name)).id


async def test_a_silent_monthly_report_is_told_overdue_once_per_month_not_every_message(
    sessions: Sessions, tmp_path: Path
) -> None:
    await seed_with_officers(sessions)
    [code] = await _import(sessions, tmp_path, MONTHLY, "BC22")
    clock = FakeClock(datetime.combine(date(2022, 1, 1), time(0), TZ))
    sender = Everyone(channel="console")
    dispatcher = Dispatcher(sessions, {"console": sender}, clock)
    await simulate(sessions, dispatcher, clock, date(2022, 1, 1), date(2022, 4, 30))
    hung, bao = await _officer_id(sessions, HUNG), await _officer_id(sessions, BAO)

    for bundle in sender.sent:  # one line per task, however many months are open
        lines = Counter(item.task_code for item in bundle.items if item.task_code == code)
        assert max(lines.values(), default=0) <= 1, bundle
    sent = [r for r in await _rows(sessions, code) if r.state == "sent"]
    months = ["2022-01-04", "2022-02-04", "2022-03-04", "2022-04-04"]
    for this, following in pairwise(months):
        own = [r for r in sent if r.instance == this and r.recipient_id == hung]
        repeats = [r for r in own if r.kind == "overdue" and not r.slot.startswith(UNREPORTED)]
        markers = [r for r in own if r.slot.startswith(UNREPORTED)]
        next_ones = [r for r in sent if r.instance == following and r.kind in ("before", "on_day")]
        assert repeats, this  # the month is chased for a while …
        assert max(r.scheduled_at for r in repeats) < min(r.scheduled_at for r in next_ones)
        assert len(markers) == 1, this  # … then told "chưa báo cáo" once, with the next one
        assert markers[0].scheduled_at.astimezone(TZ).date() <= date.fromisoformat(following)
        leader = [r for r in sent if r.instance == this and r.recipient_id == bao]
        assert [r.slot.split("@")[0] for r in leader] == ["escalation-leader"]  # the ladder
    notes = [i.due for b in sender.sent for i in b.items if i.reason == "unreported"]
    assert notes == [date.fromisoformat(month) for month in months[:3]]  # once a month
    on_hung = Counter(b.today for b in sender.sent if b.recipient_id == hung)
    assert max(on_hung.values()) == 1
    assert len(on_hung) < 40  # Jan–Apr; 48 before issue 12 (144 in the whole year)


async def test_the_marker_and_the_next_due_day_make_one_line_the_oldest_month() -> None:
    moment = datetime(2022, 3, 4, 1, 0, tzinfo=TZ)
    lease = datetime(2022, 3, 4, 2, 0, tzinfo=TZ)

    def row(row_id: int, instance: str, kind: str, slot: str) -> ClaimedRow:
        return ClaimedRow(row_id, 7, 3, 5, instance, kind, slot, moment, 0, lease)

    rows = [
        row(1, "2022-03-04", "on_day", "on_day@2022-03-04"),
        row(2, "2022-02-04", "overdue", f"{UNREPORTED}@2022-02-04"),
        row(3, "2022-03-04", "escalation", "escalation-head@2022-03-04"),
    ]
    due_of = {1: date(2022, 3, 4), 2: date(2022, 2, 4), 3: date(2022, 3, 4)}
    selection = select_items(rows, due_of, set(), date(2022, 3, 4))
    assert sorted((r.id, kind) for r, kind in selection.items) == [
        (2, "overdue"),
        (3, "escalation"),
    ]
    assert selection.superseded == ((1, OLDER_OPEN),)


def test_after_downtime_a_coordinating_units_missed_reminder_is_not_sent_as_overdue() -> None:
    moment = datetime(2022, 4, 4, 1, 0, tzinfo=TZ)
    stale = ClaimedRow(1, 7, 3, 5, "-", "on_day", "on_day@2022-03-31", moment, 0, moment)
    due_of = {1: date(2022, 3, 31)}
    lead = select_items([stale], due_of, set(), date(2022, 4, 4))
    assert [(r.id, kind) for r, kind in lead.items] == [(1, "overdue")]
    coordinating = select_items([stale], due_of, set(), date(2022, 4, 4), {1})
    assert coordinating.items == () and [r for r, _ in coordinating.superseded] == [1]


def test_overdue_repeats_stop_when_the_next_occurrence_starts_and_one_marker_follows() -> None:
    cal, policy = WorkCalendar(), Policy()
    due, following = date(2022, 3, 4), date(2022, 4, 4)
    slots = overdue_slots(due, policy, cal)
    upcoming = reminder_slots(following, None, "lead", policy, cal)
    kept = until_next_occurrence(slots, due, following, policy, cal)
    overdue = [s for s in kept if s.kind == "overdue" and s.slot != UNREPORTED]
    assert overdue and all(s.at < upcoming[0].at for s in overdue)
    assert len(overdue) < len([s for s in slots if s.kind == "overdue"])
    assert [s.at for s in kept if s.slot == UNREPORTED] == [upcoming[-1].at]
    assert [s.slot for s in kept if s.kind == "escalation"] == [
        s.slot for s in slots if s.kind == "escalation"
    ]


def test_the_preview_names_the_marker() -> None:
    assert slot_label("overdue", f"{UNREPORTED}@2022-01-04") == "quá hạn, chưa báo cáo"
    assert slot_label("overdue", "overdue-10@2022-01-04") == "quá hạn (lần 10)"


def test_each_occurrence_knows_the_next_and_the_one_before_the_window_is_included() -> None:
    pairs = occurrences_with_next(
        "FREQ=MONTHLY;BYMONTHDAY=4", date(2022, 1, 1), date(2022, 3, 10), date(2022, 5, 31)
    )
    assert pairs == [
        (date(2022, 3, 4), date(2022, 4, 4)),
        (date(2022, 4, 4), date(2022, 5, 4)),
        (date(2022, 5, 4), None),
    ]


def test_day_30_and_31_of_every_month_fall_on_the_last_day_of_short_months() -> None:
    for text, february, april in (
        ("Ngày 31 hằng tháng", date(2022, 2, 28), date(2022, 4, 30)),
        ("Ngày 30 hằng tháng", date(2022, 2, 28), date(2022, 4, 30)),
        ("Ngày 29 hằng tháng", date(2022, 2, 28), date(2022, 4, 29)),
    ):
        [occurrence] = parse_deadline(text, 2022)
        assert occurrence.rule is not None
        year = expand_recurring(
            occurrence.rule, date(2022, 1, 1), date(2022, 1, 1), date(2022, 12, 31)
        )
        assert len(year) == 12, text
        assert february in year and april in year, text
    [leap] = parse_deadline("Ngày 30 hằng tháng", 2024)
    assert leap.rule is not None
    assert date(2024, 2, 29) in expand_recurring(
        leap.rule, date(2024, 1, 1), date(2024, 2, 1), date(2024, 2, 29)
    )


async def _plan_coordinated(sessions: Sessions, tmp_path: Path) -> list[str]:
    await seed_with_officers(sessions)
    codes = await _import(sessions, tmp_path, COORDINATED, "PH22")
    async with sessions() as s:
        await plan_reminders(s, datetime(2022, 3, 1, 7, 0, tzinfo=TZ))
        await s.commit()
    return codes


async def test_a_unit_leading_and_coordinating_one_task_is_reminded_once(
    sessions: Sessions, tmp_path: Path
) -> None:
    _, both, _ = await _plan_coordinated(sessions, tmp_path)
    hung = await _officer_id(sessions, HUNG)
    rows = await _rows(sessions, both)
    assert set(Counter((r.recipient_id, r.slot) for r in rows).values()) == {1}
    assert {r.slot.split("@")[0] for r in rows if r.recipient_id == hung} >= {
        "before-14",
        "overdue-1",
    }


async def test_coordinating_units_are_reminded_before_the_due_only_and_stop_with_the_lead(
    sessions: Sessions, tmp_path: Path
) -> None:
    first, _, _ = await _plan_coordinated(sessions, tmp_path)
    hung, duc = await _officer_id(sessions, HUNG), await _officer_id(sessions, DUC)
    rows = await _rows(sessions, first)
    assert {r.slot.split("@")[0] for r in rows if r.recipient_id == duc} == {"before-3", "on_day"}
    assert {r.kind for r in rows if r.recipient_id == hung} >= {"before", "on_day", "overdue"}

    # The service was down since 1/3: Văn phòng's before-3 (28/3) is still pending, past.
    clock = FakeClock(datetime(2022, 3, 30, 9, 0, tzinfo=TZ))
    answers = await Conversation(sessions, clock).handle(
        Incoming("console", str(hung), text=f"xong {first}")
    )
    assert "Hoàn thành" in answers[0].text
    after = [r for r in await _rows(sessions, first) if r.recipient_id == duc]
    assert len(after) == 2 and {r.state for r in after} == {"cancelled"}  # the lead closed it


async def test_the_lead_closing_one_month_leaves_the_coordinators_other_months(
    sessions: Sessions, tmp_path: Path
) -> None:
    _, _, monthly = await _plan_coordinated(sessions, tmp_path)
    hung, duc = await _officer_id(sessions, HUNG), await _officer_id(sessions, DUC)
    clock = FakeClock(datetime(2022, 3, 2, 9, 0, tzinfo=TZ))
    answers = await Conversation(sessions, clock).handle(
        Incoming("console", str(hung), text=f"xong {monthly}")
    )
    assert "(kỳ hạn 04/02/2022) — Hoàn thành" in answers[0].text  # the oldest open month
    rows = await _rows(sessions, monthly)
    left = {(r.instance, r.state) for r in rows if r.recipient_id == duc}
    assert ("2022-02-04", "pending") not in left
    assert {("2022-03-04", "pending"), ("2022-04-04", "pending")} <= left
