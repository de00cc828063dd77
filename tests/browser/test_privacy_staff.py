"""Erasure by reference and staff accounts in a real browser: 0 axe violations, 320 px without
sideways scrolling, and the plain-form flow with JavaScript off. Nothing is erased or changed
here (the live server's demo data is shared by the session); route tests cover the changes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.models import Response, User
from tests.browser.conftest import (
    PHONE,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    staff_sign_in,
)

pytestmark = pytest.mark.browser


def _a_reference(live_server: LiveServer) -> str:
    with live_server.app.app_context():
        return str(db.session.scalar(select(Response.reference).where(
            Response.status == "submitted").limit(1)))


def _check(page: Any, viewport: dict[str, int] | None) -> None:
    if viewport is not None:
        assert_accessible(page)
        if viewport == PHONE:
            assert_no_horizontal_scroll(page)


def test_erase_pages(page: Any, live_server: LiveServer, viewport: dict[str, int]) -> None:
    staff_sign_in(page, live_server, "officer@engage.example")
    page.get_by_role("link", name="Erase a resident's response by its reference").click()
    _check(page, viewport)
    page.fill("#reference", "AAAA-BBBB")
    page.get_by_role("button", name="Continue").click()
    assert "No response has that reference" in page.locator(".govuk-error-summary").inner_text()
    assert page.input_value("#reference") == "AAAA-BBBB"
    _check(page, viewport)
    reference = _a_reference(live_server)
    page.fill("#reference", reference.lower())
    page.get_by_role("button", name="Continue").click()
    assert reference in page.locator("h1").inner_text()
    _check(page, viewport)
    page.get_by_role("link", name="Cancel").click()
    assert page.url.endswith("/staff/erase-response")


def test_erase_lookup_without_javascript(nojs_page: Any, live_server: LiveServer) -> None:
    staff_sign_in(nojs_page, live_server, "officer@engage.example")
    nojs_page.goto(f"{live_server.url}/staff/erase-response")
    nojs_page.get_by_role("button", name="Continue").click()
    assert "Enter the response reference" in nojs_page.locator(
        ".govuk-error-summary").inner_text()
    reference = _a_reference(live_server)
    nojs_page.fill("#reference", reference)
    nojs_page.get_by_role("button", name="Continue").click()
    assert nojs_page.get_by_role("button", name="Erase this response").is_visible()


def test_staff_account_pages(page: Any, live_server: LiveServer,
                             viewport: dict[str, int]) -> None:
    staff_sign_in(page, live_server, "admin@engage.example")
    page.get_by_role("link", name="Change a staff member's role or stop them signing in").click()
    _check(page, viewport)
    with live_server.app.app_context():
        admin_id = db.session.scalar(select(User.id).where(
            User.email == "admin@engage.example"))
    page.goto(f"{live_server.url}/staff/users/{admin_id}")
    _check(page, viewport)
    page.locator("input[name=role][value=analyst]").check()
    page.get_by_role("button", name="Save changes").click()
    assert "You cannot change your own role" in page.locator(
        ".govuk-error-summary").inner_text()
    _check(page, viewport)
