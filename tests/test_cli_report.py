"""``nhacviec report`` as a secretary runs it: each format read back, the figures as of
the date asked, a read-only database, and one line with exit 2 for every wrong input.

The seed plan (16 tasks) with two updates by Trần Thị Mai (Ban Dân tộc): II.1 started
10/05/2022, I.4 done 01/06/2022 (due 31/12/2022). As of 31/07/2022: 1 done on time,
1 in progress, 14 not started; as of 31/05/2022: none done, 1 in progress.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, time
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select
from typer.testing import CliRunner, Result

from bot.cli import app
from bot.reports.xlsx_report import TASK_SHEET, TOTAL_ROW, UNIT_SHEET
from data.db import open_database
from data.models import Base
from data.people import find_officer
from data.progress import WorkKey, record_update
from data.status import Reply
from scheduler.clock import TZ
from tests.planning_helpers import MAI, seed_with_officers, work_ids

Nhacviec = Callable[..., Result]
TITLE = "triển khai thực hiện công tác thi đua, khen thưởng năm 2022"
JULY = "tính đến ngày 31/07/2022, kế hoạch có 16 nhiệm vụ; đã hoàn thành 1 nhiệm vụ (1 đúng hạn"
MAY = "tính đến ngày 31/05/2022, kế hoạch có 16 nhiệm vụ; đã hoàn thành 0 nhiệm vụ (0 đúng hạn"


async def _seed(url: str) -> None:
    async with open_database(url) as sessions:
        await seed_with_officers(sessions)
        for code, state, day in (
            ("BDT22-II.1", "in_progress", date(2022, 5, 10)),
            ("BDT22-I.4", "done", date(2022, 6, 1)),
        ):
            async with sessions.begin() as s:
                officer = await find_officer(s, MAI)
                await record_update(
                    s,
                    officer=officer,
                    key=WorkKey(*await work_ids(s, code, officer.unit_id)),
                    reply=Reply(state),  # type: ignore[arg-type]
                    raw_text=f"{state} {code}",
                    channel="telegram",
                    provider_update_id=None,
                    now=datetime.combine(day, time(10), tzinfo=TZ),
                    today=day,
                )


async def _dump(url: str) -> dict[str, list[str]]:
    """Every row of every table, as text: what a read-only command must leave alone."""
    async with open_database(url) as sessions, sessions() as s:
        return {
            table.name: sorted(repr(tuple(row)) for row in await s.execute(select(table)))
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def nhacviec(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Nhacviec:
    """``nhacviec ARGS`` on the seeded test database, run in an empty folder."""
    asyncio.run(_seed(db_url))
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("NHACVIEC_LANG", "vi")
    monkeypatch.setenv("NHACVIEC_ERROR_LOG", str(tmp_path / "error.log"))
    for variable in ("NHACVIEC_REPORT_ISSUER", "NHACVIEC_REPORT_NUMBER", "NHACVIEC_REPORT_SIGNER"):
        monkeypatch.delenv(variable, raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), catch_exceptions=False)


def _docx_text(content: bytes) -> str:
    document = Document(BytesIO(content))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def _flat(text: str) -> str:
    """Words as a reader sees them, whatever the line breaks of the layout."""
    return " ".join(text.split())


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_word_and_pdf_carry_the_title_and_the_figures(nhacviec: Nhacviec, fmt: str) -> None:
    result = nhacviec("report", "BDT22", "--format", fmt, "--as-of", "31/07/2022")
    assert result.exit_code == 0, result.output
    path = Path(f"bao-cao-BDT22-2022-07-31.{fmt}")
    assert result.stdout.splitlines()[0] == f"Đã ghi báo cáo: {path}"
    assert JULY in result.stdout.lower()
    text = _flat((_docx_text if fmt == "docx" else _pdf_text)(path.read_bytes())).lower()
    assert TITLE in text and JULY in text


def test_excel_counts_the_states_as_of_the_date(nhacviec: Nhacviec) -> None:
    for day, done, doing, waiting in (("2022-07-31", 1, 1, 14), ("2022-05-31", 0, 1, 15)):
        result = nhacviec("report", "BDT22", "--format", "xlsx", "--as-of", day, "-o", "r.xlsx")
        assert result.exit_code == 0, result.output
        book = load_workbook("r.xlsx")
        assert TITLE in str(book[TASK_SHEET]["A1"].value)
        header = [c.value for c in book[UNIT_SHEET][2]]
        total = next(r for r in book[UNIT_SHEET].iter_rows(values_only=True) if r[0] == TOTAL_ROW)
        figures = dict(zip(header, total, strict=True))
        assert figures["Tổng số"] == 16
        assert figures["Hoàn thành đúng hạn"] == done
        assert figures["Đang thực hiện trong hạn"] == doing
        assert figures["Chưa thực hiện"] == waiting
    assert MAY in result.stdout.lower()  # the line printed for the last one


def test_a_past_period_is_reported_as_of_its_last_day(nhacviec: Nhacviec) -> None:
    result = nhacviec("report", "BDT22", "--format", "xlsx", "--period", "6-thang")
    assert result.exit_code == 0, result.output
    assert "tính đến ngày 30/06/2022" in result.stdout.lower()
    book = load_workbook("bao-cao-BDT22-2022-06-30.xlsx")
    assert "6 tháng đầu năm 2022" in str(book[TASK_SHEET]["A1"].value)


def test_a_unit_report_has_only_its_tasks_and_the_header_options_are_printed(
    nhacviec: Nhacviec,
) -> None:
    result = nhacviec(
        "report",
        "BDT22",
        "--unit",
        "Phòng Tuyên truyền và Địa bàn",
        "--as-of",
        "2022-07-31",
        "--issuer",
        "BAN DÂN TỘC TỈNH BÌNH PHƯỚC",
        "--number",
        "15/BC-BDT",
        "--signer",
        "Nguyễn Văn Ký",
        "-o",
        "tuyen-truyen.docx",
    )
    assert result.exit_code == 0, result.output
    assert "kế hoạch có 2 nhiệm vụ" in result.stdout.lower()
    text = _docx_text(Path("tuyen-truyen.docx").read_bytes())
    assert "Phòng Tuyên truyền và Địa bàn" in text
    for given in ("BAN DÂN TỘC TỈNH BÌNH PHƯỚC", "15/BC-BDT", "Nguyễn Văn Ký"):
        assert given in text, given


@pytest.mark.parametrize(
    "args",
    [
        ("KHONGCO",),
        ("BDT22", "--unit", "Sở Không Có"),
        ("BDT22", "--format", "odt"),
        ("BDT22", "--as-of", "31/02/2022"),
        ("BDT22", "--period", "quy-9"),
        ("BDT22", "--period", "quy-4", "--as-of", "2022-07-31"),
        ("BDT22", "-o", "khong-co-thu-muc/bao-cao.docx"),
        ("BDT22", "-o", "."),
    ],
    ids=["plan", "unit", "format", "date", "period", "period-not-begun", "folder", "a-folder"],
)
def test_a_wrong_input_is_one_line_exit_2_and_writes_nothing(
    nhacviec: Nhacviec, args: tuple[str, ...], tmp_path: Path
) -> None:
    result = nhacviec("report", *args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: "), result.stderr
    assert "Traceback" not in result.output
    assert list(Path().iterdir()) == []
    assert not (tmp_path / "error.log").exists()


def test_it_leaves_the_database_as_it_was(nhacviec: Nhacviec, db_url: str) -> None:
    before = asyncio.run(_dump(db_url))
    assert sum(map(len, before.values())) > 100  # the seeded plan, roster and updates
    for fmt in ("xlsx", "docx"):
        assert nhacviec("report", "BDT22", "--format", fmt, "--as-of", "2022-07-31").exit_code == 0
    assert nhacviec("report", "BDT22", "--unit", "Sở Không Có").exit_code == 2
    assert asyncio.run(_dump(db_url)) == before
