"""Importing a plan on a page: a preview that writes nothing, then the confirmation
that writes exactly that; the uploaded file waits in ``web_uploads`` for its uploader."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import Plan, PlanVersion, Task, Unit, WebUpload
from data.people import add_unit
from scheduler.clock import FakeClock
from tests.web.web_server import START, add_officer, sign_in, web_client

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
TEXT = SAMPLES / "ke-hoach-thi-dua-khen-thuong-2022.txt"
WORD = SAMPLES / "ke-hoach-thi-dua-khen-thuong-2022.docx"
AMENDED = SAMPLES / "ke-hoach-thi-dua-khen-thuong-2022-sua-doi.docx"
NEAR = "Cơ quan công tác dân tộc cấp huyện"
KNOWN = "Cơ quan công tác dân tộc huyện"
UPLOAD = re.compile(r'name="tai-len" value="(\d+)"')
Client = TestClient[object, object]
Sessions = async_sessionmaker[AsyncSession]


def _form(csrf: str, name: str, content: bytes, **options: str) -> FormData:
    form = FormData()
    form.add_field("csrf", csrf)
    for key, value in options.items():
        form.add_field(key, value)
    form.add_field("tep", content, filename=name, content_type="application/octet-stream")
    return form


async def _count(sessions: Sessions, model: type[object]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _preview(client: Client, csrf: str, path: Path, **options: str) -> tuple[str, str]:
    """The preview page's text and the upload id its confirm form carries."""
    response = await client.post(
        "/nhap-ke-hoach", data=_form(csrf, path.name, path.read_bytes(), **options)
    )
    text = await response.text()
    assert response.status == 200, text
    found = UPLOAD.search(text)
    assert found, "the preview has a confirm form"
    return text, found.group(1)


async def _confirm(client: Client, csrf: str, upload: str, **fields: str) -> str:
    response = await client.post(
        "/nhap-ke-hoach/xac-nhan",
        data={"csrf": csrf, "tai-len": upload, **fields},
        allow_redirects=False,
    )
    assert response.status == 303, await response.text()
    return response.headers["Location"]


@pytest.mark.parametrize("path", [TEXT, WORD], ids=["txt", "docx"])
async def test_the_preview_writes_nothing_and_the_confirmation_writes_the_plan(
    sessions: Sessions, path: Path
) -> None:
    clock = FakeClock(START)
    admin = await add_officer(sessions, "Hoàng Thị Thu")
    async with web_client(sessions, clock) as client:
        csrf = await sign_in(client, sessions, admin, clock)
        form = await client.get("/nhap-ke-hoach")
        assert form.status == 200 and 'enctype="multipart/form-data"' in await form.text()
        page, upload = await _preview(client, csrf, path)
        assert "16 nhiệm vụ" in page
        assert "BDT22-I.1" in page and "BDT22-VI.2" in page
        assert await _count(sessions, Plan) == 0 and await _count(sessions, Unit) == 0
        assert await _count(sessions, WebUpload) == 1
        assert await _confirm(client, csrf, upload) == "/ke-hoach/BDT22"
    assert await _count(sessions, Task) == 16
    assert await _count(sessions, WebUpload) == 0  # used once, then gone


async def test_an_old_word_file_is_refused_with_its_sentence_and_nothing_is_kept(
    sessions: Sessions,
) -> None:
    clock = FakeClock(START)
    admin = await add_officer(sessions, "Hoàng Thị Thu")
    old_doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    async with web_client(sessions, clock) as client:
        csrf = await sign_in(client, sessions, admin, clock)
        response = await client.post("/nhap-ke-hoach", data=_form(csrf, "ke-hoach.docx", old_doc))
        assert response.status == 400
        assert "Tệp .doc cũ: hãy mở bằng Word và lưu thành .docx" in await response.text()
    assert await _count(sessions, Plan) == 0 and await _count(sessions, WebUpload) == 0


