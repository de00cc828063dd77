"""Invitation-only surveys (issue 19): the builder's "Who can respond" setting, read by every
resident step (start, each question page, check your answers, submit, resume) through the
services; a clear page instead of an error without a live link; one response per invitation;
staff channels never limited."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AuditEvent, Response, Survey, SurveyContact, User
from engage.services.collect import admission, channels, contacts, responses
from engage.services.collect.published_surveys import forget_published, published_survey
from engage.services.platform.transactions import in_transaction
from tests.engage.contacts_helpers import SLUG, setup, upload
from tests.pages import check_page, csrf_token, error_summary, sign_in

START = f"/s/{SLUG}/"


def _invitation_only(app: Flask) -> tuple[Survey, list[str]]:
    """The survey by invitation, with a link for each of Ada and Dee."""
    survey, officer = setup(app)
    upload(survey, officer)
    survey.invitation_only = True
    db.session.commit()
    forget_published()
    links = []
    for email in ("ada@example.org", "dee@example.org"):
        contact_id = db.session.scalar(select(SurveyContact.id).where(
            SurveyContact.email == email))
        links.append(in_transaction(lambda c=contact_id: contacts.new_link(c)))
    return survey, links


def _by_invitation(response, text: str = "This survey is by invitation only") -> None:  # type: ignore[no-untyped-def]
    page = check_page(response, 403)
    assert text in page.get_text()
    assert "engage@example.org" in page.get_text()  # whom to contact


def _forget_link(client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session.pop("invited", None)


def test_without_a_link_every_resident_step_shows_the_invitation_page(
        app: Flask, client: FlaskClient) -> None:
    _survey, (ada, _dee) = _invitation_only(app)
    assert START not in client.get("/").get_data(as_text=True)  # not listed on the home page
    _by_invitation(client.get(START))
    token = csrf_token(client, "/auth/sign-in")  # any form: the token belongs to the session
    _by_invitation(client.post(f"/s/{SLUG}/start", data={"csrf_token": token}))
    assert db.session.scalar(select(Response.id)) is None  # nothing started
    # A browser that started with a link and then lost it (or never had one for this survey).
    assert client.get(f"/i/{ada}").status_code == 303
    token = csrf_token(client, START)
    assert client.post(f"/s/{SLUG}/start", data={"csrf_token": token}).status_code == 303
    response_id = db.session.scalar(select(Response.id))
    assert response_id is not None
    _forget_link(client)
    _by_invitation(client.get(START))
    _by_invitation(client.get(f"/s/{SLUG}/q/use"))
    _by_invitation(client.post(f"/s/{SLUG}/q/use", data={"csrf_token": token, "q-use": "yes"}))
    _by_invitation(client.get(f"/s/{SLUG}/check"))
    _by_invitation(client.post(f"/s/{SLUG}/submit", data={"csrf_token": token}))
    db.session.expire_all()
    row = db.session.get(Response, response_id)
    assert row is not None and row.status == "in_progress" and row.answers == {}
    # A resume link does not get round it either.
    resume = responses.issue_resume_token(response_id)
    _by_invitation(client.get(f"/s/{SLUG}/resume/{resume}"))
    # A link of another survey's list, or a made-up one, is no invitation to this one.
    with client.session_transaction() as session:
        session["invited"] = {SLUG: "made-up-token"}
    _by_invitation(client.get(START))


def test_with_a_link_the_survey_works_once_per_invitation(
        app: Flask, client: FlaskClient) -> None:
    _survey, (ada, _dee) = _invitation_only(app)
    other = app.test_client()
    for browser in (client, other):  # Ada's link opened in two browsers
        assert browser.get(f"/i/{ada}").status_code == 303
        check_page(browser.get(START))
        token = csrf_token(browser, START)
        assert browser.post(f"/s/{SLUG}/start", data={"csrf_token": token}).status_code == 303
        check_page(browser.get(f"/s/{SLUG}/q/use"))
        browser.post(f"/s/{SLUG}/q/use", data={"csrf_token": token, "q-use": "yes"})
        check_page(browser.get(f"/s/{SLUG}/check"))
    token = csrf_token(client, f"/s/{SLUG}/check")
    done = client.post(f"/s/{SLUG}/submit", data={"csrf_token": token})
    assert done.headers["Location"] == f"/s/{SLUG}/done"
    assert db.session.scalar(select(SurveyContact.responded).where(
        SurveyContact.email == "ada@example.org")) is True
    # The second browser's submit is refused in the same transaction: one response per link.
    token = csrf_token(other, "/auth/sign-in")
    _by_invitation(other.post(f"/s/{SLUG}/submit", data={"csrf_token": token}),
                   "You have already answered this survey")
    statuses = sorted(db.session.scalars(select(Response.status)))
    assert statuses == ["in_progress", "submitted"]
    # Dee, invited too, is unaffected; the used link now says it was used.
    assert client.get(f"/i/{ada}").status_code == 410


def test_the_services_refuse_residents_and_admit_staff_channels(app: Flask) -> None:
    _survey, (ada, _dee) = _invitation_only(app)
    published = published_survey(SLUG)
    assert published.invitation_only
    with pytest.raises(admission.InvitationRequired) as refused:
        responses.start_response(published, "en")
    assert refused.value.code == "no_link"
    response_id = responses.start_response(published, "en", invitation=ada)
    responses.save_page(response_id, "use", {"use": "yes"}, "en")
    with pytest.raises(admission.InvitationRequired):
        responses.load_response(response_id, published)
    with pytest.raises(admission.InvitationRequired):
        responses.submit(response_id, published)
    assert responses.load_response(response_id, published, ada).answers == {"use": "yes"}
    # An interviewer's response needs no invitation.
    officer = db.session.scalars(select(User).where(User.email == "officer@example.org")).one()
    interview = channels.start_interview(published, interviewer=officer, language="en",
                                         channel="phone", proxy=False, batch="")
    responses.save_page(interview, "use", {"use": "no"}, "en")
    assert channels.submit_interview(interview, published, officer)
    # Open to anyone again: no link needed.
    survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
    survey.invitation_only = False
    db.session.commit()
    forget_published()
    assert responses.start_response(published_survey(SLUG), "en")


def test_who_can_respond_is_a_builder_setting(app: Flask, client: FlaskClient) -> None:
    survey, _officer = setup(app)
    sign_in(client, "officer@example.org")
    base = f"/staff/surveys/{SLUG}/settings"
    page = check_page(client.get(base))
    assert page.select_one("#respondents")["checked"] is not None  # anyone, by default
    token = csrf_token(client, base)
    response = client.post(base, data={"csrf_token": token, "respondents": "everyone"})
    assert "Select who can respond" in error_summary(check_page(response, 400))
    check_page(client.get(START))
    assert START in client.get("/").get_data(as_text=True)
    response = client.post(base, data={"csrf_token": token, "respondents": "invited",
                                       "results_roles": ["analyst"]})
    assert response.status_code == 303
    db.session.refresh(survey)
    assert survey.invitation_only is True
    audit = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "survey.results_access")).one()
    assert audit.detail["invitation_only"] is True
    page = check_page(client.get(base))
    assert page.select_one("#respondents-invited").has_attr("checked")
    # Read at once by the resident pages (this process forgets its cached copy).
    _by_invitation(client.get(START))


def test_the_consultation_hub_does_not_list_it(app: Flask, client: FlaskClient) -> None:
    """A consultation's page offers its open surveys ("Answer the survey"), but not one by
    invitation; the consultation itself stays listed, and an invited resident still gets in."""
    from tests.engage.consultation_helpers import consultation

    survey, officer = setup(app)
    consultation(officer, "published", survey_ids=[survey.id])
    page = "/consultations/library-hours"
    assert START in client.get(page).get_data(as_text=True)  # open to anyone: offered
    survey.invitation_only = True
    db.session.commit()
    forget_published()
    shown = check_page(client.get(page)).get_text(" ", strip=True)
    assert "Library opening hours" in shown and "Answer the survey" not in shown
    assert START not in client.get(page).get_data(as_text=True)
    assert "library-hours" in client.get("/consultations").get_data(as_text=True)
    assert START not in client.get("/consultations").get_data(as_text=True)
    assert START not in client.get("/").get_data(as_text=True)
    assert SLUG not in str(client.get("/api/v1/consultations").get_json())
    upload(survey, officer)
    contact_id = db.session.scalar(select(SurveyContact.id).where(
        SurveyContact.email == "ada@example.org"))
    ada = in_transaction(lambda: contacts.new_link(contact_id))
    assert client.get(f"/i/{ada}").status_code == 303
    check_page(client.get(START))


def _saved_link(client: FlaskClient) -> str:
    """Answer the page, choose "save and come back later", and read the resume link shown."""
    token = csrf_token(client, f"/s/{SLUG}/q/use")
    response = client.post(f"/s/{SLUG}/q/use",
                           data={"csrf_token": token, "q-use": "yes", "action": "save"})
    assert response.headers["Location"] == f"/s/{SLUG}/saved"
    link = check_page(client.get(f"/s/{SLUG}/saved")).select_one(".govuk-inset-text a")["href"]
    return str(link).split("example.org", 1)[-1].replace("http://localhost", "")


def test_a_resume_link_carries_the_invitation_to_another_browser(
        app: Flask, client: FlaskClient) -> None:
    _survey, (ada, dee) = _invitation_only(app)
    assert client.get(f"/i/{ada}").status_code == 303
    token = csrf_token(client, START)
    assert client.post(f"/s/{SLUG}/start", data={"csrf_token": token}).status_code == 303
    link = _saved_link(client)
    path, _, query = link.partition("?a=")
    assert query and ada not in link  # the invitation is in it, sealed, not as it is
    # Without the sealed invitation, or with it altered, the link is refused as before.
    for refused in (path, f"{path}?a={query[:-2]}xx", f"{path}?a=made-up"):
        _by_invitation(app.test_client().get(refused))
    # Another response's sealed invitation does not open this one.
    dee_client = app.test_client()
    assert dee_client.get(f"/i/{dee}").status_code == 303
    token = csrf_token(dee_client, START)
    dee_client.post(f"/s/{SLUG}/start", data={"csrf_token": token})
    dee_query = _saved_link(dee_client).partition("?a=")[2]
    _by_invitation(app.test_client().get(f"{path}?a={dee_query}"))

    # A fresh browser (no cookies) carries on with Ada's response and sends it.
    fresh = app.test_client()
    response = fresh.get(link)
    assert response.status_code == 303, response.get_data(as_text=True)
    check_page(fresh.get(START))  # carrying on: the start page offers to continue
    check_page(fresh.get(f"/s/{SLUG}/check"))
    token = csrf_token(fresh, f"/s/{SLUG}/check")
    done = fresh.post(f"/s/{SLUG}/submit", data={"csrf_token": token})
    assert done.headers["Location"] == f"/s/{SLUG}/done"
    assert db.session.scalar(select(SurveyContact.responded).where(
        SurveyContact.email == "ada@example.org")) is True  # used up, once
    assert db.session.scalar(select(SurveyContact.responded).where(
        SurveyContact.email == "dee@example.org")) is False
    assert sorted(db.session.scalars(select(Response.status))) == ["in_progress", "submitted"]
    # Now the link is spent, and neither browser can start another response with it.
    check_page(fresh.get(link), 404)
    _by_invitation(fresh.get(START))
    _by_invitation(client.get(START), "You have already answered this survey")
    assert client.get(f"/i/{ada}").status_code == 410


def test_a_resume_link_cannot_start_a_second_response(app: Flask, client: FlaskClient) -> None:
    _survey, (ada, _dee) = _invitation_only(app)
    assert client.get(f"/i/{ada}").status_code == 303
    token = csrf_token(client, START)
    client.post(f"/s/{SLUG}/start", data={"csrf_token": token})
    link = _saved_link(client)
    fresh = app.test_client()
    assert fresh.get(link).status_code == 303
    # "Start again" forgets the response in this browser: the link's invitation went with it.
    token = csrf_token(fresh, f"/s/{SLUG}/check")
    assert fresh.post(f"/s/{SLUG}/start-again", data={"csrf_token": token}).status_code == 303
    _by_invitation(fresh.get(START))
    _by_invitation(fresh.post(f"/s/{SLUG}/start", data={"csrf_token": token}))
    assert db.session.scalar(select(func.count(Response.id))) == 1
    # The link still carries on with the one response.
    assert fresh.get(link).status_code == 303
    check_page(fresh.get(f"/s/{SLUG}/check"))
