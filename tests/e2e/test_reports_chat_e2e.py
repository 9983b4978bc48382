"""Issue 14 in the chat, end to end: /tonghop and /baocao through the real Telegram and Zalo
channels against their fake servers (real HTTP), on SQLite and PostgreSQL.

Telegram gets the chart as a photo captioned with the summary (the summary after it when
too long for a caption) and the Word report as a document; Zalo, whose Bot API cannot
upload, gets the texts and, for the report, where to get the file.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import datetime

import docx
import pytest
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.zalo.render import NO_FILES
from bot.chat.conversation import Conversation, Incoming
from scheduler.clock import TZ, FakeClock
from tests.e2e import test_telegram as tg
from tests.e2e import test_zalo as zl
from tests.e2e.test_zalo import zalo as zalo  # the Zalo harness fixture, shared
from tests.fake_telegram import FakeTelegram, Stored
from tests.planning_helpers import BAO, seed_with_officers

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

AFTER_DUE = datetime(2022, 4, 5, 9, 0, tzinfo=TZ)
"""Overdue tasks make the summary longer than a caption's 1,024 characters."""


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


async def summary_text(world: tg.World, chat: int) -> str:
    """What the conversation answers to ``/tonghop BDT22`` now (read-only, no update id)."""
    conversation = Conversation(world.sessions, FakeClock(world.clock.now()))
    [answer] = await conversation.handle(Incoming("telegram", str(chat), text="/tonghop BDT22"))
    return answer.text


def png_size(message: Stored) -> tuple[int, int]:
    assert message.file is not None and message.file.kind == "photo"
    image = Image.open(io.BytesIO(message.file.content))
    image.load()
    assert image.format == "PNG"
    return image.size


async def test_telegram_tonghop_sends_the_chart_captioned_with_the_summary(
    telegram: tg.World,
) -> None:
    leader = await telegram.link(BAO)
    [photo] = await telegram.say(leader, "/tonghop BDT22")
    assert png_size(photo)[0] >= 600
    assert photo.plain == await summary_text(telegram, leader)
    assert photo.plain.startswith("Tổng hợp tiến độ — Kế hoạch BDT22 «")


async def test_telegram_a_long_summary_follows_its_chart(telegram: tg.World) -> None:
    leader = await telegram.link(BAO)
    telegram.clock.set(AFTER_DUE)
    expected = await summary_text(telegram, leader)
    assert len(expected) > 1024
    photo, text = await telegram.say(leader, "/tonghop BDT22")
    assert png_size(photo) and photo.text == ""
    assert text.file is None and text.plain == expected


async def test_telegram_baocao_sends_the_word_report(telegram: tg.World) -> None:
    leader = await telegram.link(BAO)
    [document] = await telegram.say(leader, "/baocao BDT22")
    assert document.file is not None and document.file.kind == "document"
    assert document.file.name == "bao-cao-BDT22-2022-03-28.docx"
    opened = docx.Document(io.BytesIO(document.file.content))
    text = "\n".join(p.text for p in opened.paragraphs)
    assert "BÁO CÁO" in text and "công tác thi đua, khen thưởng năm 2022" in text
    assert document.plain.startswith("Báo cáo kết quả thực hiện Kế hoạch")
    assert "nhacviec report" not in document.plain


async def test_zalo_gets_the_summary_and_the_reports_text_with_where_to_get_it(
    zalo: zl.Zalo,
) -> None:
    await seed_with_officers(zalo.sessions)
    leader = await zalo.link(BAO)
    [summary] = await zalo.say(leader, "/tonghop BDT22", "m-1")
    assert summary.startswith("Tổng hợp tiến độ — Kế hoạch BDT22 «")
    [report] = await zalo.say(leader, "/baocao", "m-2")
    caption, note = report.split("\n")[0], report.split("\n")[-1]
    assert caption.startswith("Báo cáo kết quả thực hiện Kế hoạch")
    assert note == (
        f"{NO_FILES.format(name='bao-cao-BDT22-2022-03-28.docx')} "
        "Lấy tệp trên máy chủ bằng lệnh: nhacviec report BDT22 --format docx"
    )
    assert {method for method, _ in zalo.fake.calls if method.startswith("send")} == {"sendMessage"}
