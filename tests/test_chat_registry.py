"""The chat-command registry: one declaration drives the router, /huongdan, roles and menus."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from sqlalchemy import update
from telegram.ext import CommandHandler

from bot.channels.telegram.channel import TelegramChannel
from bot.chat import registry, texts
from bot.chat.conversation import Conversation
from bot.chat.messages import Answer, Turn
from data.models import InboundUpdate, Officer
from scheduler.clock import FakeClock
from tests.fake_telegram import FakeTelegram
from tests.planning_helpers import BAO, HUNG, MAI, PHUONG, START
from tests.test_conversation import Chat, chat

__all__ = ["chat"]  # the fixture, shared with the conversation's tests

OFFICER_COMMANDS = {
    "viec",
    "capnhat",
    "lichsu",
    "sanpham",
    "nhaclai",
    "huongdan",
    "huydangky",
    "web",
}
LEADER_COMMANDS = {"tonghop", "quahan", "donvi", "chuabaocao", "giahan", "nhacngay", "baocao"}
UNKNOWN = re.compile(r"Không có lệnh")


def listed(help_text: str) -> set[str]:
    """The commands a /huongdan answer lists: each bullet that starts with one."""
    return set(re.findall(r"^• /(\w+)", help_text, flags=re.MULTILINE))


def test_the_registry_declares_each_name_once() -> None:
    names = [name for c in registry.COMMANDS for name in (c.name, *c.aliases)]
    assert len(names) == len(set(names))
    assert {c.name for c in registry.COMMANDS} == OFFICER_COMMANDS | LEADER_COMMANDS
    assert registry.find("HELP") == registry.find("huongdan")


@pytest.mark.parametrize("name", list(registry.routed_names()))
async def test_every_registered_name_reaches_its_handler(
    chat: Chat, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    command = registry.find(name)
    assert command is not None
    reached: list[str] = []

    async def spy(turn: Turn, args: str) -> Answer:
        reached.append(args)
        return Answer(f"handled {command.name}")

    for alias in (command.name, *command.aliases):
        monkeypatch.setitem(registry._BY_NAME, alias, replace(command, handler=spy))
    answer = await chat.one(BAO, f"/{name.upper()}@nhacviec_bot  BDT22-I.1 ")  # a leader: any
    assert answer.text == f"handled {command.name}" and reached == ["BDT22-I.1"]


async def test_an_unregistered_command_is_named_and_help_suggested(chat: Chat) -> None:
    answer = await chat.one(MAI, "/Khong")
    assert UNKNOWN.search(answer.text) and "/khong" in answer.text and "/huongdan" in answer.text


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [
        (MAI, "officer", OFFICER_COMMANDS),
        (HUNG, "unit_head", OFFICER_COMMANDS | LEADER_COMMANDS),
        (BAO, "leader", OFFICER_COMMANDS | LEADER_COMMANDS),
        (PHUONG, "admin", OFFICER_COMMANDS | LEADER_COMMANDS),
    ],
)
async def test_each_roles_help_lists_exactly_its_commands(
    chat: Chat, name: str, role: str, expected: set[str]
) -> None:
    async with chat.sessions.begin() as s:
        await s.execute(update(Officer).where(Officer.name == name).values(role=role))
    help_text = (await chat.one(name, "/huongdan")).text
    assert listed(help_text) == expected
    assert listed(help_text) == {c.name for c in registry.COMMANDS if c.allows(role)}
    assert help_text.startswith(texts.HELP_INTRO)
    assert (texts.HELP_LEADERS in help_text) == (role != "officer")


@pytest.mark.parametrize("name", sorted(LEADER_COMMANDS))
async def test_a_forbidden_role_is_refused_before_the_handler_runs(
    chat: Chat, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    command = registry.find(name)
    assert command is not None
    ran: list[str] = []

    async def spy(turn: Turn, args: str) -> Answer:
        ran.append(args)
        return Answer("data")

    monkeypatch.setitem(registry._BY_NAME, name, replace(command, handler=spy))
    before = await chat.count(InboundUpdate)
    assert await chat.say(MAI, f"/{name} BDT22-I.1") == [Answer(texts.NOT_ALLOWED)]
    assert ran == []  # no data was read for an officer
    assert await chat.count(InboundUpdate) == before + 1  # the refusal still counts as an update


async def test_the_telegram_menu_and_routes_come_from_the_registry() -> None:
    async with FakeTelegram() as fake:
        channel = TelegramChannel(
            fake.token,
            Conversation(None, FakeClock(START)),  # type: ignore[arg-type]
            base_url=fake.base_url,
        )
        async with channel.application.bot:
            await channel.register_commands()
    for language, key in (("vi", ""), ("en", "en")):
        menu = [(c["command"], c["description"]) for c in fake.commands[key]]
        assert menu == registry.menu(language)
        assert [name for name, _ in menu] == [c.name for c in registry.COMMANDS]
    assert registry.menu("vi")[0] == ("viec", "Việc của tôi")
    assert registry.menu("en")[0] == ("viec", "My open tasks")
    routed = {
        name
        for handler in channel.application.handlers[0]
        if isinstance(handler, CommandHandler)
        for name in handler.commands
    }
    assert set(registry.routed_names()) | {"start"} <= routed
