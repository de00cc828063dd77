"""The survey runner in a browser at 320 px: keyboard only, JavaScript off, Bengali, back and
change links, resume from a link, double submit; axe-core on every page type."""

from __future__ import annotations

import re
from typing import Any

import pytest

import surveys
from tests.browser.conftest import (
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
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


def _start(page: Any, server: LiveServer, lang: str = "en", keyboard: bool = False) -> None:
    page.goto(f"{server.url}/s/{DEMO_SLUG}/?lang={lang}")
    press(page, page.locator("form button.govuk-button--start"), keyboard)


def _answer_all(page: Any, answers: dict[str, Any], keyboard: bool = False,
                check_a11y: bool = False) -> int:
    definition = demo_survey()
    pages = 0
    while "/check" not in page.url:
        page_id = page_id_of(page.url)
        assert page_id, page.url
        if check_a11y:
            assert_accessible(page)
            assert_no_horizontal_scroll(page)
        fill_page(page, surveys.to_form_data(definition, page_id, answers), keyboard)
        continue_page(page, keyboard)
        pages += 1
        assert pages < 40, "the survey never reached check your answers"
    return pages


def _send(page: Any, keyboard: bool = False) -> str:
    press(page, page.get_by_role("button", name=re.compile("Send my answers|আমার উত্তরগুলো পাঠান")),
          keyboard)
    assert page.url.endswith(f"/s/{DEMO_SLUG}/done")
    found = REFERENCE.search(page.locator(".govuk-panel").inner_text())
    assert found
    return found.group(0)


def test_whole_demo_survey_by_keyboard_alone(page: Any, live_server: LiveServer) -> None:
    _start(page, live_server, keyboard=True)
    assert_accessible(page)
    pages = _answer_all(page, demo_answers(11), keyboard=True, check_a11y=True)
    assert pages >= 8
    assert_accessible(page)  # check your answers
    assert_no_horizontal_scroll(page)
    _send(page, keyboard=True)
    assert_accessible(page)  # confirmation


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_start_page_is_accessible(page: Any, live_server: LiveServer, lang: str) -> None:
    page.goto(f"{live_server.url}/s/{DEMO_SLUG}/?lang={lang}")
    assert page.get_attribute("html", "lang") == lang
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_error_page_is_accessible_and_keeps_input(page: Any, live_server: LiveServer) -> None:
    _start(page, live_server)
    continue_page(page, keyboard=False)  # nothing answered
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert page.title().startswith("Error:")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_bengali_with_javascript_off(nojs_page: Any, live_server: LiveServer) -> None:
    _start(nojs_page, live_server, lang="bn")
    assert nojs_page.get_attribute("html", "lang") == "bn"
    _answer_all(nojs_page, demo_answers(12))
    assert "আপনার উত্তরগুলো যাচাই করুন" in nojs_page.locator("h1").inner_text()
    _send(nojs_page)
    assert "উত্তর পাঠানো হয়েছে" in nojs_page.locator(".govuk-panel").inner_text()


def test_back_and_change_links(page: Any, live_server: LiveServer) -> None:
    answers = demo_answers(13)
    _start(page, live_server)
    first = page.url
    definition = demo_survey()
    fill_page(page, surveys.to_form_data(definition, page_id_of(first), answers), False)
    continue_page(page, False)
    page.get_by_role("link", name="Back").click()
    assert page.url == first
    # The answer given is shown again, not asked from scratch.
    form = surveys.to_form_data(definition, page_id_of(first), answers)
    name, values = next(iter(form.items()))
    control = page.locator(f'[name="{name}"]').first
    kind = control.evaluate("el => el.type")
    if kind in ("radio", "checkbox"):
        assert page.locator(f'[name="{name}"][value="{values[0]}"]').is_checked()
    else:
        assert control.input_value() == values[0]
    continue_page(page, False)
    _answer_all(page, answers)
    change = page.locator(".govuk-summary-list__actions a").first
    href = change.get_attribute("href")
    change.click()
    assert "return=check" in page.url and href in page.url
    continue_page(page, False)
    assert page.url.endswith("/check")
    assert_accessible(page)


def test_resume_from_a_link(browser: Any, page: Any, live_server: LiveServer) -> None:
    answers = demo_answers(14)
    definition = demo_survey()
    _start(page, live_server)
    first = page_id_of(page.url)
    fill_page(page, surveys.to_form_data(definition, first, answers), False)
    continue_page(page, False)
    second = page_id_of(page.url)
    fill_page(page, surveys.to_form_data(definition, second, answers), False)
    with page.expect_navigation():
        page.get_by_role("button", name="Save and come back later").click()
    assert page.url.endswith("/saved")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    link = page.locator(".govuk-inset-text a").get_attribute("href")
    other = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        phone = other.new_page()
        phone.goto(link)
        third = page_id_of(phone.url)
        assert third and third not in (first, second)
        phone.get_by_role("link", name="Back").click()
        assert page_id_of(phone.url) == second
        # The saved answers of the second page are there.
        form = surveys.to_form_data(definition, second, answers)
        name, values = next(iter(form.items()))
        control = phone.locator(f'[name="{name}"]').first
        if control.evaluate("el => el.type") in ("radio", "checkbox"):
            assert phone.locator(f'[name="{name}"][value="{values[0]}"]').is_checked()
        else:
            assert control.input_value() == values[0]
        phone.goto(f"{live_server.url}/s/{DEMO_SLUG}/resume/not-a-real-token")
        assert "This link does not work" in phone.locator("h1").inner_text()
        assert_accessible(phone)
    finally:
        other.close()


def test_double_submit_gives_one_confirmation(nojs_page: Any, live_server: LiveServer) -> None:
    from sqlalchemy import func, select

    from engage.extensions import db
    from engage.models import Response

    def submitted() -> int:
        with live_server.app.app_context():
            return int(db.session.scalar(select(func.count(Response.id)).where(
                Response.status == "submitted")) or 0)

    _start(nojs_page, live_server)
    _answer_all(nojs_page, demo_answers(15))
    before = submitted()
    token = nojs_page.locator("input[name=csrf_token]").first.get_attribute("value")
    button = nojs_page.get_by_role("button", name="Send my answers")
    button.dblclick(no_wait_after=True)
    nojs_page.wait_for_url(f"**/s/{DEMO_SLUG}/done")
    reference = REFERENCE.search(nojs_page.locator(".govuk-panel").inner_text()).group(0)
    # Back to the cached check page and send again: the same confirmation, no new response.
    again = nojs_page.request.post(f"{live_server.url}/s/{DEMO_SLUG}/submit",
                                   form={"csrf_token": token})
    assert again.url.endswith(f"/s/{DEMO_SLUG}/done")
    assert reference in again.text()
    assert submitted() == before + 1


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_saved_page_without_a_mail_server_says_the_link_is_only_shown(
        page: Any, live_server: LiveServer, lang: str) -> None:
    answers = demo_answers(15)
    definition = demo_survey()
    _start(page, live_server, lang)
    first = page_id_of(page.url)
    fill_page(page, surveys.to_form_data(definition, first, answers), False)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Save and come back later|পরে")).click()
    assert page.url.endswith("/saved")
    text = page.locator("main").inner_text()
    shown = ("the link is only shown on this page" if lang == "en"
             else "লিংকটি শুধু এই পাতায় দেখানো হচ্ছে")
    assert shown in text
    expect(page.locator("input[name=email]")).to_have_count(0)
    link = page.locator(".govuk-inset-text a").first.get_attribute("href")
    assert link.startswith(f"{live_server.url}/s/{DEMO_SLUG}/resume/")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
