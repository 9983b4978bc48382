"""A task's page: who may open it (by URL too), the officer's update, the products' files."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import Product, Progress, StatusUpdate, Task
from data.products import DEFAULT_SETTINGS, store
from data.progress import WorkKey, get_or_create_progress
from tests.planning_helpers import BAO, HUNG, MAI, XUAN, work_ids
from tests.web.seeded import THU, clock, seed, unit_id
from tests.web.web_server import sign_in, web_client

PDF = b"%PDF-1.4\n% bien ban hop\n"


async def _updates(sessions: async_sessionmaker[AsyncSession]) -> list[StatusUpdate]:
    async with sessions() as session:
        return list((await session.scalars(select(StatusUpdate))).all())


async def test_another_units_task_is_not_found_by_url(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    people = await seed(sessions)
    now = clock()
    async with web_client(sessions, now) as client:
        await sign_in(client, sessions, people[HUNG], now)  # unit head, Ban Dân tộc
        own = await client.get("/viec/BDT22-I.1")
        assert own.status == 200 and "BDT22-I.1" in await own.text()
        other = await client.get("/viec/BDT22-V.1")  # UBND các huyện's only
        missing = await client.get("/viec/BDT22-XX.9")
        assert other.status == missing.status == 404
        assert await other.text() == await missing.text()  # nothing tells it exists
        assert "BDT22-V.1" not in await (await client.get("/ke-hoach/BDT22")).text()
    async with web_client(sessions, now) as client:
        await sign_in(client, sessions, people[XUAN], now)  # officer, UBND các huyện
        assert (await client.get("/viec/BDT22-V.1")).status == 200
        assert (await client.get("/viec/BDT22-I.1")).status == 404


async def test_an_officer_records_an_update_with_the_chats_audit(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    people = await seed(sessions)
    now = clock()
    async with web_client(sessions, now) as client:
        csrf = await sign_in(client, sessions, people[MAI], now)
        page = await client.get("/viec/BDT22-I.1")
        assert 'id="cap-nhat"' in await page.text()
        form = {"csrf": csrf, "tinh-trang": "in_progress", "phan-tram": "60", "ghi-chu": "đã họp"}
        done = await client.post("/viec/BDT22-I.1", data=form, allow_redirects=False)
        assert done.status == 303
        shown = await client.get(done.headers["Location"])
        text = await shown.text()
    assert "Đã ghi nhận cập nhật." in text
    assert '<span class="state in_progress_late">Đang thực hiện quá hạn</span>' in text
    assert "đã họp" in text  # in the history
    [update] = await _updates(sessions)
    assert (update.channel, update.officer_id) == ("web", people[MAI])
    assert (update.state_before, update.state_after, update.percent) == (
        "not_started",
        "in_progress",
        60,
    )
    assert update.note == "đã họp" and update.kind == "status"
    async with sessions() as session:
        progress = await session.get(Progress, update.progress_id)
        assert progress is not None and progress.state == "in_progress"


async def test_refused_updates_change_nothing(sessions: async_sessionmaker[AsyncSession]) -> None:
    people = await seed(sessions)
    now = clock()
    async with web_client(sessions, now) as client:
        csrf = await sign_in(client, sessions, people[MAI], now)
        blocked = {"csrf": csrf, "tinh-trang": "blocked", "ghi-chu": "  "}
        refused = await client.post("/viec/BDT22-I.1", data=blocked)
        assert refused.status == 400 and "vướng mắc" in await refused.text()
        bad = {"csrf": csrf, "tinh-trang": "in_progress", "phan-tram": "120"}
        assert (await client.post("/viec/BDT22-I.1", data=bad)).status == 400
        no_token = await client.post("/viec/BDT22-I.1", data={"tinh-trang": "done"})
        assert no_token.status == 403
        not_hers = {"csrf": csrf, "tinh-trang": "done"}
        assert (await client.post("/viec/BDT22-V.1", data=not_hers)).status == 404
    async with web_client(sessions, now) as client:
        csrf = await sign_in(client, sessions, people[BAO], now)  # leaders decide, not report
        page = await client.get("/viec/BDT22-I.1")
        assert 'id="cap-nhat"' not in await page.text()
        leader = await client.post("/viec/BDT22-I.1", data={"csrf": csrf, "tinh-trang": "done"})
        assert leader.status == 403
    assert await _updates(sessions) == []


async def test_products_download_only_for_who_may_see_the_task(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    people = await seed(sessions)
    now = clock()
    ubnd = await unit_id(sessions, "UBND các huyện, thị, thành phố")
    async with sessions.begin() as session:
        assignment, due = await work_ids(session, "BDT22-V.1", ubnd)
        progress = await get_or_create_progress(session, WorkKey(assignment, due))
        task = await session.scalar(select(Task).where(Task.code == "BDT22-V.1"))
        assert task is not None
        stored = await store(
            session,
            DEFAULT_SETTINGS,
            task_id=task.id,
            progress=progress,
            officer_id=people[XUAN],
            name="Biên bản họp.pdf",
            content=PDF,
            channel="zalo",
            provider_update_id=None,
            now=now.now(),
        )
        url = f"/viec/BDT22-V.1/san-pham/{stored.product.id}"
    async with web_client(sessions, now) as client:
        await sign_in(client, sessions, people[THU], now)
        page = await client.get("/viec/BDT22-V.1")
        assert f'href="{url}"' in await page.text()
        response = await client.get(url)
        assert response.status == 200 and await response.read() == PDF
        assert response.headers["Content-Type"] == "application/pdf"
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and "Bi%C3%AAn%20b%E1%BA%A3n" in disposition
        assert (await client.get("/viec/BDT22-I.1/san-pham/" + url.rsplit("/", 1)[1])).status == 404
    async with web_client(sessions, now) as client:
        await sign_in(client, sessions, people[HUNG], now)
        assert (await client.get(url)).status == 404
    async with sessions() as session:
        assert len((await session.scalars(select(Product))).all()) == 1
