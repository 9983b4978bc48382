"""``/bao-cao``: the report files and charts downloaded from the page, as the role may see them:
a unit head gets their own unit's report only, whatever the URL asks; officers get none."""

from __future__ import annotations

import re
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.reports.xlsx_report import TASK_SHEET
from data.leaders import add_scope
from data.models import Assignment, Officer, Plan, Task
from tests.web.seeded import THU, clock, seed, unit_id
from tests.web.web_server import add_officer, sign_in, web_client

Sessions = async_sessionmaker[AsyncSession]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CODE = re.compile(r"^BDT22-[IVX]+\.\d+")
OFFICE = "Văn phòng (Ban Dân tộc)"
DISTRICTS = "UBND các huyện, thị, thành phố"


def _codes(workbook: bytes) -> set[str]:
    """The task codes listed in a downloaded workbook's task sheet."""
    sheet = load_workbook(BytesIO(workbook))[TASK_SHEET]
    return {
        str(cell)
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str) and CODE.match(cell)
    }


async def _unit_codes(sessions: Sessions, unit: int | None = None) -> set[str]:
    """The plan's task codes (the ones assigned to ``unit`` when given)."""
    query = select(Task.code).distinct()
    if unit is not None:
        query = query.join(Assignment, Assignment.task_id == Task.id).where(
            Assignment.unit_id == unit
        )
    async with sessions() as session:
        return set((await session.scalars(query)).all())


async def test_an_admin_downloads_the_workbook_and_a_chart_as_of_a_past_period(
    sessions: Sessions,
) -> None:
    people, time = await seed(sessions), clock()
    async with web_client(sessions, time) as client:
        await sign_in(client, sessions, people[THU], time)
        form = await client.get("/bao-cao")
        assert form.status == 200
        text = await form.text()
        assert 'action="/bao-cao/tai-ve"' in text and "Quý I" in text and OFFICE in text
        workbook = await client.get(
            "/bao-cao/tai-ve", params={"ke-hoach": "bdt22", "ky": "quy-1", "loai": "xlsx"}
        )
        assert workbook.status == 200, await workbook.text()
        assert workbook.content_type == XLSX
        # no date and a past period: as of its last day, as the command line does
        assert "bao-cao-BDT22-2022-03-31.xlsx" in workbook.headers["Content-Disposition"]
        assert workbook.headers["Content-Disposition"].startswith("attachment")
        assert _codes(await workbook.read()) == await _unit_codes(sessions)
        chart = await client.get(
            "/bao-cao/tai-ve",
            params={"ke-hoach": "BDT22", "ngay": "2022-04-05", "loai": "bieu-do-don-vi"},
        )
        assert chart.status == 200 and chart.content_type == "image/png"
        assert (await chart.read()).startswith(b"\x89PNG\r\n\x1a\n")
        assert "bao-cao-BDT22-2022-04-05-don-vi.png" in chart.headers["Content-Disposition"]


async def test_a_unit_head_gets_only_their_units_report(sessions: Sessions) -> None:
    people, time = await seed(sessions), clock()
    office, districts = await unit_id(sessions, OFFICE), await unit_id(sessions, DISTRICTS)
    async with web_client(sessions, time) as client:
        await sign_in(client, sessions, people["Nguyễn Minh Đức"], time)  # Văn phòng's head
        form = await (await client.get("/bao-cao")).text()
        assert OFFICE in form and DISTRICTS not in form
        own = await client.get("/bao-cao/tai-ve", params={"ke-hoach": "BDT22", "loai": "xlsx"})
        assert own.status == 200
        codes = _codes(await own.read())
        assert codes == await _unit_codes(sessions, office)
        assert codes != await _unit_codes(sessions, districts)
        other = await client.get(
            "/bao-cao/tai-ve",
            params={"ke-hoach": "BDT22", "don-vi": str(districts), "loai": "xlsx"},
        )
        assert other.status == 400
        assert "chỉ tải được báo cáo của đơn vị mình" in await other.text()


async def test_officers_and_leaders_out_of_scope_get_nothing(sessions: Sessions) -> None:
    people, time = await seed(sessions), clock()
    async with sessions.begin() as session:
        other_plan = Plan(code_prefix="KHAC", title="Kế hoạch khác", source="t", checksum="t")
        session.add(other_plan)
        await session.flush()
        leader = await session.get(Officer, people["Phạm Quốc Bảo"])
        assert leader is not None
        await add_scope(session, leader, plan=other_plan)
    async with web_client(sessions, time) as client:
        await sign_in(client, sessions, people["Đỗ Thị Hạnh"], time)  # an officer
        assert (await client.get("/bao-cao")).status == 403
        asked = {"ke-hoach": "BDT22", "loai": "xlsx"}
        assert (await client.get("/bao-cao/tai-ve", params=asked)).status == 403
    async with web_client(sessions, time) as client:
        await sign_in(client, sessions, people["Phạm Quốc Bảo"], time)  # leads KHAC only
        form = await (await client.get("/bao-cao")).text()
        assert "KHAC" in form and "BDT22" not in form
        refused = await client.get("/bao-cao/tai-ve", params=asked)
        assert refused.status == 400
        assert "Không tìm thấy kế hoạch «BDT22»" in await refused.text()


async def test_a_wrong_field_is_one_line_of_vietnamese(sessions: Sessions) -> None:
    time = clock()
    admin = await add_officer(sessions, "Hoàng Thị Thu")
    async with sessions.begin() as session:
        session.add(
            Plan(code_prefix="BDT22", title="Kế hoạch", year=2022, source="t", checksum="t")
        )
    async with web_client(sessions, time) as client:
        await sign_in(client, sessions, admin, time)
        for params, said in (
            ({"ke-hoach": "BDT22", "ngay": "31/13/2022"}, "không đúng dạng năm-tháng-ngày"),
            ({"ke-hoach": "BDT22", "loai": "odt"}, "Không có định dạng «odt»"),
            ({"ke-hoach": "BDT22", "ky": "quy-5"}, "Kỳ báo cáo «quy-5» không có"),
            ({"ke-hoach": "BDT22", "ngay": "2022-02-01", "ky": "quy-2"}, "chưa bắt đầu"),
            ({"loai": "docx"}, "Chọn một kế hoạch"),
        ):
            response = await client.get("/bao-cao/tai-ve", params=params)
            assert response.status == 400, params
            text = await response.text()
            assert said in text and "Traceback" not in text, params
