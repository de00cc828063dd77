"""“You said, we did”: staff add updates (roles, CSRF, errors, audit); the public page in English
and Bengali shows what we asked, rounded counts, themes, decisions, next steps and updates."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import refresh
from sqlalchemy import select

from engage.extensions import db
from engage.models import AuditEvent, ConsultationUpdate
from engage.services.report import you_said
from tests.engage.test_insight_exports import SLUG, answered  # noqa: F401
from tests.pages import check_page, error_summary, make_user, sign_in

URL = f"/staff/surveys/{SLUG}/updates"


def _officer(client: FlaskClient) -> str:
    make_user(role="engagement_officer")
    sign_in(client, "officer@example.org")
    return str(check_page(client.get(URL)).select_one("input[name=csrf_token]")["value"])


def test_staff_add_updates_that_appear_publicly(client: FlaskClient,
                                                answered: Any) -> None:  # noqa: F811
    assert client.get(f"/you-said-we-did/{SLUG}").status_code == 404  # nothing published yet
    token = _officer(client)
    response = client.post(URL, data={
        "csrf_token": token, "kind": "next_steps", "title_en": "Sunday opening from May",
        "body_en": "The library will open on Sundays.\nWe will review it in a year.",
        "title_bn": "মে থেকে রবিবার খোলা", "body_bn": "লাইব্রেরি রবিবার খোলা থাকবে।"})
    assert response.status_code == 303
    client.post(URL, data={"csrf_token": token, "kind": "update",
                           "title_en": "Staff recruited", "body_en": "Two new librarians."})
    staff_page = check_page(client.get(URL)).get_text(" ", strip=True)
    assert "Sunday opening from May" in staff_page and "Staff recruited" in staff_page
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "you_said.update"))
    assert len(list(events)) == 2

    public = FlaskClient(client.application, use_cookies=True)
    soup = check_page(public.get(f"/you-said-we-did/{SLUG}"), lang="en")
    text = soup.get_text(" ", strip=True)
    assert "Library survey" in text and "What we asked" in text
    assert "Do you use the library?" in text
    assert "More than 10 people took part." in text  # 14 rounded down to tens
    assert "Sunday opening from May" in text and "We will review it in a year." in text
    assert "Staff recruited" in text
    assert "not agreed its priorities yet" in text
    listing = check_page(public.get("/you-said-we-did")).get_text(" ", strip=True)
    assert "Library survey" in listing

    refresh()  # the test's app context outlives requests: forget the cached locale
    bengali = check_page(public.get(f"/you-said-we-did/{SLUG}?lang=bn"), lang="bn")
    assert "মে থেকে রবিবার খোলা" in bengali.get_text()
    assert "লাইব্রেরি জরিপ" in bengali.h1.get_text()
    refresh()
    listing = check_page(public.get("/you-said-we-did?lang=bn"), lang="bn")
    assert "লাইব্রেরি জরিপ" in listing.select_one("main").get_text()  # the title in Bengali
    english_only = [t for t in bengali.select("[lang=en]") if "Staff recruited" in t.get_text()]
    assert english_only  # an update with no Bengali text is marked as English


def test_update_form_errors(client: FlaskClient, answered: Any) -> None:  # noqa: F811
    token = _officer(client)
    soup = check_page(client.post(URL, data={"csrf_token": token, "title_en": "x" * 201}),
                      status=400)
    messages = error_summary(soup)
    assert messages[0] == "Select what kind of update this is"
    assert "Enter the update in English" in messages and len(messages) == 3  # and title length
    assert soup.select_one("#title_en")["value"] == "x" * 201  # what they typed is kept
    assert not db.session.scalars(select(ConsultationUpdate)).all()


@pytest.mark.parametrize("role", ["analyst", "moderator", "partner_viewer", "group_member"])
def test_only_engagement_officers_add_updates(client: FlaskClient, answered: Any,  # noqa: F811
                                              role: str) -> None:
    make_user(role=role)
    sign_in(client, "officer@example.org")
    assert client.get(URL).status_code == 403
    token = check_page(client.get("/staff/")).select_one("input[name=csrf_token]")["value"]
    assert client.post(URL, data={"csrf_token": token, "kind": "update", "title_en": "x",
                                  "body_en": "y"}).status_code == 403


def test_unknown_consultation_is_404(client: FlaskClient, app: Flask) -> None:
    assert client.get("/you-said-we-did/nope").status_code == 404
    check_page(client.get("/you-said-we-did"))
    make_user(role="engagement_officer")
    sign_in(client, "officer@example.org")
    assert client.get("/staff/surveys/nope/updates").status_code == 404


def test_public_counts_are_rounded_down_to_tens() -> None:
    assert [you_said._rounded(n) for n in (0, 9, 10, 14, 1999)] == [0, 0, 10, 10, 1990]


def test_the_list_links_a_survey_to_its_consultation_once_it_moved(
        client: FlaskClient, answered: Any) -> None:  # noqa: F811
    from engage.models import Survey
    from tests.engage.consultation_helpers import consultation, officer

    token = _officer(client)
    client.post(URL, data={"csrf_token": token, "kind": "update", "title_en": "Staff recruited",
                           "body_en": "Two new librarians."})
    public = FlaskClient(client.application, use_cookies=True)
    links = [a["href"] for a in check_page(public.get("/you-said-we-did")).select("main a")]
    assert f"/you-said-we-did/{SLUG}" in links
    assert "/consultations?status=results" in links

    survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == SLUG))
    found = consultation(officer("hub@example.org"), "closed", survey_ids=[survey_id])
    links = [a["href"] for a in check_page(public.get("/you-said-we-did")).select("main a")]
    assert f"/consultations/{found.slug}#results" in links
    assert f"/you-said-we-did/{SLUG}" not in links
