"""Single-use invite codes that link a chat on any channel to a registered officer.

Why it looks like this:
- Only the SHA-256 of a code is stored, so a copy of the database links nobody.
- Codes read ``NV-XXXX-XXXX`` over an alphabet without look-alikes (no I, O, 0, 1):
  they are dictated over the phone and typed by hand where there are no links. Matching is
  case-insensitive and tolerates a missing dash or spaces (``nv abcd efgh``).
  32^8 ≈ 10^12 codes against a handful live at any time: guessing is hopeless.
- Which channels exist, and what a valid chat address looks like on each, is
  the channels' knowledge (``bot/channels``): here a channel is a name and an
  address an opaque string, stored as an ``OfficerLink`` row (``data/links.py``).
- The console channel has no links: its "chat id" is the officer id and it is
  trusted (a local terminal), so it never needs a code.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from data.errors import UserError
from data.links import link, linked_officer
from data.links import unlink as forget_link
from data.models import Invite, Officer
from data.prompts import Found, officer_waiting

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PREFIX = "NV"
CODE_PATTERN = re.compile(
    rf"(?<![A-Za-z0-9])NV[\s-]?([{ALPHABET}]{{4}})[\s-]?([{ALPHABET}]{{4}})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
TRUSTED = "console"


def new_code() -> str:
    """A fresh random code, ``NV-XXXX-XXXX``."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{PREFIX}-{body[:4]}-{body[4:]}"


def find_code(text: str) -> str | None:
    """The invite code written somewhere in ``text``, normalised, or None."""
    match = CODE_PATTERN.search(text.upper())
    return f"{PREFIX}-{match.group(1)}-{match.group(2)}" if match else None


def hash_code(code: str) -> str:
    """The stored form of a (normalised) code."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


async def create_invite(
    session: AsyncSession, officer_id: int, now: datetime, days: int = 7
) -> str:
    """Store a new invite for ``officer_id`` valid ``days`` days; returns the code (shown once)."""
    officer = await session.get(Officer, officer_id)
    if officer is None:
        raise UserError(f"Không có cán bộ số {officer_id}.")
    if not officer.active:
        raise UserError(f"Cán bộ «{officer.name}» không còn hoạt động.")
    code = new_code()
    session.add(
        Invite(
            officer_id=officer_id, code_hash=hash_code(code), expires_at=now + timedelta(days=days)
        )
    )
    await session.flush()
    return code


async def reissue_invite(
    session: AsyncSession, officer_id: int, now: datetime, days: int = 7
) -> str:
    """A new invite for ``officer_id``; the officer's unused ones stop working.

    For a code lost or never received: only the one handed out last links a chat,
    so an old printout found later links nobody.
    """
    await session.execute(
        update(Invite)
        .where(Invite.officer_id == officer_id, Invite.used_at.is_(None), Invite.expires_at > now)
        .values(expires_at=now)
    )
    return await create_invite(session, officer_id, now, days)


async def officer_for_chat(session: AsyncSession, channel: str, chat_id: str) -> Officer | None:
    """The active officer linked to this chat (the console's chat id is the officer id)."""
    return (await officer_and_waiting(session, channel, chat_id, None))[0]


async def officer_and_waiting(
    session: AsyncSession, channel: str, chat_id: str, waiting_at: datetime | None
) -> tuple[Officer | None, Found | None]:
    """``officer_for_chat``, and with ``waiting_at`` the officer's rows waiting on this
    channel read in the same statement (``data.prompts.officer_waiting``; None without it,
    or on the console)."""
    found: Found | None = None
    if channel == TRUSTED:
        officer = await session.get(Officer, int(chat_id)) if chat_id.isdigit() else None
    elif waiting_at is not None:
        officer, found = await officer_waiting(session, channel, chat_id, waiting_at)
    else:
        officer = await linked_officer(session, channel, chat_id)
    return (officer, found) if officer is not None and officer.active else (None, None)


async def redeem(
    session: AsyncSession, code: str, channel: str, chat_id: str, now: datetime
) -> Officer:
    """Link ``chat_id`` on ``channel`` to the invite's officer and use the invite up.

    Refused (``UserError``, nothing written): an unknown, used or expired code, the
    trusted console, or a chat already linked to another officer. Whether
    ``chat_id`` is a valid address on ``channel`` was checked by the channel.
    """
    if channel == TRUSTED:
        raise UserError("Kênh này không cần mã mời.")
    normalised = find_code(code)
    invite = None
    if normalised is not None:
        invite = await session.scalar(
            select(Invite).where(Invite.code_hash == hash_code(normalised))
        )
    if invite is None:
        raise UserError("Mã mời không đúng. Vui lòng kiểm tra lại hoặc xin mã mới ở Văn phòng.")
    if invite.used_at is not None:
        raise UserError("Mã mời này đã được sử dụng. Vui lòng xin mã mới ở Văn phòng.")
    if invite.expires_at <= now:
        raise UserError("Mã mời đã hết hạn. Vui lòng xin mã mới ở Văn phòng.")
    officer = await session.get(Officer, invite.officer_id)
    if officer is None or not officer.active:
        raise UserError("Cán bộ của mã mời này không còn hoạt động.")
    current = await linked_officer(session, channel, chat_id)
    if current is not None and current.id != officer.id:
        raise UserError(
            "Cuộc trò chuyện này đã liên kết với cán bộ khác. Gõ /huydangky trước khi dùng mã mới."
        )
    used = await session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None))
        .values(used_at=now, used_channel=channel)
    )
    if not getattr(used, "rowcount", 0):
        raise UserError("Mã mời này đã được sử dụng. Vui lòng xin mã mới ở Văn phòng.")
    await link(session, officer, channel, chat_id, now)
    officer.preferred_channel = officer.preferred_channel or channel
    officer.unreachable_at = None
    await session.flush()
    return officer


async def unlink(session: AsyncSession, officer: Officer, channel: str) -> bool:
    """Forget the officer's chat on ``channel``; False when there was nothing to forget."""
    if not await forget_link(session, officer, channel):
        return False
    if officer.preferred_channel == channel:
        officer.preferred_channel = None
    await session.flush()
    return True
