"""Theme review in a real browser: an analyst runs an analysis on the demo data, watches the
progress bar, merges, renames and approves themes; JavaScript off; 0 axe violations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import LiveServer, assert_accessible, expect, staff_sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def threaded_jobs(live_server: LiveServer) -> Iterator[LiveServer]:
    """Jobs run in the server's in-process worker, as in a default installation."""
    before = live_server.app.config["JOBS_MODE"]
    live_server.app.config["JOBS_MODE"] = "thread"
    yield live_server
    live_server.app.config["JOBS_MODE"] = before


def test_an_analyst_runs_reviews_and_approves_themes(page: Any, threaded_jobs: LiveServer
                                                     ) -> None:
    server = threaded_jobs
    staff_sign_in(page, server, "analyst@engage.example")
    page.get_by_role("link", name="Start a new analysis").first.click()
    assert_accessible(page)
    page.get_by_label(re.compile(r"What would most improve|improve", re.I)).first.check()
    page.fill("#n_themes", "6")
    if page.locator("input[name=build_on][value=no]").count():
        page.check("input[name=build_on][value=no]")
    page.get_by_role("button", name="Start the analysis").click()
    page.wait_for_url(re.compile(r"/staff/jobs/\d+$"))
    # The progress bar updates without reloading, then offers the results.
    expect(page.locator("progress#job-progress")).to_have_count(1)
    assert_accessible(page)
    page.locator("#job-next-link").wait_for(state="visible", timeout=120_000)
    assert page.locator("progress#job-progress").get_attribute("value") == "100" or (
        page.evaluate("document.getElementById('job-progress').value") == 100)
    page.locator("#job-next-link").click()
    page.wait_for_url(re.compile(r"/staff/themes/runs/\d+"))
    expect(page.locator(".govuk-summary-card").nth(1)).to_be_attached()
    assert_accessible(page)
    # Merge the second theme into the first.
    cards = page.locator(".govuk-summary-card__title a")
    first_label = cards.nth(0).inner_text().strip()
    cards.nth(1).click()
    assert_accessible(page)
    page.select_option("#merge-target", label=first_label)
    page.get_by_role("button", name="Merge themes").click()
    page.wait_for_url(re.compile(r"/staff/themes/\d+$"))
    assert "Themes merged" in page.content()
    # Rename and approve the merged theme.
    page.fill("#rename-label", "Homes, repairs and rents")
    page.fill("#rename-description", "Overcrowding, damp and repairs, and the cost of rent.")
    page.get_by_role("button", name="Save name and description").click()
    page.wait_for_url(re.compile(r"/staff/themes/\d+$"))
    assert page.locator("h1").inner_text().startswith("Homes, repairs and rents")
    page.get_by_role("button", name="Approve theme").click()
    page.wait_for_url(re.compile(r"/staff/themes/\d+$"))
    assert page.locator("h1 .govuk-tag").inner_text() == "Approved"
    assert_accessible(page)
    page.get_by_role("link", name="Equity lens: who raises this theme").click()
    expect(page.locator("svg").nth(0)).to_be_attached()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the theme").click()
    page.get_by_role("link", name="Back to the themes").click()
    history = page.locator(".app-history").inner_text()
    assert "Merged" in history and "Renamed" in history and "Approved" in history
    assert_accessible(page)


def test_the_job_page_works_without_javascript(nojs_page: Any, live_server: LiveServer) -> None:
    staff_sign_in(nojs_page, live_server, "analyst@engage.example")
    nojs_page.goto(f"{live_server.url}/staff/themes/runs")
    link = nojs_page.locator("table a").first
    link.click()
    expect(nojs_page.locator(".govuk-summary-card").nth(0)).to_be_attached()
    with live_server.app.app_context():
        from sqlalchemy import select

        from engage.extensions import db
        from engage.models import Job

        job_id = db.session.scalar(select(Job.id).order_by(Job.id))
    nojs_page.goto(f"{live_server.url}/staff/jobs/{job_id}")
    expect(nojs_page.locator("#job-next-link")).to_be_visible()
