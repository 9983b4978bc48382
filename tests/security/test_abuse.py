"""Abuse by people who can reach the bot: injection-looking text, strangers, borrowed codes,
curious officers, forged buttons and floods. Each test runs on SQLite and PostgreSQL.

Most go through the real webhook server (``tests/security/__init__.py``), so what is
checked is what a chat would see; the flood tests call ``Conversation.handle``
directly, where the limit lives.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat import texts
from bot.chat.conversation import Answer, Conversation, Incoming
from data.invites import create_invite
from data.models import (
    Assignment,
    ExtensionRequest,
    InboundUpdate,
    Officer,
    OfficerLink,
    Progress,
    Reminder,
    StatusUpdate,
    Task,
    Unit,
)
from data.people import find_officer
from scheduler.clock import TZ, FakeClock
from tests.fakes import chat_links
from tests.planning_helpers import (
    BAO,
    HOA,
    HUNG,
    LE,
    MAI,
    START,
    XUAN,
    seed_with_officers,
    work_ids,
)
from tests.security import Webhooks, webhooks

MAI_CHAT, HUNG_CHAT, BAO_CHAT, XUAN_CHAT = 7001, 7002, 7003, 7004
HOSTILE = "chờ '; DROP TABLE officers; -- \" OR 1=1 -- <script>alert(1)</script> <b> &amp; hết"
"""SQL-ish and HTML-ish, as the reason a blocked officer types when asked for it."""
NO_LINK_TOAST = "Tài khoản chưa được liên kết."


@pytest.fixture
async def server(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Webhooks]:
    await seed_with_officers(sessions)
    async with webhooks(sessions, FakeClock(START)) as running:
        yield running


def plain(server: Webhooks, chat: int) -> list[str]:
    """What a Telegram chat was sent, as its user reads it."""
    return [message.plain for message in server.telegram.sent_to(chat)]


def toasts(server: Webhooks) -> list[str | None]:
    return [answer.get("text") for answer in server.telegram.callback_answers]


async def work(sessions: async_sessionmaker[AsyncSession], code: str, name: str) -> str:
    """``w<assignment>.<due>`` of ``code`` for ``name``'s unit: a well-formed button reference."""
    async with sessions() as s:
        officer = await find_officer(s, name)
        assignment_id, due_id = await work_ids(s, code, officer.unit_id)
    return f"w{assignment_id}.{due_id}"


async def progress_rows(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[Any, ...]]:
    async with sessions() as s:
        rows = await s.execute(
            select(Progress.id, Progress.state, Progress.percent, Progress.extended_to).order_by(
                Progress.id
            )
        )
        requests = await s.execute(select(ExtensionRequest.id, ExtensionRequest.state))
        return [tuple(row) for row in rows] + [tuple(row) for row in requests]


# --- injection-looking text ---------------------------------------------------------------


async def test_sql_and_html_text_is_stored_verbatim_and_echoed_safely(server: Webhooks) -> None:
    await server.link(MAI, telegram=MAI_CHAT)
    await server.link(HOA, zalo="z-hoa")
    officers = await server.count(Officer)
    for status in (  # "blocked" asks the reason; the hostile text answers it
        await server.telegram_text(MAI_CHAT, "BDT22-I.1 vướng"),
        await server.telegram_text(MAI_CHAT, HOSTILE),
        await server.zalo_text("z-hoa", "BDT22-IV.3 vướng"),
        await server.zalo_text("z-hoa", HOSTILE),
    ):
        assert status == 200

    async with server.sessions() as s:
        stored = (await s.execute(select(StatusUpdate.channel, StatusUpdate.raw_text))).all()
    assert sorted(stored) == [("telegram", HOSTILE), ("zalo", HOSTILE)]
    assert await server.count(Officer) == officers

    _, sent = server.telegram.sent_to(MAI_CHAT)
    made = server.telegram.calls + server.telegram.in_responses  # a reply may ride the response
    calls = [c for c in made if c.method == "sendMessage"]
    assert [c.params["parse_mode"] for c in calls] == ["HTML", "HTML"]
    assert "<script>" not in sent.text and "<b> " not in sent.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt; &amp;amp; hết" in sent.text
    assert HOSTILE in sent.plain  # escaped once: the officer reads exactly what was typed
    zalo_answer = server.zalo.texts("z-hoa")[-1]
    assert HOSTILE in zalo_answer  # plain text: no escaping, nothing interpreted


