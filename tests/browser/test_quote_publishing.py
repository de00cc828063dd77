"""Marking a theme's quote publishable in a real browser, in English and Bengali, at 320 px and
desktop width: the quotes section, the button, the confirmation; 0 axe violations."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.models import Theme, ThemeQuote
from tests.browser.conftest import (
    PHONE,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    staff_sign_in,
)

pytestmark = pytest.mark.browser

MARKED = {"en": "Quote marked as publishable", "bn": "উদ্ধৃতিটি প্রকাশযোগ্য হিসেবে চিহ্নিত হয়েছে"}
WITHDRAWN = {"en": "Quote withdrawn from publication",
             "bn": "উদ্ধৃতিটি প্রকাশ থেকে প্রত্যাহার করা হয়েছে"}


def _theme_with_quotes(live_server: LiveServer) -> int:
    with live_server.app.app_context():
        return int(db.session.scalars(
            select(Theme.id).join(ThemeQuote, ThemeQuote.theme_id == Theme.id)
            .where(Theme.active.is_(True)).group_by(Theme.id)
            .having(db.func.count(ThemeQuote.id) >= 2).order_by(Theme.id)).first())


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_an_analyst_marks_and_withdraws_a_publishable_quote(
        page: Any, live_server: LiveServer, viewport: dict[str, int], lang: str) -> None:
    theme_id = _theme_with_quotes(live_server)
    staff_sign_in(page, live_server, "analyst@engage.example", fresh=True)
    url = f"{live_server.url}/staff/themes/{theme_id}"
    page.goto(f"{url}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    expect(page.locator("#quotes")).to_have_count(1)
    assert_accessible(page)
    if viewport == PHONE:
        assert_no_horizontal_scroll(page)
    buttons = page.locator("form[action$='/publishable'] button")
    expect(buttons.nth(1)).to_be_attached()
    last = buttons.count() - 1  # the demo marks each theme's first quote; the last is not
    before = page.locator("#quotes ~ div .govuk-tag--green").count()
    buttons.nth(last).click()
    page.wait_for_url(re.compile(re.escape(url) + "(#quotes)?$"))
    assert MARKED[lang] in page.content()
    expect(page.locator("#quotes ~ div .govuk-tag--green")).to_have_count(before + 1)
    assert_accessible(page)
    if viewport == PHONE:
        assert_no_horizontal_scroll(page)
    page.locator("form[action$='/publishable'] button").nth(last).click()
    page.wait_for_url(re.compile(re.escape(url) + "(#quotes)?$"))
    assert WITHDRAWN[lang] in page.content()
    expect(page.locator("#quotes ~ div .govuk-tag--green")).to_have_count(before)
