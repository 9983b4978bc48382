"""Signing in to the web pages without a password: one-time links and sessions.

A link is made for an officer who is already known in chat (``/web``) or by the
administrator at the terminal (``nhacviec web link``): whoever can read their chat
can sign in as them, which is the trust the bot already places in the chat. A link
is valid ``LINK_MINUTES`` and works once; using it opens a session lasting a
working day. Only SHA-256 hashes of the tokens are stored, so a copy of the
database signs no one in. Links are rate-limited per officer (a leaked chat
cannot be used to mint links without end); guessing is hopeless (256-bit tokens)
and the web layer also limits failed attempts per address.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from data.errors import UserError
from data.models import Officer, WebLogin, WebSession

LINK_MINUTES = 15
SESSION_HOURS = 10
"""A working day (07:00–17:00) from sign-in; the next day starts with a new link."""
LINKS_PER_HOUR = 5
SIGN_IN_PATH = "/dang-nhap"


def sign_in_url(base_url: str, token: str) -> str:
    """The link people open: ``https://…/dang-nhap/<token>`` (chat, the CLI and the pages)."""
    return f"{base_url.rstrip('/')}{SIGN_IN_PATH}/{token}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_link(session: AsyncSession, officer: Officer, now: datetime) -> str:
    """A new sign-in token for ``officer`` (the caller builds the URL around it)."""
    if not officer.active:
        raise UserError(f"{officer.name} đã thôi theo dõi; không tạo liên kết đăng nhập.")
    recent = await session.scalar(
        select(func.count())
        .select_from(WebLogin)
        .where(WebLogin.officer_id == officer.id, WebLogin.created_at > now - timedelta(hours=1))
    )
    if (recent or 0) >= LINKS_PER_HOUR:
        raise UserError(
            f"Đã tạo {LINKS_PER_HOUR} liên kết đăng nhập trong một giờ qua; "
            "hãy dùng liên kết đã nhận hoặc thử lại sau."
        )
    token = secrets.token_urlsafe(32)
    session.add(
        WebLogin(
            officer_id=officer.id,
            token_hash=_hash(token),
            expires_at=now + timedelta(minutes=LINK_MINUTES),
            created_at=now,
        )
    )
    await session.flush()
    return token


async def redeem_link(session: AsyncSession, token: str, now: datetime) -> str | None:
    """Use a sign-in link: a new session's token, or None when the link is unknown,
    used or expired. Marking it used is one conditional UPDATE, so two browsers
    opening the same link at once cannot both get in."""
    used = await session.execute(
        update(WebLogin)
        .where(
            WebLogin.token_hash == _hash(token),
            WebLogin.used_at.is_(None),
            WebLogin.expires_at > now,
        )
        .values(used_at=now)
        .returning(WebLogin.officer_id)
    )
    officer_id = used.scalar_one_or_none()
    if officer_id is None:
        return None
    officer = await session.get(Officer, officer_id)
    if officer is None or not officer.active:
        return None
    session_token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            officer_id=officer_id,
            token_hash=_hash(session_token),
            expires_at=now + timedelta(hours=SESSION_HOURS),
            created_at=now,
        )
    )
    await session.flush()
    return session_token


async def signed_in(session: AsyncSession, token: str, now: datetime) -> Officer | None:
    """The officer a session token belongs to, while it is open and they are active."""
    officer = await session.scalar(
        select(Officer)
        .join(WebSession, WebSession.officer_id == Officer.id)
        .where(
            WebSession.token_hash == _hash(token),
            WebSession.revoked_at.is_(None),
            WebSession.expires_at > now,
            Officer.active.is_(True),
        )
    )
    return officer


async def sign_out(session: AsyncSession, token: str, now: datetime) -> None:
    """Close this browser's session."""
    await session.execute(
        update(WebSession)
        .where(WebSession.token_hash == _hash(token), WebSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def sign_out_everywhere(session: AsyncSession, officer_id: int, now: datetime) -> int:
    """Close every open session of an officer (a lost phone); how many were open."""
    result = await session.execute(
        update(WebSession)
        .where(WebSession.officer_id == officer_id, WebSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)
