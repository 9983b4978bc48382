"""Products end to end through the channels: real HTTP against the fake Telegram and Zalo APIs.

Telegram: the real PTB bot long-polls the fake, which serves the user's file through
``getFile`` and ``/file/bot<TOKEN>/<path>`` and records every download, so a file
announced past the cap is seen refused without one. Zalo: a ``message.image.received``
update's photo link is fetched from the fake (Zalo bots receive no other file).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import ContextTypes, TypeHandler

from bot.channels.telegram.channel import TelegramChannel
from bot.channels.zalo.channel import ZaloChannel
from bot.chat.conversation import Conversation
from data.models import Product, StatusUpdate
from data.people import find_officer
from data.products import ProductSettings
from scheduler.clock import FakeClock
from tests.fake_telegram import FakeTelegram, Stored
from tests.fake_zalo_api import TOKEN, FakeZaloApi, photo_update
from tests.fakes import chat_links
from tests.planning_helpers import HUNG, MAI, START, XUAN, seed_with_officers
from tests.test_products import JPEG_BYTES, OLD_DOC, PDF_BYTES

pytestmark = pytest.mark.e2e

SETTINGS = ProductSettings(max_bytes=1 << 20)
CODE = "BDT22-I.1"


class Bot:
    """The seeded database and the Telegram bot polling the fake server."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], fake: FakeTelegram) -> None:
        self.sessions, self.fake = sessions, fake
        conversation = Conversation(sessions, FakeClock(START), products=SETTINGS)
        self.channel = TelegramChannel(
            fake.token, conversation, base_url=fake.base_url, base_file_url=fake.base_file_url
        )
        self.channel.application.add_handler(TypeHandler(Update, self._done), group=1)
        self.done: set[int] = set()

    async def _done(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.done.add(update.update_id)

    async def processed(self, update_id: int) -> list[Stored]:
        before = len(self.fake.sent)
        await self.fake.wait_for(lambda: update_id in self.done)
        return self.fake.sent[before:]

    async def link(self, name: str) -> int:
        async with self.sessions.begin() as s:
            officer = await find_officer(s, name)
            officer.links += chat_links(telegram=7000 + officer.id)
        return 7000 + officer.id

    async def products(self) -> list[Product]:
        async with self.sessions() as s:
            return list((await s.scalars(select(Product))).all())


@pytest.fixture
async def bot(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Bot]:
    await seed_with_officers(sessions)
    async with FakeTelegram() as fake:
        world = Bot(sessions, fake)
        await world.channel.start_polling(poll_timeout=timedelta(seconds=1))
        try:
            yield world
        finally:
            await world.channel.stop()


async def test_a_pdf_with_its_code_is_stored_audited_listed_and_given_back(bot: Bot) -> None:
    mai = await bot.link(MAI)
    sent = await bot.processed(bot.fake.push_document(mai, "bao-cao.pdf", PDF_BYTES, caption=CODE))
    assert [m.plain for m in sent] == [
        f"Đã lưu sản phẩm «bao-cao.pdf» cho {CODE}. Lãnh đạo xem bằng /sanpham {CODE}."
    ]
    assert len(bot.fake.downloads) == 1
    [product] = await bot.products()
    assert product.content == PDF_BYTES and product.channel == "telegram"
    async with bot.sessions() as s:
        audit = await s.get(StatusUpdate, product.status_update_id)
    assert audit is not None and audit.kind == "product" and audit.note == "bao-cao.pdf"
    [history] = await bot.processed(bot.fake.push_message(mai, f"/lichsu {CODE}"))
    assert "gửi sản phẩm «bao-cao.pdf»" in history.plain
    hung = await bot.link(HUNG)
    [given] = await bot.processed(bot.fake.push_message(hung, f"/sanpham {CODE}"))
    assert given.file is not None and given.file.content == PDF_BYTES
    assert given.file.name == "bao-cao.pdf"


async def test_a_file_announced_past_the_cap_is_refused_before_download(bot: Bot) -> None:
    mai = await bot.link(MAI)
    update = bot.fake.push_document(mai, "quet.pdf", PDF_BYTES, caption=CODE, file_size=50 << 20)
    [refusal] = await bot.processed(update)
    assert "quá lớn" in refusal.plain and "1 MB" in refusal.plain
    assert bot.fake.downloads == []
    assert "getFile" not in [call.method for call in bot.fake.calls]
    assert await bot.products() == []


async def test_a_file_of_another_type_is_refused(bot: Bot) -> None:
    mai = await bot.link(MAI)
    update = bot.fake.push_document(
        mai, "bao-cao.doc", OLD_DOC, caption=CODE, mime="application/msword"
    )
    [refusal] = await bot.processed(update)
    assert "chỉ nhận tệp PDF" in refusal.plain and ".docx" in refusal.plain
    assert await bot.products() == []


async def test_a_photo_is_taken_at_its_largest_size(bot: Bot) -> None:
    xuan = await bot.link(XUAN)  # one open item: BDT22-V.1
    [answer] = await bot.processed(bot.fake.push_photo(xuan, JPEG_BYTES))
    assert "cho BDT22-V.1" in answer.plain
    [product] = await bot.products()
    assert product.content == JPEG_BYTES and product.mime == "image/jpeg"
    assert [path.partition(".")[0] for path in bot.fake.downloads] == ["photos/full"]


async def test_a_zalo_photo_is_fetched_from_its_link_and_stored(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed_with_officers(sessions)
    async with sessions.begin() as s:
        officer = await find_officer(s, XUAN)
        officer.links += chat_links(zalo="zc-xuan")
    fake = FakeZaloApi()
    await fake.start()
    conversation = Conversation(sessions, FakeClock(START), products=SETTINGS)
    channel = ZaloChannel(TOKEN, conversation, api_url=fake.url, poll_timeout=1)
    try:
        await channel.start_polling()
        link = fake.host_photo("trang-ky-01", JPEG_BYTES)
        fake.queue(photo_update("zc-xuan", link, "zm-in-1", caption="BDT22-V.1"))
        [answer] = await fake.wait_sent("zc-xuan")
    finally:
        await channel.stop()
        await fake.stop()
    assert answer.startswith("Đã lưu sản phẩm «anh-zalo-trang-ky-01.jpg» cho BDT22-V.1")
    assert fake.downloads == ["trang-ky-01"]
    async with sessions() as s:
        [product] = (await s.scalars(select(Product))).all()
    assert (product.channel, product.content) == ("zalo", JPEG_BYTES)
