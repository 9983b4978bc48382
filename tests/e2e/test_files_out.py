"""Files on answers, channel by channel: what each one does with a chart or a report.

The conversation is scripted (its answers are given), so these tests are about the
channels alone: Telegram uploads the file (sendPhoto / sendDocument) with the text as
its caption, or the text after it when too long for a caption; Zalo, whose Bot API
cannot upload, sends the text with a line saying where to get a document; the console
saves the file and prints its path. The commands that make the files have their own tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.console.repl import play
from bot.channels.telegram.handlers import CONVERSATION
from bot.channels.zalo.channel import ZaloChannel
from bot.channels.zalo.render import NO_FILES
from bot.chat.conversation import Conversation
from bot.chat.messages import Answer, Button, FileOut, Incoming
from scheduler.clock import FakeClock
from tests.e2e import test_telegram as tg
from tests.e2e import test_zalo as zl
from tests.e2e.test_zalo import zalo as zalo  # the Zalo harness fixture, shared
from tests.fake_telegram import FakeTelegram
from tests.fake_zalo_api import TOKEN, text_update

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

CHAT = 7_001
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
"""Not a picture anyone could view, but bytes that must arrive unchanged (every value)."""
DOCX = b"PK\x03\x04" + bytes(reversed(range(256))) * 8
CHART = FileOut("tong-hop-BDT22.png", PNG, "photo")
REPORT = FileOut(
    "bao-cao-BDT22-2022-04-01.docx",
    DOCX,
    elsewhere="Lấy báo cáo bằng lệnh: nhacviec report BDT22 --format docx",
)
SUMMARY = "Tổng hợp tiến độ — Kế hoạch BDT22 «Thi đua» (01/04/2022)\n16 nhiệm vụ <16> & 24 lượt"


class Scripted(Conversation):
    """A conversation that answers every message with the answers it was given."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *answers: Answer) -> None:
        super().__init__(sessions, FakeClock(tg.PLANNED))
        self.answers = list(answers)

    async def handle(self, incoming: Incoming) -> list[Answer]:
        return self.answers


@pytest.fixture
async def telegram(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[tg.World]:
    async with FakeTelegram() as fake:
        world = tg.World(sessions, fake)
        await world.channel.start_polling()
        try:
            yield world
        finally:
            await world.channel.stop()


def script(world: tg.World, *answers: Answer) -> None:
    world.channel.application.bot_data[CONVERSATION] = Scripted(world.sessions, *answers)


def sends(world: tg.World) -> list[str]:
    """The bot's calls that put something in a chat, in order."""
    return [call.method for call in world.fake.calls if call.method.startswith("send")]


async def test_telegram_sends_a_chart_as_a_photo_captioned_with_the_answer(
    telegram: tg.World,
) -> None:
    script(telegram, Answer(SUMMARY, file=CHART))
    [photo] = await telegram.say(CHAT, "/tonghop")
    assert photo.file is not None and photo.file.kind == "photo"
    assert photo.file.content == PNG and photo.file.name == CHART.name
    assert photo.plain == SUMMARY  # escaped for HTML on the way, read back as written
    assert sends(telegram) == ["sendPhoto"]


async def test_telegram_sends_a_text_too_long_for_a_caption_after_the_photo(
    telegram: tg.World,
) -> None:
    lines = [f"{n}. Đơn vị số {n}: 3 việc quá hạn, 2 việc chưa thực hiện" for n in range(40)]
    text = "\n".join([SUMMARY, *lines])
    assert 1024 < len(text) < 4000
    button = Button("Xem tiếp", "p:2")
    script(telegram, Answer(text, buttons=((button,),), file=CHART))
    photo, message = await telegram.say(CHAT, "/tonghop")
    assert sends(telegram) == ["sendPhoto", "sendMessage"]
    assert photo.file is not None and photo.file.content == PNG
    assert photo.text == "" and photo.buttons == []
    assert message.file is None and message.plain == text  # whole, after the photo
    assert message.buttons == [{"text": "Xem tiếp", "callback_data": "p:2"}]


async def test_telegram_sends_a_report_as_a_document(telegram: tg.World) -> None:
    script(telegram, Answer("Báo cáo BDT22 tính đến ngày 01/04/2022.", file=REPORT))
    [document] = await telegram.say(CHAT, "/baocao")
    assert document.file is not None and document.file.kind == "document"
    assert (document.file.name, document.file.content) == (REPORT.name, DOCX)
    assert document.plain == "Báo cáo BDT22 tính đến ngày 01/04/2022."
    assert "nhacviec report" not in document.plain  # Telegram carries the file itself


async def test_telegram_refusing_the_file_still_delivers_the_text(telegram: tg.World) -> None:
    telegram.fake.fail("chat_not_found", method="sendDocument", times=1)  # a 400 Bad Request
    script(telegram, Answer("Báo cáo BDT22.", file=REPORT))
    [text] = await telegram.say(CHAT, "/baocao")
    assert text.file is None and text.plain == "Báo cáo BDT22."
    assert sends(telegram) == ["sendDocument", "sendMessage"]


async def test_zalo_sends_texts_only_with_where_to_get_a_document(zalo: zl.Zalo) -> None:
    """Zalo's Bot API uploads nothing: a chart's summary goes alone, a report's text says
    where the document is; no call but sendMessage reaches Zalo (real HTTP to the fake)."""
    answers = (Answer(SUMMARY, file=CHART), Answer("Báo cáo.", file=REPORT))
    channel = ZaloChannel(TOKEN, Scripted(zalo.sessions, *answers), api_url=zalo.fake.url)
    try:
        await channel.process_update(text_update("zc-leader", "/baocao", "m-1"))
    finally:
        await channel.stop()
    summary, report = zalo.fake.texts("zc-leader")
    assert summary == SUMMARY
    assert report == f"Báo cáo.\n{NO_FILES.format(name=REPORT.name)} {REPORT.elsewhere}"
    sends = [method for method, _ in zalo.fake.calls if method.startswith("send")]
    assert sends == ["sendMessage", "sendMessage"]


async def test_the_console_saves_the_file_and_prints_where(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    conversation = Scripted(sessions, Answer("Báo cáo.", file=REPORT))
    transcript = await play(conversation, 1, ["/baocao"], echo=False, files=tmp_path / "out")
    saved = tmp_path / "out" / REPORT.name
    assert transcript == ["Báo cáo.", f"📎 Đã lưu tệp: {saved}"]
    assert saved.read_bytes() == DOCX


async def test_the_console_keeps_a_file_in_its_folder(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    sneaky = FileOut("../../thu-muc-khac.png", PNG, "photo")
    await play(Scripted(sessions, Answer("Ảnh.", file=sneaky)), 1, ["x"], files=tmp_path / "a")
    assert (tmp_path / "a" / "thu-muc-khac.png").read_bytes() == PNG
    assert not (tmp_path / "thu-muc-khac.png").exists()
