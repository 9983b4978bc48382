"""Products officers send: which task a file is for, checks, both stores, /lichsu, /sanpham.

The conversation core on the seed plan (SQLite and PostgreSQL: the bytes go to a
``LargeBinary`` column, ``bytea`` there); the channels' side is in
``tests/test_products_channels.py``.
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat.conversation import Answer, Conversation
from bot.chat.messages import FileIn
from data.errors import UserError
from data.models import Product, StatusUpdate
from data.products import DOCX, JPEG, PDF, PNG, ProductSettings, product_settings, sniff
from tests.planning_helpers import BAO, HUNG, MAI, XUAN, seed_with_officers
from tests.test_conversation import Chat, flat

PDF_BYTES = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
OLD_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600  # Word 97-2003 (.doc)
CODE = "BDT22-I.1"  # Mai's (Ban Dân tộc) among many open items


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


class Products(Chat):
    """The conversation harness, with the product settings under test and a way to send files."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], settings: ProductSettings):
        super().__init__(sessions)
        self.settings = settings
        self.conversation = Conversation(sessions, self.clock, products=settings)

    async def send(
        self,
        name: str,
        content: bytes = PDF_BYTES,
        caption: str | None = None,
        file_name: str = "bao-cao.pdf",
        **kw: str | None,
    ) -> Answer:
        file = FileIn(file_name, content, "application/pdf", len(content))
        [answer] = await self.say(name, caption, file=file, **kw)  # type: ignore[arg-type]
        return answer

    async def products(self) -> list[Product]:
        async with self.sessions() as s:
            return list((await s.scalars(select(Product).order_by(Product.id))).all())

    async def audit(self) -> list[StatusUpdate]:
        async with self.sessions() as s:
            found = await s.scalars(select(StatusUpdate).where(StatusUpdate.kind == "product"))
            return list(found.all())


@pytest.fixture
async def chat(sessions: async_sessionmaker[AsyncSession]) -> Products:
    await seed_with_officers(sessions)
    return Products(sessions, ProductSettings())


# --- what is accepted -------------------------------------------------------------------


def test_it_tells_the_type_by_the_bytes_not_the_name() -> None:
    assert sniff(PDF_BYTES) == PDF
    assert sniff(JPEG_BYTES) == JPEG
    assert sniff(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20) == PNG
    assert sniff(_zip("[Content_Types].xml", "word/document.xml")) == DOCX
    assert sniff(_zip("[Content_Types].xml", "xl/workbook.xml")) is None  # an .xlsx
    assert sniff(b"PK\x03\x04 not really a zip") is None
    assert sniff(OLD_DOC) is None
    assert sniff(b"") is None


def test_it_reads_its_settings_and_refuses_a_bad_cap(tmp_path: Path) -> None:
    settings = product_settings({"NHACVIEC_PRODUCT_MAX_MB": "5", "NHACVIEC_PRODUCT_DIR": "/x"})
    assert settings.max_bytes == 5 << 20 and settings.store == "fs"
    assert product_settings({}).max_bytes == 20 << 20 and product_settings({}).store == "db"
    with pytest.raises(UserError, match="NHACVIEC_PRODUCT_MAX_MB"):
        product_settings({"NHACVIEC_PRODUCT_MAX_MB": "hai mươi"})


# --- storing with its task ----------------------------------------------------------------


async def test_it_stores_a_pdf_named_by_its_caption_audits_and_lists_it(chat: Products) -> None:
    answer = await chat.send(MAI, caption=CODE)
    assert answer.text.startswith(f"Đã lưu sản phẩm «bao-cao.pdf» cho {CODE}")
    [product] = await chat.products()
    assert (product.store, product.content, product.path) == ("db", PDF_BYTES, None)
    assert product.mime == "application/pdf" and product.size == len(PDF_BYTES)
    [audit] = await chat.audit()
    assert product.status_update_id == audit.id and audit.note == "bao-cao.pdf"
    history = await chat.one(MAI, f"/lichsu {CODE}")
    assert (
        "Trần Thị Mai" in history.text
        and "Chưa thực hiện — gửi sản phẩm «bao-cao.pdf»" in history.text
    )


async def test_the_same_file_twice_is_stored_once(chat: Products) -> None:
    await chat.send(MAI, caption=CODE)
    again = await chat.send(MAI, caption=CODE, file_name="ban-sao.pdf")
    assert "đã nhận trước đó" in again.text
    assert len(await chat.products()) == 1 and len(await chat.audit()) == 1


async def test_a_caption_with_a_status_records_both(chat: Products) -> None:
    answer = await chat.send(MAI, caption=f"xong {CODE}")
    assert "Đã lưu sản phẩm" in answer.text and "Hoàn thành" in answer.text
    assert (await chat.progress(CODE, MAI)).state == "done"  # type: ignore[union-attr]
    assert len(await chat.products()) == 1


async def test_a_mistyped_code_is_asked_back_and_nothing_stored(chat: Products) -> None:
    answer = await chat.send(MAI, caption="BDT22-I.99")
    assert "BDT22-I.99" in answer.text and CODE in answer.text  # her codes, to choose from
    assert await chat.products() == [] and await chat.audit() == []


async def test_the_only_open_task_takes_a_file_without_a_code(chat: Products) -> None:
    answer = await chat.send(XUAN, JPEG_BYTES, file_name="trang-ky.jpg")
    assert "cho BDT22-V.1" in answer.text
    [product] = await chat.products()
    assert product.mime == "image/jpeg"


