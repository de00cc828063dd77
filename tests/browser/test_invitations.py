"""Invitations in a real browser (issue 19): an officer uploads a contact list (a bad file
first), sends invitations and a reminder to a local SMTP server (aiosmtpd) and watches the job;
a resident follows the link from the email, answers, and the list shows "responded"; the stop
link's page. axe finds nothing on each page, at 320 px and at desktop width."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.services.collect.published_surveys import publish_definition
from tests.browser.conftest import (
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    staff_sign_in,
)
from tests.engage.contacts_helpers import DEFINITION, SLUG, body
from tests.smtp_server import SmtpServer

pytestmark = pytest.mark.browser


@pytest.fixture
def smtp(live_server: LiveServer) -> Iterator[SmtpServer]:
    """The live server's mail goes to a local SMTP server for this test."""
    with live_server.app.app_context():
        from engage.models import Survey

        if db.session.scalar(select(Survey.id).where(Survey.slug == SLUG)) is None:
            publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="1 year")
    config = live_server.app.config
    before = {k: config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "INVITATION_RATE")}
    with SmtpServer() as server:
        config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, INVITATION_RATE=100)
        yield server
    config.update(before)


def _check(page: Any) -> None:
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def _upload(page: Any, text: str) -> None:
    page.set_input_files("#upload", files=[{"name": "contacts.csv", "mimeType": "text/csv",
                                             "buffer": text.encode("utf-8")}])
    page.get_by_role("button", name="Upload the list").click()


def _send(page: Any, button: str, contacts_url: str) -> None:
    page.get_by_role("button", name=button).click()
    page.wait_for_url("**/staff/jobs/*")
    expect(page.locator("h1")).to_have_text("The messages have been sent", timeout=20_000)
    _check(page)
    page.get_by_role("link", name="See the contact list").click()
    page.wait_for_url(contacts_url)


def test_invitation_journey(page: Any, live_server: LiveServer, smtp: SmtpServer) -> None:
    run = uuid.uuid4().hex[:8]
    contacts_url = f"{live_server.url}/staff/surveys/{SLUG}/contacts"
    staff_sign_in(page, live_server, "officer@engage.example")
    page.goto(contacts_url)
    _check(page)

    # A file with a bad row: nothing is saved, the row is named.
    _upload(page, f"email,name\nok-{run}@example.org,A\nnot-an-email,B\n")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Row 3: enter an email address in the correct format")
    _check(page)

    _upload(page, f"email,name,ward\nada-{run}@example.org,Ada,Bow East\n"
                  f"bob-{run}@example.org,Bob,\n")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 contacts added")
    _check(page)

    _send(page, "Send invitations", contacts_url)
    mails = {m["To"]: m for m in smtp.messages}
    assert {f"ada-{run}@example.org", f"bob-{run}@example.org"} <= set(mails)
    found = re.search(r"(http://127\.0\.0\.1:\d+/i/[A-Za-z0-9_-]+)\s",
                      body(mails[f"ada-{run}@example.org"]))
    assert found
    link = found.group(1)

    # The resident follows the link (their own browser), answers and sends.
    resident = page.context.browser.new_context(viewport=page.viewport_size).new_page()
    resident.goto(link)
    resident.wait_for_url(f"**/s/{SLUG}/")
    _check(resident)
    resident.get_by_role("button", name="Start now").click()
    resident.get_by_label("Yes").check()
    resident.get_by_role("button", name="Continue").click()
    resident.wait_for_url("**/check")
    resident.get_by_role("button", name=re.compile("Send")).click()
    resident.wait_for_url("**/done")
    resident.goto(link)  # the link is used up
    expect(resident.locator("h1")).to_have_text("You have already answered this survey")
    _check(resident)
    resident.goto(f"{link}/stop")
    _check(resident)
    resident.context.close()

    # A reminder goes to Bob only; the list shows Ada as responded.
    count = smtp.count
    _send(page, "Send a reminder now", contacts_url)
    reminded = [m["To"] for m in smtp.messages[count:]]
    assert f"bob-{run}@example.org" in reminded and f"ada-{run}@example.org" not in reminded
    row = page.locator("#contacts-table tr", has_text=f"ada-{run}@example.org")
    expect(row.locator("td").nth(4)).to_have_text("Yes")
    _check(page)
