"""The consultation hub in a real browser: /consultations and a consultation's page (open, and
with results) in English and Bengali on a 320 px phone and on a desktop, 0 axe violations,
no sideways scrolling; the filter form and the subscription form work without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import (
    PHONE,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_list_and_pages(page: Any, live_server: LiveServer, viewport: dict[str, int],
                        lang: str) -> None:
    page.set_default_navigation_timeout(60_000)  # a first render of results is costly
    page.goto(f"{live_server.url}/consultations?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    expect(page.locator("article")).to_have_count(3)
    assert_accessible(page)
    if viewport == PHONE:
        assert_no_horizontal_scroll(page)
    for slug in ("libraries-2027", "residents-survey-2026", "community-safety-2026"):
        page.goto(f"{live_server.url}/consultations/{slug}?lang={lang}")
        expect(page.locator("h1")).to_have_count(1)
        page.locator("details").evaluate_all("(all) => all.forEach(d => d.open = true)")
        assert_accessible(page)
        if viewport == PHONE:
            assert_no_horizontal_scroll(page)
    page.goto(f"{live_server.url}/consultations/subscribe?lang={lang}")
    assert_accessible(page)


def test_filters_and_subscribing_without_javascript(nojs_page: Any,
                                                     live_server: LiveServer) -> None:
    page = nojs_page
    page.goto(f"{live_server.url}/consultations")
    page.select_option("#status", "open")
    page.locator("form.app-filter button").click()
    page.wait_for_url("**/consultations?*status=open*")
    expect(page.locator("article")).to_have_count(1)
    page.locator("article a").click()
    page.locator("a[href*='subscribe?consultation=']").click()
    page.fill("#email", "browser@example.org")
    page.locator("form button").last.click()
    page.wait_for_url("**/consultations/subscribe/sent")
    assert page.locator("h1").inner_text() == "Check your email"
