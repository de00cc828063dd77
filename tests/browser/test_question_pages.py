"""The demo survey's question pages in a browser (issue 17), in English and Bengali at 320 px
and at desktop width, axe-core on each: the rating hint says each end once, the date hint gives
one example, ethnic groups are headings that do not wrap one word per line, a Census write-in
box works with JavaScript off, and check your answers shows one line per statement and rank."""

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
ASIAN = {"en": "Asian or Asian British", "bn": "এশীয় বা এশীয় ব্রিটিশ"}
WRITE_IN = "q-about-you-ethnicity-other-asian"


def _seed_through(*pages: str) -> int:
    definition = demo_survey()
    for seed in range(200):
        if set(pages) <= set(surveys.path(definition, demo_answers(seed))):
            return seed
    raise AssertionError(f"no demo resident goes through {pages}")


def _lines(page: Any, locator: Any) -> float:
    """How many lines an element's text takes."""
    return float(locator.evaluate(
        "el => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)"))


def _walk(page: Any, server: LiveServer, lang: str, *, checks: bool) -> None:
    """Answer the whole demo survey, checking the changed pages on the way; write in an
    Asian background on the ethnic group page."""
    definition = demo_survey()
    answers = demo_answers(_seed_through("local-area", "last-event", "about-you-ethnicity"))
    page.goto(f"{server.url}/s/{DEMO_SLUG}/?lang={lang}")
    press(page, page.locator("form button.govuk-button--start"), False)
    for _ in range(40):
        if "/check" in page.url:
            return
        page_id = page_id_of(page.url)
        assert page_id
        fill_page(page, surveys.to_form_data(definition, page_id, answers), False)
        if page_id == "local-area":
            hint = page.locator("#q-area-rating-hint").inner_text()
            low = "0 means" if lang == "en" else "০ মানে"
            assert len(re.findall(rf"(?<![\d০-৯]){low}", hint)) == 1, hint
        if page_id == "last-event":
            hint = page.locator("#q-last-event-hint").inner_text()
            assert hint.count("For example" if lang == "en" else "যেমন") == 1, hint
        if page_id == "about-you-ethnicity":
            heading = page.locator("fieldset h2, fieldset h3").filter(
                has_text=re.compile(f"^{ASIAN[lang]}$"))
            expect(heading).to_have_count(1)
            assert _lines(page, heading) <= 2, "the group heading wraps one word per line"
            page.locator('input[name="q-about-you-ethnicity"][value="other-asian"]').check()
            page.fill(f"#{WRITE_IN}", "Nepali")
        if checks and page_id in ("local-area", "last-event", "about-you-ethnicity"):
            assert_accessible(page)
            assert_no_horizontal_scroll(page)
        continue_page(page, False)
    raise AssertionError("the survey never reached check your answers")


def _check_page(page: Any, lang: str) -> None:
    definition = demo_survey()
    rows = page.locator(".govuk-summary-list__row")
    by_key = {rows.nth(i).locator("dt").inner_text().strip(): rows.nth(i).locator("dd").first
              for i in range(rows.count())}
    grid = by_key[surveys.localise(definition.question("area-statements").title, lang, "en")]
    expect(grid.locator("li")).to_have_count(len(definition.question("area-statements").statements))
    ranks = by_key[surveys.localise(definition.question("priorities").title, lang, "en")]
    ranks_shown = [t.split(".")[0] for t in ranks.locator("li").all_inner_texts()]
    assert ranks_shown == (["1", "2", "3"] if lang == "en" else ["১", "২", "৩"])
    ethnic = by_key[surveys.localise(definition.question("about-you-ethnicity").title, lang, "en")]
    assert ethnic.inner_text().strip().endswith(": Nepali")


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_question_pages_read_well(page: Any, live_server: LiveServer, lang: str) -> None:
    _walk(page, live_server, lang, checks=True)
    _check_page(page, lang)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_write_in_works_without_javascript(nojs_page: Any, live_server: LiveServer) -> None:
    _walk(nojs_page, live_server, "en", checks=False)
    _check_page(nojs_page, "en")
