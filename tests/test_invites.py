"""Invite codes: format, hashing, single use, expiry, one officer per chat."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner

from bot.cli import app
from data.db import open_database
from data.errors import UserError
from data.invites import (
    ALPHABET,
    create_invite,
    find_code,
    hash_code,
    new_code,
    officer_for_chat,
    redeem,
    unlink,
)
from data.models import Invite
from data.people import find_officer
from tests.planning_helpers import seed_with_officers

NOW = datetime(2022, 3, 28, 2, 0, tzinfo=UTC)


def test_codes_avoid_look_alike_characters() -> None:
    code = new_code()
    assert code.startswith("NV-") and len(code) == 12
    assert set(code[3:].replace("-", "")) <= set(ALPHABET)
    assert not set("IO01") & set(ALPHABET)


@pytest.mark.parametrize(
    "text",
    ["NV-ABCD-EFGH", "nv-abcd-efgh", "/start NV-ABCD-EFGH", "mã: nv abcd efgh ạ", "NVABCDEFGH"],
)
def test_find_code_normalises(text: str) -> None:
    assert find_code(text) == "NV-ABCD-EFGH"


@pytest.mark.parametrize("text", ["xong BDT22-I.1", "NV-ABCD-EFG", "NV-ABCD-EFGHX", "NV-ABC0-EFGH"])
def test_find_code_ignores_other_text(text: str) -> None:
    assert find_code(text) is None


async def _setup(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int, str]:
    await seed_with_officers(sessions)
    async with sessions.begin() as s:
        mai = (await find_officer(s, "Trần Thị Mai")).id
        hoa = (await find_officer(s, "Điểu Thị Hoa")).id
        code = await create_invite(s, mai, NOW)
    return mai, hoa, code


async def test_only_the_hash_is_stored_and_the_code_links_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    mai, _, code = await _setup(sessions)
    async with sessions.begin() as s:
        stored = (await s.scalars(select(Invite))).one()
        assert stored.code_hash == hash_code(code) and code not in stored.code_hash
        officer = await redeem(s, code.lower(), "telegram", "123", NOW + timedelta(days=6))
    assert officer.id == mai and officer.addresses == {"telegram": "123"}
    async with sessions() as s:
        assert (await officer_for_chat(s, "telegram", "123")).id == mai  # type: ignore[union-attr]
        assert (await officer_for_chat(s, "console", str(mai))).id == mai  # type: ignore[union-attr]
        assert await officer_for_chat(s, "telegram", "abc") is None
        with pytest.raises(UserError, match="đã được sử dụng"):
            await redeem(s, code, "zalo", "z1", NOW)


@pytest.mark.parametrize(
    ("code", "when", "reason"),
    [
        ("NV-AAAA-BBBB", NOW, "không đúng"),
        ("xin chào", NOW, "không đúng"),
        (None, NOW + timedelta(days=7), "hết hạn"),
    ],
)
async def test_unknown_and_expired_codes_are_refused(
    sessions: async_sessionmaker[AsyncSession], code: str | None, when: datetime, reason: str
) -> None:
    _, _, real = await _setup(sessions)
    async with sessions() as s:
        with pytest.raises(UserError, match=reason):
            await redeem(s, code or real, "telegram", "123", when)


async def test_a_chat_linked_to_another_officer_is_refused(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    _, hoa, code = await _setup(sessions)
    async with sessions.begin() as s:
        other = await create_invite(s, hoa, NOW)
        await redeem(s, other, "zalo", "z-1", NOW)
    async with sessions() as s:
        with pytest.raises(UserError, match="cán bộ khác"):
            await redeem(s, code, "zalo", "z-1", NOW)


async def test_the_console_needs_no_code_and_unlink_forgets_the_chat(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    mai, _, code = await _setup(sessions)
    async with sessions.begin() as s:
        with pytest.raises(UserError, match="không cần"):
            await redeem(s, code, "console", str(mai), NOW)
        officer = await redeem(s, code, "telegram", "-100", NOW)
        assert officer.preferred_channel == "telegram"
        assert await unlink(s, officer, "telegram")
        assert not await unlink(s, officer, "telegram")
        assert officer.addresses == {} and officer.preferred_channel is None


def test_the_cli_creates_an_invite_then_chats_and_reminds(
    db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("NHACVIEC_ERROR_LOG", str(tmp_path / "error.log"))
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "@nhacviec_bot")
    runner = CliRunner()
    asyncio.run(_seed(db_url))
    created = runner.invoke(app, ["invite", "create", "tran thi mai"], catch_exceptions=False)
    code = find_code(created.output)
    assert created.exit_code == 0 and code
    assert f"https://t.me/nhacviec_bot?start={code}" in created.output
    chat = runner.invoke(
        app,
        ["chat", "--as", "Mai Thị Xuân", "--now", "2022-03-28T09:00"],
        input="xong rồi ạ\n",
        catch_exceptions=False,
    )
    assert "Đã ghi nhận: BDT22-V.1 — Hoàn thành (đúng hạn)" in chat.output
    reminded = runner.invoke(app, ["remind", "now", "BDT22-I.1"], catch_exceptions=False)
    assert "Đã xếp 2 tin nhắc BDT22-I.1" in reminded.output
    unknown = runner.invoke(app, ["invite", "create", "Không Có Ai"])
    assert unknown.exit_code == 1


async def _seed(url: str) -> None:
    async with open_database(url) as sessions:
        await seed_with_officers(sessions)
