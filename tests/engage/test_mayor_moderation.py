"""Issue 15, "moderation you can rely on": the queue newest first, paginated, with its total and
what is new since the moderator last looked; whoever drafts an answer cannot approve it (an
audited setting an administrator can relax); due dates in the past are refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.extensions import db
from engage.models import MayorQuestion, User
from engage.models._types import utcnow
from engage.services.collect.mayor import MayorError, answers, moderation
from engage.services.collect.mayor.public import active_topics
from engage.services.platform.references import new_reference
from tests.engage.mayor_helpers import ask, audit_count, mayor_topics
from tests.locks import locked_once
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in

pytestmark = pytest.mark.usefixtures(mayor_topics.__name__)


def _moderator(client: FlaskClient) -> User:
    user = make_user("mod@example.org", role="moderator")
    sign_in(client, "mod@example.org")
    return user


def _many(count: int) -> list[MayorQuestion]:
    """`count` questions received an hour apart, the last one an hour ago."""
    topic = active_topics()[0].id
    now = utcnow()
    questions = [MayorQuestion(reference=new_reference(), text=f"Question number {n}",
                               topic_id=topic, created_at=now - timedelta(hours=count - n + 1))
                 for n in range(1, count + 1)]
    db.session.add_all(questions)
    db.session.commit()
    return questions


def _refs(soup) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.get_text() for a in soup.select("table.govuk-table tbody a")]


def test_the_queue_is_newest_first_paginated_and_every_page_reachable(
        client: FlaskClient) -> None:
    _moderator(client)
    questions = _many(191)
    soup = check_page(client.get("/staff/mayor/"))
    assert "Questions found: 191" in soup.select_one("#queue-total").get_text()
    assert "Showing 1 to 50, page 1 of 4" in soup.select_one("#queue-total").get_text()
    assert _refs(soup)[0] == questions[-1].reference  # the newest
    assert len(_refs(soup)) == 50
    nav = soup.select_one("nav.govuk-pagination")
    assert nav is not None
    seen = set(_refs(soup))
    for page in (2, 3, 4):
        link = nav.select_one(f'a[href*="page={page}"]') or soup.select_one(
            f'.govuk-pagination a[href*="page={page}"]')
        assert link is not None, page
        soup = check_page(client.get(link["href"]))
        nav = soup.select_one("nav.govuk-pagination")
        seen |= set(_refs(soup))
    assert seen == {q.reference for q in questions}  # nothing is unreachable
    assert _refs(soup)[-1] == questions[0].reference  # the oldest, on the last page
    oldest = check_page(client.get("/staff/mayor/?sort=oldest"))
    assert _refs(oldest)[0] == questions[0].reference
    assert 'href="/staff/mayor/?sort=oldest&amp;page=2"' in str(oldest) or \
        oldest.select_one('.govuk-pagination a[href*="sort=oldest"]') is not None


def test_new_since_you_last_looked(client: FlaskClient) -> None:
    moderator = _moderator(client)
    _many(3)
    first = check_page(client.get("/staff/mayor/"))
    assert first.select_one("#new-since") is None  # the first look: nothing to compare with
    db.session.refresh(moderator)
    moderator.queue_seen_at = utcnow() - timedelta(minutes=30)  # back 30 minutes later
    db.session.commit()
    ask("When will the lift at Brokesley Street be fixed?")
    ask("Why are the bins on Roman Road not collected?")
    soup = check_page(client.get("/staff/mayor/"))
    assert "Questions received since you last looked: 2" in soup.select_one(
        "#new-since").get_text()
    assert len(soup.select("table.govuk-table .govuk-tag--turquoise")) == 2
    again = check_page(client.get("/staff/mayor/?page=1"))  # the same visit: still new
    assert "Questions received since you last looked: 2" in again.get_text()
    bengali = check_page(client.get("/staff/mayor/?lang=bn"), lang="bn")
    assert bengali.select_one("#new-since") is not None


def _drafted_by(moderator: User) -> MayorQuestion:
    question = ask()
    moderation.approve(question, moderator)
    moderation.assign(question, moderator, date.today() + timedelta(days=7), officer=moderator)
    answers.draft_answer(question, moderator, "The collection day moved to Tuesday.")
    return question


def test_whoever_drafts_an_answer_cannot_approve_it(app: Flask, client: FlaskClient) -> None:
    moderator = _moderator(client)
    question = _drafted_by(moderator)
    with pytest.raises(MayorError, match="own_draft"):
        answers.approve_answer(question, moderator)
    page = f"/staff/mayor/questions/{question.id}"
    soup = check_page(client.get(page))
    assert "someone else must approve it" in soup.select_one("#own-draft").get_text()
    response = client.post(f"{page}/approve-answer",
                           data={"csrf_token": csrf_token(client, page)})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(MayorQuestion, question.id).status == "drafted"
    other = make_user("mod2@example.org", role="moderator")
    answers.approve_answer(question, other)
    assert question.status == "answered"


def test_an_admin_relaxes_separation_of_duties_and_it_is_audited(
        app: Flask, client: FlaskClient) -> None:
    moderator = make_user("mod@example.org", role="moderator")
    sign_in(client, "mod@example.org")
    assert client.get("/staff/mayor/settings").status_code == 403
    make_user("admin@example.org", role="admin")
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    page = "/staff/mayor/settings"
    soup = check_page(admin.get(page))
    assert soup.select_one("input#separate")["value"] == "on"
    assert soup.select_one("input#separate").has_attr("checked")
    missing = admin.post(page, data={"csrf_token": csrf_token(admin, page)})
    assert error_summary(check_page(missing)) == ["Select who can approve an answer"]
    before = audit_count("settings.change")
    response = admin.post(page, data={"separate": "off", "csrf_token": csrf_token(admin, page)})
    assert response.status_code == 303
    assert audit_count("settings.change") == before + 1
    question = _drafted_by(moderator)
    answers.approve_answer(question, moderator)
    assert question.status == "answered"
    check_page(admin.get(page + "?lang=bn"), lang="bn")


def test_due_dates_in_the_past_are_refused(client: FlaskClient) -> None:
    moderator = _moderator(client)
    officer = make_user("officer@example.org", role="engagement_officer")
    question = ask()
    moderation.approve(question, moderator)
    with pytest.raises(MayorError, match="due_in_past"):
        moderation.assign(question, moderator, date.today() - timedelta(days=1),
                          officer=officer)
    page = f"/staff/mayor/questions/{question.id}"
    past = date.today() - timedelta(days=3)
    response = client.post(f"{page}/assign", data={
        "csrf_token": csrf_token(client, page), "assign-officer": str(officer.id),
        "assign-organisation": "", "assign-due_on": [str(past.day), str(past.month),
                                                     str(past.year)]})
    soup = check_page(response)
    assert error_summary(soup) == ["The due date must be today or in the future"]
    assert soup.select_one("#assign-due_on-day")["value"] == str(past.day)
    db.session.expire_all()
    assert db.session.scalar(select(MayorQuestion.status)) == "approved"


@pytest.mark.parametrize("action", ["approve", "reject", "edit_wording", "assign", "topic"])
def test_moderation_retries_a_briefly_locked_database(monkeypatch: pytest.MonkeyPatch,
                                                       action: str) -> None:
    """Every moderation write is one retrying transaction (issue 20): a lock that clears is
    waited out, the change is saved once and audited once, never lost or half-saved."""
    moderator = make_user("mod@example.org", role="moderator")
    question = ask()
    if action == "assign":
        moderation.approve(question, moderator)
    before = audit_count()
    failed = locked_once(monkeypatch)
    if action == "approve":
        moderation.approve(question, moderator)
    elif action == "reject":
        moderation.reject(question, moderator, "offensive", "Not kept")
    elif action == "edit_wording":
        moderation.edit_wording(question, moderator, "A kinder wording")
    elif action == "assign":
        moderation.assign(question, moderator, date.today() + timedelta(days=7),
                          organisation="Housing partnership")
    else:
        from engage.services.collect.mayor import queue

        queue.add_topic(moderator, "Street lighting")
    assert failed == [1]
    db.session.expire_all()
    assert audit_count() == before + 1
    stored = db.session.get(MayorQuestion, question.id)
    assert stored is not None
    expected = {"approve": "approved", "reject": "rejected", "edit_wording": "received",
                "assign": "assigned", "topic": "received"}[action]
    assert stored.status == expected
    if action == "edit_wording":
        assert stored.public_text == "A kinder wording"
