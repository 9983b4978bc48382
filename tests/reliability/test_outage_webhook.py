"""The database goes away while updates arrive by webhook: 503, nothing lost, nothing twice.

The real server (``bot/webhook.py``) with the real Zalo channel and conversation,
whose engine reaches PostgreSQL through a TCP proxy (``tcp_proxy.py``). While the
proxy refuses connections, every update is answered 503 (never the apology) and
nothing of it is recorded; once the database is back, the provider's redelivery
of each is recorded once, and a second redelivery changes nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.zalo.channel import ZaloChannel
from bot.chat import texts
from bot.chat.conversation import Conversation
from bot.webhook import bound_port, build_app, serve
from data.db import create_engine, sessionmaker
from data.models import InboundUpdate, StatusUpdate
from data.people import find_officer
from scheduler.clock import FakeClock
from tests.fake_zalo_api import TOKEN, FakeZaloApi, text_update
from tests.fakes import chat_links
from tests.planning_helpers import MAI, START, seed_with_officers
from tests.reliability.tcp_proxy import TcpProxy

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.postgres,
    pytest.mark.parametrize("db_url", ["postgres"], indirect=True),
]

SECRET = "zalo-outage-secret"
CHAT = "zc-mai"
DURING_OUTAGE = 6


@dataclass
class Rig:
    setup: async_sessionmaker[AsyncSession]
    proxy: TcpProxy
    zalo: FakeZaloApi
    webhook: str

    async def push(self, message_id: str, text: str) -> int:
        update = text_update(CHAT, text, message_id)
        return await self.zalo.push(update, self.webhook, SECRET)

    async def count(self, model: type[object], *where: ColumnElement[bool]) -> int:
        async with self.setup() as s:
            query = select(func.count()).select_from(model).where(*where)
            return int(await s.scalar(query) or 0)


@pytest.fixture
async def rig(db_url: str, sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Rig]:
    await seed_with_officers(sessions)
    async with sessions.begin() as s:
        (await find_officer(s, MAI)).links = chat_links(zalo=CHAT)
    url = make_url(db_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    proxied = create_engine(
        url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    )
    zalo = FakeZaloApi()
    await zalo.start()
    channel = ZaloChannel(
        TOKEN, Conversation(sessionmaker(proxied), FakeClock(START)), api_url=zalo.url
    )
    runner = await serve(build_app([channel]), "127.0.0.1", 0)
    base = f"http://127.0.0.1:{bound_port(runner)}"
    await channel.start_webhook(base, SECRET)
    try:
        yield Rig(sessions, proxy, zalo, base + channel.webhook_path)
    finally:
        await runner.cleanup()
        await channel.stop()
        await zalo.stop()
        await proxied.dispose()
        await proxy.stop()


async def test_updates_during_an_outage_get_503_and_are_recorded_once_on_redelivery(
    rig: Rig,
) -> None:
    assert await rig.push("before", "đang làm 5% BDT22-I.1") == 200
    await rig.proxy.cut()
    outage = [(f"m{n}", f"đang làm {10 * (n + 1)}% BDT22-I.1") for n in range(DURING_OUTAGE)]
    assert [await rig.push(mid, text) for mid, text in outage] == [503] * DURING_OUTAGE
    ids = [mid for mid, _ in outage]
    assert await rig.count(InboundUpdate, InboundUpdate.update_id.in_(ids)) == 0
    assert await rig.count(StatusUpdate) == 1
    assert texts.SORRY not in rig.zalo.texts(CHAT)

    await rig.proxy.restore()
    assert [await rig.push(mid, text) for mid, text in outage] == [200] * DURING_OUTAGE
    assert [await rig.push(mid, text) for mid, text in outage] == [200] * DURING_OUTAGE
    assert await rig.count(InboundUpdate, InboundUpdate.update_id.in_(ids)) == DURING_OUTAGE
    assert await rig.count(StatusUpdate) == 1 + DURING_OUTAGE
    sent = rig.zalo.texts(CHAT)
    assert texts.SORRY not in sent
    assert len(sent) == 1 + DURING_OUTAGE, "one confirmation per update, none for a redelivery"
