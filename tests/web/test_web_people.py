"""The people page: units and officers added, edited and imported from a CSV with the
CLI's checks; invite codes with a QR code; only the secretary (admin) gets in."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import FormData
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.invites import hash_code
from data.models import Invite, Officer, OfficerContact, Unit
from data.people import add_unit
from scheduler.clock import FakeClock
from tests.web.web_server import START, add_officer, sign_in, web_client

ROSTER = Path(__file__).resolve().parents[2] / "data" / "samples" / "officers.csv"
CODE = re.compile(r'class="invite-code">(NV-[A-Z0-9]{4}-[A-Z0-9]{4})<')
Sessions = async_sessionmaker[AsyncSession]


def _csv(csrf: str, content: bytes) -> FormData:
    form = FormData()
    form.add_field("csrf", csrf)
    form.add_field("tep", content, filename="can-bo.csv", content_type="text/csv")
    return form


async def _officer(sessions: Sessions, name: str) -> Officer:
    async with sessions() as session:
        found = await session.scalar(select(Officer).where(Officer.name == name))
        assert found is not None
        return found


async def test_units_and_officers_are_added_and_edited(sessions: Sessions) -> None:
    clock = FakeClock(START)
    admin = await add_officer(sessions, "Hoàng Thị Thu")
    async with web_client(sessions, clock) as client:
        csrf = await sign_in(client, sessions, admin, clock)
        for name in ("Ban Dân tộc", "Văn phòng (Ban Dân tộc)"):
            added = await client.post(
                "/can-bo/don-vi", data={"csrf": csrf, "ten": name}, allow_redirects=False
            )
            assert added.status == 303
        twice = await client.post("/can-bo/don-vi", data={"csrf": csrf, "ten": "ban dan toc"})
        assert twice.status == 400 and "đã có trong danh sách" in await twice.text()
        new = await client.post(
            "/can-bo/them",
            data={
                "csrf": csrf,
                "ten": "Trần Thị Mai",
                "don-vi": "Văn phòng (Ban Dân tộc)",
                "vai-tro": "officer",
                "dien-thoai": "0901000003",
                "lien-he-telegram": "@ttmai",
            },
            allow_redirects=False,
        )
        assert new.status == 303
        mai = await _officer(sessions, "Trần Thị Mai")
        assert new.headers["Location"] == f"/can-bo/{mai.id}"
        unitless = await client.post(
            "/can-bo/them", data={"csrf": csrf, "ten": "Lê Văn Hùng", "vai-tro": "officer"}
        )
        assert unitless.status == 400 and "cần có đơn vị" in await unitless.text()
        edited = await client.post(
            f"/can-bo/{mai.id}",
            data={
                "csrf": csrf,
                "don-vi": "Ban Dân tộc",
                "vai-tro": "unit_head",
                "lien-he-zalo": "Trần Thị Mai",
                "kenh": "zalo",
            },
            allow_redirects=False,
        )
        assert edited.status == 303
        page = await client.get("/can-bo")
        text = await page.text()
        assert (
            "Trần Thị Mai" in text and "Trưởng đơn vị" in text and "Văn phòng (Ban Dân tộc)" in text
        )
        assert (await client.get(f"/can-bo/{mai.id}")).status == 200
        assert (await client.get("/can-bo/999999")).status == 404
    mai = await _officer(sessions, "Trần Thị Mai")
    async with sessions() as session:
        unit = await session.get(Unit, mai.unit_id)
        contacts = dict(
            (c.channel, c.handle)
            for c in await session.scalars(
                select(OfficerContact).where(OfficerContact.officer_id == mai.id)
            )
        )
    assert unit is not None and unit.name == "Ban Dân tộc"
    assert (mai.role, mai.phone, mai.preferred_channel) == ("unit_head", "0901000003", "zalo")
    assert contacts == {"telegram": "ttmai", "zalo": "Trần Thị Mai"}


async def test_a_roster_lists_every_bad_line_at_once_and_writes_nothing(
    sessions: Sessions,
) -> None:
    clock = FakeClock(START)
    admin = await add_officer(sessions, "Quản trị")
    async with sessions.begin() as session:
        await add_unit(session, "Ban Dân tộc")
    bad = (
        "name,unit,role,phone\n"
        "Phạm Quốc Bảo,Ban Dân tộc,leader,\n"
        "Lê Văn Hùng,Ban Dan Toc Tinh,officer,\n"
        "Trần Thị Mai,Ban Dân tộc,thư ký,\n"
    ).encode()
    async with web_client(sessions, clock) as client:
        csrf = await sign_in(client, sessions, admin, clock)
        refused = await client.post("/can-bo/nhap", data=_csv(csrf, bad))
        text = await refused.text()
        assert refused.status == 400
        assert "Dòng 3:" in text and "Dòng 4:" in text and "Dòng 2:" not in text
        async with sessions() as session:
            assert (await session.scalars(select(Officer.name))).all() == ["Quản trị"]
        async with sessions.begin() as session:
            for name in ("Văn phòng (Ban Dân tộc)", "Phòng Tuyên truyền và Địa bàn (Ban Dân tộc)"):
                await add_unit(session, name)
            await add_unit(session, "Cơ quan công tác dân tộc cấp huyện")
        first_nine = b"".join(ROSTER.read_bytes().splitlines(keepends=True)[:10])
        imported = await client.post("/can-bo/nhap", data=_csv(csrf, first_nine))
        assert imported.status == 200, await imported.text()
        assert "9 cán bộ mới" in await imported.text()


async def test_an_invite_has_its_qr_code_and_inviting_again_retires_the_old_code(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "nhacviec_bot")
    clock = FakeClock(START)
    admin = await add_officer(sessions, "Hoàng Thị Thu")
    bao = await add_officer(sessions, "Phạm Quốc Bảo", role="leader")
    async with web_client(sessions, clock) as client:
        csrf = await sign_in(client, sessions, admin, clock)
        first = await client.post(f"/can-bo/{bao}/moi", data={"csrf": csrf})
        text = await first.text()
        assert first.status == 200
        found = CODE.search(text)
        assert found
        old = found.group(1)
        assert f"https://t.me/nhacviec_bot?start={old}" in text
        assert 'class="qr" src="data:image/svg+xml' in text
        page = await client.get(f"/can-bo/{bao}")
        assert "Gửi lại mã mời" in await page.text()
        clock.advance(timedelta(minutes=5))
        again = await client.post(f"/can-bo/{bao}/moi", data={"csrf": csrf})
        new = CODE.search(await again.text())
        assert new and new.group(1) != old
    async with sessions() as session:
        invites = {
            i.code_hash: i for i in await session.scalars(select(Invite).order_by(Invite.id))
        }
    assert invites[hash_code(old)].expires_at == START + timedelta(minutes=5)
    assert invites[hash_code(new.group(1))].expires_at == START + timedelta(days=7, minutes=5)


@pytest.mark.parametrize("role", ["officer", "unit_head", "leader"])
async def test_only_the_secretary_opens_the_people_pages(sessions: Sessions, role: str) -> None:
    clock = FakeClock(START)
    someone = await add_officer(sessions, "Đỗ Thị Hạnh", role=role)
    async with web_client(sessions, clock) as client:
        csrf = await sign_in(client, sessions, someone, clock)
        assert (await client.get("/can-bo")).status == 403
        assert (await client.get(f"/can-bo/{someone}")).status == 403
        invite = await client.post(f"/can-bo/{someone}/moi", data={"csrf": csrf})
        assert invite.status == 403
        unit = await client.post("/can-bo/don-vi", data={"csrf": csrf, "ten": "Ban Dân tộc"})
        assert unit.status == 403
    async with sessions() as session:
        assert (await session.scalars(select(Invite))).all() == []
        assert (await session.scalars(select(Unit))).all() == []
