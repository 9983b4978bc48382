"""Fixtures of the browser tests: the distribution's Chromium driven by Playwright, headless,
against the real server process (``site.py``); screenshots go to ``build/screenshots/``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser.pages import People
from tests.browser.site import ROOT, Site, start, stop

CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium (``.ci/run`` installs it): nothing is downloaded at test time."""
SHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Module-wide, not session-wide: Playwright's sync API keeps an event loop running in
    the main thread while it is open, and every later test's ``asyncio.run`` would fail."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    running = start(tmp_path_factory.mktemp("site"))
    yield running
    stop(running)


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.fixture
def people(browser: Browser, site: Site) -> Iterator[People]:
    """Browsers for the test's people; no page of theirs may hit a CSP refusal."""
    crowd = People(browser, site)
    yield crowd
    crowd.close()
    assert not crowd.refused, crowd.refused
