"""Hostile input, end to end: the real webhook server with both channels on one database.

``webhooks(sessions, clock)`` starts what production runs behind one port — the
aiohttp app of ``bot/webhook.py`` with a ``TelegramChannel`` (webhook mode, the
fake Bot API of ``tests/fake_telegram.py``) and a ``ZaloChannel`` (the fake of
``tests/fake_zalo_api.py``) — on ``aiohttp.test_utils.TestServer``. Tests POST
bodies to it with the right secrets and read what the fakes were sent; ``state``
is everything a message may change, to compare before and after.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from itertools import count
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram.channel import TelegramChannel
from bot.channels.zalo.channel import ZaloChannel
from bot.chat.conversation import Conversation
from bot.webhook import build_app
from data.models import Base, InboundUpdate, OfficerLink
from data.people import find_officer
from scheduler.clock import FakeClock
from tests import fake_zalo_api
from tests.fake_telegram import FakeTelegram
from tests.fake_zalo_api import FakeZaloApi
from tests.fakes import chat_links

TELEGRAM_SECRET = "telegram-webhook-secret"
ZALO_SECRET = "zalo-webhook-secret"
SECRETS = {"telegram": TELEGRAM_SECRET, "zalo": ZALO_SECRET}
SECRET_HEADERS = {"telegram": TelegramChannel.secret_header, "zalo": ZaloChannel.secret_header}
OK_STATUSES = frozenset({200, 400, 413})
"""What the server may answer a request carrying the right secret: never 500."""


@dataclass(frozen=True)
class State:
    """Row counts of every table but ``inbound_updates``, and who is linked to which chat."""

    counts: tuple[tuple[str, int], ...]
    links: tuple[tuple[int, int | None, str | None], ...]
    inbound: int


@dataclass
class Webhooks:
    """The running server, its fakes, and helpers to push updates the way providers do."""

    sessions: async_sessionmaker[AsyncSession]
    clock: FakeClock
    client: TestClient[Any, Any]
    telegram: FakeTelegram
    zalo: FakeZaloApi

    def __post_init__(self) -> None:
        self._ids = count(1_000_000)

    async def post(self, channel: str, body: bytes, secret: str | None = None) -> int:
        """POST raw ``body`` to ``/<channel>`` with that channel's secret (or ``secret``)."""
        headers = {
            "Content-Type": "application/json",
            SECRET_HEADERS[channel]: secret or SECRETS[channel],
        }
        async with self.client.post(f"/{channel}", data=body, headers=headers) as response:
            carried = await response.json() if response.content_type == "application/json" else None
            status = response.status
        if channel == "telegram" and isinstance(carried, dict) and "method" in carried:
            await self.telegram.run_from_response(carried)  # Telegram runs a reply in the body
        return status

    async def post_json(self, channel: str, payload: object) -> int:
        return await self.post(channel, json.dumps(payload).encode())

    def next_id(self) -> int:
        """A fresh provider update id (a repeated one would be a redelivery)."""
        return next(self._ids)

    async def telegram_text(self, chat: int, text: str) -> int:
        message = self._telegram_message(chat)
        message["text"] = text
        if text.startswith("/"):
            length = len(text.split()[0].encode("utf-16-le")) // 2
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return await self.post_json("telegram", {"update_id": self.next_id(), "message": message})

    async def telegram_press(self, chat: int, data: str, update_id: int | None = None) -> int:
        """A button press on a (made-up) message of the bot: a forged callback as any other."""
        message = self._telegram_message(chat)
        message["from"] = {"id": 123456789, "is_bot": True, "first_name": "Nhắc việc"}
        message["text"] = "…"
        query = {
            "id": f"cb-{self.next_id()}",
            "from": {"id": chat, "is_bot": False, "first_name": "Cán bộ"},
            "chat_instance": "ci",
            "message": message,
            "data": data,
        }
        update = {"update_id": update_id or self.next_id(), "callback_query": query}
        return await self.post_json("telegram", update)

    async def zalo_text(self, chat: str, text: str) -> int:
        update = fake_zalo_api.text_update(chat, text, f"zm-{self.next_id()}")
        return await self.post_json("zalo", {"ok": True, "result": update})

    def _telegram_message(self, chat: int) -> dict[str, Any]:
        user = {"id": chat, "is_bot": False, "first_name": "Cán bộ"}
        return {
            "message_id": self.next_id(),
            "date": 1_650_000_000,
            "chat": {"id": chat, "type": "private", "first_name": "Cán bộ"},
            "from": user,
        }

    async def link(
        self, name: str, *, telegram: int | None = None, zalo: str | None = None
    ) -> None:
        """Link ``name`` to chats directly (linking by code has its own tests)."""
        async with self.sessions.begin() as s:
            officer = await find_officer(s, name)
            officer.links = chat_links(telegram=telegram, zalo=zalo)

    async def count(self, model: type[object], *where: Any) -> int:
        async with self.sessions() as s:
            query = select(func.count()).select_from(model).where(*where)
            return int(await s.scalar(query) or 0)

    async def state(self) -> State:
        async with self.sessions() as s:
            counts = []
            for table in Base.metadata.sorted_tables:
                if table.name != InboundUpdate.__tablename__:
                    rows = await s.scalar(select(func.count()).select_from(table))
                    counts.append((table.name, int(rows or 0)))
            links = await s.execute(
                select(OfficerLink.officer_id, OfficerLink.channel, OfficerLink.address).order_by(
                    OfficerLink.officer_id, OfficerLink.channel
                )
            )
            inbound = await s.scalar(select(func.count()).select_from(InboundUpdate))
        return State(tuple(counts), tuple(tuple(row) for row in links), int(inbound or 0))


@asynccontextmanager
async def webhooks(
    sessions: async_sessionmaker[AsyncSession], clock: FakeClock
) -> AsyncIterator[Webhooks]:
    """Both channels behind one webhook server, each with its own ``Conversation``."""
    async with FakeTelegram() as fake_telegram:
        fake_zalo = FakeZaloApi()
        await fake_zalo.start()
        telegram = TelegramChannel(
            fake_telegram.token,
            Conversation(sessions, clock),
            base_url=fake_telegram.base_url,
            base_file_url=fake_telegram.base_file_url,
        )
        zalo = ZaloChannel(
            fake_zalo_api.TOKEN,
            Conversation(sessions, clock),
            api_url=fake_zalo.url,
            request_timeout=2.0,
        )
        await telegram.start_webhook("https://bot.example.invalid", TELEGRAM_SECRET)
        await zalo.start_webhook("https://bot.example.invalid", ZALO_SECRET)
        app = build_app([telegram, zalo])
        try:
            async with TestClient(TestServer(app)) as client:
                yield Webhooks(sessions, clock, client, fake_telegram, fake_zalo)
        finally:
            await telegram.stop()
            await zalo.stop()
            await fake_zalo.stop()
