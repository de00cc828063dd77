"""Interviewer mode and paper keying in a browser, at 320 px and desktop, with axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest

import surveys
from tests.browser.conftest import (
    PHONE,
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
    press,
)

pytestmark = pytest.mark.browser
REFERENCE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}")


# Other browser tests add surveys to the shared server: always pick the demo survey.
START_DEMO = re.compile("Start an interview for Partnership plan")
KEY_DEMO = re.compile("^Key paper sheets for Partnership plan")


def _check(page: Any) -> None:
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_interviewer_runs_an_interview_in_bengali(page: Any, live_server: LiveServer) -> None:
    staff_sign_in(page, live_server, "interviewer@engage.example")
    press(page, page.get_by_role("link", name="Run interviews and see your completes"), False)
    _check(page)
    press(page, page.get_by_role("button", name=START_DEMO).first,
          keyboard=True)
    _check(page)
    # Nothing chosen: every problem is listed, and nothing starts.
    press(page, page.get_by_role("button", name="Continue"), keyboard=True)
    expect(page.locator(".govuk-error-summary li")).to_have_count(3)  # the language has a default
    _check(page)
    fill_page(page, {"language": ["bn"], "channel": ["phone"], "batch": ["Browser week"],
                     "proxy": ["no"], "consent": ["yes"]}, keyboard=True)
    press(page, page.get_by_role("button", name="Continue"), keyboard=True)
    definition = demo_survey()
    answers = demo_answers(7)
    pages = 0
    while "/check" not in page.url:
        page_id = page_id_of(page.url)
        assert page_id, page.url
        expect(page.locator('div[lang="bn"] form')).to_have_count(1)
        if pages < 2:
            _check(page)
        fill_page(page, surveys.to_form_data(definition, page_id, answers), keyboard=False)
        continue_page(page, keyboard=False)
        pages += 1
        assert pages < 40
    _check(page)
    press(page, page.get_by_role("button", name="Send the answers"), keyboard=True)
    assert page.url.endswith("/done")
    assert REFERENCE.search(page.locator(".govuk-panel").inner_text())
    assert "interviews for this survey" in page.locator("main").inner_text()
    _check(page)
    press(page, page.get_by_role("button", name="Start the next interview"), keyboard=True)
    assert page.locator("#batch").input_value() == "Browser week"


def _assert_a_page(page: Any, response: Any, path_end: str) -> None:
    """Back or Forward found a page (a GET), never Chrome's "Confirm form resubmission"."""
    assert response is not None and response.ok, response
    assert page.url.split("?")[0].endswith(path_end), page.url
    assert "ERR_CACHE_MISS" not in page.content()
    expect(page.locator("main form[method=post]").nth(0)).to_be_attached()


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_back_after_interview_errors_never_asks_to_resubmit(browser: Any,
                                                            live_server: LiveServer,
                                                            lang: str) -> None:
    """Post/redirect/get on the setup and question pages of an interview (issue 17): the
    errors come back by a GET with what was typed, so Back and Forward always find a page."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        staff_sign_in(page, live_server, "interviewer@engage.example")
        page.goto(f"{live_server.url}/staff/interviews/{DEMO_SLUG}/new?lang={lang}")
        assert page.get_attribute("html", "lang") == lang
        page.fill("#batch", "Back test")
        press(page, page.locator("main form button.govuk-button"), False)
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert page.url.endswith(f"/staff/interviews/{DEMO_SLUG}/new")
        assert page.locator("#batch").input_value() == "Back test"
        _check(page)  # the setup errors, after the redirect, at 320 px
        _assert_a_page(page, page.go_back(), "/new")
        _assert_a_page(page, page.go_forward(), "/new")
        fill_page(page, {"language": [lang], "channel": ["phone"], "batch": ["Back test"],
                         "proxy": ["no"], "consent": ["yes"]}, keyboard=False)
        press(page, page.locator("main form button.govuk-button"), False)
        assert page_id_of(page.url) == "home"
        form = surveys.to_form_data(demo_survey(), "home", demo_answers(31))
        typed = {k: v for k, v in form.items() if k != "q-children"}  # one answer missing
        fill_page(page, typed, keyboard=False)
        press(page, page.locator("main form button.govuk-button"), False)
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert page_id_of(page.url) == "home"
        assert page.locator("#q-children").get_attribute("aria-describedby")
        _check(page)  # the question page's errors, after the redirect, at 320 px
        _assert_a_page(page, page.go_back(), "/q/home")
        for name, values in typed.items():  # what was typed is still there
            control = page.locator(f'[name="{name}"]').first
            if control.evaluate("el => el.type") in ("radio", "checkbox"):
                assert page.locator(f'[name="{name}"][value="{values[0]}"]').is_checked()
            else:
                assert control.input_value() == values[0], name
        _assert_a_page(page, page.go_forward(), "/q/home")
        fill_page(page, {"q-children": form["q-children"]}, keyboard=False)
        press(page, page.locator("main form button.govuk-button"), False)
        following = page_id_of(page.url)
        assert following and following != "home"
        _assert_a_page(page, page.go_back(), "/q/home")
        expect(page.locator(".govuk-error-summary")).to_have_count(0)  # saved: no messages now
        _assert_a_page(page, page.go_back(), "/q/home")
    finally:
        context.close()


def test_paper_keying_by_keyboard(page: Any, live_server: LiveServer) -> None:
    staff_sign_in(page, live_server, "officer@engage.example")
    page.goto(f"{live_server.url}/staff/paper")
    _check(page)
    press(page, page.get_by_role("link", name=KEY_DEMO).first, True)
    _check(page)
    definition = demo_survey()
    batch = f"Browser batch {page.viewport_size['width']}"
    for sheet, seed in (("1", 3), ("2", 4)):
        answers = demo_answers(seed)
        form: dict[str, list[str]] = {"batch": [batch], "sheet_number": [sheet]}
        for page_id in surveys.path(definition, answers):
            form.update(surveys.to_form_data(definition, page_id, answers))
        if sheet == "2":
            form.pop("batch")  # kept from the sheet before
            assert page.locator("#batch").input_value() == batch
            assert page.locator("#sheet_number").input_value() == ""
        fill_page(page, form, keyboard=True)
        press(page, page.get_by_role("button", name="Save sheet and key the next one"), True)
        banner = page.locator(".govuk-notification-banner--success")
        assert f"Sheet {sheet} saved with reference" in banner.inner_text()
    _check(page)
    # The same sheet number again in this batch is refused, with what was typed kept.
    fill_page(page, {"sheet_number": ["2"]}, keyboard=True)
    press(page, page.get_by_role("button", name="Save sheet and key the next one"), True)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert f"Sheet 2 is already keyed in batch {batch}" in summary
    _check(page)


def test_interview_and_paper_work_without_javascript(nojs_page: Any,
                                                     live_server: LiveServer) -> None:
    page = nojs_page
    staff_sign_in(page, live_server, "interviewer@engage.example")
    page.goto(f"{live_server.url}/staff/interviews")
    press(page, page.get_by_role("button", name=START_DEMO).first,
          False)
    fill_page(page, {"channel": ["face_to_face"], "proxy": ["yes"], "consent": ["no"]}, False)
    press(page, page.get_by_role("button", name="Continue"), False)
    assert "/refused" in page.url
    assert_no_horizontal_scroll(page)
    page.goto(f"{live_server.url}/staff/paper")
    press(page, page.get_by_role("link", name=KEY_DEMO).first, False)
    definition = demo_survey()
    answers = demo_answers(11)
    form: dict[str, list[str]] = {"batch": ["No script batch"], "sheet_number": ["1"]}
    for page_id in surveys.path(definition, answers):
        form.update(surveys.to_form_data(definition, page_id, answers))
    fill_page(page, form, keyboard=False)
    press(page, page.get_by_role("button", name="Save sheet and key the next one"), False)
    assert "Sheet 1 saved with reference" in page.locator(
        ".govuk-notification-banner--success").inner_text()
    assert_no_horizontal_scroll(page)
