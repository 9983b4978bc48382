"""Every chat command, declared once: the router, ``/huongdan``, the role check and the menus.

A command is a ``ChatCommand`` in ``COMMANDS``: its name and aliases, its handler,
the roles allowed to use it, its menu descriptions (Vietnamese, English) and its
line in ``/huongdan``. From that one tuple the conversation routes (``find``) and
refuses a role before the handler runs (``allows``), ``/huongdan`` lists what the
asker may use, and channels derive their menus (``menu``) and the names they
must pass to the core (``routed_names``). Adding a command is one entry here.

``/start`` is not a command of this table: it is the linking protocol, answered
for chats that are not linked yet, before any role exists.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from bot.chat import commands_leader, commands_officer, marks, products, texts, web_link
from bot.chat.messages import Answer, Turn
from data.models import ROLES

Handler = Callable[[Turn, str], Awaitable[Answer]]
"""A command's handler: the turn and the text after the command name, stripped."""
Language = Literal["vi", "en"]

EVERYONE = frozenset(ROLES)
LEADERSHIP = frozenset({"unit_head", "leader", "admin"})
"""Unit heads see their own unit; leaders and admins everything (``commands_leader.scope``)."""


@dataclass(frozen=True)
class ChatCommand:
    """One command as users see it in every place it appears."""

    name: str
    handler: Handler
    roles: frozenset[str]
    vi: str
    """The menu description in Vietnamese (Telegram's menu, at most 256 characters)."""
    en: str
    """The menu description for English-language clients."""
    help: str
    """The command's line(s) in ``/huongdan``, usage first, one bullet per line."""
    aliases: tuple[str, ...] = ()

    def allows(self, role: str) -> bool:
        """Whether an officer with ``role`` may use the command."""
        return role in self.roles


async def guide(turn: Turn, _args: str) -> Answer:
    """``/huongdan``: how to answer, then exactly the commands the asker's role may use."""
    mine = [command for command in COMMANDS if command.allows(turn.officer.role)]
    general = [command.help for command in mine if command.roles == EVERYONE]
    restricted = [command.help for command in mine if command.roles != EVERYONE]
    return Answer(texts.help_text(general, restricted))


COMMANDS: tuple[ChatCommand, ...] = (
    ChatCommand(
        "viec",
        commands_officer.my_items,
        EVERYONE,
        "Việc của tôi",
        "My open tasks",
        "/viec — việc của tôi",
        aliases=("tasks",),
    ),
    ChatCommand(
        "capnhat",
        commands_officer.update,
        EVERYONE,
        "Cập nhật một việc: /capnhat MÃ nội dung",
        "Update a task: /capnhat CODE text",
        "/capnhat MÃ nội dung — cập nhật một việc",
        aliases=("update",),
    ),
    ChatCommand(
        "lichsu",
        commands_officer.task_history,
        EVERYONE,
        "Các cập nhật của một việc: /lichsu MÃ",
        "Updates of a task: /lichsu CODE",
        "/lichsu MÃ — các cập nhật đã ghi",
        aliases=("history",),
    ),
    ChatCommand(
        "sanpham",
        products.send_product,
        EVERYONE,
        "Nhận sản phẩm của một việc: /sanpham MÃ [SỐ]",
        "Get a task's product: /sanpham CODE [N]",
        "/sanpham MÃ [SỐ] — nhận tệp sản phẩm đã gửi (lãnh đạo, trưởng đơn vị, người gửi);"
        " gửi sản phẩm: gửi tệp PDF, Word hoặc ảnh kèm mã việc",
        aliases=("product",),
    ),
    ChatCommand(
        "nhaclai",
        marks.snooze_command,
        EVERYONE,
        "Nhắc lại một việc sau: /nhaclai MÃ 2h|mai|thu2",
        "Remind me later: /nhaclai CODE 2h|mai|thu2",
        "/nhaclai MÃ 2h|mai|thu2 — nhắc lại sau 2 giờ, sáng mai hoặc thứ Hai (không quá hạn)",
        aliases=("snooze",),
    ),
    ChatCommand(
        "huongdan",
        guide,
        EVERYONE,
        "Hướng dẫn",
        "Help",
        "/huongdan — hướng dẫn này",
        aliases=("help",),
    ),
    ChatCommand(
        "huydangky",
        commands_officer.unlink_chat,
        EVERYONE,
        "Hủy liên kết tài khoản",
        "Unlink this account",
        "/huydangky — hủy liên kết tài khoản này",
    ),
    ChatCommand(
        "web",
        web_link.web_link,
        EVERYONE,
        "Liên kết đăng nhập trang web",
        "Sign-in link for the web pages",
        "/web — nhận liên kết đăng nhập trang web (dùng một lần, 15 phút)",
    ),
    ChatCommand(
        "tonghop",
        commands_leader.summary,
        LEADERSHIP,
        "Tổng hợp tiến độ (lãnh đạo)",
        "Progress summary (leaders)",
        "/tonghop [kế hoạch|đơn vị] — tổng hợp tiến độ",
    ),
    ChatCommand(
        "quahan",
        commands_leader.overdue_list,
        LEADERSHIP,
        "Việc quá hạn (lãnh đạo)",
        "Overdue tasks (leaders)",
        "/quahan [kế hoạch|đơn vị] — việc quá hạn",
    ),
    ChatCommand(
        "donvi",
        commands_leader.unit_summary,
        LEADERSHIP,
        "Tiến độ một đơn vị (lãnh đạo)",
        "One unit's progress (leaders)",
        "/donvi TÊN — tiến độ một đơn vị",
    ),
    ChatCommand(
        "chuabaocao",
        commands_leader.not_reported_list,
        LEADERSHIP,
        "Đơn vị, cán bộ chưa báo cáo (lãnh đạo)",
        "Who has not reported (leaders)",
        "/chuabaocao [kế hoạch|đơn vị] — ai chưa báo cáo từ kỳ báo cáo trước",
    ),
    ChatCommand(
        "giahan",
        commands_leader.extensions,
        LEADERSHIP,
        "Đề nghị gia hạn chờ duyệt (lãnh đạo)",
        "Pending extensions (leaders)",
        "/giahan — đề nghị gia hạn chờ duyệt",
    ),
    ChatCommand(
        "baocao",
        commands_leader.report,
        LEADERSHIP,
        "Báo cáo Word để trình ký (lãnh đạo)",
        "Word report to sign (leaders)",
        "/baocao [kế hoạch] [đơn vị] — báo cáo kết quả thực hiện (tệp Word) tính đến hôm nay",
    ),
    ChatCommand(
        "nhacngay",
        commands_leader.remind,
        LEADERSHIP,
        "Nhắc ngay một việc (lãnh đạo)",
        "Remind now (leaders)",
        "/nhacngay MÃ — nhắc các đơn vị chưa xong (ngoài giờ làm việc: sáng ngày làm việc kế tiếp)"
        "\n/nhacngay MÃ gấp — nhắc ngay cả ban đêm, ngày nghỉ",
    ),
)

_BY_NAME = {name: command for command in COMMANDS for name in (command.name, *command.aliases)}


def find(name: str) -> ChatCommand | None:
    """The command typed as ``name`` (any case, an alias too), or None."""
    return _BY_NAME.get(name.lower())


def routed_names() -> Iterator[str]:
    """Every name and alias the core answers, for channels that filter commands themselves."""
    return iter(_BY_NAME)


def menu(language: Language) -> list[tuple[str, str]]:
    """(name, description) of every command in declaration order, for a channel's menu."""
    return [(c.name, c.vi if language == "vi" else c.en) for c in COMMANDS]
