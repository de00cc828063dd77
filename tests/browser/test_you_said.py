"""“You said, we did” in a real browser: the demo consultation's public page in English and
Bengali on a 320 px phone and on a desktop, with JavaScript off too; 0 axe violations. The
demo survey belongs to a consultation with results, so its old address leads to the results
on the consultation's page (issue 18)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from engage.demo.insight import SLUG
from tests.browser.conftest import (
    PHONE,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_public_page(page: Any, live_server: LiveServer, viewport: dict[str, int],
                     lang: str) -> None:
    page.set_default_navigation_timeout(60_000)  # the results page's first render is costly
    page.goto(f"{live_server.url}/you-said-we-did?lang={lang}")
    assert_accessible(page)
    # The survey moved into a consultation: the list links straight to its results there.
    page.locator("a[href$='/consultations/residents-survey-2026#results']").click()
    page.wait_for_url(re.compile(r"/consultations/residents-survey-2026#results$"))
    assert page.locator("html").get_attribute("lang") == lang
    expect(page.locator("h2").nth(4)).to_be_attached()
    assert_accessible(page)
    if viewport == PHONE:
        assert_no_horizontal_scroll(page)


def test_public_page_without_javascript(nojs_page: Any, live_server: LiveServer) -> None:
    nojs_page.goto(f"{live_server.url}/you-said-we-did/{SLUG}")
    assert "/consultations/residents-survey-2026" in nojs_page.url
    nojs_page.locator(".govuk-details__summary").first.click()  # <details> works without JS
    assert nojs_page.locator(".govuk-details__text table").first.is_visible()
