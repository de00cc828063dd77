"""Resident pages of Ask the Mayor, in English and Bengali."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import MayorQuestion, MayorSession
from engage.models._types import utcnow
from engage.services.collect.mayor import search
from engage.services.collect.mayor.public import active_topics
from tests.engage.mayor_helpers import ask, mayor_topics
from tests.pages import check_page, csrf_token, error_summary

pytestmark = pytest.mark.usefixtures(mayor_topics.__name__)

PAGES = ["/ask-the-mayor", "/ask-the-mayor/status", "/ask-the-mayor/answers",
         "/ask-the-mayor/sessions"]


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(MayorQuestion)) or 0


def _form(client: FlaskClient, **changes: str) -> dict[str, str]:
    data = {
        "csrf_token": csrf_token(client, "/ask-the-mayor"),
        "question": "When will the broken street lights on Bow Road be repaired?",
        "topic": str(active_topics()[0].id), "ward": "bow-east", "postcode": "",
        "consent": "yes", "name": "", "email": "", "phone": "", "website": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("lang", ["en", "bn"])
@pytest.mark.parametrize("path", PAGES)
def test_resident_pages_render(client: FlaskClient, path: str, lang: str) -> None:
    soup = check_page(client.get(f"{path}?lang={lang}"), lang=lang)
    assert soup.find("h1")


def test_the_form_explains_the_scheme_in_bengali(client: FlaskClient) -> None:
    soup = check_page(client.get("/ask-the-mayor?lang=bn"), lang="bn")
    assert "মেয়র" in soup.find("h1").get_text()
    assert soup.select("input[name=topic]") and soup.select("select[name=ward] option")


def test_a_resident_asks_and_checks_the_status(app: Flask, client: FlaskClient) -> None:
    response = client.post("/ask-the-mayor", data=_form(client, email="me@example.org",
                                                       phone="07700 900 982"))
    assert response.status_code == 303 and response.headers["Location"].endswith("/sent")
    question = db.session.scalar(select(MayorQuestion))
    assert question.contact_phone == "07700900982" and question.consent_publish
    soup = check_page(client.get("/ask-the-mayor/sent"))
    assert question.reference in soup.get_text()
    soup = check_page(client.get(f"/ask-the-mayor/status?reference={question.reference.lower()}"))
    assert "Received" in soup.get_text()
    soup = check_page(client.get(f"/ask-the-mayor/status?reference={question.reference}&lang=bn"),
                      lang="bn")
    assert question.reference in soup.get_text()


def test_the_sent_page_needs_a_question(client: FlaskClient) -> None:
    assert client.get("/ask-the-mayor/sent").status_code == 303


def test_errors_are_summarised_and_nothing_typed_is_lost(client: FlaskClient) -> None:
    long_text = " ".join(["word"] * 151)
    response = client.post("/ask-the-mayor", data=_form(
        client, question=long_text, topic="", ward="", postcode="", consent="",
        email="not-an-email", phone="12345", name="Ayesha"))
    soup = check_page(response)
    assert soup.title.get_text().startswith("Error: ")
    assert error_summary(soup) == [
        "Your question must be 150 words or fewer",
        "Select what your question is about",
        "Select your ward or enter your postcode",
        "Select yes if we can publish your question",
        "Enter an email address in the correct format, like name@example.com",
        "Enter a UK phone number, like 07700 900 982 or 020 7946 0958",
    ]
    assert soup.find("textarea", id="question").get_text().strip() == long_text
    assert soup.find("input", id="email")["value"] == "not-an-email"
    assert soup.find("input", id="name")["value"] == "Ayesha"
    assert _count() == 0


def test_errors_in_bengali(client: FlaskClient) -> None:
    client.get("/ask-the-mayor?lang=bn")
    soup = check_page(client.post("/ask-the-mayor", data=_form(client, question="")), lang="bn")
    assert error_summary(soup) and "Enter your question" not in error_summary(soup)


def test_a_postcode_is_normalised_and_a_bad_one_refused(client: FlaskClient) -> None:
    soup = check_page(client.post("/ask-the-mayor", data=_form(client, ward="", postcode="E1")))
    assert error_summary(soup) == ["Enter a full postcode, like E1 6AN"]
    response = client.post("/ask-the-mayor", data=_form(client, ward="", postcode="e16an"))
    assert response.status_code == 303
    assert db.session.scalar(select(MayorQuestion.postcode)) == "E1 6AN"


def test_the_honeypot_looks_like_success_but_stores_nothing(client: FlaskClient) -> None:
    response = client.post("/ask-the-mayor", data=_form(client, website="http://spam.example"))
    assert response.status_code == 303
    assert _count() == 0


def test_what_a_resident_types_is_read_without_the_spaces_around_it(
        client: FlaskClient) -> None:
    # Phone keyboards add a space after a word they complete: an address with one is taken
    # (the base form strips every text field), and stored without it.
    response = client.post("/ask-the-mayor", data=_form(
        client, email=" me@example.org ", name=" Asha Rahman ",
        question="\n  When will the lights on Bow Road be repaired?  \n"))
    assert response.status_code == 303
    question = db.session.scalar(select(MayorQuestion))
    assert (question.contact_email, question.contact_name, question.text) == (
        "me@example.org", "Asha Rahman", "When will the lights on Bow Road be repaired?")


def test_a_honeypot_of_spaces_is_still_a_robot(client: FlaskClient) -> None:
    assert client.post("/ask-the-mayor", data=_form(client, website="  ")).status_code == 303
    assert _count() == 0


def test_submissions_are_rate_limited_with_a_friendly_page(app: Flask,
                                                          client: FlaskClient) -> None:
    app.config["MAYOR_SUBMIT_LIMIT"] = "2 per minute"
    for _ in range(2):
        assert client.post("/ask-the-mayor", data=_form(client)).status_code == 303
    response = client.post("/ask-the-mayor", data=_form(client, question="Keep this text"))
    soup = check_page(response, status=429)
    assert response.headers["Retry-After"]
    assert soup.find("textarea", id="question").get_text().strip() == "Keep this text"
    assert error_summary(soup)
    assert _count() == 2


def test_a_bad_or_unknown_reference(client: FlaskClient) -> None:
    soup = check_page(client.get("/ask-the-mayor/status?reference=hello"))
    assert error_summary(soup) == ["Enter the reference exactly as it was given, like K7M3-9QPX"]
    soup = check_page(client.get("/ask-the-mayor/status?reference=ABCD-EFGH"))
    assert error_summary(soup) == [
        "We cannot find a question with that reference. Check it and try again"]
    soup = check_page(client.get("/ask-the-mayor/status?reference="))
    assert error_summary(soup) == ["Enter your reference"]


def _publish(text: str, **fields: object) -> MayorQuestion:
    question = ask(text)
    question.status, question.answer_text, question.published_at = ("published",
                                                                     "The answer.", utcnow())
    for key, value in fields.items():
        setattr(question, key, value)
    search.reindex(question)
    db.session.commit()
    return question


def test_answers_are_searchable_and_supported_once_per_browser(app: Flask,
                                                               client: FlaskClient) -> None:
    parking = _publish("Why is parking so expensive?", ward="poplar")
    _publish("More benches in Victoria Park please?")
    private = ask("Not published <script>alert(1)</script>")
    soup = check_page(client.get("/ask-the-mayor/answers"))
    assert "Why is parking so expensive?" in soup.get_text()
    assert private.text not in soup.get_text()
    soup = check_page(client.get("/ask-the-mayor/answers?q=parking&ward=poplar&topic=nonsense"
                                 "&session=x&page=abc"))
    assert len(soup.select("article")) == 1
    soup = check_page(client.get("/ask-the-mayor/answers?ward=weavers&lang=bn"), lang="bn")
    assert not soup.select("article")
    token = csrf_token(client, "/ask-the-mayor/answers")
    for _ in range(2):
        response = client.post(f"/ask-the-mayor/answers/{parking.id}/support",
                               data={"csrf_token": token, "back": "/ask-the-mayor/answers?q=x"})
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/ask-the-mayor/answers?q=x#question-")
    db.session.expire_all()
    assert parking.support_count == 1
    soup = check_page(client.get("/ask-the-mayor/answers?q=parking&lang=en"))
    assert "You want to know this too" in soup.get_text()
    assert not soup.select(f"#question-{parking.id} form")
    assert "People who want to know this: 1" in soup.get_text()
    other = app.test_client()
    response = other.post(f"/ask-the-mayor/answers/{parking.id}/support",
                          data={"csrf_token": csrf_token(other, "/ask-the-mayor/answers"),
                                "back": "https://evil.example/"})
    assert response.headers["Location"] == f"/ask-the-mayor/answers#question-{parking.id}"
    db.session.expire_all()
    assert parking.support_count == 2


def test_answers_are_paginated(client: FlaskClient) -> None:
    for n in range(45):
        _publish(f"Question {n}")
    soup = check_page(client.get("/ask-the-mayor/answers?page=3"))
    assert len(soup.select("article")) == 5
    assert soup.select_one(".govuk-pagination")
    # In Bengali the page numbers and their labels are Bengali (issue 17).
    soup = check_page(client.get("/ask-the-mayor/answers?page=3&lang=bn"), lang="bn")
    links = soup.select(".govuk-pagination__item a")
    assert [a.get_text(strip=True) for a in links] == ["১", "২", "৩"]
    assert [a["aria-label"] for a in links] == ["পাতা ১", "পাতা ২", "পাতা ৩"]


def test_sessions_page_lists_upcoming_and_past(client: FlaskClient) -> None:
    db.session.add(MayorSession(title="Ask the Mayor: Bow", place="Bow Idea Store",
                                starts_at=utcnow() + timedelta(days=7)))
    past = MayorSession(title="Ask the Mayor: Poplar", place="Poplar Union",
                        starts_at=utcnow() - timedelta(days=30), state="published",
                        published_at=utcnow())
    db.session.add(past)
    db.session.commit()
    _publish("Will the Poplar baths stay open?", session_id=past.id)
    soup = check_page(client.get("/ask-the-mayor/sessions"))
    text = soup.get_text()
    assert "Ask the Mayor: Bow" in text and "Will the Poplar baths stay open?" in text
    soup = check_page(client.get(f"/ask-the-mayor/answers?session={past.id}"))
    assert len(soup.select("article")) == 1


def test_home_page_links_to_ask_the_mayor(client: FlaskClient) -> None:
    soup = check_page(client.get("/"))
    assert soup.find("a", href="/ask-the-mayor")


def test_support_is_rate_limited(app: Flask, client: FlaskClient) -> None:
    app.config["MAYOR_SUPPORT_LIMIT"] = "2 per minute"
    question = _publish("Can the library open on Sundays?")
    token = csrf_token(client, "/ask-the-mayor/answers")
    statuses = [client.post(f"/ask-the-mayor/answers/{question.id}/support",
                            data={"csrf_token": token}).status_code for _ in range(2)]
    assert statuses == [303, 303]
    soup = check_page(client.post(f"/ask-the-mayor/answers/{question.id}/support",
                                  data={"csrf_token": token}), status=429)
    assert "You have tried too many times" in soup.get_text()
