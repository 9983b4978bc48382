"""``make demo`` runs to the end and shows what issue 12 asks of it.

A snooze, a promise with its follow-up, who has not reported and a summary that
counts tasks, each as the secretary reads it; the simulations say they ran on a
copy. It runs ``python -m bot.demo`` as ``make demo`` does, in an empty folder.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo")


@pytest.fixture(scope="module")
def shown(folder: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NHACVIEC_LANG": "vi", "COLUMNS": "160"}
    for variable in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN"):
        env.pop(variable, None)
    done = subprocess.run(
        [sys.executable, "-m", "bot.demo"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr == ""
    return done.stdout


@pytest.mark.parametrize(
    "words",
    [
        "Đã hoãn nhắc BDT22-V.1: bot sẽ nhắc lại lúc 08:00 30/03/2022.",  # the snooze
        "Đã ghi nhận hẹn: BDT22-VI.1 xong ngày 01/04/2022.",  # the promise …
        "Nhắc việc Thứ Hai, 04/04/2022:",  # … and the morning of its follow-up
        "Chưa báo cáo — Kế hoạch BDT22",  # /chuabaocao
        "16 nhiệm vụ, 24 lượt giao việc.",  # the summary counts tasks
        "Đã duyệt đề nghị #1: BDT22-I.1 đến 15/04/2022.",
        "Mô phỏng trên một bản sao tạm của cơ sở dữ liệu",
        "16 nhiệm vụ khớp, 0 đổi nội dung, 0 đổi thời hạn, 0 đổi đơn vị, 0 thêm, 0 bỏ.",  # Word
        "~ BDT22-V.2: thời hạn «Quý IV/2022» → «Trước ngày 15/12/2022»",  # the amendment
        "+ BDT22-VI.3: Báo cáo đột xuất",
        "- BDT22-V.3:",
        "Đã ghi báo cáo: bao-cao-BDT22-2022-12-31.pdf",  # the year's report
        "đã hoàn thành 3 nhiệm vụ (2 đúng hạn, 1 quá hạn)",  # I.1, I.2 on time; V.1 late
        "nhacviec run --role web --port 8080",  # how to open the pages
    ],
)
def test_the_demo_shows(shown: str, words: str) -> None:
    assert words in shown


def test_the_snoozed_reminder_comes_back_to_its_officer_on_the_day_asked(shown: str) -> None:
    messages = shown.split("── console → ")
    to_him = [m for m in messages if m.startswith("Đặng Văn Lợi ──")]
    assert any("Nhắc việc Thứ Tư, 30/03/2022:" in m and "BDT22-V.1" in m for m in to_him)


def test_the_demo_writes_the_years_report_and_a_chart(shown: str, folder: Path) -> None:
    for suffix in ("docx", "xlsx", "pdf"):
        assert (folder / f"bao-cao-BDT22-2022-12-31.{suffix}").stat().st_size > 5_000
    assert (folder / "bieu-do-BDT22-2022-12-31.png").read_bytes().startswith(b"\x89PNG")
    assert "📎 Đã lưu tệp:" in shown


def test_the_demo_ends_with_a_sign_in_link_for_the_administrator(shown: str) -> None:
    assert re.search(r"http://localhost:8080/dang-nhap/[\w-]{40,}", shown)
    assert "Liên kết đăng nhập của Hoàng Thị Thu" in shown
