"""Staff pages changed for issue 17, in a real browser at 320 px in English and Bengali:
0 axe violations and no sideways scrolling."""

from __future__ import annotations

from typing import Any

import pytest

from engage.demo.surveys import SLUG
from tests.browser.conftest import (
    PHONE,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    staff_sign_in,
)

pytestmark = pytest.mark.browser

PAGES = [
    ("moderator@engage.example", "/staff/"),
    ("officer@engage.example", "/staff/"),
    ("member@engage.example", "/staff/"),
    ("officer@engage.example", "/staff/surveys"),
    ("officer@engage.example", f"/staff/surveys/{SLUG}/build"),
    ("officer@engage.example", f"/staff/surveys/{SLUG}/close"),
    ("analyst@engage.example", f"/staff/surveys/{SLUG}/report"),
    ("analyst@engage.example", f"/staff/surveys/{SLUG}/fieldwork"),
    ("analyst@engage.example", "/ask-the-mayor/sessions"),
]


@pytest.mark.parametrize("viewport", [PHONE])
@pytest.mark.parametrize("lang", ["en", "bn"])
@pytest.mark.parametrize(("email", "path"), PAGES)
def test_staff_page_at_320(page: Any, live_server: LiveServer, viewport: dict[str, int],
                           lang: str, email: str, path: str) -> None:
    staff_sign_in(page, live_server, email)
    page.goto(f"{live_server.url}{path}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_fieldwork_dashboard_summary_first_and_readable(browser: Any, live_server: LiveServer,
                                                        width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        staff_sign_in(page, live_server, "analyst@engage.example")
        page.goto(f"{live_server.url}/staff/surveys/{SLUG}/fieldwork")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 2500, height  # was about 14,500 px: the details wait behind <details>
        expect(page.locator("#fieldwork-summary")).to_be_visible()
        page.locator("#details-ward > summary").click()
        label = page.locator("#details-ward svg text").first
        box = label.bounding_box()
        assert box is not None and box["height"] >= 14, box  # chart text reads at body size
        assert_accessible(page)
        if width == 390:
            assert_no_horizontal_scroll(page)
    finally:
        context.close()


def test_fieldwork_details_open_without_javascript(nojs_page: Any,
                                                   live_server: LiveServer) -> None:
    staff_sign_in(nojs_page, live_server, "analyst@engage.example")
    nojs_page.goto(f"{live_server.url}/staff/surveys/{SLUG}/fieldwork")
    assert not nojs_page.locator("#margin-ward").is_visible()
    nojs_page.locator("#details-ward > summary").click()
    expect(nojs_page.locator("#margin-ward")).to_be_visible()


def _dynamic_pages(live_server: LiveServer) -> list[tuple[str, str]]:
    """An equity lens of the demo's largest theme, and a finished export's job page."""
    from sqlalchemy import select

    from engage.extensions import db
    from engage.models import Job, Theme, User

    with live_server.app.app_context():
        theme = db.session.scalars(select(Theme).order_by(Theme.size.desc())).first()
        officer = db.session.scalars(select(User).where(
            User.email == "officer@engage.example")).one()
        job = Job(kind="insight_export", status="succeeded", progress=100,
                  created_by_id=officer.id,
                  result={"file": "none.xlsx", "filename": "x.xlsx", "rows": 1, "format": "xlsx",
                          "endpoint": "staff.export_download", "endpoint_args": {"job_id": 0}})
        db.session.add(job)
        db.session.commit()
        return [("analyst@engage.example", f"/staff/themes/{theme.id}/equity"),
                ("officer@engage.example", f"/staff/jobs/{job.id}")]


@pytest.mark.parametrize("viewport", [PHONE])
@pytest.mark.parametrize("lang", ["en", "bn"])
def test_equity_lens_and_job_page_at_320(page: Any, live_server: LiveServer,
                                         viewport: dict[str, int], lang: str) -> None:
    for email, path in _dynamic_pages(live_server):
        staff_sign_in(page, live_server, email, fresh=True)
        page.goto(f"{live_server.url}{path}?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        assert_accessible(page)
        assert_no_horizontal_scroll(page)


def test_close_asks_first_without_javascript(nojs_page: Any, live_server: LiveServer) -> None:
    """The close button leads to the confirmation page; Cancel goes back and closes nothing."""
    staff_sign_in(nojs_page, live_server, "officer@engage.example")
    nojs_page.goto(f"{live_server.url}/staff/surveys/{SLUG}/build")
    nojs_page.get_by_role("button", name="Close the survey now").click()
    nojs_page.wait_for_url(f"**/staff/surveys/{SLUG}/close")
    expect(nojs_page.locator(".govuk-warning-text")).to_be_visible()
    nojs_page.get_by_role("link", name="Cancel").click()
    nojs_page.wait_for_url(f"**/staff/surveys/{SLUG}/build")
    expect(nojs_page.get_by_role("button", name="Close the survey now")).to_have_count(1)
