"""Staff accounts in a real browser (issue 19): an administrator invites someone, the invitee
opens the emailed link, sets a password and signs in; then signs in with single sign-on
against a real OpenID Connect provider on 127.0.0.1; "forgot password" end to end. axe finds
0 WCAG 2.2 AA violations on every page, at 320 px and desktop width."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import (
    BROWSER_PASSWORD,
    PHONE,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
)
from tests.conftest import make_app, migrate
from tests.oidc_provider import Person, Provider
from tests.smtp_server import SmtpServer

pytestmark = pytest.mark.browser

ADMIN = "root@accounts.example"
NEW_PASSWORD = "lanterns over the canal at night"


class World:
    """A live server on its own database, an SMTP server (aiosmtpd) and an identity provider."""

    def __init__(self, server: LiveServer, smtp: SmtpServer, idp: Provider) -> None:
        self.server, self.smtp, self.idp = server, smtp, idp

    @property
    def url(self) -> str:
        return self.server.url

    def link(self, kind: str) -> str:
        body = self.smtp.messages[-1].get_payload(decode=True).decode()
        found = re.search(rf"(http://127\.0\.0\.1:\d+/auth/{kind}/\S+)", body)
        assert found, body
        return found.group(1)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path = tmp_path_factory.mktemp("accounts") / "engage.sqlite"
    url = f"sqlite:///{path}"
    migrate(url)
    with SmtpServer() as smtp, Provider() as idp:
        app = make_app(url, RATELIMIT_ENABLED=False, MAIL_SERVER="127.0.0.1",
                       MAIL_PORT=smtp.port, **idp.settings())
        with app.app_context():
            from engage.services.platform.accounts import create_user

            create_user(ADMIN, "admin", BROWSER_PASSWORD, name="Rima Admin")
        server = LiveServer(app)
        server.start()
        yield World(server, smtp, idp)
        server.stop()


def _sign_in(page: Any, world: World, email: str, password: str) -> None:
    page.goto(f"{world.url}/auth/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def _check(page: Any, viewport: dict[str, int]) -> None:
    assert_accessible(page)
    if viewport == PHONE:
        assert_no_horizontal_scroll(page)


def test_invitation_set_password_sign_in_then_single_sign_on(
        page: Any, world: World, viewport: dict[str, int]) -> None:
    invitee = f"invitee-{viewport['width']}@accounts.example"
    _sign_in(page, world, ADMIN, BROWSER_PASSWORD)
    page.wait_for_url(f"{world.url}/staff/")
    page.goto(f"{world.url}/staff/users")
    _check(page, viewport)
    page.get_by_role("link", name="Invite someone").click()
    _check(page, viewport)
    page.get_by_role("button", name="Send invitation").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _check(page, viewport)
    page.fill("#email", invitee)
    page.get_by_label("Analyst").check()
    page.fill("#organisation", "Tower Hamlets Homes")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url(f"{world.url}/staff/users")
    assert page.get_by_text(f"An invitation has been sent to {invitee}").is_visible()
    _check(page, viewport)
    link = world.link("invitation")

    page.context.clear_cookies()
    page.goto(link)
    assert page.locator("h1").inner_text() == "Set your password"
    _check(page, viewport)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#password_confirm", "something else entirely")
    page.get_by_role("button", name="Set password").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _check(page, viewport)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#password_confirm", NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    page.wait_for_url(f"{world.url}/auth/sign-in")
    assert page.get_by_text("Your password has been set").is_visible()
    _check(page, viewport)
    _sign_in(page, world, invitee, NEW_PASSWORD)
    page.wait_for_url(f"{world.url}/staff/")
    page.get_by_role("button", name="Sign out").click()

    # Single sign-on: the provider vouches for the same address.
    world.idp.person = Person(invitee)
    page.goto(f"{world.url}/auth/sign-in")
    page.get_by_role("button", name="Sign in with Test Council ID").click()
    page.wait_for_url(f"{world.url}/staff/")
    _check(page, viewport)


def test_single_sign_on_refusal_page(page: Any, world: World, viewport: dict[str, int]) -> None:
    world.idp.person = Person("stranger@accounts.example")
    page.goto(f"{world.url}/auth/sign-in")
    page.get_by_role("button", name="Sign in with Test Council ID").click()
    assert page.locator("h1").inner_text() == "You could not be signed in"
    assert page.get_by_text("There is no staff account").is_visible()
    _check(page, viewport)


def test_forgot_password(page: Any, world: World, viewport: dict[str, int]) -> None:
    page.goto(f"{world.url}/auth/sign-in")
    page.get_by_role("link", name="I have forgotten my password").click()
    _check(page, viewport)
    page.fill("#email", "nobody@accounts.example")
    page.get_by_role("button", name="Send the link").click()
    assert page.locator("h1").inner_text() == "Check your email"
    _check(page, viewport)
