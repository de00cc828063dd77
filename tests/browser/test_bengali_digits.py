"""Bengali digits and translated counters in a browser at 320 px (issue 17), axe on each page.

Bengali pages write their numbers in Bengali digits (page numbers, counts, dates); the word
counter is translated with JavaScript on (GOV.UK Frontend formats the count with the page's
lang) and off (the hint rendered by the server); numbers typed in Bengali digits are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import (
    PHONE,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    staff_sign_in,
)
from tests.browser.survey_driver import DEMO_SLUG

pytestmark = pytest.mark.browser
ASCII_DIGITS = re.compile("[0-9]")

COUNTER = {
    "en": ("You can enter up to 150 words", "You have 148 words remaining",
           "You have 1 word too many"),
    "bn": ("আপনি সর্বোচ্চ ১৫০টি শব্দ লিখতে পারেন", "আপনার আর ১৪৮টি শব্দ বাকি আছে",
           "আপনি ১টি শব্দ বেশি লিখেছেন"),
}


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def _first_page(page: Any, server: LiveServer, lang: str) -> None:
    page.goto(f"{server.url}/s/{DEMO_SLUG}/?lang={lang}")
    page.locator("form button.govuk-button--start").click()
    page.wait_for_url(re.compile(r"/q/home"))


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_digits_and_word_counter(phone: Any, live_server: LiveServer, lang: str) -> None:
    page = phone
    _first_page(page, live_server, lang)
    caption = page.locator(".govuk-caption-m").first.inner_text()
    if lang == "bn":
        assert not ASCII_DIGITS.search(caption), caption
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    # Numbers typed in Bengali digits are accepted in either language.
    page.locator("input[name='q-ward']").first.check()
    page.fill("#q-years-lived", "১২")
    page.fill("#q-children", "২")
    page.locator("main form button.govuk-button").first.click()
    page.wait_for_url(re.compile(r"/q/local-area"))
    status = page.locator(".govuk-character-count__status")
    page.fill("#q-improve", "")
    page.locator("#q-improve").press_sequentially("ভালো পার্ক")
    described, remaining, too_many = COUNTER[lang]
    page.wait_for_function(
        "([el, text]) => el.textContent.trim() === text",
        arg=[status.element_handle(), remaining])
    page.fill("#q-improve", "শব্দ " * 151)
    page.locator("#q-improve").press("End")
    page.wait_for_function(
        "([el, text]) => el.textContent.trim() === text",
        arg=[status.element_handle(), too_many])
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    assert described  # the hint with JavaScript off: see the next test


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_word_counter_without_javascript(nojs_page: Any, live_server: LiveServer,
                                         lang: str) -> None:
    page = nojs_page
    _first_page(page, live_server, lang)
    page.locator("input[name='q-ward']").first.check()
    page.fill("#q-years-lived", "১২" if lang == "bn" else "12")
    page.fill("#q-children", "0")
    page.locator("main form button.govuk-button").first.click()
    page.wait_for_url(re.compile(r"/q/local-area"))
    assert page.locator("#q-improve-info").inner_text().strip() == COUNTER[lang][0]


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_staff_dates_in_each_language(phone: Any, live_server: LiveServer, lang: str) -> None:
    page = phone
    staff_sign_in(page, live_server, "admin@engage.example")
    page.goto(f"{live_server.url}/staff/mayor/sessions?lang={lang}")
    table = page.locator("main").inner_text()
    if lang == "bn":
        assert "২০২" in table and not re.search(r"\b20\d\d\b", table), table[:400]
    else:
        assert re.search(r"\d{1,2} [A-Z][a-z]+ 20\d\d at \d{1,2}(:\d\d)?(am|pm)", table)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
