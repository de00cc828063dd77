"""Imports and group sessions in a real browser: an officer imports a CSV (a bad file first,
then a good one) and records a group session with points; 0 axe violations on every page."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.models import Response
from engage.services.collect.published_surveys import publish_definition
from tests.browser.conftest import (
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    expect,
    staff_sign_in,
)
from tests.imports_data import BAD_CSV, DEFINITION, GOOD_CSV, SLUG

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def published(live_server: LiveServer) -> str:
    with live_server.app.app_context():
        from engage.models import Survey

        if db.session.scalar(select(Survey.id).where(Survey.slug == SLUG)) is None:
            publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="1 year")
    return SLUG


def _check(page: Any) -> None:
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def _upload(page: Any, live_server: LiveServer, name: str, text: str) -> None:
    page.goto(f"{live_server.url}/staff/imports")
    _check(page)
    page.get_by_role("button", name="Import a file").click()
    page.wait_for_url("**/staff/imports/new")
    _check(page)
    page.select_option("#survey", SLUG)
    page.fill("#name", name)
    page.set_input_files("#upload", files=[{"name": "export.csv", "mimeType": "text/csv",
                                             "buffer": text.encode("utf-8")}])
    page.get_by_role("button", name="Upload and continue").click()
    page.wait_for_url("**/columns")


def test_import_journey(page: Any, live_server: LiveServer, published: str) -> None:
    staff_sign_in(page, live_server, "officer@engage.example")
    # an empty upload is refused with an error summary
    page.goto(f"{live_server.url}/staff/imports/new")
    page.get_by_role("button", name="Upload and continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _check(page)

    # a malformed file: nothing is stored and every bad row is reported
    _upload(page, live_server, f"Bad {uuid.uuid4().hex[:8]}", BAD_CSV)
    _check(page)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/answers")
    _check(page)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/staff/imports/*")
    _check(page)
    page.get_by_role("button", name="Import 4 responses").click()
    page.wait_for_selector("#report")
    expect(page.locator("#report ~ div table tbody tr")).to_have_count(6)
    _check(page)

    # a good file: previewed as it will be stored, then imported
    batch = f"Good {uuid.uuid4().hex[:8]}"
    _upload(page, live_server, batch, GOOD_CSV)
    assert page.locator("#column-0").input_value() == "q-use"
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/answers")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/staff/imports/*")
    table = page.locator("table").first
    assert "<script>alert(1)</script>" in table.inner_text()
    page.get_by_role("button", name="Import 2 responses").click()
    page.wait_for_selector("text=2 responses imported")
    _check(page)
    with live_server.app.app_context():
        count = len(db.session.scalars(select(Response.id).where(Response.batch == batch)).all())
    assert count == 2


def test_record_a_group_session(page: Any, live_server: LiveServer) -> None:
    staff_sign_in(page, live_server, "officer@engage.example")
    page.goto(f"{live_server.url}/staff/group-sessions")
    _check(page)
    page.get_by_role("button", name="Record a session").click()
    page.wait_for_url("**/group-sessions/new")
    _check(page)
    page.get_by_role("button", name="Save the session").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _check(page)
    page.check("input[name=group_type][value=older_residents]")
    page.fill("#held_on-day", "14")
    page.fill("#held_on-month", "3")
    page.fill("#held_on-year", "2026")
    page.fill("#facilitator", "Rahima Khatun")
    page.select_option("#ward", "bow-east")
    page.get_by_role("button", name="Save the session").click()
    page.wait_for_url("**/group-sessions/*")
    _check(page)
    for text in ("Benches at bus stops", "Lifts break down in winter"):
        page.fill("#text", text)
        page.get_by_role("button", name="Add the point").click()
        page.wait_for_selector(f"text={text}")
    _check(page)
    page.get_by_role("link", name="Change point 1").click()
    page.wait_for_url("**/edit")
    _check(page)
    page.fill("#text", "More benches at bus stops")
    page.get_by_role("button", name="Save the point").click()
    page.wait_for_selector("text=More benches at bus stops")
    page.get_by_role("button", name="Remove point 2").click()
    page.wait_for_selector("text=Point removed")
    expect(page.locator("text=Lifts break down in winter")).to_have_count(0)
    _check(page)


def test_both_work_with_javascript_off(nojs_page: Any, live_server: LiveServer,
                                       published: str) -> None:
    page = nojs_page
    staff_sign_in(page, live_server, "officer@engage.example")
    batch = f"No JS {uuid.uuid4().hex[:8]}"
    page.goto(f"{live_server.url}/staff/imports/new")
    page.select_option("#survey", SLUG)
    page.fill("#name", batch)
    page.set_input_files("#upload", files=[{"name": "export.csv", "mimeType": "text/csv",
                                             "buffer": GOOD_CSV.encode("utf-8")}])
    page.get_by_role("button", name="Upload and continue").click()
    page.wait_for_url("**/columns")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/answers")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/staff/imports/*")
    page.get_by_role("button", name="Import 2 responses").click()
    page.wait_for_selector("text=2 responses imported")

    page.goto(f"{live_server.url}/staff/group-sessions/new")
    page.check("input[name=group_type][value=businesses]")
    page.fill("#held_on-day", "2")
    page.fill("#held_on-month", "4")
    page.fill("#held_on-year", "2026")
    page.fill("#facilitator", "Jo")
    page.get_by_role("button", name="Save the session").click()
    page.wait_for_url("**/group-sessions/*")
    page.fill("#text", "Deliveries need loading bays")
    page.get_by_role("button", name="Add the point").click()
    page.wait_for_selector("text=Deliveries need loading bays")
