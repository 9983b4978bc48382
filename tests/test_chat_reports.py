"""Issue 14 in the chat, through the conversation core on both backends: /tonghop's chart
and /baocao's Word report — what they carry, whose scope they keep, how they refuse."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pytest
from aiohttp import web
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.console.repl import play
from bot.chat import texts
from bot.chat.messages import Answer
from bot.reports.content import subject, summary
from bot.web.reports import add_routes
from data.leaders import add_scope
from data.people import find_officer, find_unit
from data.plans.importer import import_plan, read_plan_file
from data.plans.view import find_plan
from data.report_model import PlanReport
from data.report_states import build_report
from tests.planning_helpers import BAO, HUNG, MAI, MONTHLY, START
from tests.test_conversation import Chat

SON = "Lâm Văn Sơn"  # unit head, Cơ quan công tác dân tộc cấp huyện
HUNG_UNIT = "Ban Dân tộc"  # Lê Văn Hùng heads it
TODAY = START.date().isoformat()


@pytest.fixture
async def chat(sessions: async_sessionmaker[AsyncSession]) -> Chat:
    from tests.planning_helpers import seed_with_officers

    await seed_with_officers(sessions)
    return Chat(sessions)


async def _monthly_plan(chat: Chat, tmp_path: Path) -> None:
    path = tmp_path / "monthly.txt"
    path.write_text(MONTHLY, "utf-8")
    async with chat.sessions.begin() as s:
        await import_plan(s, read_plan_file(path), prefix="BC22")


def _chart_size(answer: Answer) -> tuple[int, int]:
    """The chart's pixel size, once Pillow has read the whole picture."""
    assert answer.file is not None and answer.file.kind == "photo"
    image = Image.open(io.BytesIO(answer.file.content))
    image.load()
    assert image.format == "PNG"
    return image.size


async def _expected(chat: Chat, plan: str, unit: str) -> PlanReport:
    """The report of ``unit`` in ``plan`` as of the chat's today, built directly."""
    async with chat.sessions() as s:
        found = await find_unit(s, unit)
        return await build_report(s, await find_plan(s, plan), START.date(), found.id)


