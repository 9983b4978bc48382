"""``officer show`` / ``officer prefer``: an officer's chats and the order reminders take."""

from __future__ import annotations

import asyncio

import pytest
from typer.testing import CliRunner, Result

from bot.commands.links import links
from data.db import create_engine, sessionmaker
from data.people import find_officer
from tests.fakes import World


async def _world(url: str) -> None:
    engine = create_engine(url)
    try:
        world = World(sessionmaker(engine))
        unit = await world.unit("Ban Dân tộc")
        await world.officer("Trần Thị Mai", unit, telegram=501, zalo="zc-mai")
        await world.officer("Lê Văn Hùng", unit, zalo="zc-hung")
        await world.officer("Đỗ Văn Nam", unit)
    finally:
        await engine.dispose()


async def _preferred(url: str, name: str) -> str | None:
    engine = create_engine(url)
    try:
        async with sessionmaker(engine)() as s:
            return (await find_officer(s, name)).preferred_channel
    finally:
        await engine.dispose()


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", db_url)
    asyncio.run(_world(db_url))

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(links, list(args), catch_exceptions=False)

    return invoke


def test_it_shows_links_and_the_route_in_dispatch_order(cli, db_url: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("show")
    assert result.exit_code == 0, result.output
    lines = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if "│" in line}
    assert "telegram → zalo" in lines["Trần Thị Mai"] and "501" in lines["Trần Thị Mai"]
    assert "zalo" in lines["Lê Văn Hùng"] and "→" not in lines["Lê Văn Hùng"]
    assert "chưa liên kết kênh nào" in lines["Đỗ Văn Nam"]


def test_prefer_zalo_puts_zalo_first(cli, db_url: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("prefer", "tran thi mai", "zalo")
    assert result.exit_code == 0, result.output
    assert "Trần Thị Mai: nhắc việc gửi qua zalo → telegram." in result.stdout
    assert asyncio.run(_preferred(db_url, "Trần Thị Mai")) == "zalo"


def test_prefer_an_unlinked_channel_says_when_it_takes_effect(cli, db_url: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("prefer", "Lê Văn Hùng", "telegram")
    assert result.exit_code == 0, result.output
    assert "chưa liên kết telegram" in result.stdout


def test_an_unknown_channel_or_officer_is_refused(cli, db_url: str) -> None:  # type: ignore[no-untyped-def]
    refused = cli("prefer", "Trần Thị Mai", "sms")
    assert refused.exit_code == 1 and "Không có kênh «sms»" in refused.output
    assert cli("prefer", "Trần Thị Mai", "console").exit_code == 1, "the console never links"
    assert cli("show", "Không Có Ai").exit_code == 1
    assert asyncio.run(_preferred(db_url, "Trần Thị Mai")) is None
