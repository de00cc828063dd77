"""The question bank in a browser: save a question of the demo draft to the bank, add it to
another draft, list and delete it; axe and reflow at 320 px and on a desktop, and in Bengali."""

from __future__ import annotations

from typing import Any

import pytest

from engage.demo.builder import SLUG
from engage.services.collect import drafts
from tests.browser.conftest import (
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    staff_sign_in,
)

pytestmark = pytest.mark.browser
VIEWS = {"phone-en": ({"width": 320, "height": 640}, "en"),
         "desktop-en": ({"width": 1280, "height": 900}, "en"),
         "phone-bn": ({"width": 320, "height": 640}, "bn")}


def _check(page: Any) -> None:
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("view", list(VIEWS))
def test_save_to_the_bank_and_add_to_another_draft(browser: Any, live_server: LiveServer,
                                                   view: str) -> None:
    viewport, lang = VIEWS[view]
    target = f"bank-target-{view}"
    with live_server.app.app_context():
        if drafts.get_survey(target) is None:
            drafts.create_survey(None, target, {"en": "Bank target"}, ["en", "bn"])
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        staff_sign_in(page, live_server, "officer@engage.example")
        page.goto(f"{live_server.url}/staff/?lang={lang}")
        page.goto(f"{live_server.url}/staff/surveys/{SLUG}/build")
        page.locator("a[href*='/draft/bank/save?kind=question']").first.click()
        _check(page)
        page.fill("#name", "")
        page.locator("form:has(#name) button.govuk-button").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert page.locator("#name").input_value() == ""
        _check(page)
        name = f"Library use ({view})"
        page.fill("#name", name)
        page.locator("form:has(#name) button.govuk-button").click()
        page.wait_for_url(f"{live_server.url}/staff/surveys/{SLUG}/build")
        assert name in page.locator(".govuk-notification-banner").inner_text()

        page.goto(f"{live_server.url}/staff/surveys/{target}/build")
        page.locator("#bank-add").click()
        _check(page)
        add = page.locator("form:has(input[name=entry]) button.govuk-button")
        add.click()  # nothing chosen
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        _check(page)
        page.get_by_label(name, exact=True).check()
        add.click()
        page.wait_for_url(f"{live_server.url}/staff/surveys/{target}/build#question-*")
        assert name in page.locator(".govuk-notification-banner").inner_text()
        added = page.url.split("#", 1)[1]
        assert page.locator(f"#{added}").is_visible()

        page.goto(f"{live_server.url}/staff/question-bank")
        _check(page)
        card = page.locator("#bank-entries .govuk-summary-card", has_text=name)
        card.locator("a").click()
        _check(page)
        page.locator("main form button.govuk-button--warning").click()
        page.wait_for_url(f"{live_server.url}/staff/question-bank")
        expect(page.locator("#bank-entries .govuk-summary-card", has_text=name)).to_have_count(0)
        _check(page)
    finally:
        context.close()
