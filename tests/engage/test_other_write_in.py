""""Other, please specify" in the survey runner: the box is a GOV.UK conditional reveal inside
its option (present in the page, so usable without JavaScript), required when Other is chosen,
shown on check your answers, stored as free text, and a column after the choice in the CSV."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.demo.surveys import LAWFUL_BASIS, PRIVACY
from engage.extensions import db
from engage.models import FreeTextAnswer
from engage.services.collect.published_surveys import publish_definition
from tests.pages import check_page, make_user, sign_in

SLUG = "other-test"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def other_definition(slug: str = SLUG) -> dict[str, Any]:
    """A two-page survey: a multiple choice and a single choice, each with an Other option."""
    def options(*ids: str) -> list[dict[str, Any]]:
        return [{"id": i, "text": {"en": i.capitalize(), "bn": f"{i} (বাংলা)"},
                 **({"other": True} if i == "other" else {})} for i in ids]
    return {
        "id": slug, "title": {"en": "Other answers", "bn": "অন্য উত্তর"},
        "language": "en", "languages": ["en", "bn"],
        "sections": [{"id": "main", "title": {"en": "Main", "bn": "প্রধান"}, "pages": [
            {"id": "used", "questions": [{
                "id": "used", "type": "multiple-choice",
                "title": {"en": "Which services have you used?",
                          "bn": "আপনি কোন পরিষেবাগুলি ব্যবহার করেছেন?"},
                "options": options("library", "park", "other")}]},
            {"id": "travel", "questions": [{
                "id": "travel", "type": "single-choice",
                "title": {"en": "How did you travel here?", "bn": "আপনি কীভাবে এখানে এসেছেন?"},
                "options": options("bus", "walk", "other")}]},
        ]}],
    }


@pytest.fixture
def published(app: Flask) -> None:
    publish_definition(other_definition(), lawful_basis=LAWFUL_BASIS, privacy_notice=PRIVACY)


def _token(html: str) -> str:
    found = TOKEN.search(html)
    assert found
    return found.group(1)


def _start(client: FlaskClient, lang: str = "en") -> str:
    html = client.get(f"/s/{SLUG}/?lang={lang}").get_data(as_text=True)
    response = client.post(f"/s/{SLUG}/start", data={"csrf_token": _token(html)},
                           follow_redirects=True)
    assert response.request.path == f"/s/{SLUG}/q/used"
    return response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_box_is_a_conditional_reveal_inside_the_other_option(
        client: FlaskClient, published: None, lang: str) -> None:
    _start(client, lang)
    soup = check_page(client.get(f"/s/{SLUG}/q/used"), lang=lang)
    other = soup.find("input", attrs={"name": "q-used", "value": "other"})
    conditional = soup.find(id=other["data-aria-controls"])
    assert conditional is not None and "govuk-checkboxes__conditional" in conditional["class"]
    # Hidden only once GOV.UK Frontend's script runs (the class needs .govuk-frontend-supported).
    assert "govuk-checkboxes__conditional--hidden" in conditional["class"]
    box = conditional.find("input", attrs={"name": "q-used-other"})
    assert box["maxlength"] == "200"
    label = soup.find("label", attrs={"for": box["id"]}).get_text(strip=True)
    assert label == ("Your other answer" if lang == "en" else "আপনার অন্য উত্তর")


def test_other_chosen_with_an_empty_box_is_an_error_that_keeps_the_choice(
        client: FlaskClient, published: None) -> None:
    html = _start(client)
    response = client.post(f"/s/{SLUG}/q/used", data={
        "csrf_token": _token(html), "q-used": ["library", "other"], "q-used-other": " "},
        follow_redirects=True)
    soup = check_page(response)
    summary = soup.select_one(".govuk-error-summary")
    assert summary.find("a")["href"] == "#q-used-other"
    assert summary.find("a").get_text(strip=True) == "Enter your other answer"
    assert soup.find("input", attrs={"name": "q-used", "value": "other"}).has_attr("checked")
    conditional = soup.find(id="q-used-other").find_parent(class_="govuk-checkboxes__conditional")
    assert "govuk-checkboxes__conditional--hidden" not in conditional["class"]


def test_error_is_in_bengali(client: FlaskClient, published: None) -> None:
    html = _start(client, "bn")
    response = client.post(f"/s/{SLUG}/q/used", data={
        "csrf_token": _token(html), "q-used": ["other"]}, follow_redirects=True)
    soup = check_page(response, lang="bn")
    text = soup.select_one(".govuk-error-summary a").get_text(strip=True)
    assert "আপনার অন্য উত্তর" in text and "Enter" not in text


def test_write_ins_are_stored_as_free_text_and_exported_after_the_choice(
        client: FlaskClient, app: Flask, published: None) -> None:
    html = _start(client)
    response = client.post(f"/s/{SLUG}/q/used", follow_redirects=True, data={
        "csrf_token": _token(html), "q-used": ["park", "other"],
        "q-used-other": "Swimming pool"})
    response = client.post(f"/s/{SLUG}/q/travel", follow_redirects=True, data={
        "csrf_token": _token(response.get_data(as_text=True)), "q-travel": "bus",
        "q-travel-other": "typed, then Bus chosen"})
    assert response.request.path == f"/s/{SLUG}/check"
    soup = check_page(response)
    rows = {r.find("dt").get_text(" ", strip=True): r.find("dd").get_text("|", strip=True)
            for r in soup.select(".govuk-summary-list__row")}
    assert rows["Which services have you used?"] == "Park|Other: Swimming pool"
    assert rows["How did you travel here?"] == "Bus"
    response = client.post(f"/s/{SLUG}/submit",
                           data={"csrf_token": _token(response.get_data(as_text=True))})
    assert response.status_code == 303
    texts = db.session.execute(select(FreeTextAnswer.question_id, FreeTextAnswer.text)).all()
    assert [tuple(t) for t in texts] == [("used-other", "Swimming pool")]
    staff = app.test_client()
    make_user(role="analyst")
    sign_in(staff, "officer@example.org")
    html = staff.get("/staff/surveys").get_data(as_text=True)
    export = staff.post(f"/staff/surveys/{SLUG}/responses.csv",
                        data={"csrf_token": _token(html)})
    assert export.status_code == 200
    table = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    header, row = table[0], table[1]
    at = header.index("Which services have you used? [Other]")
    assert header[at + 1] == "Your other answer"
    assert row[at:at + 2] == ["1", "Swimming pool"]
