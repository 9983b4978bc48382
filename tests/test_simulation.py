"""A quarter of 2022 played on simulated time through the real planner and dispatcher."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time

import holidays
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.digest import EMPTY
from scheduler.clock import TZ, FakeClock
from scheduler.dispatcher import Dispatcher
from scheduler.simulation import simulate
from tests.fakes import FakeSender
from tests.planning_helpers import seed_with_officers

Sessions = async_sessionmaker[AsyncSession]


class Everyone(FakeSender):
    """The fake channel, taking officers who linked no chat (as the console does)."""

    accepts_unlinked = True


async def test_it_plays_a_quarter_with_one_message_per_person_per_working_morning(
    sessions: Sessions,
) -> None:
    await seed_with_officers(sessions)
    clock = FakeClock(datetime.combine(date(2022, 1, 1), time(0), TZ))
    sender = Everyone(channel="console")
    dispatcher = Dispatcher(sessions, {"console": sender}, clock)
    report = await simulate(sessions, dispatcher, clock, date(2022, 1, 1), date(2022, 4, 30))
    days_off = set(holidays.country_holidays("VN", years=2022))
    assert report.messages == len(sender.sent) > 0
    assert report.failed == 0
    per_person_day = Counter((b.address, b.today) for b in sender.sent)
    assert max(per_person_day.values()) == 1
    for bundle in sender.sent:
        assert bundle.today.weekday() < 5 and bundle.today not in days_off
    assert not [b for b in sender.sent if date(2022, 1, 31) <= b.today <= date(2022, 2, 4)]
    kinds = Counter(item.kind for bundle in sender.sent for item in bundle.items)
    assert {"before", "on_day", "checkin", "overdue", "escalation", "digest"} <= set(kinds)
    assert len(set(sender.sent_ids())) == len(sender.sent_ids()), "no reminder sent twice"
    digests = [i.note for b in sender.sent for i in b.items if i.kind == "digest"]
    # a week with nothing overdue, due or done is one line (issue 12), the others three parts
    assert any(note.startswith("Quá hạn: ") for note in digests)
    assert all(note.startswith("Quá hạn: ") or note == EMPTY for note in digests)