async def test_a_file_after_xong_goes_to_the_task_just_done(chat: Products) -> None:
    await chat.one(MAI, f"xong {CODE}")
    answer = await chat.send(MAI)  # Mai has many other open tasks; the one just done is meant
    assert f"cho {CODE}" in answer.text


async def test_a_code_of_a_task_already_done_still_takes_its_product(chat: Products) -> None:
    await chat.one(MAI, f"xong {CODE}")
    chat.clock.advance(timedelta(days=1))  # long after "xong": the code says which task
    answer = await chat.send(MAI, caption=CODE)
    assert f"cho {CODE}" in answer.text


async def test_several_candidates_park_the_file_until_a_task_is_picked(chat: Products) -> None:
    menu = await chat.send(MAI, file_name="ke-hoach.pdf")
    assert "ke-hoach.pdf" in menu.text and "không cần gửi lại" in menu.text
    assert await chat.products() == []
    assignment_id, due_id = await chat.work(CODE, MAI)
    assert f"f:w{assignment_id}.{due_id}" in flat(menu)
    await chat.one(MAI, "đang làm 50% BDT22-I.2")  # another update and its question meanwhile
    picked = await chat.press(MAI, f"f:w{assignment_id}.{due_id}")
    assert f"Đã lưu sản phẩm «ke-hoach.pdf» cho {CODE}" in picked.text
    [product] = await chat.products()
    assert product.content == PDF_BYTES
    gone = await chat.press(MAI, f"f:w{assignment_id}.{due_id}")
    assert "hết hạn hoặc đã được lưu" in (gone.toast or "")


async def test_a_parked_file_is_placed_by_typing_a_code(chat: Products) -> None:
    await chat.send(MAI, caption="xong")  # which task? both the status and the file wait
    answer = await chat.one(MAI, CODE)
    assert f"cho {CODE}" in answer.text and "Hoàn thành" in answer.text
    assert len(await chat.products()) == 1


# --- refusals -------------------------------------------------------------------------------


async def test_an_old_word_file_is_refused_saying_what_is_accepted(chat: Products) -> None:
    answer = await chat.send(MAI, OLD_DOC, caption=CODE, file_name="bao-cao.doc")
    assert "bao-cao.doc" in answer.text and "PDF" in answer.text and ".docx" in answer.text
    assert await chat.products() == [] and await chat.audit() == []


async def test_a_file_announced_past_the_cap_is_refused(sessions: async_sessionmaker) -> None:
    await seed_with_officers(sessions)
    chat = Products(sessions, ProductSettings(max_bytes=1 << 20))
    file = FileIn("quet.pdf", b"", "application/pdf", size=30 << 20)  # not downloaded
    [answer] = await chat.say(MAI, CODE, file=file)  # type: ignore[arg-type]
    assert "quá lớn" in answer.text and "1 MB" in answer.text
    assert await chat.products() == []


# --- the file-system store -------------------------------------------------------------------


async def test_files_go_under_the_directory_by_hash_never_by_name(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await seed_with_officers(sessions)
    store = tmp_path / "a" / "b" / "san-pham"
    chat = Products(sessions, ProductSettings(directory=store))
    answer = await chat.send(MAI, caption=CODE, file_name="../../../etc/passwd.pdf")
    assert "«passwd.pdf»" in answer.text
    [product] = await chat.products()
    assert product.store == "fs" and product.content is None and product.path is not None
    written = [path for path in (tmp_path / "a").rglob("*") if path.is_file()]
    assert written == [store / product.path]
    assert not list(tmp_path.rglob("passwd*"))
    assert product.path.endswith(product.sha256) and ".." not in product.path
    sent = await chat.one(HUNG, f"/sanpham {CODE}")
    assert sent.file is not None and sent.file.content == PDF_BYTES


# --- /sanpham -----------------------------------------------------------------------------------


async def test_sanpham_gives_the_file_back_to_those_who_may_see_it(chat: Products) -> None:
    await chat.send(MAI, caption=CODE)
    for name in (HUNG, BAO, MAI):  # the unit head, a leader, the sender
        answer = await chat.one(name, f"/sanpham {CODE}")
        assert answer.file is not None, name
        assert (answer.file.name, answer.file.content) == ("bao-cao.pdf", PDF_BYTES)
    refused = await chat.one(XUAN, f"/sanpham {CODE}")  # an officer of another unit
    assert refused.file is None and "không xem được" in refused.text


async def test_sanpham_numbers_several_products_newest_first(chat: Products) -> None:
    await chat.send(MAI, caption=CODE, file_name="lan-1.pdf")
    chat.clock.advance(timedelta(minutes=5))
    await chat.send(MAI, JPEG_BYTES, caption=CODE, file_name="lan-2.jpg")
    latest = await chat.one(HUNG, f"/sanpham {CODE}")
    assert latest.file is not None and latest.file.name == "lan-2.jpg"
    assert "1. lan-2.jpg" in latest.text and "2. lan-1.pdf" in latest.text
    second = await chat.one(HUNG, f"/sanpham {CODE} 2")
    assert second.file is not None and second.file.content == PDF_BYTES
    missing = await chat.one(HUNG, f"/sanpham {CODE} 3")
    assert missing.file is None and "số 3" in missing.text
    assert "chưa có sản phẩm" in (await chat.one(HUNG, "/sanpham BDT22-I.2")).text