async def test_sql_looking_names_and_codes_find_nothing_and_break_nothing(
    server: Webhooks,
) -> None:
    await server.link(BAO, telegram=BAO_CHAT)
    before = await server.state()
    for text in ("/donvi ' OR 1=1 --", "/tonghop '; DROP TABLE officers; --", '/lichsu " OR 1=1'):
        assert await server.telegram_text(BAO_CHAT, text) == 200
    answers = plain(server, BAO_CHAT)
    assert len(answers) == 3
    assert all("Không" in answer and "BDT22" not in answer for answer in answers), answers
    after = await server.state()
    assert (after.counts, after.links) == (before.counts, before.links)


# --- strangers and borrowed codes ---------------------------------------------------------


async def test_an_unlinked_chat_gets_only_the_short_explanation(server: Webhooks) -> None:
    before = await server.state()
    stranger = 555_001
    commands = ("/viec", "/tonghop", "/quahan", "/lichsu BDT22-I.1", "xong BDT22-I.1")
    for text in commands:
        assert await server.telegram_text(stranger, text) == 200
        assert await server.zalo_text("z-stranger", text) == 200
    for payload in (f"s:d:{await work(server.sessions, 'BDT22-I.1', MAI)}", "v:1", "g:a:1"):
        assert await server.telegram_press(stranger, payload) == 200
    assert plain(server, stranger) == [texts.UNKNOWN_CHAT] * len(commands)
    assert server.zalo.texts("z-stranger") == [texts.UNKNOWN_CHAT] * len(commands)
    assert toasts(server) == [NO_LINK_TOAST] * 3
    after = await server.state()
    assert (after.counts, after.links) == (before.counts, before.links)


async def test_someone_elses_used_code_or_an_expired_code_links_nothing(server: Webhooks) -> None:
    async with server.sessions.begin() as s:
        mai, xuan = await find_officer(s, MAI), await find_officer(s, XUAN)
        code = await create_invite(s, mai.id, START)
        expired = await create_invite(s, xuan.id, START - timedelta(days=8))
    assert await server.telegram_text(601, f"/start {code}") == 200
    assert plain(server, 601)[0].startswith(f"Xin chào {MAI}!")
    before = await server.state()

    await server.telegram_text(602, f"/start {code}")  # the same code from another chat
    await server.zalo_text("z-602", f"mã của tôi {code}")
    await server.telegram_text(603, f"/start {expired}")
    assert "đã được sử dụng" in plain(server, 602)[0]
    assert "đã được sử dụng" in server.zalo.texts("z-602")[0]
    assert "hết hạn" in plain(server, 603)[0]
    after = await server.state()
    assert (after.counts, after.links) == (before.counts, before.links)
    async with server.sessions() as s:
        linked = await s.execute(
            select(Officer.name, OfficerLink.channel, OfficerLink.address).join(OfficerLink)
        )
    assert linked.all() == [(MAI, "telegram", "601")]
    for chat in (602, 603):  # still strangers: no data
        await server.telegram_text(chat, "/viec")
        assert plain(server, chat)[-1] == texts.UNKNOWN_CHAT


# --- summaries of other units -------------------------------------------------------------


async def codes_only_elsewhere(sessions: async_sessionmaker[AsyncSession], name: str) -> set[str]:
    """Task codes assigned to other units and never to ``name``'s unit."""
    async with sessions() as s:
        officer = await find_officer(s, name)
        rows = (await s.execute(select(Task.code, Assignment.unit_id).join(Assignment))).all()
    own = {code for code, unit in rows if unit == officer.unit_id}
    return {code for code, _ in rows} - own


