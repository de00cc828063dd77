"""Weighting in a real browser: the fieldwork dashboard and a weighting run, at phone and desktop
widths, with JavaScript off too, and 0 axe violations on every page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import (
    PHONE,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    staff_sign_in,
)

pytestmark = pytest.mark.browser

BASE = "/staff/surveys/residents-2026"
PAGES = ["/weighting", "/weighting/population", "/weighting/quotas",
         "/weighting/quotas?ward=bow-east", "/fieldwork", "/fieldwork?channel=online&short=1",
         "/weighting/run", "/results"]


def test_weighting_pages_are_accessible(page: Any, live_server: LiveServer,
                                        viewport: dict[str, int]) -> None:
    staff_sign_in(page, live_server, "analyst@engage.example")
    for path in PAGES:
        page.goto(live_server.url + BASE + path)
        assert_accessible(page)
        if viewport == PHONE:
            assert_no_horizontal_scroll(page)


def _open_details(page: Any) -> None:
    """Open every closed <details> (the dashboard shows its summary first)."""
    closed = page.locator("details:not([open]) > summary")
    while closed.count():
        closed.first.click()


def test_fieldwork_dashboard_filters_and_shows_charts(page: Any, live_server: LiveServer) -> None:
    staff_sign_in(page, live_server, "analyst@engage.example")
    page.goto(live_server.url + BASE + "/fieldwork")
    total = int(page.locator("#achieved").inner_text().replace(",", ""))
    assert total >= 2000
    _open_details(page)
    for dim in ("ward", "age", "sex"):
        chart = page.get_by_role("img", name=f"Achieved against target by {dim}")
        expect(chart).to_have_count(1)
    page.select_option("#channel", "phone")
    page.check("#short")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**channel=phone**")
    phone = int(page.locator("#achieved").inner_text().replace(",", ""))
    assert 0 < phone < total
    assert page.locator("#cells tbody tr").count() == page.locator(
        "#cells tbody .govuk-tag--red").count()
    assert_accessible(page)


def test_run_the_weighting_and_read_the_report(page: Any, live_server: LiveServer) -> None:
    staff_sign_in(page, live_server, "officer@engage.example")
    page.goto(live_server.url + BASE + "/weighting/run")
    page.fill("#trim_upper", "abc")
    page.get_by_role("button", name="Run the weighting").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.fill("#trim_upper", "4")
    page.get_by_role("button", name="Run the weighting").click()
    page.wait_for_url("**/weighting/runs/**")
    assert "Current" in page.locator("h1").inner_text()
    expect(page.locator("#report").get_by_text("Design effect")).to_have_count(1)
    expect(page.locator("#margins tbody tr")).to_have_count(28)
    assert_accessible(page)
    page.get_by_role("link", name="See results weighted by this run").click()
    expect(page.locator("table[id^=q-]").nth(5)).to_be_attached()
    assert_accessible(page)


def test_dashboard_and_run_work_without_javascript(nojs_page: Any,
                                                   live_server: LiveServer) -> None:
    staff_sign_in(nojs_page, live_server, "analyst@engage.example")
    nojs_page.goto(live_server.url + BASE + "/fieldwork")
    _open_details(nojs_page)
    nojs_page.select_option("#channel", "paper")
    nojs_page.get_by_role("button", name="Filter").click()
    nojs_page.wait_for_url("**channel=paper**")
    nojs_page.goto(live_server.url + BASE + "/weighting/run")
    nojs_page.get_by_role("button", name="Run the weighting").click()
    nojs_page.wait_for_url("**/weighting/runs/**")
