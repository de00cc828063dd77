"""Staff pages of Ask the Mayor: roles, every action through its route, audit rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.extensions import db
from engage.models import MayorQuestion, MayorSession, MayorTopic
from engage.models._types import utcnow
from tests.engage.mayor_helpers import ask, audit_count, mayor_topics
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in

pytestmark = pytest.mark.usefixtures(mayor_topics.__name__)


def _moderator(client: FlaskClient) -> None:
    make_user("mod@example.org", role="moderator")
    sign_in(client, "mod@example.org")


def _post(client: FlaskClient, path: str, page: str, **data: str) -> object:
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data})


def test_staff_pages_render_for_a_moderator(app: Flask, client: FlaskClient) -> None:
    _moderator(client)
    question = ask("My name is Sara Begum. When will the lift at Brokesley Street be fixed?")
    ask("When is the lift at Brokesley Street going to be repaired?")
    session = MayorSession(title="Bow", place="Bow", starts_at=utcnow() + timedelta(days=2))
    db.session.add(session)
    db.session.commit()
    for path in ["/staff/mayor/", "/staff/mayor/?status=received&topic=housing&ward=bow-east"
                 "&age=week&overdue=1&page=2", "/staff/mayor/?status=<x>&topic=' OR 1=1",
                 "/staff/mayor/mine", f"/staff/mayor/questions/{question.id}",
                 "/staff/mayor/new", "/staff/mayor/topics", "/staff/mayor/sessions",
                 "/staff/mayor/sessions/new", f"/staff/mayor/sessions/{session.id}", "/staff/"]:
        check_page(client.get(path))
    soup = check_page(client.get(f"/staff/mayor/questions/{question.id}"))
    text = soup.get_text()
    assert "Sara Begum" in text  # the suggestion names what it found
    assert "Remove the personal data" in text
    assert "repaired" in text  # the similar question is suggested
    assert client.get("/staff/mayor/questions/999").status_code == 404


def test_other_roles_are_refused(app: Flask, client: FlaskClient) -> None:
    make_user("officer@example.org", role="engagement_officer")
    sign_in(client, "officer@example.org")
    question = ask()
    assert client.get("/staff/mayor/").status_code == 403
    assert client.get(f"/staff/mayor/questions/{question.id}").status_code == 403  # unassigned
    check_page(client.get("/staff/mayor/mine"))
    check_page(client.get("/staff/mayor/new"))
    token = csrf_token(client, "/staff/mayor/new")
    for action in ("approve", "publish", "approve-answer", "redact"):
        response = client.post(f"/staff/mayor/questions/{question.id}/{action}",
                               data={"csrf_token": token})
        assert response.status_code == 403
    db.session.expire_all()
    assert question.status == "received"
    viewer = app.test_client()
    make_user("member@example.org", role="group_member")
    sign_in(viewer, "member@example.org")
    assert viewer.get("/staff/mayor/mine").status_code == 403


def test_moderator_and_officer_take_a_question_to_publication(app: Flask,
                                                              client: FlaskClient) -> None:
    _moderator(client)
    officer = make_user("officer@example.org", role="engagement_officer")
    question = ask(email="resident@example.org")
    page = f"/staff/mayor/questions/{question.id}"
    before = audit_count()
    assert _post(client, f"{page}/approve", page).status_code == 303
    due = date.today() + timedelta(days=14)
    response = _post(client, f"{page}/assign", page, **{
        "assign-officer": str(officer.id), "assign-organisation": "",
        "assign-due_on": [str(due.day), str(due.month), str(due.year)]})
    assert response.status_code == 303, response.data[:300]
    officer_client = app.test_client()
    sign_in(officer_client, "officer@example.org")
    soup = check_page(officer_client.get("/staff/mayor/mine"))
    assert question.reference in soup.get_text()
    check_page(officer_client.get(page))
    response = _post(officer_client, f"{page}/answer", page,
                     **{"answer-answer": "We have asked Veolia to collect on Tuesdays."})
    assert response.status_code == 303
    assert _post(client, f"{page}/approve-answer", page).status_code == 303
    assert _post(client, f"{page}/publish", page).status_code == 303
    db.session.expire_all()
    assert question.status == "published"
    assert audit_count() - before == 6  # five actions and the officer's sign-in
    assert audit_count("mayor.answer.publish") == 1
    soup = check_page(client.get("/ask-the-mayor/answers"))
    assert "Veolia" in soup.get_text()


def test_form_errors_on_the_question_page(app: Flask, client: FlaskClient) -> None:
    _moderator(client)
    question = ask()
    page = f"/staff/mayor/questions/{question.id}"
    soup = check_page(_post(client, f"{page}/reject", page))
    assert error_summary(soup) == ["Select why the question is not taken forward"]
    _post(client, f"{page}/approve", page)
    soup = check_page(_post(client, f"{page}/assign", page))
    assert "Enter a due date" in error_summary(soup)
    soup = check_page(_post(client, f"{page}/duplicate", page))
    assert error_summary(soup) == ["Enter the reference of the original question"]
    response = _post(client, f"{page}/duplicate", page, **{"duplicate-original": "ZZZZ-ZZZZ"})
    assert response.status_code == 303
    soup = check_page(client.get(page))
    assert "There is no question with that reference" in soup.get_text()
    response = _post(client, f"{page}/publish", page)  # not answered yet
    soup = check_page(client.get(page))
    assert "cannot be done" in soup.get_text()
    db.session.expire_all()
    assert question.status == "approved"


def test_reject_wording_redact_and_duplicate(app: Flask, client: FlaskClient) -> None:
    _moderator(client)
    first = ask("Call me on 07700 900123 about the estate lights")
    second, third = ask("Second"), ask("Third")
    page = f"/staff/mayor/questions/{first.id}"
    assert _post(client, f"{page}/redact", page).status_code == 303
    assert _post(client, f"{page}/wording", page,
                 **{"wording-wording": "When will the estate lights be fixed?"}).status_code == 303
    page2 = f"/staff/mayor/questions/{second.id}"
    assert _post(client, f"{page2}/duplicate", page2,
                 **{"duplicate-original": first.reference.lower()}).status_code == 303
    page3 = f"/staff/mayor/questions/{third.id}"
    assert _post(client, f"{page3}/reject", page3, **{"reject-reason": "offensive",
                                                     "reject-note": "Abuse"}).status_code == 303
    db.session.expire_all()
    assert first.public_text == "When will the estate lights be fixed?"
    assert "07700" in first.text
    assert second.duplicate_of_id == first.id and third.status == "rejected"
    soup = check_page(client.get(f"/ask-the-mayor/status?reference={third.reference}"))
    assert "Not taken forward" in soup.get_text() and "Abuse" not in soup.get_text()
    for action in ("redact", "edit_wording", "duplicate", "reject"):
        assert audit_count(f"mayor.question.{action}") == 1


def test_assisted_entry(app: Flask, client: FlaskClient) -> None:
    make_user("officer@example.org", role="engagement_officer")
    sign_in(client, "officer@example.org")
    topic = db.session.scalar(select(MayorTopic).order_by(MayorTopic.id))
    soup = check_page(_post(client, "/staff/mayor/new", "/staff/mayor/new"))
    assert "Select how the question was given" in error_summary(soup)
    response = _post(client, "/staff/mayor/new", "/staff/mayor/new", channel="event",
                     event="Chrisp Street fair", question="More bins at Chrisp Street market?",
                     topic=str(topic.id), ward="lansbury", consent="no")
    assert response.status_code == 303
    question = db.session.scalar(select(MayorQuestion))
    assert (question.channel, question.event) == ("event", "Chrisp Street fair")
    assert audit_count("mayor.question.enter") == 1
    soup = check_page(client.get("/staff/mayor/new"))
    assert question.reference in soup.get_text()


def test_topics_and_sessions_through_the_pages(app: Flask, client: FlaskClient) -> None:
    _moderator(client)
    response = _post(client, "/staff/mayor/topics", "/staff/mayor/topics",
                     name_en="Markets", name_bn="বাজার")
    assert response.status_code == 303
    soup = check_page(_post(client, "/staff/mayor/topics", "/staff/mayor/topics",
                            name_en="Markets"))
    assert error_summary(soup) == ["There is already a topic with that name"]
    topic = db.session.scalar(select(MayorTopic).where(MayorTopic.slug == "markets"))
    _post(client, f"/staff/mayor/topics/{topic.id}/toggle", "/staff/mayor/topics", active="0")
    db.session.expire_all()
    assert topic.active is False
    assert "Markets" not in client.get("/ask-the-mayor").get_data(as_text=True)

    day = date.today() + timedelta(days=1)
    response = _post(client, "/staff/mayor/sessions/new", "/staff/mayor/sessions/new",
                     title="Ask the Mayor: Bow", place="Bow Idea Store", time="18:30",
                     day=[str(day.day), str(day.month), str(day.year)])
    assert response.status_code == 303
    session = db.session.scalar(select(MayorSession))
    question = ask("Will Bow baths reopen?")
    question.status = "approved"
    db.session.commit()
    page = f"/staff/mayor/sessions/{session.id}"
    soup = check_page(_post(client, f"{page}/pick", page))
    assert error_summary(soup) == ["Select at least one question"]
    assert _post(client, f"{page}/pick", page, questions=str(question.id)).status_code == 303
    assert _post(client, f"{page}/questions/{question.id}/answer", page,
                 answer="Yes, in spring.").status_code == 303
    _post(client, f"{page}/publish", page)  # not happened yet: refused
    soup = check_page(client.get(page))
    assert "The session has not happened yet" in soup.get_text()
    session.starts_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert _post(client, f"{page}/publish", page).status_code == 303
    db.session.expire_all()
    assert session.state == "published" and question.status == "published"
    soup = check_page(client.get("/ask-the-mayor/sessions"))
    assert "Will Bow baths reopen?" in soup.get_text()


def test_who_can_approve_answers_setting(app: Flask, client: FlaskClient) -> None:
    from engage.services.platform import settings

    make_user("admin@example.org", role="admin")
    sign_in(client, "admin@example.org")
    page = "/staff/mayor/settings"
    soup = check_page(client.get(page))
    assert soup.select_one("#separate")["value"] == "on" and soup.select_one("#separate").has_attr(
        "checked")
    for data in ({}, {"separate": "maybe"}):
        soup = check_page(_post(client, page, page, **data))
        assert error_summary(soup) == ["Select who can approve an answer"]
        assert soup.select_one("#separate-error") is not None
    assert settings.flag(settings.SEPARATE_MAYOR_DUTIES) is True
    assert _post(client, page, page, separate="off").status_code == 303
    assert settings.flag(settings.SEPARATE_MAYOR_DUTIES) is False
    soup = check_page(client.get(page))
    assert soup.select_one("#separate-2").has_attr("checked")