async def test_an_officer_or_unit_head_sees_no_other_units_summary(server: Webhooks) -> None:
    server.clock.set(datetime(2022, 12, 31, 9, 0, tzinfo=TZ))  # most items are overdue by then
    await server.link(MAI, telegram=MAI_CHAT)
    await server.link(HUNG, telegram=HUNG_CHAT)
    for command in ("/tonghop", "/quahan", "/donvi van phong", "/giahan", "/nhacngay BDT22-IV.2"):
        await server.telegram_text(MAI_CHAT, command)
    assert plain(server, MAI_CHAT) == [texts.NOT_ALLOWED] * 5

    for command in (
        "/tonghop",
        "/quahan",
        "/donvi hoi dong thi dua khen thuong co so",
        "/tonghop van phong",
    ):
        await server.telegram_text(HUNG_CHAT, command)
    summary, overdue, other_unit, sub_unit = plain(server, HUNG_CHAT)
    assert summary.startswith("Tổng hợp tiến độ — Ban Dân tộc (")
    assert "đơn vị mình" in other_unit and "đơn vị mình" in sub_unit
    listed = re.findall(r"^• (\S+) · (.+): quá hạn", summary + "\n" + overdue, re.MULTILINE)
    assert listed and {unit for _, unit in listed} == {"Ban Dân tộc"}
    elsewhere = await codes_only_elsewhere(server.sessions, HUNG)
    async with server.sessions() as s:
        other_names = set(await s.scalars(select(Unit.name).where(Unit.name != "Ban Dân tộc")))
    for answer in (summary, overdue):
        assert not {code for code in elsewhere if code in answer}
        assert not {name for name in other_names if name in answer}


# --- forged buttons -----------------------------------------------------------------------


async def test_a_forged_callback_cannot_change_another_officers_task(server: Webhooks) -> None:
    await server.link(MAI, telegram=MAI_CHAT)
    await server.link(XUAN, telegram=XUAN_CHAT)
    await server.telegram_text(XUAN_CHAT, "xin gia hạn BDT22-V.1 đến 30/6/2022 vì chờ số liệu")
    async with server.sessions() as s:
        request = (await s.scalars(select(ExtensionRequest))).one()
        xuan = await find_officer(s, XUAN)
        progress = await s.get(Progress, request.progress_id)
        assert progress is not None
        reminder = Reminder(
            key="test-xuan",
            due_id=progress.due_id,
            assignment_id=progress.assignment_id,
            recipient_id=xuan.id,
            kind="before",
            slot="test",
            scheduled_at=START,
            state="sent",
            channel="telegram",
            provider_message_id="m-x",
        )
        s.add(reminder)
        await s.commit()
    others = (
        await work(server.sessions, "BDT22-IV.2", LE),
        await work(server.sessions, "BDT22-V.1", XUAN),
        f"r{reminder.id}",
    )
    forged = [f"s:{act}:{ref}" for ref in others for act in ("d", "p50", "x20221231", "n")]
    forged += [f"g:a:{request.id}", f"g:r:{request.id}"]  # a leader's decision, by an officer
    garbled = ["s:d:r1" + "9" * 100, "s:d:r-1", "s:d:w1.1;DROP", "\x00\xff", HOSTILE, ""]
    before = await progress_rows(server.sessions)
    updates = await server.count(StatusUpdate)
    for payload in forged + garbled:
        assert await server.telegram_press(MAI_CHAT, payload) == 200
        server.clock.advance(timedelta(seconds=5))  # a person pressing, not a flood
    assert await progress_rows(server.sessions) == before
    assert await server.count(StatusUpdate) == updates
    assert len(toasts(server)) == len(forged + garbled)
    for toast in toasts(server):  # a short polite refusal, never an error
        assert toast and toast != "Có lỗi" and "Traceback" not in toast, toast
    assert all("BDT22-V.1" not in text for text in plain(server, MAI_CHAT))


async def test_a_replayed_button_changes_nothing_the_second_time(server: Webhooks) -> None:
    await server.link(MAI, telegram=MAI_CHAT)
    own = f"s:d:{await work(server.sessions, 'BDT22-I.1', MAI)}"
    assert await server.telegram_press(MAI_CHAT, own, update_id=77) == 200
    done = await progress_rows(server.sessions)
    assert await server.count(StatusUpdate) == 1
    assert await server.telegram_press(MAI_CHAT, own, update_id=77) == 200  # a redelivery
    assert await server.telegram_press(MAI_CHAT, own) == 200  # the same payload, pressed again
    assert await progress_rows(server.sessions) == done
    assert await server.count(StatusUpdate) == 1
    first, redelivered, again = toasts(server)
    assert first == "Đã ghi nhận" and redelivered is None and "hoàn thành" in (again or "")


# --- the inbound limit ----------------------------------------------------------------------


