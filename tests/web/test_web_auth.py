"""Signing in with a one-time link: the link works once, for 15 minutes, and only by POST;
sessions are server-side, cookies HttpOnly/SameSite; forms without the CSRF token are refused."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.web.security import COOKIE, POLICY
from data.models import WebLogin, WebSession
from scheduler.clock import FakeClock
from tests.web.web_server import START, add_officer, link_for, sign_in, web_client


async def test_a_link_works_once_and_only_when_pressed(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock(START)
    officer = await add_officer(sessions, "Phạm Quốc Bảo")
    token = await link_for(sessions, officer, clock)
    async with web_client(sessions, clock) as client:
        preview = await client.get(f"/dang-nhap/{token}")  # a chat app's link preview
        assert preview.status == 200
        assert "Đăng nhập" in await preview.text()
        first = await client.post(f"/dang-nhap/{token}", allow_redirects=False)
        assert first.status == 303
        cookie = first.headers["Set-Cookie"]
        assert COOKIE in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # plain HTTP in the test; behind HTTPS it is set
        again = await client.post(f"/dang-nhap/{token}", allow_redirects=False)
        assert again.status == 403
        assert "đã dùng rồi" in await again.text()
    async with sessions() as session:
        stored = (await session.scalars(select(WebLogin.token_hash))).all()
    assert token not in stored and len(stored[0]) == 64  # only the hash is kept


async def test_an_expired_link_is_refused(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = FakeClock(START)
    officer = await add_officer(sessions, "Phạm Quốc Bảo")
    token = await link_for(sessions, officer, clock)
    clock.advance(timedelta(minutes=16))
    async with web_client(sessions, clock) as client:
        response = await client.post(f"/dang-nhap/{token}", allow_redirects=False)
        assert response.status == 403


async def test_https_behind_a_proxy_gets_a_secure_cookie(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock(START)
    officer = await add_officer(sessions, "Phạm Quốc Bảo")
    token = await link_for(sessions, officer, clock)
    async with web_client(sessions, clock) as client:
        response = await client.post(
            f"/dang-nhap/{token}", allow_redirects=False, headers={"X-Forwarded-Proto": "https"}
        )
        assert "Secure" in response.headers["Set-Cookie"]


async def test_a_form_without_the_csrf_token_is_refused(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock(START)
    officer = await add_officer(sessions, "Phạm Quốc Bảo")
    async with web_client(sessions, clock) as client:
        csrf = await sign_in(client, sessions, officer, clock)
        refused = await client.post("/dang-xuat", data={})
        assert refused.status == 403
        forged = await client.post("/dang-xuat", data={"csrf": "0" * 64})
        assert forged.status == 403
        ok = await client.post("/dang-xuat", data={"csrf": csrf})
        assert ok.status == 200
    async with sessions() as session:
        revoked = (await session.scalars(select(WebSession.revoked_at))).all()
    assert all(revoked)


async def test_sign_out_everywhere_ends_every_session(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock(START)
    officer = await add_officer(sessions, "Phạm Quốc Bảo")
    async with web_client(sessions, clock) as phone, web_client(sessions, clock) as desk:
        await sign_in(phone, sessions, officer, clock)
        csrf = await sign_in(desk, sessions, officer, clock)
        done = await desk.post("/dang-xuat-moi-noi", data={"csrf": csrf})
        assert "2 phiên" in await done.text()
        after = await phone.get("/dang-xuat-moi-noi", allow_redirects=False)
        assert after.status in (303, 405)
        page = await phone.get("/dang-nhap")
        assert 'name="csrf"' not in await page.text()  # the phone is signed out too


async def test_a_forged_cookie_is_not_looked_up_and_pages_carry_strict_headers(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock(START)
    await add_officer(sessions, "Phạm Quốc Bảo")
    async with web_client(sessions, clock) as client:
        client.session.cookie_jar.update_cookies({COOKIE: "abc.def"})
        page = await client.get("/dang-nhap")
        assert 'name="csrf"' not in await page.text()
        assert page.headers["Content-Security-Policy"] == POLICY
        assert page.headers["Referrer-Policy"] == "no-referrer"
        assert page.headers["X-Frame-Options"] == "DENY"


async def test_failed_links_are_counted_per_client_behind_a_proxy(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Ten bad links from one client behind the proxy lock that client out, not everyone."""
    clock = FakeClock(START)
    officer = await add_officer(sessions, "Phạm Quốc Bảo")
    async with web_client(sessions, clock) as client:
        for _ in range(10):
            bad = await client.post(
                "/dang-nhap/khong-dung", headers={"X-Forwarded-For": "203.0.113.9"}
            )
            assert bad.status == 403
        locked = await client.post(
            "/dang-nhap/khong-dung", headers={"X-Forwarded-For": "203.0.113.9"}
        )
        assert locked.status == 429
        token = await link_for(sessions, officer, clock)
        other = await client.post(
            f"/dang-nhap/{token}",
            headers={"X-Forwarded-For": "1.2.3.4, 198.51.100.7"},
            allow_redirects=False,
        )
        assert other.status == 303  # another client signs in
