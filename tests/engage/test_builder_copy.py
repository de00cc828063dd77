"""Copy a survey: a new draft at a new web address, audited, with a GOV.UK confirmation."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AuditEvent, Survey
from tests.engage.test_builder_routes import BASE, _add_question, _create, _officer, _post
from tests.pages import check_page, error_summary, make_user, sign_in


def test_copy_makes_a_new_draft_with_the_same_questions(app: Flask, client: FlaskClient) -> None:
    _officer(client)
    _create(client)
    _add_question(client, "long-text", "What would make the park better?")
    soup = check_page(client.get(BASE + "/build"))
    assert soup.find("a", href=f"{BASE}/copy") is not None
    soup = check_page(client.get(f"{BASE}/copy"))
    assert soup.select_one("#slug")["value"] == "park-2027-copy"
    response = _post(client, f"{BASE}/copy", {"slug": "park-2027"})
    assert "A survey with that web address already exists" in error_summary(
        check_page(response, 400))
    response = _post(client, f"{BASE}/copy", {"slug": "Bad Slug"})
    assert check_page(response, 400).select_one("#slug")["value"] == "Bad Slug"
    response = _post(client, f"{BASE}/copy", {"slug": "park-2028"}, follow=True)
    soup = check_page(response)
    assert response.request.path == "/staff/surveys/park-2028/build"
    assert "Survey copied: this is the new draft" in soup.select_one(
        ".govuk-notification-banner").get_text()
    copied = db.session.scalar(select(Survey).where(Survey.slug == "park-2028"))
    original = db.session.scalar(select(Survey).where(Survey.slug == "park-2027"))
    assert copied is not None and copied.draft is not None and not copied.versions
    assert copied.draft.definition["id"] == "park-2028"
    assert copied.draft.definition["sections"] == original.draft.definition["sections"]
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "survey.copy"))
    assert [e.detail for e in events] == [{"slug": "park-2028", "copied_from": "park-2027"}]


def test_copy_needs_a_builder_role(app: Flask, client: FlaskClient) -> None:
    _officer(client)
    _create(client)
    other = app.test_client()
    make_user("analyst@example.org", role="group_member")
    sign_in(other, "analyst@example.org")
    assert other.get(f"{BASE}/copy").status_code == 403
    assert db.session.scalar(select(func.count(Survey.id))) == 1
    assert client.get("/staff/surveys/nothing-here/copy").status_code == 404
