"""``/web`` in chat answers with a one-time sign-in link that opens the pages, once."""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat import texts
from bot.chat.conversation import Conversation, Incoming
from data.people import find_officer
from scheduler.clock import FakeClock
from tests.fakes import chat_links
from tests.planning_helpers import BAO, START, seed_with_officers
from tests.web.web_server import web_client

LINK = re.compile(r"http://nhacviec\.test/dang-nhap/(\S+)")


async def _say(conversation: Conversation, chat: str, text: str) -> str:
    answers = await conversation.handle(Incoming("telegram", chat, text=text, update_id=text))
    return answers[0].text


async def test_web_in_chat_gives_a_link_that_signs_in_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seed_with_officers(sessions)
    async with sessions.begin() as session:
        officer = await find_officer(session, BAO)
        officer.links += chat_links(telegram=4242)
    clock = FakeClock(START)
    conversation = Conversation(sessions, clock, pages_url="http://nhacviec.test")
    answer = await _say(conversation, "4242", "/web")
    found = LINK.search(answer)
    assert found, answer
    assert "15 phút" in answer
    async with web_client(sessions, clock) as client:
        first = await client.post(f"/dang-nhap/{found.group(1)}", allow_redirects=False)
        assert first.status == 303
        again = await client.post(f"/dang-nhap/{found.group(1)}", allow_redirects=False)
        assert again.status == 403


async def test_without_pages_web_says_so(sessions: async_sessionmaker[AsyncSession]) -> None:
    await seed_with_officers(sessions)
    async with sessions.begin() as session:
        officer = await find_officer(session, BAO)
        officer.links += chat_links(telegram=4242)
    conversation = Conversation(sessions, FakeClock(START))
    assert await _say(conversation, "4242", "/web") == texts.WEB_OFF
