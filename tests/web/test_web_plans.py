"""The plans list and a plan's page: states as the report says them, filters by unit,
state and due month, the table swapped by htmx and the same URL whole without it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.web import plans
from tests.planning_helpers import HUNG, MAI
from tests.web.seeded import THU, clock, seed, unit_id
from tests.web.web_server import sign_in, web_client

ROW = re.compile(r'<td><a href="/viec/([^"]+)">')
HTMX = {"HX-Request": "true"}


async def test_the_plan_page_lists_every_task_with_its_state(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    people = await seed(sessions)
    now = clock()
    async with web_client(sessions, now) as client:
        csrf = await sign_in(client, sessions, people[MAI], now)
        form = {"csrf": csrf, "tinh-trang": "in_progress", "phan-tram": "30"}
        assert (await client.post("/viec/BDT22-I.1", data=form)).status == 200
    async with web_client(sessions, now) as client:
        await sign_in(client, sessions, people[THU], now)
        plans = await (await client.get("/ke-hoach")).text()
        assert 'href="/ke-hoach/BDT22"' in plans
        page = await (await client.get("/ke-hoach/BDT22")).text()
        assert len(ROW.findall(page)) == 16
        first = page.split('href="/viec/BDT22-I.1"', 1)[1].split("</tr>", 1)[0]
        assert '<span class="state in_progress_late">' in first
        assert "05/04/2022 09:00" in first  # the last update, in Vietnam time
        late = await client.get("/ke-hoach/BDT22?trang-thai=in_progress_late")
        assert ROW.findall(await late.text()) == ["BDT22-I.1"]
        march = await client.get("/ke-hoach/BDT22?han=2022-03")
        assert sorted(ROW.findall(await march.text())) == ["BDT22-I.1", "BDT22-V.1"]
        ubnd = await unit_id(sessions, "UBND các huyện, thị, thành phố")
        unit = await client.get(f"/ke-hoach/BDT22?don-vi={ubnd}")
        assert ROW.findall(await unit.text()) == ["BDT22-V.1"]
        wrong = await client.get("/ke-hoach/BDT22?han=3-2022")
        assert wrong.status == 400 and "năm-tháng" in await wrong.text()


async def test_htmx_gets_the_table_and_a_plain_request_the_whole_page(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    people = await seed(sessions)
    now = clock()
    async with web_client(sessions, now) as client:
        await sign_in(client, sessions, people[THU], now)
        url = "/ke-hoach/BDT22?trang-thai=not_started&han=2022-03"
        whole = await client.get(url)
        whole_text = await whole.text()
        swapped_text = await (await client.get(url, headers={"HX-Request": "true"})).text()
        back = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
        restored = await (await client.get(url, headers=back)).text()
    assert whole_text.startswith("<!doctype html>") and 'hx-get="/ke-hoach/BDT22"' in whole_text
    assert 'hx-target="#bang-viec"' in whole_text and 'id="bang-viec"' in whole_text
    assert "<html" not in swapped_text and "<form" not in swapped_text
    assert ROW.findall(swapped_text) == ROW.findall(whole_text) == ["BDT22-I.1", "BDT22-V.1"]
    assert restored.startswith("<!doctype html>")  # the back button after a swap
    assert whole.headers["Vary"] == "HX-Request"


async def test_a_unit_head_gets_their_units_tasks_and_no_unit_filter(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    people = await seed(sessions)
    now = clock()
    ubnd = await unit_id(sessions, "UBND các huyện, thị, thành phố")
    async with web_client(sessions, now) as client:
        await sign_in(client, sessions, people[HUNG], now)
        page = await (await client.get("/ke-hoach/BDT22")).text()
        codes = ROW.findall(page)
        assert codes and "BDT22-V.1" not in codes and 'name="don-vi"' not in page
        other = await client.get(f"/ke-hoach/BDT22?don-vi={ubnd}")  # ignored: their unit only
        assert ROW.findall(await other.text()) == codes


async def test_the_table_comes_in_pages_that_keep_the_filters(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plans, "PAGE_SIZE", 5)
    people = await seed(sessions)
    now = clock()
    async with web_client(sessions, now) as client:
        await sign_in(client, sessions, people[THU], now)
        first = await (await client.get("/ke-hoach/BDT22")).text()
        assert "Trang 1/4" in first and "« Trước" not in first
        assert 'href="?trang=2"' in first and "Sau »" in first
        pages = [ROW.findall(first)]
        for number in (2, 3, 4):
            swapped = await client.get(f"/ke-hoach/BDT22?trang={number}", headers=HTMX)
            pages.append(ROW.findall(await swapped.text()))
        assert [len(rows) for rows in pages] == [5, 5, 5, 1]
        assert len({code for rows in pages for code in rows}) == 16  # each task once
        last = await (await client.get("/ke-hoach/BDT22?trang=9")).text()  # past the end
        assert "Trang 4/4" in last and ROW.findall(last) == pages[3] and "Sau »" not in last
        state = "trang-thai=not_started"
        filtered = await (await client.get(f"/ke-hoach/BDT22?{state}&trang=2")).text()
        assert f'href="?{state}"' in filtered  # « Trước: the first page, same filter
        assert (await client.get("/ke-hoach/BDT22?trang=0")).status == 400
