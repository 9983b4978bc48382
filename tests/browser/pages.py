"""Opening the pages as a person, in a browser of their own (a new context: own cookies)."""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page

from tests.browser.site import Site

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 15_000
"""A page that has not answered by then will not (Playwright's default waits 30 s)."""


@dataclass
class People:
    """Signs people in and remembers what to close and what the browser refused.

    Every page is watched for Content-Security-Policy refusals: an inline script or
    style the policy blocks breaks a page without any error on the server.
    """

    browser: Browser
    site: Site
    contexts: list[BrowserContext] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def _watch(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.refused.append(message.text)

    def open(self, viewport: dict[str, int] = DESKTOP) -> Page:
        """A page in a new browser, nobody signed in."""
        context = self.browser.new_context(
            viewport=viewport, accept_downloads=True, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
        )
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", self._watch)
        return page

    def sign_in(
        self, name: str, link: str | None = None, viewport: dict[str, int] = DESKTOP
    ) -> Page:
        """A page signed in as ``name`` through a one-time link (made now unless given)."""
        page = self.open(viewport)
        page.goto(link or self.site.link(name))
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{self.site.url}/")
        assert name in page.locator("header .who").inner_text()
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()
