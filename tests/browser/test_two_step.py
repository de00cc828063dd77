"""Two-step verification in a real browser: set up from the QR page (key typed from the text),
the recovery codes, then a sign-in that asks for the code, with a wrong code first; 0 axe
violations on every page, and the QR page fits a 320 px phone without sideways scrolling."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest

from tests.browser.conftest import (
    BROWSER_PASSWORD,
    PHONE,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    staff_sign_in,
)

pytestmark = pytest.mark.browser


def _account(live_server: LiveServer, viewport: dict[str, int]) -> str:
    """A staff account of its own (the demo accounts are shared by the other browser tests)."""
    from engage.services.platform.accounts import create_user

    email = f"two-step-{viewport['width']}@engage.example"
    with live_server.app.app_context():
        create_user(email, "analyst", BROWSER_PASSWORD, name="Two Step")
    return email


def _wrong(totp: pyotp.TOTP) -> str:
    """A code that is not right for any time step the server accepts now."""
    near = {totp.at(time.time() + drift) for drift in (-60, -30, 0, 30, 60)}
    return next(c for c in ("000000", "111111", "222222") if c not in near)


def test_set_up_then_sign_in_with_a_code(page: Any, live_server: LiveServer,
                                         viewport: dict[str, int]) -> None:
    email = _account(live_server, viewport)
    staff_sign_in(page, live_server, email, wait=False)
    page.wait_for_url(f"{live_server.url}/staff/")
    page.goto(f"{live_server.url}/staff/two-step")
    assert_accessible(page)
    page.get_by_role("button", name="Set up two-step verification").click()

    # The QR page: the code as an image with a name, and the key as text for typing.
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    assert_accessible(page)
    if viewport == PHONE:
        assert_no_horizontal_scroll(page)
    key = page.locator("#two-step-key").inner_text().replace(" ", "")
    totp = pyotp.TOTP(key)
    page.fill("#code", _wrong(totp))
    page.get_by_role("button", name="Turn on two-step verification").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # a wrong code: asked again
    assert_accessible(page)
    page.fill("#code", totp.now())
    page.get_by_role("button", name="Turn on two-step verification").click()
    codes = page.locator("main code, main li").all_inner_texts()
    assert any("-" in c for c in codes), codes  # the recovery codes, shown this once
    assert_accessible(page)

    # Sign out and in again: the password alone is not enough now.
    page.context.clear_cookies()
    staff_sign_in(page, live_server, email, wait=False)
    page.wait_for_url(f"{live_server.url}/auth/two-step")
    assert_accessible(page)
    page.fill("#code", _wrong(totp))
    page.press("#code", "Enter")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    # The set-up used this time step's code; a code is accepted once, so use the next step's
    # (one step of clock drift is allowed).
    page.fill("#code", totp.at(time.time() + 30))
    page.press("#code", "Enter")
    page.wait_for_url(f"{live_server.url}/staff/")
