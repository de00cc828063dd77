"""Issue 15 in a real browser (R10): "Start again" on a shared computer, the moderation queue's
pages, and the Ask the Mayor form coming back with what was typed while the database is locked.
320 px and desktop, English and Bengali, JavaScript on and off, 0 axe violations."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import pytest
from sqlalchemy import make_url

import surveys
from tests.browser.conftest import (
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    staff_sign_in,
)
from tests.browser.survey_driver import (
    DEMO_SLUG,
    continue_page,
    demo_answers,
    demo_survey,
    fill_page,
    page_id_of,
)

pytestmark = pytest.mark.browser
FIRST = "The first person's own words about the park on Roman Road and the broken benches"


def _answer_two_pages(page: Any, server: LiveServer, lang: str) -> str:
    page.goto(f"{server.url}/s/{DEMO_SLUG}/?lang={lang}")
    page.locator("form button.govuk-button--start").click()
    first = page.url
    answers = demo_answers(21)
    answers["improve"] = FIRST
    definition = demo_survey()
    for _ in range(2):
        fill_page(page, surveys.to_form_data(definition, page_id_of(page.url), answers), False)
        continue_page(page, False)
    return first


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_start_again_forgets_the_first_persons_answers(page: Any, live_server: LiveServer,
                                                       lang: str) -> None:
    first = _answer_two_pages(page, live_server, lang)
    assert_accessible(page)  # a page with the Start again form
    assert_no_horizontal_scroll(page)
    page.locator("#start-again").click()
    page.wait_for_url(re.compile(r"/s/[^/]+/\?cleared=1"))
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.locator("form button.govuk-button--start").click()  # the next person: Start now
    assert page.url.split("?")[0] == first.split("?")[0]  # page 1, not page 3
    page.goto(f"{live_server.url}/s/{DEMO_SLUG}/q/local-area")
    assert FIRST not in page.content()
    page.go_back()
    assert FIRST not in page.content()


def test_start_again_works_without_javascript(nojs_page: Any, live_server: LiveServer) -> None:
    _answer_two_pages(nojs_page, live_server, "bn")
    nojs_page.locator("#start-again").click()
    nojs_page.wait_for_url(re.compile(r"cleared=1"))
    expect(nojs_page.locator(".govuk-notification-banner")).to_be_visible()
    expect(nojs_page.locator("#start-again")).to_have_count(0)  # nothing left to clear
    nojs_page.goto(f"{live_server.url}/s/{DEMO_SLUG}/q/local-area")
    assert FIRST not in nojs_page.content()


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_moderation_queue_pages_are_all_reachable(page: Any, live_server: LiveServer,
                                                  lang: str) -> None:
    staff_sign_in(page, live_server, "moderator@engage.example")
    page.goto(f"{live_server.url}/staff/mayor/?status=&lang={lang}")
    total = page.locator("#queue-total").inner_text()
    assert page.locator("nav.govuk-pagination").is_visible(), total
    first_rows = page.locator("table.govuk-table tbody tr").all_inner_texts()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.locator(".govuk-pagination__next a").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator("table.govuk-table tbody tr").all_inner_texts() != first_rows
    expect(page.locator(".govuk-pagination__prev a")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def _locked(server: LiveServer) -> sqlite3.Connection:
    path = make_url(server.app.config["SQLALCHEMY_DATABASE_URI"]).database
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
    conn.execute("BEGIN IMMEDIATE")
    return conn


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_ask_the_mayor_comes_back_with_the_text_after_a_lock(page: Any, live_server: LiveServer,
                                                             lang: str) -> None:
    typed = "Why has the lift in Brokesley Street flats been broken for six weeks?"
    page.goto(f"{live_server.url}/ask-the-mayor?lang={lang}")
    page.fill("#question", typed)
    page.locator("input[name=topic]").first.check()
    page.select_option("#ward", "bow-east")
    page.check("#consent")
    page.fill("#name", "Rahima Khatun")
    lock = _locked(live_server)
    try:
        with page.expect_navigation(timeout=30_000):
            page.locator("form[action$='/ask-the-mayor'] button, "
                         "form[action$='/ask-the-mayor'] input[type=submit]").last.click()
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert page.locator("#question").input_value() == typed
    assert page.locator("#name").input_value() == "Rahima Khatun"
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.locator("form[action$='/ask-the-mayor'] button, "
                 "form[action$='/ask-the-mayor'] input[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/ask-the-mayor/sent"))
