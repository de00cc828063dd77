"""Coding in a real browser, at 320 px and desktop width: an analyst builds a codeframe from the
approved themes, codes texts with the keyboard, suggestions appear and are accepted in bulk (and
undone), a second analyst double-codes a sample, the disagreement is resolved; JavaScript off
the coding page is a plain form; axe finds nothing on any page. Screenshots at 390 px in English
and Bengali go to ENGAGE_SHOTS when set."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import (
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    save_shot,
    staff_sign_in,
)

pytestmark = pytest.mark.browser
TEXT_URL = re.compile(r"/staff/coding/\d+/texts/(\d+)$")


def _patient(page: Any) -> Any:
    """The coding steps refit a model inside the request (jobs run inline in tests): allow time
    on a loaded machine."""
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(60_000)
    return page


def _check(page: Any) -> None:
    assert_accessible(page)
    if page.viewport_size["width"] <= 390:
        assert_no_horizontal_scroll(page)


def _approve_a_theme(page: Any, server: LiveServer) -> None:
    page.goto(f"{server.url}/staff/themes")
    page.locator(".govuk-summary-card__title a").first.click()
    button = page.get_by_role("button", name="Approve theme")
    if button.count():
        button.click()
        page.wait_for_url(re.compile(r"/staff/themes/\d+$"))


def _build_from_themes(page: Any, server: LiveServer, title: str) -> str:
    _approve_a_theme(page, server)
    page.goto(f"{server.url}/staff/")
    page.get_by_role("link", name="Code texts with a codeframe").click()
    _check(page)
    page.get_by_role("link", name="Start a codeframe from approved themes").click()
    _check(page)
    page.get_by_role("button", name="Create codeframe from themes").click()  # no title
    expect(page.locator(".govuk-error-summary")).to_have_count(1)
    _check(page)
    page.fill("#title", title)
    page.get_by_role("button", name="Create codeframe from themes").click()
    page.wait_for_url(re.compile(r"/staff/coding/\d+$"))
    assert "Codeframe created from the approved themes" in page.content()
    _check(page)
    return str(page.url)


def _code_by_keyboard(page: Any, key: str) -> str:
    """On a coding page: press the key (focus starts in the form), then Enter; the next URL."""
    before = page.url
    page.locator("#coding-form input[type=checkbox]").first.wait_for()
    page.keyboard.press(key)
    box = page.locator(f"#coding-form input[data-key='{key}']")
    assert box.is_checked()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url != before)
    return str(page.url)


def test_build_code_accept_double_code_and_resolve(page: Any, live_server: LiveServer) -> None:
    server = live_server
    _patient(page)
    width = page.viewport_size["width"]
    staff_sign_in(page, server, "analyst@engage.example")
    frame_url = _build_from_themes(page, server, f"Priorities at {width}px")
    page.get_by_role("link", name="Code texts").first.click()
    page.wait_for_url(TEXT_URL)
    _check(page)
    # Keyboard first: 1 ticks the first code, 0 "no substantive answer", Enter saves.
    first_text = page.url
    for key in ("1", "1", "0", "1", "0"):
        _code_by_keyboard(page, key)
    if page.locator("[data-shortcut='p']").count():  # p: back to the previous text
        before = page.url
        page.keyboard.press("p")
        page.wait_for_url(lambda url: url != before)
    page.goto(first_text)
    expect(page.locator("#coded-status")).to_have_count(1)
    assert page.locator("#coding-form input[data-key='1']").is_checked()
    # Suggestions were refreshed after the fifth coding: accept one code's, then undo.
    page.goto(frame_url + "/queue")
    assert "learnt from 5 texts" in page.locator("#model-status").inner_text()
    _check(page)
    page.fill("#threshold", "0")
    page.select_option("#code", index=1)
    page.get_by_role("button", name="Accept suggestions").click()
    page.wait_for_url(re.compile(r"/queue$"))
    assert "texts coded" in page.locator(".govuk-notification-banner").inner_text()
    _check(page)
    page.locator("#batches button").first.click()
    page.wait_for_url(re.compile(r"/queue$"))
    assert "Undone" in page.locator("#batches").inner_text()
    # A 10% double-coding sample, coded by a second analyst (an administrator).
    page.goto(frame_url + "/double")
    _check(page)
    page.fill("#share", "10")
    page.fill("#seed", "1")
    page.get_by_role("button", name="Draw the sample").click()
    page.wait_for_url(re.compile(r"/double$"))
    staff_sign_in(page, server, "admin@engage.example", fresh=True)
    page.goto(frame_url + "/double")
    page.get_by_role("link", name="Double-code the next text").click()
    page.wait_for_url(re.compile(r"/double/\d+$"))
    _check(page)
    expect(page.locator("[data-shortcut]")).to_have_count(0)  # blind to the first coding
    agreed = page.url.rsplit("/", 1)[1]
    _code_by_keyboard(page, "1")
    differs = page.url.rsplit("/", 1)[1]
    _code_by_keyboard(page, "0")
    # The first analyst codes the same two texts: one agrees, one does not.
    staff_sign_in(page, server, "analyst@engage.example", fresh=True)
    for text_id in (agreed, differs):
        page.goto(f"{frame_url}/texts/{text_id}")
        _code_by_keyboard(page, "1")
    page.goto(frame_url + "/agreement")
    expect(page.locator("#agreement-overall")).to_have_count(1)
    _check(page)
    page.locator("#disagreements a").first.click()
    page.wait_for_url(re.compile(r"/agreement/\d+$"))
    _check(page)
    page.locator("#coding-form label", has_text="No substantive answer").click()
    assert not page.locator("#coding-form input[data-key='1']").is_checked()  # exclusive
    page.fill("#note", "A question about something else")
    page.get_by_role("button", name="Record the resolution").click()
    page.wait_for_url(re.compile(r"/agreement$"))
    expect(page.locator("#disagreements .govuk-tag--green")).to_have_count(1)
    _check(page)


def test_the_coding_page_works_without_javascript(nojs_page: Any,
                                                  live_server: LiveServer) -> None:
    page = _patient(nojs_page)
    staff_sign_in(page, live_server, "analyst@engage.example")
    frame_url = _build_from_themes_nojs(page, live_server)
    page.goto(frame_url + "/code")
    page.wait_for_url(TEXT_URL)
    page.get_by_role("button", name="Save and go to the next text").click()
    assert "Select at least one code" in page.locator(".govuk-error-summary").inner_text()
    page.locator("#coding-form input[type=checkbox]").first.check()
    before = page.url
    page.get_by_role("button", name="Save and go to the next text").click()
    page.wait_for_url(lambda url: url != before)
    page.goto(before)
    expect(page.locator("#coded-status")).to_have_count(1)


def _build_from_themes_nojs(page: Any, server: LiveServer) -> str:
    page.goto(f"{server.url}/staff/coding/from-themes")
    page.fill("#title", "Without JavaScript")
    page.get_by_role("button", name="Create codeframe from themes").click()
    return str(page.url)


@pytest.fixture
def wide_phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_coding_pages_at_390px(wide_phone: Any, live_server: LiveServer, lang: str) -> None:
    page = _patient(wide_phone)
    staff_sign_in(page, live_server, "analyst@engage.example")
    _approve_a_theme(page, live_server)
    page.goto(f"{live_server.url}/staff/coding/from-themes?lang={lang}")
    page.fill("#title", f"Screens {lang}")
    page.locator("main form button.govuk-button").click()
    page.wait_for_url(re.compile(r"/staff/coding/\d+$"))
    frame_url = str(page.url)
    page.goto(frame_url + "/code")
    page.wait_for_url(TEXT_URL)
    text_url = str(page.url)
    pages = {"list": f"{live_server.url}/staff/coding", "overview": frame_url,
             "coding": text_url, "queue": frame_url + "/queue",
             "double": frame_url + "/double", "agreement": frame_url + "/agreement",
             "import": frame_url + "/import", "new-code": frame_url + "/codes/new"}
    for name, url in pages.items():
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == lang
        _check(page)
        save_shot(page, f"{name}-{lang}")
