"""The pages in a real browser (Chromium, headless) against the real ``nhacviec run --role web``
process: sign in with a one-time link, import the sample plan through the upload form, record
an update as an officer and watch a leader's overview change, download a report; a unit
head cannot open another unit's task by URL; a form posted without its CSRF token is refused.

Screenshots of the overview and the import preview, at a phone's and a desktop's width, are
written to ``build/screenshots/`` for people to look at (not compared: fonts differ).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page

from bot.reports.xlsx_report import TASK_SHEET
from tests.browser.pages import DESKTOP, PHONE, People
from tests.browser.site import SAMPLES, Site

pytestmark = pytest.mark.e2e

PLAN_FILE = SAMPLES / "ke-hoach-thi-dua-khen-thuong-2022.docx"
TASKS = 16
ADMIN = "Hoàng Thị Thu"
LEADER = "Phạm Quốc Bảo"
OFFICER = "Bùi Thị Lệ"  # Hội đồng Thi đua - Khen thưởng cơ sở, the only lead of BDT22-V.2
OTHER_HEAD = "Lâm Văn Sơn"  # Cơ quan công tác dân tộc cấp huyện: leads BDT22-I.1, not V.2
CODE = re.compile(r"^BDT22-[IVX]+\.\d+$")


def shoot(page: Page, folder: Path, name: str) -> None:
    """The page as seen first, at a phone's and a desktop's width."""
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.screenshot(path=folder / f"{name}-{size['width']}.png")


def state_on_plan_page(page: Page, site: Site, code: str) -> str:
    """The state shown for task ``code`` in its plan's table."""
    page.goto(f"{site.url}/ke-hoach/BDT22")
    row = page.locator("table.tasks tr", has=page.locator(f'a[href="/viec/{code}"]'))
    return row.locator(".state").inner_text().strip()


@pytest.fixture(scope="module")
def imported(browser: Browser, site: Site, shots: Path) -> Iterator[str]:
    """The secretary uploads the sample plan, looks at the preview, confirms; the preview's text."""
    people = People(browser, site)
    page = people.sign_in(ADMIN)
    page.get_by_role("link", name="Nhập kế hoạch").click()
    page.set_input_files('input[name="tep"]', PLAN_FILE)
    page.get_by_role("button", name="Xem trước").click()
    page.wait_for_selector("text=Xác nhận nhập kế hoạch")
    preview = page.locator("main").inner_text()
    shoot(page, shots, "import-preview")
    page.get_by_role("button", name="Xác nhận nhập kế hoạch").click()
    page.wait_for_url(f"{site.url}/ke-hoach/BDT22")
    people.close()
    assert not people.refused, people.refused
    yield preview


def test_a_sign_in_link_from_the_command_works_once(people: People, site: Site) -> None:
    link = site.cli_link(ADMIN)  # nhacviec web link "Hoàng Thị Thu"
    assert link.startswith(f"{site.url}/dang-nhap/")
    page = people.sign_in(ADMIN, link)
    assert page.get_by_role("link", name="Nhập kế hoạch").is_visible()  # an admin's menu
    again = people.open()
    again.goto(link)
    again.get_by_role("button", name="Đăng nhập").click()
    assert "đã dùng rồi" in again.locator("main").inner_text()
    assert again.locator("header .who").count() == 0
    assert again.goto(f"{site.url}/ke-hoach").url == f"{site.url}/dang-nhap"  # not signed in


def test_the_imported_plan_shows_its_16_tasks(imported: str, people: People, site: Site) -> None:
    assert f"{TASKS} nhiệm vụ" in imported  # the preview said what it would create
    page = people.sign_in(ADMIN)
    page.goto(f"{site.url}/ke-hoach/BDT22")
    codes = page.locator("table.tasks td:first-child a").all_inner_texts()
    assert len(codes) == TASKS and all(CODE.match(code) for code in codes), codes


def test_an_officers_update_shows_on_the_leaders_overview(
    imported: str, people: People, site: Site, shots: Path
) -> None:
    leader = people.sign_in(LEADER)
    rate = leader.locator("#ke-hoach-BDT22 .figures .rate strong")
    assert rate.inner_text() == "0,0%"

    officer = people.sign_in(OFFICER, viewport=PHONE)  # officers answer from their phones
    officer.goto(f"{site.url}/viec/BDT22-V.2")
    officer.check('input[name="tinh-trang"][value="done"]')
    officer.fill('textarea[name="ghi-chu"]', "Đã trình Hội đồng xét duyệt")
    officer.get_by_role("button", name="Ghi nhận").click()
    assert "Đã ghi nhận cập nhật." in officer.locator("main").inner_text()

    leader.reload()
    assert rate.inner_text() == "6,2%"  # 1 of 16 done
    shoot(leader, shots, "dashboard")
    assert "Hoàn thành" in state_on_plan_page(leader, site, "BDT22-V.2")


def test_a_leader_downloads_the_workbook(imported: str, people: People, site: Site) -> None:
    page = people.sign_in(LEADER)
    page.get_by_role("link", name="Báo cáo").click()
    page.check('input[name="loai"][value="xlsx"]')
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải về").click()
    saved = download.value
    assert re.fullmatch(r"bao-cao-BDT22-\d{4}-\d{2}-\d{2}\.xlsx", saved.suggested_filename)
    sheet = load_workbook(BytesIO(Path(saved.path()).read_bytes()))[TASK_SHEET]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert len({c for c in cells if CODE.match(c)}) == TASKS


def test_a_unit_head_cannot_open_another_units_task(
    imported: str, people: People, site: Site
) -> None:
    page = people.sign_in(OTHER_HEAD)
    own = page.goto(f"{site.url}/viec/BDT22-I.1")
    assert own is not None and own.status == 200
    other = page.goto(f"{site.url}/viec/BDT22-V.2")
    assert other is not None and other.status == 404
    assert "BDT22-V.2" not in page.locator("main").inner_text().replace("/viec/", "")


def test_a_form_posted_without_its_csrf_token_is_refused(
    imported: str, people: People, site: Site
) -> None:
    page = people.sign_in(OFFICER)
    page.goto(f"{site.url}/viec/BDT22-V.3")
    page.locator('form.update input[name="csrf"]').evaluate("input => input.remove()")
    page.check('form.update input[name="tinh-trang"][value="done"]')
    with page.expect_response(f"{site.url}/viec/BDT22-V.3") as answer:
        page.get_by_role("button", name="Ghi nhận").click()
    assert answer.value.status == 403
    assert "Biểu mẫu đã cũ" in page.locator("main").inner_text()
    assert state_on_plan_page(page, site, "BDT22-V.3") == "Chưa thực hiện"  # nothing recorded
