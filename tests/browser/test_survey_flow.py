"""Issue 17 in a real browser: the browser's own Back after an error always finds a page (no
"Confirm form resubmission", ERR_CACHE_MISS) with what was typed; the language switch keeps
what was typed, with JavaScript on and off; progress never jumps; axe at 320 px, both languages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import surveys
from tests.browser.conftest import (
    PHONE,
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
TYPED = "Cleaner streets near the market, and more benches"


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def phone(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    """A 320 px page, with JavaScript on and off."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=request.param)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


@pytest.fixture
def phone_js(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def _js(request: pytest.FixtureRequest) -> bool:
    """Whether this test's phone has JavaScript on (page.evaluate hangs when it is off)."""
    return bool(request.node.callspec.params["phone"])


def _start(page: Any, server: LiveServer, lang: str = "en") -> None:
    page.goto(f"{server.url}/s/{DEMO_SLUG}/?lang={lang}")
    press(page, page.locator("form button.govuk-button--start"), False)
    assert page_id_of(page.url) == "home"


def _home_form(seed: int) -> dict[str, list[str]]:
    return surveys.to_form_data(demo_survey(), "home", demo_answers(seed))


def _assert_shows(page: Any, form: dict[str, list[str]]) -> None:
    """The page's fields hold these values (choices checked, text typed)."""
    for name, values in form.items():
        control = page.locator(f'[name="{name}"]').first
        if control.evaluate("el => el.type") in ("radio", "checkbox"):
            for value in values:
                assert page.locator(f'[name="{name}"][value="{value}"]').is_checked(), name
        else:
            assert control.input_value() == values[0], name


def _assert_a_page(page: Any, response: Any, page_id: str) -> None:
    assert response is not None and response.ok, response
    assert page_id_of(page.url) == page_id, page.url
    assert "ERR_CACHE_MISS" not in page.content()
    expect(page.locator("main form[method=post]").nth(0)).to_be_attached()


def test_back_after_an_error_shows_the_page_as_typed(phone_js: Any,
                                                     live_server: LiveServer) -> None:
    page = phone_js
    _start(page, live_server)
    form = _home_form(21)
    typed = {k: v for k, v in form.items() if k != "q-children"}  # one answer missing
    fill_page(page, typed, False)
    continue_page(page, False)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page_id_of(page.url) == "home"
    # Back from the error: the page as it was before, with what was typed still there.
    _assert_a_page(page, page.go_back(), "home")
    _assert_shows(page, typed)


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_back_after_correcting_an_error_never_asks_to_resubmit(phone_js: Any,
                                                               live_server: LiveServer,
                                                               lang: str) -> None:
    page = phone_js
    _start(page, live_server, lang)
    form = _home_form(22)
    fill_page(page, {k: v for k, v in form.items() if k != "q-children"}, False)
    continue_page(page, False)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.get_attribute("html", "lang") == lang
    assert page.locator("#q-children").get_attribute("aria-describedby")
    assert_accessible(page)  # the error page, after the redirect, at 320 px
    assert_no_horizontal_scroll(page)
    fill_page(page, {"q-children": form["q-children"]}, False)
    continue_page(page, False)
    following = page_id_of(page.url)
    assert following and following != "home"
    # The browser's Back, twice: each entry is a page (a GET), never a form submission.
    _assert_a_page(page, page.go_back(), "home")
    _assert_shows(page, form)
    expect(page.locator(".govuk-error-summary")).to_have_count(0)  # saved now: no messages
    _assert_a_page(page, page.go_back(), "home")
    _assert_a_page(page, page.go_forward(), "home")
    _assert_a_page(page, page.go_forward(), following)


def _to_local_area(page: Any, server: LiveServer) -> None:
    _start(page, server)
    fill_page(page, _home_form(23), False)
    continue_page(page, False)
    assert page_id_of(page.url) == "local-area"


def test_switching_language_keeps_what_was_typed(phone: Any, live_server: LiveServer,
                                                 request: pytest.FixtureRequest) -> None:
    page = phone
    _to_local_area(page, live_server)
    page.locator('input[name="q-area-rating"][value="7"]').check()
    page.fill("#q-improve", TYPED)
    with page.expect_navigation():
        page.get_by_role("button", name="বাংলা").click()
    assert page_id_of(page.url) == "local-area"
    assert page.get_attribute("html", "lang") == "bn"
    assert page.locator("#q-improve").input_value() == TYPED
    assert page.locator('input[name="q-area-rating"][value="7"]').is_checked()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    if _js(request):
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
    page.fill("#q-improve", TYPED + " ২০২৬")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("#q-improve").input_value() == TYPED + " ২০২৬"
    if _js(request):
        assert_accessible(page)
    # The switch saved nothing as an answer: Continue checks and saves the page as usual.
    continue_page(page, False)
    assert page_id_of(page.url) == "area-statements"


def test_enter_in_a_field_continues_and_does_not_switch_language(
        phone: Any, live_server: LiveServer) -> None:
    page = phone
    _start(page, live_server)
    fill_page(page, _home_form(24), False)
    with page.expect_navigation():
        page.locator("#q-children").press("Enter")
    assert page_id_of(page.url) == "local-area"
    assert page.get_attribute("html", "lang") == "en"


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_progress_never_jumps_and_is_accessible(phone_js: Any, live_server: LiveServer,
                                                lang: str) -> None:
    page = phone_js
    definition = demo_survey()
    answers = demo_answers(25)
    _start(page, live_server, lang)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    seen = []
    while "/check" not in page.url:
        page_id = page_id_of(page.url)
        assert page_id, page.url
        seen.append(page.locator("#progress").inner_text())
        fill_page(page, surveys.to_form_data(definition, page_id, answers), False)
        continue_page(page, False)
        assert len(seen) < 40
    word = "Section" if lang == "en" else "বিভাগ"
    totals = {s.split(":")[0].split("/" if lang == "bn" else " of ")[1].strip() for s in seen}
    assert len(totals) == 1, seen
    assert all(s.startswith(word) for s in seen), seen
