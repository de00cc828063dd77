"""An invitation-only survey in a real browser (issue 19): the officer chooses "Only people
invited" in the survey's settings; a resident without a link sees the page saying the survey is
by invitation and whom to contact (English and Bengali); with a link they answer. axe finds
nothing on each page, at 320 px and at desktop width; the pages work without JavaScript."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.services.collect import contacts
from engage.services.collect.published_surveys import publish_definition
from engage.services.platform.transactions import in_transaction
from tests.browser.conftest import (
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    save_shot,
    staff_sign_in,
)
from tests.engage.contacts_helpers import DEFINITION

pytestmark = pytest.mark.browser
SLUG = "library-invited-only"


def _check(page: Any) -> None:
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def _survey_and_link(live_server: LiveServer) -> str:
    """The survey (published once per server) and a new contact with a live link."""
    from engage.models import Survey, User

    with live_server.app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
        if survey is None:
            publish_definition({**DEFINITION, "id": SLUG}, lawful_basis="Public task",
                               privacy_notice="1 year")
            survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
        officer = db.session.scalars(select(User).where(User.role == "admin")).first()
        count = contacts.counts(survey.id).total
        contacts.upload(survey.id, f"email\nperson-{count}@example.org\n".encode(), officer)
        contact_id = max(c.id for c in contacts.page_of_contacts(survey.id, 99, officer)[0])
        return in_transaction(lambda: contacts.new_link(contact_id))


def test_invitation_only_survey(page: Any, browser: Any, live_server: LiveServer) -> None:
    token = _survey_and_link(live_server)
    staff_sign_in(page, live_server, "officer@engage.example")
    page.goto(f"{live_server.url}/staff/surveys/{SLUG}/settings")
    page.get_by_label("Only people invited").check()
    _check(page)
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Settings saved")

    # Without a link: the invitation page.
    resident = browser.new_context(viewport=page.viewport_size).new_page()
    resident.set_default_timeout(10_000)
    resident.goto(f"{live_server.url}/s/{SLUG}/")
    expect(resident.locator("h1")).to_have_text("This survey is by invitation only")
    expect(resident.locator("main")).to_contain_text("email")
    _check(resident)
    resident.goto(f"{live_server.url}/s/{SLUG}/?lang=bn")
    expect(resident.locator("h1")).to_have_text("এই জরিপ শুধু আমন্ত্রিতদের জন্য")
    _check(resident)
    resident.goto(f"{live_server.url}/s/{SLUG}/?lang=en")

    # With the link from the invitation: answer and send.
    resident.goto(f"{live_server.url}/i/{token}")
    resident.wait_for_url(f"**/s/{SLUG}/")
    resident.get_by_role("button", name="Start now").click()
    resident.get_by_label("Yes").check()
    resident.get_by_role("button", name="Continue").click()
    resident.wait_for_url("**/check")
    resident.get_by_role("button", name=re.compile("Send")).click()
    resident.wait_for_url("**/done")
    resident.goto(f"{live_server.url}/s/{SLUG}/")  # the invitation is used up
    expect(resident.locator("h1")).to_have_text("This survey is by invitation only")
    resident.context.close()


def test_invitation_page_without_javascript(nojs_page: Any, live_server: LiveServer) -> None:
    from engage.models import Survey
    from engage.services.collect.published_surveys import forget_published

    _survey_and_link(live_server)
    with live_server.app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
        survey.invitation_only = True
        db.session.commit()
        forget_published(SLUG)
    nojs_page.goto(f"{live_server.url}/s/{SLUG}/")
    expect(nojs_page.locator("h1")).to_have_text("This survey is by invitation only")
    expect(nojs_page.locator("main")).to_contain_text("engage")  # the address to email


PHONE_390 = {"width": 390, "height": 844}


def test_resume_link_carries_the_invitation_to_another_browser(
        browser: Any, live_server: LiveServer) -> None:
    """Save and come back later on an invitation-only survey, then carry on from the resume
    link in another browser (no cookies) at 390 px: the saved page and the pages after it
    pass axe without sideways scrolling, and the answers are sent."""
    from engage.models import Survey
    from engage.services.collect.published_surveys import forget_published

    token = _survey_and_link(live_server)
    with live_server.app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
        survey.invitation_only = True
        db.session.commit()
        forget_published(SLUG)
    first = browser.new_context(viewport=PHONE_390).new_page()
    first.set_default_timeout(10_000)
    first.goto(f"{live_server.url}/i/{token}")
    first.wait_for_url(f"**/s/{SLUG}/")
    first.get_by_role("button", name="Start now").click()
    first.get_by_label("Yes").check()
    first.get_by_role("button", name="Save and come back later").click()
    first.wait_for_url(f"**/s/{SLUG}/saved")
    _check(first)
    save_shot(first, "invite19-saved-390")
    link = first.locator(".govuk-inset-text a").first.get_attribute("href")
    assert link and "?a=" in link and token not in link
    first.context.close()

    other = browser.new_context(viewport=PHONE_390).new_page()
    other.set_default_timeout(10_000)
    other.goto(link)  # the server's BASE_URL
    other.wait_for_url("**/check")
    _check(other)
    other.get_by_role("button", name=re.compile("Send")).click()
    other.wait_for_url("**/done")
    _check(other)
    other.goto(f"{live_server.url}/s/{SLUG}/")  # nothing more to start with that link
    expect(other.locator("h1")).to_have_text("This survey is by invitation only")
    other.context.close()
