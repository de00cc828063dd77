"""Email address and UK address questions in the runner, the exports and the builder: GOV.UK
patterns and messages in both languages, the whole answer hidden for roles that see redacted
text, and refused in an anonymous survey with the reason said."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engage.demo.surveys import LAWFUL_BASIS, PRIVACY
from engage.services.collect.published_surveys import publish_definition
from tests.engage.test_builder_routes import BASE, _add_question, _create, _officer, _post
from tests.pages import check_page, error_summary, make_user, sign_in

SLUG = "contact-test"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def contact_definition() -> dict[str, Any]:
    return {
        "id": SLUG, "title": {"en": "Stay in touch", "bn": "যোগাযোগ রাখুন"},
        "language": "en", "languages": ["en", "bn"],
        "sections": [{"id": "main", "title": {"en": "Main", "bn": "প্রধান"}, "pages": [
            {"id": "email", "questions": [{"id": "email", "type": "email",
             "title": {"en": "What is your email address?",
                       "bn": "আপনার ইমেল ঠিকানা কী?"}}]},
            {"id": "home", "questions": [{"id": "home", "type": "uk-address",
             "title": {"en": "What is your address?", "bn": "আপনার ঠিকানা কী?"}}]},
        ]}],
    }


@pytest.fixture
def published(app: Flask) -> None:
    publish_definition(contact_definition(), lawful_basis=LAWFUL_BASIS, privacy_notice=PRIVACY,
                       anonymous=False)  # it asks for contact details


def _token(html: str) -> str:
    found = TOKEN.search(html)
    assert found
    return found.group(1)


def _start(client: FlaskClient, lang: str = "en") -> str:
    html = client.get(f"/s/{SLUG}/?lang={lang}").get_data(as_text=True)
    response = client.post(f"/s/{SLUG}/start", data={"csrf_token": _token(html)},
                           follow_redirects=True)
    return response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_email_and_address_pages_follow_the_govuk_patterns(
        client: FlaskClient, published: None, lang: str) -> None:
    html = _start(client, lang)
    response = client.post(f"/s/{SLUG}/q/email", follow_redirects=True,
                           data={"csrf_token": _token(html), "q-email": "not an email"})
    soup = check_page(response, lang=lang)
    box = soup.find("input", attrs={"name": "q-email"})
    assert box["type"] == "email" and box["autocomplete"] == "email"
    assert box["spellcheck"] == "false" and box["value"] == "not an email"
    message = soup.select_one(".govuk-error-summary a").get_text(strip=True)
    assert message == ("Enter an email address in the correct format, like name@example.com"
                       if lang == "en" else
                       "সঠিক ফরম্যাটে একটি ইমেইল ঠিকানা লিখুন, যেমন name@example.com")
    response = client.post(f"/s/{SLUG}/q/email", follow_redirects=True, data={
        "csrf_token": _token(response.get_data(as_text=True)), "q-email": "ruma@example.com"})
    response = client.post(f"/s/{SLUG}/q/home", follow_redirects=True, data={
        "csrf_token": _token(response.get_data(as_text=True)), "q-home-line1": "1 High St",
        "q-home-postcode": "E1"})
    soup = check_page(response, lang=lang)
    autocomplete = {i["name"]: i.get("autocomplete") for i in soup.select("fieldset input")}
    assert autocomplete == {"q-home-line1": "address-line1", "q-home-line2": "address-line2",
                            "q-home-town": "address-level2", "q-home-county": None,
                            "q-home-postcode": "postal-code"}
    links = [a["href"] for a in soup.select(".govuk-error-summary a")]
    assert links == ["#q-home-town", "#q-home-postcode"]
    if lang == "bn":
        assert "শহর বা নগর লিখুন" in error_summary(soup)


def _answer(client: FlaskClient) -> None:
    html = _start(client)
    response = client.post(f"/s/{SLUG}/q/email", follow_redirects=True,
                           data={"csrf_token": _token(html), "q-email": "ruma@example.com"})
    response = client.post(f"/s/{SLUG}/q/home", follow_redirects=True, data={
        "csrf_token": _token(response.get_data(as_text=True)), "q-home-line1": "1 High St",
        "q-home-town": "London", "q-home-postcode": "e1 6an"})
    assert response.request.path == f"/s/{SLUG}/check"
    assert "1 High St" in response.get_data(as_text=True)
    client.post(f"/s/{SLUG}/submit", data={"csrf_token": _token(response.get_data(as_text=True))})


@pytest.mark.parametrize(("role", "email", "address"), [
    ("analyst", "ruma@example.com", "1 High St, London, E1 6AN"),
    ("engagement_officer", "[EMAIL]", "[ADDRESS]")])
def test_exports_hide_them_for_roles_that_see_redacted_text(
        client: FlaskClient, app: Flask, published: None, role: str, email: str,
        address: str) -> None:
    _answer(client)
    staff = app.test_client()
    make_user(role=role)
    sign_in(staff, "officer@example.org")
    token = _token(staff.get("/staff/surveys").get_data(as_text=True))
    body = staff.post(f"/staff/surveys/{SLUG}/responses.csv",
                      data={"csrf_token": token}).get_data(as_text=True)
    row = next(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert row["What is your email address?"] == email
    assert row["What is your address?"] == address


def test_builder_offers_them_and_refuses_them_in_an_anonymous_survey(
        app: Flask, client: FlaskClient) -> None:
    _officer(client)
    _create(client)
    soup = check_page(client.get(f"{BASE}/draft/questions/new?section=section-1"))
    assert "Email address (not in anonymous surveys)" in soup.get_text()
    _add_question(client, "email", "Your email")
    _post(client, f"{BASE}/settings", {
        "lawful_basis": "public_task", "privacy_notice": "We keep answers for 2 years.",
        "retention_days": "730", "anonymous": "yes", "results_roles": ["analyst"]})
    response = _post(client, f"{BASE}/draft/publish", {}, follow=True)
    text = response.get_data(as_text=True)
    assert "“Your email” asks for an email address or a postal address, which an anonymous " \
        "survey cannot ask" in text
    _post(client, f"{BASE}/settings", {
        "lawful_basis": "public_task", "privacy_notice": "We keep answers for 2 years.",
        "retention_days": "730", "anonymous": "no", "results_roles": ["analyst"]})
    response = _post(client, f"{BASE}/draft/publish", {})
    assert response.status_code == 303


def test_publishing_a_whole_definition_is_checked_like_the_builders_publish(app: Flask) -> None:
    """The demo, imports and tests publish through the builder's one path: an anonymous survey
    that asks for contact details is refused there too, and nothing is left half-made."""
    from sqlalchemy import select

    from engage.extensions import db
    from engage.models import Survey
    from engage.services.collect.published_surveys import InvalidDefinition

    with pytest.raises(InvalidDefinition) as refused:
        publish_definition(contact_definition(), lawful_basis=LAWFUL_BASIS,
                           privacy_notice=PRIVACY)
    assert [p.kind for p in refused.value.problems] == ["personal-question"] * 2
    assert db.session.scalar(select(Survey).where(Survey.slug == SLUG)) is None
    with pytest.raises(InvalidDefinition):
        publish_definition(contact_definition(), lawful_basis="", privacy_notice=PRIVACY,
                           anonymous=False)
    version = publish_definition(contact_definition(), lawful_basis=LAWFUL_BASIS,
                                 privacy_notice=PRIVACY, anonymous=False)
    assert version.anonymous is False and version.number == 1
