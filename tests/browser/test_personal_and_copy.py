"""Email and UK address questions in a browser (GOV.UK patterns, errors, axe), the copy page
and the SPSS button on the survey list; screenshots at 390 px in English and Bengali."""

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
    staff_sign_in,
)
from tests.browser.survey_driver import continue_page, press
from tests.engage.test_personal_questions import SLUG, contact_definition

pytestmark = pytest.mark.browser
PHONE_390 = {"width": 390, "height": 844}


def _publish(server: LiveServer) -> None:
    with server.app.app_context():
        try:
            published_survey(SLUG)
        except SurveyNotFound:
            publish_definition(contact_definition(), lawful_basis=LAWFUL_BASIS,
                               privacy_notice=PRIVACY, anonymous=False)


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_email_and_address_pages(browser: Any, live_server: LiveServer, lang: str) -> None:
    _publish(live_server)
    context = browser.new_context(viewport=PHONE_390)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/s/{SLUG}/?lang={lang}")
        press(page, page.locator("form button.govuk-button--start"), False)
        page.fill("#q-email", "ruma@example")
        continue_page(page, False)
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert page.locator("#q-email").input_value() == "ruma@example"
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
        save_shot(page, f"email-error-{lang}")
        page.fill("#q-email", "ruma@example.com")
        continue_page(page, False)
        page.fill("#q-home-line1", "1 High Street")
        page.fill("#q-home-postcode", "E1")
        continue_page(page, False)
        links = page.locator(".govuk-error-summary a")
        expect(links).to_have_count(2)
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
        save_shot(page, f"address-error-{lang}")
        links.nth(1).click()
        assert page.evaluate("document.activeElement.id") == "q-home-postcode"
        page.fill("#q-home-town", "London")
        page.fill("#q-home-postcode", "e1 6an")
        continue_page(page, False)
        assert page.url.endswith("/check")
        assert "E1 6AN" in page.locator(".govuk-summary-list").inner_text()
        assert_accessible(page)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_copy_page_and_spss_button(browser: Any, live_server: LiveServer, lang: str) -> None:
    _publish(live_server)
    context = browser.new_context(viewport=PHONE_390)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        staff_sign_in(page, live_server, "officer@engage.example")
        if lang == "bn":
            page.goto(f"{live_server.url}/staff/?lang=bn")
        page.goto(f"{live_server.url}/staff/surveys/{SLUG}/copy")
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
        save_shot(page, f"copy-{lang}")
        page.fill("#slug", SLUG)
        page.locator("form:has(#slug) button.govuk-button").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)
        page.fill("#slug", f"{SLUG}-copy-{lang}")
        page.locator("form:has(#slug) button.govuk-button").click()
        assert page.url.endswith(f"/staff/surveys/{SLUG}-copy-{lang}/build")
        expect(page.locator(".govuk-notification-banner")).to_be_visible()
        assert_accessible(page)
        save_shot(page, f"copied-{lang}", full_page=False)
        page.goto(f"{live_server.url}/staff/surveys")
        button = page.locator("button[form^=sav-]").first
        assert button.is_visible()
        button.scroll_into_view_if_needed()
        save_shot(page, f"spss-button-{lang}", full_page=False)
    finally:
        context.close()
