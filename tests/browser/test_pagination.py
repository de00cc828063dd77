"""The one GOV.UK pagination (issue 20) in a real browser: a long contact list in pages, the
links lead from page to page, a page past the end is the last page, and axe finds nothing at
320 px and at desktop width."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.models import User
from engage.services.collect import contacts
from engage.services.collect.published_surveys import publish_definition
from tests.browser.conftest import (
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    staff_sign_in,
)
from tests.engage.contacts_helpers import DEFINITION

pytestmark = pytest.mark.browser


def test_a_long_contact_list_in_pages(page: Any, live_server: LiveServer) -> None:
    slug = f"paged-{uuid.uuid4().hex[:8]}"
    with live_server.app.app_context():
        definition = copy.deepcopy(DEFINITION)
        definition["id"] = slug
        version = publish_definition(definition, lawful_basis="Public task",
                                     privacy_notice="1 year")
        officer = db.session.scalars(select(User).where(
            User.email == "officer@engage.example")).one()
        rows = "".join(f"p{n}-{slug}@example.org\n" for n in range(contacts.PAGE_SIZE + 5))
        contacts.upload(version.survey_id, ("email\n" + rows).encode(), officer)
    url = f"{live_server.url}/staff/surveys/{slug}/contacts"
    staff_sign_in(page, live_server, "officer@engage.example")
    page.goto(url)
    nav = page.get_by_role("navigation", name="Pages of contacts")
    expect(nav.locator(".govuk-pagination__item--current")).to_have_text("1")
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
    nav.get_by_role("link", name="Next").click()
    page.wait_for_url(f"{url}?page=2")
    expect(page.locator("#contacts-table tbody tr")).to_have_count(5)
    expect(nav.locator(".govuk-pagination__item--current")).to_have_text("2")
    assert_accessible(page)
    page.goto(f"{url}?page=99999")
    expect(page.locator("#contacts-table tbody tr")).to_have_count(5)
    page.goto(f"{url}?page=abc")
    expect(page.locator("#contacts-table tbody tr")).to_have_count(contacts.PAGE_SIZE)
