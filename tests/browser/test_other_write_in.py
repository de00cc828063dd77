"""A survey with "Other, please specify" answered in a browser: with JavaScript the box is
revealed when Other is chosen (GOV.UK conditional reveal), without it the box is simply there;
the error for an empty box, check your answers, axe at 0 violations, screenshots at 390 px."""

from __future__ import annotations

from typing import Any

import pytest

from engage.demo.surveys import LAWFUL_BASIS, PRIVACY
from engage.services.collect.published_surveys import (
    SurveyNotFound,
    publish_definition,
    published_survey,
)
from tests.browser.conftest import (
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    save_shot,
)
from tests.browser.survey_driver import continue_page, press
from tests.engage.test_other_write_in import other_definition

pytestmark = pytest.mark.browser


def _publish(server: LiveServer, slug: str) -> None:
    with server.app.app_context():
        try:
            published_survey(slug)
        except SurveyNotFound:
            publish_definition(other_definition(slug), lawful_basis=LAWFUL_BASIS,
                               privacy_notice=PRIVACY)


def _start(page: Any, server: LiveServer, slug: str, lang: str = "en") -> None:
    _publish(server, slug)
    page.goto(f"{server.url}/s/{slug}/?lang={lang}")
    press(page, page.locator("form button.govuk-button--start"), False)
    assert page.url.endswith(f"/s/{slug}/q/used")


def _rows(page: Any) -> dict[str, str]:
    rows = page.locator(".govuk-summary-list__row")
    return {rows.nth(i).locator("dt").inner_text().strip():
            " | ".join(rows.nth(i).locator("dd").first.inner_text().split("\n"))
            for i in range(rows.count())}


def test_other_revealed_with_javascript(page: Any, live_server: LiveServer) -> None:
    _start(page, live_server, "other-js")
    box = page.locator("#q-used-other")
    assert not box.is_visible()  # hidden until Other is chosen
    page.locator('input[name="q-used"][value="park"]').check()
    assert not box.is_visible()
    page.locator('input[name="q-used"][value="other"]').check()
    assert box.is_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    box.fill("Swimming pool")
    continue_page(page, False)
    # Other chosen and the box left empty: the GOV.UK error, the box open, focus from summary.
    page.locator('input[name="q-travel"][value="other"]').check()
    continue_page(page, False)
    summary = page.locator(".govuk-error-summary")
    assert "Enter your other answer" in summary.inner_text()
    expect(page.locator("#q-travel-other")).to_be_visible()
    assert_accessible(page)
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == "q-travel-other"
    page.fill("#q-travel-other", "Cycled")
    continue_page(page, False)
    assert page.url.endswith("/check")
    rows = _rows(page)
    assert rows["Which services have you used?"] == "Park | Other: Swimming pool"
    assert rows["How did you travel here?"] == "Other: Cycled"
    assert_accessible(page)


def test_other_usable_without_javascript(nojs_page: Any, live_server: LiveServer) -> None:
    page = nojs_page
    _start(page, live_server, "other-nojs")
    box = page.locator("#q-used-other")
    assert box.is_visible()  # no script to hide it: shown under its option
    page.locator('input[name="q-used"][value="other"]').check()
    box.fill("Community garden")
    continue_page(page, False)
    page.locator('input[name="q-travel"][value="walk"]').check()
    page.fill("#q-travel-other", "typed, then Walk chosen")
    continue_page(page, False)
    assert page.url.endswith("/check")
    rows = _rows(page)
    assert rows["Which services have you used?"] == "Other: Community garden"
    assert rows["How did you travel here?"] == "Walk"


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_screenshots_at_390(browser: Any, live_server: LiveServer, lang: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        _start(page, live_server, f"other-shots-{lang}", lang)
        page.locator('input[name="q-used"][value="other"]').check()
        assert_accessible(page)
        save_shot(page, f"other-revealed-{lang}")
        continue_page(page, False)
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)
        save_shot(page, f"other-error-{lang}")
    finally:
        context.close()