class Chats:
    """Conversations on one database (two instances) and fresh update ids."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self.clock = FakeClock(START)
        self.instances = (Conversation(sessions, self.clock), Conversation(sessions, self.clock))
        self._ids = iter(range(1, 1_000_000))

    async def send(self, chat: str, text: str | None = None, **kw: Any) -> list[Answer]:
        """One update, handled by instance 1 or 2 in turn (the limit is in the database)."""
        update_id = kw.pop("update_id", None) or str(next(self._ids))
        conversation = self.instances[int(update_id) % 2]
        return await conversation.handle(
            Incoming("telegram", chat, text=text, update_id=update_id, **kw)
        )

    async def link(self, name: str, chat: int) -> str:
        async with self.sessions.begin() as s:
            (await find_officer(s, name)).links = chat_links(telegram=chat)
        return str(chat)


@pytest.fixture
async def chats(sessions: async_sessionmaker[AsyncSession]) -> Chats:
    await seed_with_officers(sessions)
    return Chats(sessions)


async def count(sessions: async_sessionmaker[AsyncSession], model: Any, *where: Any) -> int:
    async with sessions() as s:
        return len((await s.execute(select(model).where(*where))).all())


async def test_a_burst_of_30_keeps_the_first_20_warns_once_and_ignores_the_rest(
    chats: Chats,
) -> None:
    xuan = await chats.link(XUAN, XUAN_CHAT)
    mai = await chats.link(MAI, MAI_CHAT)
    burst = [await chats.send(xuan, f"BDT22-V.1 đang làm {n}%") for n in range(1, 31)]
    assert all(len(a) == 1 and a[0].text.startswith("Đã ghi nhận") for a in burst[:20])
    assert burst[20] == [Answer(texts.TOO_MANY)]
    assert burst[21:] == [[]] * 9
    async with chats.sessions() as s:
        percents = list(await s.scalars(select(StatusUpdate.percent).order_by(StatusUpdate.id)))
    assert percents == list(range(1, 21))  # the first 20, none lost, none of the rest
    assert await count(chats.sessions, InboundUpdate, InboundUpdate.chat_id == xuan) == 30

    [other] = await chats.send(mai, "/viec")  # another chat is not affected
    assert "BDT22-I.1" in other.text
    chats.clock.advance(timedelta(seconds=59))
    assert await chats.send(xuan, "BDT22-V.1 đang làm 90%") == []  # still within the minute
    chats.clock.advance(timedelta(seconds=61))
    [served] = await chats.send(xuan, "BDT22-V.1 đang làm 95%")
    assert served.text.startswith("Đã ghi nhận: BDT22-V.1 — Đang thực hiện 95%")
    assert await count(chats.sessions, StatusUpdate) == 21


async def test_presses_and_refusals_count_and_a_redelivery_is_not_warned_twice(
    chats: Chats,
) -> None:
    mai = await chats.link(MAI, MAI_CHAT)
    refused = [await chats.send(mai, "/tonghop") for _ in range(10)]  # not a leader
    presses = [await chats.send(mai, button="s:d:r99999") for _ in range(10)]
    assert refused == [[Answer(texts.NOT_ALLOWED)]] * 10
    assert all(answer.text == "" and answer.toast for [answer] in presses)
    [warning] = await chats.send(mai, button="v:0", update_id="5000")
    assert warning == Answer("", toast=texts.TOO_MANY)
    assert await chats.send(mai, button="v:0", update_id="5000") == []  # a redelivery
    assert await chats.send(mai, "/viec") == []
    assert await count(chats.sessions, InboundUpdate) == 22  # 20 served, 2 refused


async def test_console_input_without_update_ids_is_not_limited(chats: Chats) -> None:
    async with chats.sessions() as s:
        mai = str((await find_officer(s, MAI)).id)
    conversation = chats.instances[0]
    answers = [await conversation.handle(Incoming("console", mai, text="/viec")) for _ in range(25)]
    assert all(len(a) == 1 and "BDT22-I.1" in a[0].text for a in answers)


async def test_a_flood_on_zalo_is_told_once_through_the_channel(server: Webhooks) -> None:
    await server.link(XUAN, zalo="z-xuan")
    for n in range(22):
        assert await server.zalo_text("z-xuan", f"đang làm {n + 1}%") == 200
    answers = server.zalo.texts("z-xuan")
    assert len(answers) == 21 and answers[-1] == texts.TOO_MANY
    assert all(a.startswith("Đã ghi nhận: BDT22-V.1") for a in answers[:20])
    assert await server.count(StatusUpdate) == 20
