"""The PDF report, read back: its text (pypdf) says every part of the official layout
and the hand-counted figures, the task table repeats its header on each landscape
page without splitting a row, and page 1 looks like a printed page (pdftoppm).
"""

from __future__ import annotations

import io
import logging
import re
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from bot.logs import QUIET, configure_logging
from bot.reports import content
from bot.reports.header import COUNTRY, MOTTO, ReportHeader
from bot.reports.html_report import report_html
from bot.reports.pdf_report import report_pdf
from data.report_model import STATE_LABELS, PlanReport, ReportSection
from tests.report_fixture import EXPECTED, ROWS, sample_report

HEADER = ReportHeader(
    parent="UBND tỉnh Kon Tum",
    issuer="Ban Dân tộc",
    number="12/BC-BDT",
    place="Kon Tum",
    signer_name="Nguyễn Văn Bình",
    recipients=("UBND tỉnh (b/c);", "- Lãnh đạo Ban;", "Lưu: VT."),
)


def _png(colour: tuple[int, int, int]) -> bytes:
    """A small chart stand-in: the renderer only embeds the bytes it is given."""
    out = io.BytesIO()
    Image.new("RGB", (320, 160), colour).save(out, format="PNG")
    return out.getvalue()


def _flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as one space: cells wrap anywhere."""
    return " ".join(text.split())


def _pages(pdf: bytes) -> list[str]:
    return [_flat(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return report_pdf(sample_report(), HEADER, [_png((30, 120, 60))])


def test_the_pdf_says_every_part_of_the_layout(sample_pdf: bytes) -> None:
    report = sample_report()
    pages = _pages(sample_pdf)
    first, text = pages[0], " ".join(pages)
    for part in ("UBND TỈNH KON TUM", "BAN DÂN TỘC", COUNTRY, MOTTO, "Số: 12/BC-BDT"):
        assert part in first
    assert "Kon Tum, ngày 31 tháng 7 năm 2022" in first
    assert f"{content.DOCUMENT_TYPE} {_flat(content.subject(report))}" in first
    assert _flat(content.summary(report)) in first
    assert content.chart_caption(0) in text
    recipients = ("- UBND tỉnh (b/c);", "- Lãnh đạo Ban;", "- Lưu: VT.")
    for part in (content.RECIPIENTS_HEADING, *recipients, "TRƯỞNG BAN"):
        assert part in text
    assert "Nguyễn Văn Bình" in text


def test_the_figures_are_the_hand_counted_ones(sample_pdf: bytes) -> None:
    text = " ".join(_pages(sample_pdf))
    assert "Số nhiệm vụ đề ra trong kế hoạch 6" in text
    assert "Số nhiệm vụ đã hoàn thành 2" in text
    for state, count in EXPECTED.items():
        label = STATE_LABELS[state]
        assert re.search(rf"{re.escape(label)} {count}\b", text, re.IGNORECASE), label
    assert "Số nhiệm vụ có sản phẩm 1" in text
    assert "(lũy kế đến thời điểm báo cáo) 40,0%" in text


def test_every_task_row_is_in_the_table_with_its_sections(sample_pdf: bytes) -> None:
    pages = _pages(sample_pdf)
    table = " ".join(page for page in pages if content.TASKS_TITLE in page)
    assert " ".join(content.COLUMNS) in table
    assert "I. CÔNG TÁC TỔ CHỨC" in table and "II. CÔNG TÁC THI ĐUA" in table
    for row in ROWS:
        for cell in content.row_cells(row):
            assert _flat(cell) in table, cell


def test_the_letter_is_portrait_and_the_table_landscape(sample_pdf: bytes) -> None:
    sizes = [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        for p in PdfReader(io.BytesIO(sample_pdf)).pages
    ]
    assert sizes[0] == (595, 842)
    assert sizes[-1] == (842, 595)


def test_vietnamese_letters_come_from_the_named_serif_font(sample_pdf: bytes) -> None:
    """Liberation Serif 1.07 (Debian's fonts-liberation) has no ạ, ế, ộ…: the PDF then
    mixes in DejaVu for those letters and reads patchy. fonts-liberation2 has them."""
    fonts: set[str] = set()
    for page in PdfReader(io.BytesIO(sample_pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert fonts and all(re.match(r"(Times|Liberation-?Serif)", f) for f in fonts), fonts


def test_page_one_is_a_printed_page(sample_pdf: bytes, tmp_path: Path) -> None:
    """pdftoppm (poppler-utils) must be installed: CI installs it, a missing one fails."""
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(sample_pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    page = Image.open(png).convert("L")
    width, height = page.size
    pixels = page.load()
    assert pixels is not None
    dark_rows = [any(pixels[x, y] < 128 for x in range(width)) for y in range(height)]
    inked = sum(page.histogram()[:200])
    assert inked > 0.01 * width * height
    # Text lines are separate bands of ink: header, title, summary, figures, footer.
    bands = sum(1 for y in range(1, height) if dark_rows[y] and not dark_rows[y - 1])
    assert bands >= 10


def _long_report(tasks: int) -> PlanReport:
    """``tasks`` rows in three sections, each row with a two-line content to keep whole."""
    rows = [
        replace(
            ROWS[n % len(ROWS)],
            code=f"BDT22-{n}",
            number=str(n + 1),
            content=f"Nhiệm vụ NV{n:04d} triển khai\ncòn dòng thứ hai của NV{n:04d}",
            progress=f"Tiến độ của NV{n:04d}",
        )
        for n in range(tasks)
    ]
    third = tasks // 3
    sections = (
        ReportSection("I", "CÔNG TÁC TỔ CHỨC", tuple(rows[:third])),
        ReportSection("II", "CÔNG TÁC THI ĐUA", tuple(rows[third : 2 * third])),
        ReportSection("III", "CÔNG TÁC KHEN THƯỞNG", tuple(rows[2 * third :])),
    )
    return replace(sample_report(), sections=sections)


def test_a_long_table_repeats_its_header_and_keeps_rows_whole() -> None:
    pages = _pages(report_pdf(_long_report(150), HEADER))
    table_pages = [page for page in pages if "NV0" in page]
    assert len(table_pages) >= 4
    for page in table_pages:
        assert " ".join(content.COLUMNS) in page
    for number, page in enumerate(pages, start=1):
        assert f"Trang {number}/{len(pages)}" in page
    for n in range(150):
        first, second, progress = (
            f"Nhiệm vụ NV{n:04d} triển khai",
            f"còn dòng thứ hai của NV{n:04d}",
            f"Tiến độ của NV{n:04d}",
        )
        (where,) = [i for i, page in enumerate(pages) if first in page]
        assert second in pages[where] and progress in pages[where], n


def test_the_html_escapes_task_text_and_fetches_nothing() -> None:
    hostile = replace(ROWS[0], content='<script>alert("x")</script> & <b>đậm</b>')
    report = replace(sample_report(), sections=(ReportSection("I", "A < B", (hostile,)),))
    charts = [_png((200, 0, 0)), _png((0, 0, 200))]
    html = report_html(report, HEADER, charts)
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;đậm&lt;/b&gt;" in html
    assert "I. A &lt; B" in html
    sources = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert len(sources) == 2 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert html.index(sources[0]) < html.index(sources[1])
    assert "url(" not in html and "@import" not in html
    assert '"Times New Roman"' in html


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """The app's logging into a buffer; the root logger restored afterwards."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, [logging.getLogger(n).level for n in QUIET])
    buffer = io.StringIO()
    configure_logging(json=False, level="INFO", stream=buffer)
    yield buffer
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name, level in zip(QUIET, saved[2], strict=True):
        logging.getLogger(name).setLevel(level)


def test_printing_a_report_logs_nothing(log_lines: io.StringIO) -> None:
    """Neither WeasyPrint's "Step n" lines nor a warning about the page's CSS."""
    report_pdf(sample_report(), HEADER, [_png((0, 0, 0))])
    assert log_lines.getvalue() == ""