def _document_text(answer: Answer) -> str:
    assert answer.file is not None and answer.file.kind == "document"
    document = docx.Document(io.BytesIO(answer.file.content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# --- /tonghop ---------------------------------------------------------------------------


async def test_a_summary_of_one_plan_carries_its_chart_by_unit(chat: Chat) -> None:
    answer = await chat.one(BAO, "/tonghop BDT22")
    width, height = _chart_size(answer)
    assert width >= 600 and height >= 300
    assert answer.file is not None and answer.file.name == f"bieu-do-BDT22-{TODAY}.png"
    assert answer.text.startswith("Tổng hợp tiến độ — Kế hoạch BDT22 «")  # the text as before
    assert "\n16 nhiệm vụ, 24 lượt giao việc.\n" in answer.text


async def test_a_summary_of_several_plans_is_text_only(chat: Chat, tmp_path: Path) -> None:
    await _monthly_plan(chat, tmp_path)
    everything = await chat.one(BAO, "/tonghop")
    assert everything.file is None and "17 nhiệm vụ" in everything.text
    assert (await chat.one(BAO, "/tonghop BC22")).file is not None  # one plan named: a chart
    async with chat.sessions.begin() as s:  # one plan in reach: a chart without naming it
        await add_scope(s, await find_officer(s, BAO), plan=await find_plan(s, "BC22"))
    assert (await chat.one(BAO, "/tonghop")).file is not None


async def test_a_unit_heads_summary_charts_their_unit(chat: Chat) -> None:
    answer = await chat.one(HUNG, "/tonghop")
    assert answer.file is not None and f"— {HUNG_UNIT} (" in answer.text.splitlines()[0]


# --- /baocao ----------------------------------------------------------------------------


async def test_baocao_sends_the_plans_word_report_as_of_today(chat: Chat) -> None:
    answer = await chat.one(BAO, "/baocao")
    assert answer.file is not None
    assert answer.file.name == f"bao-cao-BDT22-{TODAY}.docx"
    text = _document_text(answer)
    assert "BÁO CÁO" in text and "Kết quả thực hiện Kế hoạch" in text
    assert "công tác thi đua, khen thưởng" in text  # the plan's title
    assert answer.text.startswith("Báo cáo kết quả thực hiện Kế hoạch")
    assert "16 nhiệm vụ" in answer.text and answer.text.count("\n") == 1
    assert (
        answer.file.elsewhere
        == "Lấy tệp trên máy chủ bằng lệnh: nhacviec report BDT22 --format docx"
    )


async def test_baocao_names_a_plan_and_a_unit(chat: Chat, tmp_path: Path) -> None:
    await _monthly_plan(chat, tmp_path)
    newest = await chat.one(BAO, "/baocao")
    assert newest.file is not None and newest.file.name.startswith("bao-cao-BC22-")
    both = await chat.one(BAO, "/baocao bdt22 ban dan toc")
    assert both.file is not None and both.file.name.startswith("bao-cao-BDT22-")
    unit_report = await _expected(chat, "BDT22", HUNG_UNIT)
    assert unit_report.unit == HUNG_UNIT and subject(unit_report) in _document_text(both)
    assert both.text == texts.report_caption(subject(unit_report), summary(unit_report))
    assert both.file.elsewhere.endswith(f'--format docx --unit "{HUNG_UNIT}"')
    unit_only = await chat.one(BAO, "/baocao ban dan toc")
    assert unit_only.file is not None and unit_only.file.name.startswith("bao-cao-BC22-")


async def test_a_unit_head_gets_their_units_report_only(chat: Chat) -> None:
    own = await chat.one(HUNG, "/baocao")
    unit_report = await _expected(chat, "BDT22", HUNG_UNIT)
    assert own.text == texts.report_caption(subject(unit_report), summary(unit_report))
    assert unit_report.figures.total < 16  # the unit's tasks, not the plan's
    other = await chat.one(SON, "/baocao BDT22 ban dan toc")
    assert (other.text, other.file) == (texts.OWN_UNIT_ONLY, None)


async def test_baocao_refuses_officers_unknown_names_and_plans_out_of_reach(
    chat: Chat, tmp_path: Path
) -> None:
    assert (await chat.one(MAI, "/baocao")).text == texts.NOT_ALLOWED
    unknown = await chat.one(BAO, "/baocao BDT22 khong co don vi nay")
    assert unknown.file is None and "khong co don vi nay" in unknown.text
    await _monthly_plan(chat, tmp_path)
    async with chat.sessions.begin() as s:
        await add_scope(s, await find_officer(s, BAO), plan=await find_plan(s, "BC22"))
    refused = await chat.one(BAO, "/baocao BDT22")
    assert (refused.text, refused.file) == (texts.NOT_YOUR_PLAN.format(plan="BDT22"), None)


async def test_baocao_with_nothing_in_reach_says_so(chat: Chat) -> None:
    async with chat.sessions.begin() as s:
        await add_scope(s, await find_officer(s, BAO), issuer="Sở Tư pháp")
    assert (await chat.one(BAO, "/baocao")).text == texts.NO_PLAN_TO_REPORT


async def test_the_console_saves_the_report_and_the_chart(chat: Chat, tmp_path: Path) -> None:
    async with chat.sessions() as s:
        bao = await find_officer(s, BAO)
    lines = await play(chat.conversation, bao.id, ["/baocao", "/tonghop"], files=tmp_path)
    report, chart = (
        tmp_path / f"bao-cao-BDT22-{TODAY}.docx",
        tmp_path / f"bieu-do-BDT22-{TODAY}.png",
    )
    assert f"📎 Đã lưu tệp: {report}" in lines and f"📎 Đã lưu tệp: {chart}" in lines
    assert "BÁO CÁO" in "\n".join(p.text for p in docx.Document(str(report)).paragraphs)
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_where_zalo_finds_the_report_is_the_web_download_when_pages_are_served() -> None:
    """Zalo cannot carry a file; with pages served, the answer links the download route."""
    line = texts.report_elsewhere("BDT22", "docx", "Ban Dân tộc", 3, "https://nv.example")
    url = "https://nv.example/bao-cao/tai-ve?ke-hoach=BDT22&loai=docx&don-vi=3"
    assert line == f"Tải tệp trên trang web (đăng nhập bằng /web): {url}"
    routes = {r.canonical for r in _web_routes()}
    assert texts.REPORT_DOWNLOAD_PATH in routes


def _web_routes() -> list[Any]:
    app = web.Application()
    add_routes(app)
    return list(app.router.resources())
