"""Issue 15, "nothing typed is lost": a real write lock held while residents and staff send forms.

Every test holds the lock from another connection (tests/engage/lock_helpers.py) on SQLite and
PostgreSQL: the app's retrying transaction gives up and the page comes back with the typed text
and a clear message, never a bare 503 or a 500; sending again afterwards works.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import GroupSessionPoint, MayorQuestion, Response
from engage.services.collect.mayor.public import active_topics
from engage.services.collect.published_surveys import publish_definition, published_survey
from tests.engage.lock_helpers import write_lock
from tests.engage.mayor_helpers import mayor_topics
from tests.engage.test_runner import DEFINITION, SLUG
from tests.pages import check_page, csrf_token, make_user, sign_in

TYPED = "The lift in Brokesley Street flats has been broken for six weeks and my mother cannot" \
        " get out; when will it be repaired?"


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.usefixtures(mayor_topics.__name__)
def test_ask_the_mayor_under_a_lock_gives_the_form_back_with_the_text(
        client: FlaskClient) -> None:
    data = {"csrf_token": csrf_token(client, "/ask-the-mayor"), "question": TYPED,
            "topic": str(active_topics()[0].id), "ward": "bow-east", "postcode": "E3 2AB",
            "consent": "yes", "name": "Rahima Khatun", "email": "", "phone": "",
            "website": ""}
    with write_lock("mayor_questions"):
        response = client.post("/ask-the-mayor", data=data)
    soup = check_page(response, status=503)
    assert response.headers["Retry-After"]
    assert soup.select_one("textarea#question").get_text() == TYPED
    assert soup.select_one("input#postcode")["value"] == "E3 2AB"
    assert soup.select_one("input#name")["value"] == "Rahima Khatun"
    assert "We could not send your question just now" in soup.get_text()
    assert _count(MayorQuestion) == 0
    data["csrf_token"] = str(soup.find("input", attrs={"name": "csrf_token"})["value"])
    assert client.post("/ask-the-mayor", data=data).status_code == 303
    assert db.session.scalar(select(MayorQuestion.text)) == TYPED


def test_starting_a_survey_under_a_lock_gives_the_503_page(client: FlaskClient) -> None:
    publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="A year")
    published_survey(SLUG)
    token = csrf_token(client, f"/s/{SLUG}/")
    with write_lock("responses"):
        response = client.post(f"/s/{SLUG}/start", data={"csrf_token": token})
    soup = check_page(response, status=503)
    assert "unavailable" in soup.find("h1").get_text()
    again = soup.select_one("form[method=post]")
    assert again["action"] == f"/s/{SLUG}/start"
    token = str(again.find("input", attrs={"name": "csrf_token"})["value"])
    assert client.post(again["action"], data={"csrf_token": token}).status_code == 303
    assert _count(Response) == 1


def _session_page(client: FlaskClient) -> str:
    make_user(role="engagement_officer")
    sign_in(client, "officer@example.org")
    from datetime import date

    from engage.services.collect import group_sessions as service
    session = service.create_session(None, service.SessionDetails(
        group_type="young_people", group_name="Year 10", held_on=date(2026, 3, 27),
        facilitator="Amina", ward="bow-east", survey_id=None))
    return f"/staff/group-sessions/{session.id}"


def test_group_session_notes_under_a_lock_keep_what_was_typed(client: FlaskClient) -> None:
    page = _session_page(client)
    notes = "Nowhere safe to meet after school.\nThe youth club on Roman Road closed in May."
    with write_lock("group_session_points", "audit_events"):
        response = client.post(f"{page}/points",
                               data={"text": notes, "csrf_token": csrf_token(client, page)})
    soup = check_page(response, status=503)
    kept = soup.select_one(".app-kept-input").get_text()
    assert "Nowhere safe to meet after school." in kept and "closed in May" in kept
    form = soup.select_one("form[method=post]")
    assert form["action"] == f"{page}/points"
    assert form.find("input", attrs={"name": "text"})["value"] == notes.replace("\n", "\r\n") \
        or form.find("input", attrs={"name": "text"})["value"] == notes
    assert _count(GroupSessionPoint) == 0
    resend = {i["name"]: i["value"] for i in form.find_all("input")}
    assert client.post(form["action"], data=resend).status_code == 303
    assert db.session.scalar(select(GroupSessionPoint.text)) == notes


def test_the_kept_input_never_includes_a_password(client: FlaskClient) -> None:
    page = _session_page(client)
    with write_lock("group_session_points", "audit_events"):
        response = client.post(f"{page}/points", data={
            "text": "A point", "password": "hunter2 secret", "csrf_token": csrf_token(
                client, page)})
    body = response.get_data(as_text=True)
    assert response.status_code == 503 and "hunter2" not in body


def test_builder_edit_under_a_lock_keeps_what_was_typed(client: FlaskClient) -> None:
    make_user(role="engagement_officer")
    sign_in(client, "officer@example.org")
    token = csrf_token(client, "/staff/surveys/new")
    title = "Your views on the Whitechapel market and the streets around it"
    data = {"slug": "market-2027", "title-en": title, "csrf_token": token}
    with write_lock("surveys", "audit_events"):
        response = client.post("/staff/surveys/new", data=data)
    soup = check_page(response, status=503)
    assert title in soup.select_one(".app-kept-input").get_text()
    form = soup.select_one("form[method=post]")
    resend = {i["name"]: i["value"] for i in form.find_all("input")}
    assert resend["slug"] == "market-2027" and resend["title-en"] == title
    assert client.post(form["action"], data=resend).status_code == 303


LONG_PAGE: dict[str, object] = {
    "id": "long-page", "title": {"en": "Your views"}, "language": "en", "languages": ["en"],
    "settings": {"layout": "grouped", "max_questions_per_page": 4},
    "sections": [{"id": "s", "title": {"en": "Views"}, "pages": [{
        "id": "views", "title": {"en": "Your views"}, "questions": [
            {"id": "better", "type": "long-text", "max_length": 20000,
             "title": {"en": "What would make the area better?"}},
            {"id": "worse", "type": "long-text", "max_words": 2000,
             "title": {"en": "What makes it worse?"}}]}]}],
}


def test_a_page_filled_to_its_limits_fits_the_body_cap(client: FlaskClient) -> None:
    """S9: every textarea stops at a length that keeps the whole page under 64 KB, even in
    Bengali script, so what a resident types is never thrown away by a 413."""
    publish_definition(LONG_PAGE, lawful_basis="Public task", privacy_notice="A year")
    token = csrf_token(client, "/s/long-page/")
    client.post("/s/long-page/start", data={"csrf_token": token})
    soup = check_page(client.get("/s/long-page/q/views"))
    form = soup.select_one("main form[method=post]")
    assert form["enctype"] == "multipart/form-data"
    data = {"csrf_token": str(form.find("input", attrs={"name": "csrf_token"})["value"])}
    for area in soup.select("textarea"):
        data[area["name"]] = "ক" * int(area["maxlength"])  # 3 bytes each in UTF-8
    response = client.post("/s/long-page/q/views", data=data,
                           content_type="multipart/form-data")
    assert response.status_code != 413
    assert response.request.content_length is None or response.request.content_length < 65536
    assert response.status_code in (200, 303)  # saved, or a message with the text kept
    if response.status_code == 200:
        assert "ক" * 100 in check_page(response).select_one("textarea").get_text()