async def test_an_amended_version_shows_the_difference_and_writes_it_on_confirmation(
    sessions: Sessions,
) -> None:
    clock = FakeClock(START)
    admin = await add_officer(sessions, "Hoàng Thị Thu")
    async with web_client(sessions, clock) as client:
        csrf = await sign_in(client, sessions, admin, clock)
        await _confirm(client, csrf, (await _preview(client, csrf, WORD))[1])
        async with sessions() as session:
            plan_id = await session.scalar(select(Plan.id))
        refused = await client.post(
            "/nhap-ke-hoach", data=_form(csrf, AMENDED.name, AMENDED.read_bytes())
        )
        assert refused.status == 400 and "bản sửa đổi" in await refused.text()
        page, upload = await _preview(client, csrf, AMENDED, **{"sua-doi": str(plan_id)})
        assert "phiên bản 2" in page
        assert "BDT22-I.5: nội dung" in page and "BDT22-V.2: thời hạn" in page
        assert "Thêm BDT22-VI.3" in page and "Bỏ BDT22-V.3" in page
        assert await _count(sessions, PlanVersion) == 1
        assert (
            await _confirm(client, csrf, upload, **{"sua-doi": str(plan_id)}) == "/ke-hoach/BDT22"
        )
    assert await _count(sessions, PlanVersion) == 2


async def test_only_the_uploader_confirms_and_a_day_old_upload_is_gone(
    sessions: Sessions,
) -> None:
    clock = FakeClock(START)
    thu = await add_officer(sessions, "Hoàng Thị Thu")
    hanh = await add_officer(sessions, "Đỗ Thị Hạnh")
    async with web_client(sessions, clock) as client:
        csrf = await sign_in(client, sessions, thu, clock)
        _, stale = await _preview(client, csrf, TEXT)
        other_csrf = await sign_in(client, sessions, hanh, clock)
        refused = await client.post(
            "/nhap-ke-hoach/xac-nhan", data={"csrf": other_csrf, "tai-len": stale}
        )
        assert refused.status == 400 and "tải lên lại" in await refused.text()
        clock.advance(timedelta(days=1, minutes=1))
        csrf = await sign_in(client, sessions, thu, clock)
        late = await client.post("/nhap-ke-hoach/xac-nhan", data={"csrf": csrf, "tai-len": stale})
        assert late.status == 400
        await _preview(client, csrf, WORD)  # a new upload sweeps the stale one
        async with sessions() as session:
            kept = (await session.scalars(select(WebUpload.file_name))).all()
        assert kept == [WORD.name]
    assert await _count(sessions, Plan) == 0


async def test_a_unit_that_looks_like_a_registered_one_is_merged_when_ticked(
    sessions: Sessions,
) -> None:
    clock = FakeClock(START)
    admin = await add_officer(sessions, "Hoàng Thị Thu")
    async with sessions.begin() as session:
        await add_unit(session, KNOWN)
    async with web_client(sessions, clock) as client:
        csrf = await sign_in(client, sessions, admin, clock)
        page, upload = await _preview(client, csrf, TEXT)
        assert f"Gộp «{NEAR}» vào «{KNOWN}»" in page
        await _confirm(client, csrf, upload, gop=NEAR)
    async with sessions() as session:
        names = set((await session.scalars(select(Unit.name))).all())
    assert KNOWN in names and NEAR not in names


async def test_only_an_admin_imports(sessions: Sessions) -> None:
    clock = FakeClock(START)
    leader = await add_officer(sessions, "Phạm Quốc Bảo", role="leader")
    async with web_client(sessions, clock) as client:
        csrf = await sign_in(client, sessions, leader, clock)
        assert (await client.get("/nhap-ke-hoach")).status == 403
        posted = await client.post("/nhap-ke-hoach", data=_form(csrf, TEXT.name, TEXT.read_bytes()))
        assert posted.status == 403
    assert await _count(sessions, WebUpload) == 0
