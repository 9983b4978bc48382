"""``nhacviec run`` wiring: the whole service against local fake Telegram and Zalo Bot APIs."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime

import aiohttp
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import serve_forever
from bot.settings import Settings
from data.invites import create_invite
from data.models import InboundUpdate, Officer
from scheduler.clock import TZ, FakeClock
from tests.fake_telegram import FakeTelegram
from tests.fake_zalo_api import FakeZaloApi, text_update
from tests.planning_helpers import seed_with_officers

pytestmark = pytest.mark.e2e
Sessions = async_sessionmaker[AsyncSession]
SECRET = "run-test-secret-123"
SECRET_VARIABLE = "ZALO_WEBHOOK_SECRET"


@pytest.fixture
async def fake() -> AsyncIterator[FakeZaloApi]:
    api = FakeZaloApi(hang=0.2)
    await api.start()
    try:
        yield api
    finally:
        await api.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _invite(sessions: Sessions, name: str, now: datetime) -> str:
    async with sessions() as s:
        officer = await s.scalar(select(Officer).where(Officer.name == name))
        assert officer is not None
        code = await create_invite(s, officer.id, now)
        await s.commit()
    return code


async def _serving(sessions: Sessions, settings: Settings, clock: FakeClock) -> asyncio.Task[None]:
    stop = asyncio.Event()
    task = asyncio.create_task(serve_forever(sessions, settings, clock, stop))
    task.stop = stop  # type: ignore[attr-defined]
    return task


async def _shutdown(task: asyncio.Task[None]) -> None:
    task.stop.set()  # type: ignore[attr-defined]
    await asyncio.wait_for(task, 10)


async def test_run_links_by_polling_and_sends_the_morning_reminders(
    sessions: Sessions, fake: FakeZaloApi
) -> None:
    await seed_with_officers(sessions)
    clock = FakeClock(datetime(2022, 3, 11, 8, 0, tzinfo=TZ))
    code = await _invite(sessions, "Lê Văn Hùng", clock.now())
    settings = Settings(
        channels={"ZALO_BOT_TOKEN": fake.token, "ZALO_API_URL": fake.url},
        dispatch_seconds=0.2,
        listen="127.0.0.1",
        port=_free_port(),
    )
    task = await _serving(sessions, settings, clock)
    try:
        fake.queue(text_update("z-hung", code, "m1"))
        texts = await fake.wait_sent("z-hung", 2, timeout=15)
    finally:
        await _shutdown(task)
    assert any("Lê Văn Hùng" in t for t in texts), texts
    assert any("BDT22-I.1" in t and "XONG BDT22-I.1" in t for t in texts), texts


async def test_run_in_webhook_mode_refuses_a_forged_secret(
    sessions: Sessions, fake: FakeZaloApi
) -> None:
    await seed_with_officers(sessions)
    clock = FakeClock(datetime(2022, 1, 5, 9, 0, tzinfo=TZ))
    code = await _invite(sessions, "Trần Thị Mai", clock.now())
    port = _free_port()
    settings = Settings(
        channels={"ZALO_BOT_TOKEN": fake.token, "ZALO_API_URL": fake.url, SECRET_VARIABLE: SECRET},
        webhook_url="https://nhacviec.example.gov.vn/hook",
        listen="127.0.0.1",
        port=port,
        role="bot",
    ).checked()
    task = await _serving(sessions, settings, clock)
    try:
        for _ in range(100):
            if fake.webhook["url"]:
                break
            await asyncio.sleep(0.05)
        url = f"http://127.0.0.1:{port}/zalo"
        assert fake.webhook == {
            "url": "https://nhacviec.example.gov.vn/hook/zalo",
            "secret_token": SECRET,
        }
        assert await fake.push(text_update("z-mai", code, "w1"), url, "wrong-secret") == 403
        assert fake.texts("z-mai") == []
        assert await fake.push(text_update("z-mai", code, "w2"), url, SECRET) == 200
        texts = await fake.wait_sent("z-mai", 1)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as health:
                assert health.status == 200
            async with http.get(f"http://127.0.0.1:{port}/metrics") as metrics:
                body = await metrics.text()
        assert 'nhacviec_inbound_ledger_updates{channel="zalo"} 1' in body
    finally:
        await _shutdown(task)
    assert "Trần Thị Mai" in texts[0]


def _start_update(chat: int, code: str) -> dict[str, object]:
    """Telegram's update for ``/start CODE`` from a private chat: it links that chat."""
    text = f"/start {code}"
    return {
        "update_id": 900,
        "message": {
            "message_id": 1,
            "date": 1_650_000_000,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "X"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def _registered(telegram: FakeTelegram, zalo: FakeZaloApi, n: int) -> tuple[str, str]:
    """The secrets the latest of ``n`` instances gave Telegram and Zalo at ``setWebhook``."""
    for _ in range(200):
        calls = [c for c in telegram.calls if c.method == "setWebhook"]
        if len(calls) >= n and zalo.webhook["url"]:
            return str(calls[-1].params["secret_token"]), zalo.webhook["secret_token"]
        await asyncio.sleep(0.05)
    raise AssertionError("the service did not register its webhooks")


async def test_each_provider_gets_its_own_secret_so_zalos_cannot_forge_a_telegram_update(
    sessions: Sessions, fake: FakeZaloApi
) -> None:
    await seed_with_officers(sessions)
    clock = FakeClock(datetime(2022, 1, 5, 9, 0, tzinfo=TZ))
    code = await _invite(sessions, "Trần Thị Mai", clock.now())
    async with FakeTelegram() as telegram:
        port = _free_port()
        settings = Settings(
            channels={
                "TELEGRAM_BOT_TOKEN": telegram.token,
                "TELEGRAM_API_URL": f"http://127.0.0.1:{telegram.port}",
                "ZALO_BOT_TOKEN": fake.token,
                "ZALO_API_URL": fake.url,
            },
            webhook_url="https://nhacviec.example.gov.vn/hook",
            listen="127.0.0.1",
            port=port,
            role="bot",
        ).checked()
        task = await _serving(sessions, settings, clock)
        try:
            telegram_secret, zalo_secret = await _registered(telegram, fake, 1)
            url = f"http://127.0.0.1:{port}/telegram"
            header = "X-Telegram-Bot-Api-Secret-Token"
            async with aiohttp.ClientSession() as http:
                forged = {header: zalo_secret}  # all that Zalo's side ever saw
                async with http.post(url, json=_start_update(666, code), headers=forged) as answer:
                    assert answer.status == 403
                async with sessions() as s:
                    assert await s.scalar(select(func.count()).select_from(InboundUpdate)) == 0
                assert telegram.sent == []
                genuine = {header: telegram_secret}
                async with http.post(
                    url, json=_start_update(5001, code), headers=genuine
                ) as answer:
                    assert answer.status == 200
                    await telegram.run_from_response(await answer.json())  # the reply rides it
            assert "Xin chào Trần Thị Mai" in telegram.sent_to(5001)[0].plain
            second = await _serving(sessions, replace(settings, port=_free_port()), clock)
            try:  # another instance (or the next start) gives the providers the same secrets
                assert await _registered(telegram, fake, 2) == (telegram_secret, zalo_secret)
            finally:
                await _shutdown(second)
        finally:
            await _shutdown(task)
    assert telegram_secret != zalo_secret
    assert len(telegram_secret) >= 32 and len(zalo_secret) >= 32
