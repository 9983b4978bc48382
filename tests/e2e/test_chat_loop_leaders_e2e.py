"""Issue 12, "Leaders see the truth", end to end: the real Telegram and Zalo channels against
their fake servers, on SQLite and PostgreSQL — task counts, "who has not reported" (asked and
scheduled), no reply footer on a leader's message, a forged button's neutral refusal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat import texts
from data.models import PolicySetting
from data.plans.view import find_plan
from scheduler.clock import TZ
from scheduler.dispatcher import Dispatcher
from scheduler.planner import plan_reminders
from tests.e2e import test_telegram as tg
from tests.e2e import test_zalo as zl
from tests.e2e.test_zalo import zalo as zalo  # the Zalo harness fixture, shared
from tests.fake_telegram import FakeTelegram
from tests.fake_zalo_api import text_update
from tests.planning_helpers import BAO, MAI, seed_with_officers

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

APRIL_5 = datetime(2022, 4, 5, 8, 0, tzinfo=TZ)
"""The working morning after the 4/4 reporting point of "trước ngày 05 hằng tháng"."""


async def _monthly_reporting(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as s:
        plan = await find_plan(s, "BDT22")
        s.add(
            PolicySetting(
                plan_id=plan.id, settings={"reporting_deadline": "trước ngày 05 hằng tháng"}
            )
        )


@pytest.fixture
async def telegram(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[tg.World]:
    await seed_with_officers(sessions)
    async with FakeTelegram() as fake:
        world = tg.World(sessions, fake)
        await world.channel.start_polling()
        try:
            yield world
        finally:
            await world.channel.stop()


async def test_telegram_leader_reads_tasks_and_who_has_not_reported(telegram: tg.World) -> None:
    leader, officer = await telegram.link(BAO), await telegram.link(MAI)
    [summary] = await telegram.say(leader, "/tonghop BDT22")
    assert "16 nhiệm vụ, 24 lượt giao việc." in summary.plain
    assert summary.plain.startswith("Tổng hợp tiến độ — Kế hoạch BDT22 «")
    await telegram.say(officer, "đang làm 30% BDT22-I.2")
    [silent] = await telegram.say(leader, "/chuabaocao BDT22")
    assert "6/7 đơn vị chưa báo cáo (" in silent.plain and "• Ban Dân tộc" not in silent.plain
    toast, sent = await telegram.press(officer, summary.message_id, "s:d:w1.9999")
    assert toast.get("text") == texts.BUTTON_GONE and sent == []


async def test_telegram_scheduled_report_due_has_no_buttons_or_reply_footer(
    telegram: tg.World,
) -> None:
    await _monthly_reporting(telegram.sessions)
    leader = await telegram.link(BAO)
    async with telegram.sessions.begin() as s:
        await plan_reminders(s, tg.PLANNED)
    telegram.clock.set(APRIL_5)
    await telegram.dispatcher.dispatch_once()
    [message] = telegram.fake.sent_to(leader)
    assert "Chưa báo cáo — Kế hoạch BDT22" in message.plain
    assert "kỳ báo cáo 04/04/2022" in message.plain
    assert "Trả lời" not in message.plain and message.buttons == []


async def test_zalo_leader_asks_and_is_told_who_has_not_reported(zalo: zl.Zalo) -> None:
    await seed_with_officers(zalo.sessions)
    await _monthly_reporting(zalo.sessions)
    leader = await zalo.link(BAO)
    await zalo.fake.push(
        text_update(leader, "/chuabaocao ban dan toc", "m-1"), zalo.webhook, zl.SECRET
    )
    [asked] = zalo.fake.texts(leader)
    assert "• Ban Dân tộc (" in asked and "Tất cả" not in asked
    async with zalo.sessions.begin() as s:
        await plan_reminders(s, zl.START)
    zalo.clock.set(APRIL_5)
    await Dispatcher(zalo.sessions, {"zalo": zalo.channel.sender}, zalo.clock).dispatch_once()
    scheduled = zalo.fake.texts(leader)[1]
    assert "Chưa báo cáo — Kế hoạch BDT22" in scheduled and "Trả lời: XONG" not in scheduled
    await zalo.fake.push(text_update(leader, "/tonghop", "m-2"), zalo.webhook, zl.SECRET)
    assert "16 nhiệm vụ, 24 lượt giao việc." in zalo.fake.texts(leader)[2]
