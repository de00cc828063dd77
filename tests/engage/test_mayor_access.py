"""Ask the Mayor access (issue 15): partner viewers read assigned questions redacted, and
questions are assigned only to people whose role can answer them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engage.extensions import db
from engage.models import MayorQuestion
from engage.services.collect.mayor import MayorError, moderation
from tests.engage.mayor_helpers import ask, audit_count, mayor_topics
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in

pytestmark = pytest.mark.usefixtures(mayor_topics.__name__)
PERSONAL = "My name is Sara Begum, call 07700 900123. I live in E3 2AB. When is the lift fixed?"


def test_partner_viewer_reads_an_assigned_question_redacted(app: Flask) -> None:
    moderator = make_user("mod@example.org", role="moderator")
    partner = make_user("partner@example.org", role="partner_viewer")
    officer = make_user("officer@example.org", role="engagement_officer")
    due = date.today() + timedelta(days=7)
    for who in (partner, officer):
        question = ask(PERSONAL)
        question.postcode = "E3 2AB"
        db.session.commit()
        moderation.approve(question, moderator)
        moderation.assign(question, moderator, due, officer=who)
        viewer = app.test_client()
        sign_in(viewer, who.email)
        page = check_page(viewer.get(f"/staff/mayor/questions/{question.id}")).get_text()
        mine = check_page(viewer.get("/staff/mayor/mine")).get_text()
        if who is partner:
            for secret in ("Sara Begum", "07700 900123", "E3 2AB"):
                assert secret not in page and secret not in mine, secret
            assert "When is the lift fixed?" in page
        else:  # officers answer for the council and read the question as sent
            assert "Sara Begum" in page and "07700 900123" in page


@pytest.mark.parametrize("role", ["analyst", "group_member", "interviewer"])
def test_moderator_assigns_only_to_roles_that_answer(app: Flask, client: FlaskClient,
                                                     role: str) -> None:
    moderator = make_user("mod@example.org", role="moderator")
    cannot = make_user("other@example.org", role=role)
    question = ask()
    moderation.approve(question, moderator)
    sign_in(client, "mod@example.org")
    page = f"/staff/mayor/questions/{question.id}"
    before = audit_count("mayor.question.assign")
    due = date.today() + timedelta(days=7)
    response = client.post(f"{page}/assign", data={
        "csrf_token": csrf_token(client, page), "assign-officer": str(cannot.id),
        "assign-organisation": "", "assign-due_on": [str(due.day), str(due.month),
                                                     str(due.year)]})
    assert error_summary(check_page(response)) == [
        "Select an officer whose role can answer questions"]
    db.session.expire_all()
    stored = db.session.get(MayorQuestion, question.id)
    assert stored.assigned_to_id is None and stored.status == "approved"
    assert audit_count("mayor.question.assign") == before
    with pytest.raises(MayorError, match="officer_cannot_answer"):
        moderation.assign(stored, moderator, due, officer=cannot)
    # an id that is not an officer at all gets a message too, never a 500
    response = client.post(f"{page}/assign", data={
        "csrf_token": csrf_token(client, page), "assign-officer": "99999x",
        "assign-organisation": "", "assign-due_on": [str(due.day), str(due.month),
                                                     str(due.year)]})
    assert error_summary(check_page(response)) == ["Select an officer whose account is active"]
