"""The chart of completed responses over time by channel on the staff survey list, in a real
browser: 0 axe violations at 320 px and on a desktop, in English and Bengali, with the table
open; it works without JavaScript; screenshots at 390 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engage.demo.surveys import SLUG
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    SHOTS,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    staff_sign_in,
)

pytestmark = pytest.mark.browser
CARD = f"#survey-{SLUG}"


def _open_chart(page: Any, live_server: LiveServer, lang: str) -> Any:
    staff_sign_in(page, live_server, "officer@engage.example")
    page.goto(f"{live_server.url}/staff/surveys?lang={lang}")
    chart = page.locator(f"{CARD} svg[role=img]")
    expect(chart).to_have_count(1)
    label = chart.get_attribute("aria-labelledby")
    assert label and len(label.split()) == 2
    page.locator(f"{CARD} details summary").first.click()
    assert page.locator(f"{CARD} details table").first.is_visible()
    return chart


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
@pytest.mark.parametrize("lang", ["en", "bn"])
def test_chart_accessible(page: Any, live_server: LiveServer, viewport: dict[str, int],
                          lang: str) -> None:
    chart = _open_chart(page, live_server, lang)
    box = chart.bounding_box()
    assert box is not None and box["width"] <= viewport["width"]
    assert_accessible(page)
    if viewport is PHONE:
        assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_screenshot_390(browser: Any, live_server: LiveServer, lang: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    try:
        _open_chart(page, live_server, lang)
        assert_no_horizontal_scroll(page)
        if SHOTS:
            page.locator(CARD).screenshot(path=str(Path(SHOTS) / f"survey-chart-{lang}-390.png"))
    finally:
        context.close()


def test_chart_without_javascript(nojs_page: Any, live_server: LiveServer) -> None:
    staff_sign_in(nojs_page, live_server, "officer@engage.example")
    nojs_page.goto(f"{live_server.url}/staff/surveys")
    expect(nojs_page.locator(f"{CARD} svg[role=img] polyline").nth(0)).to_be_attached()
    nojs_page.locator(f"{CARD} details summary").first.click()
    assert nojs_page.locator(f"{CARD} details table").first.is_visible()
