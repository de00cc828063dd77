"""Every foundation page at 320 px and desktop, in English and Bengali: 0 axe violations."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import (
    BROWSER_PASSWORD,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
)

pytestmark = pytest.mark.browser

PAGES = ["/", "/accessibility", "/privacy", "/cookies", "/auth/sign-in", "/no-such-page"]


@pytest.mark.parametrize("lang", ["en", "bn"])
@pytest.mark.parametrize("path", PAGES)
def test_page_is_accessible(page: Any, live_server: LiveServer, path: str, lang: str) -> None:
    page.goto(f"{live_server.url}{path}?lang={lang}")
    assert page.get_attribute("html", "lang") == lang
    assert page.title()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_sign_in_flow_with_keyboard(page: Any, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/auth/sign-in")
    page.keyboard.press("Tab")  # skip link first
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.fill("#email", "admin@engage.example")
    page.fill("#password", "wrong-password-here")
    page.press("#password", "Enter")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.evaluate("document.activeElement.className").find("govuk-error-summary") >= 0
    assert_accessible(page)
    page.fill("#password", BROWSER_PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(f"{live_server.url}/staff/")
    assert "Staff home" in page.locator("h1").inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.goto(f"{live_server.url}/staff/?lang=bn")
    assert page.get_attribute("html", "lang") == "bn"
    assert_accessible(page)
    page.goto(f"{live_server.url}/staff/?lang=en")
    page.goto(f"{live_server.url}/staff/surveys")
    # Other browser tests add surveys to the shared server: find the demo survey by its title.
    expect(page.locator("h2", has_text="Partnership plan")).to_have_count(1)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    with page.expect_download() as download:
        demo_card = page.locator(".govuk-summary-card",
                                 has=page.locator("h2", has_text="Partnership plan"))
        demo_card.get_by_role("button", name="Download codebook (CSV)").click()
    assert download.value.suggested_filename == "residents-2026-codebook.csv"
    page.goto(f"{live_server.url}/staff/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/auth/sign-in")
    assert "You have signed out" in page.content()
    assert_accessible(page)


def test_language_switch_works_without_javascript(nojs_page: Any, live_server: LiveServer) -> None:
    nojs_page.goto(f"{live_server.url}/privacy")
    nojs_page.click("a[hreflang=bn]")
    assert nojs_page.get_attribute("html", "lang") == "bn"
    nojs_page.goto(f"{live_server.url}/")
    assert nojs_page.get_attribute("html", "lang") == "bn"
    # axe needs JavaScript, so accessibility is checked on the JS-on pages above.
