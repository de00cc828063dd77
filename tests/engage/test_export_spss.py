"""The SPSS export: POST /staff/surveys/<slug>/responses.sav with the CSV's roles, results
policy and redaction; read back with pyreadstat: variable labels, value labels, one 0/1
variable per option of a multiple choice, declared missing values."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pyreadstat
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.demo.surveys import LAWFUL_BASIS, PRIVACY
from engage.extensions import db
from engage.models import AuditEvent, Survey
from engage.services.collect import responses
from engage.services.collect.published_surveys import publish_definition, published_survey
from tests.locks import locked_once
from tests.pages import check_page, make_user, sign_in

SLUG = "sav-test"


def _options(*ids: str) -> list[dict[str, Any]]:
    return [{"id": i, "text": {"en": i.capitalize()}, **({"other": True} if i == "other" else {})}
            for i in ids]


DEFINITION: dict[str, Any] = {
    "id": SLUG, "title": {"en": "Library survey"}, "language": "en", "languages": ["en"],
    "sections": [{"id": "main", "title": {"en": "Main"}, "pages": [
        {"id": "use", "questions": [{"id": "use", "type": "single-choice",
                                     "title": {"en": "Do you use the library?"},
                                     "options": _options("yes", "no")}],
         "routing": [{"when": {"op": "equals", "question": "use", "value": "no"},
                      "go_to": {"page": "improve"}}]},
        {"id": "used", "questions": [{"id": "used", "type": "multiple-choice",
                                      "title": {"en": "What do you use?"}, "required": False,
                                      "options": _options("books", "computers", "other")}]},
        {"id": "rating", "questions": [{"id": "rating", "type": "rating",
                                        "title": {"en": "How satisfied are you?"}}]},
        {"id": "improve", "questions": [{"id": "improve", "type": "long-text",
                                         "title": {"en": "What would improve the library?"},
                                         "required": False}]},
        {"id": "email", "questions": [{"id": "email", "type": "email", "required": False,
                                       "title": {"en": "Your email address"}}]},
    ]}],
}


@pytest.fixture
def answered(app: Flask) -> None:
    publish_definition(DEFINITION, lawful_basis=LAWFUL_BASIS, privacy_notice=PRIVACY,
                       anonymous=False)  # it asks for an email address
    survey = published_survey(SLUG)
    rid = responses.start_response(survey, "en")
    responses.save_page(rid, "use", {"use": "yes"}, "en")
    responses.save_page(rid, "used", {"used": ["books", "other"], "used-other": "Films"}, "en")
    responses.save_page(rid, "rating", {"rating": 8}, "en")
    responses.save_page(rid, "improve", {"improve": "Call me on 07700 900123"}, "en")
    responses.save_page(rid, "email", {"email": "ruma@example.com"}, "en")
    responses.submit(rid, survey)
    rid = responses.start_response(survey, "en")
    responses.save_page(rid, "use", {"use": "no"}, "en")
    responses.save_page(rid, "improve", {"improve": None}, "en")
    responses.save_page(rid, "email", {"email": None}, "en")
    responses.submit(rid, survey)


def _download(client: FlaskClient, role: str) -> tuple[Any, Any]:
    make_user(role=role)
    sign_in(client, "officer@example.org")
    soup = check_page(client.get("/staff/surveys"))
    button = soup.find("button", attrs={"form": "sav-1"})
    assert button is not None and "Download responses (SPSS)" in button.get_text()
    token = soup.select_one("form#sav-1 input[name=csrf_token]")["value"]
    response = client.post(f"/staff/surveys/{SLUG}/responses.sav", data={"csrf_token": token})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{SLUG}-responses.sav"')
    assert response.headers["Cache-Control"] == "no-store"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.sav"
        path.write_bytes(response.get_data())
        return pyreadstat.read_sav(str(path), user_missing=True)


def test_sav_has_labels_codes_and_declared_missing_values(client: FlaskClient,
                                                         answered: None) -> None:
    frame, meta = _download(client, "analyst")
    labels = meta.column_names_to_labels
    assert labels["use"] == "Do you use the library?"
    assert labels["used_books"] == "What do you use? [Books]"
    assert labels["used_other_2"] == "Your other answer"  # the write-in, after the choice
    assert meta.variable_value_labels["use"] == {1.0: "Yes", 2.0: "No", -1.0: "Not answered",
                                                 -2.0: "Not asked"}
    assert meta.variable_value_labels["used_books"][1.0] == "Selected"
    for name in ("use", "used_books", "rating"):
        assert meta.missing_ranges[name] == [{"lo": -1.0, "hi": -1.0}, {"lo": -2.0, "hi": -2.0}]
    first, second = frame.to_dict("records")
    assert (first["use"], first["used_books"], first["used_computers"], first["used_other"],
            first["rating"]) == (1, 1, 0, 1, 8)
    assert first["used_other_2"] == "Films"
    assert first["improve"] == "Call me on 07700 900123"  # analysts see text as written
    assert first["email"] == "ruma@example.com"
    # The second resident said no: routed past the list and the rating (not asked).
    assert (second["use"], second["used_books"], second["rating"]) == (2, -2, -2)
    assert second["improve"] == "" and second["email"] == ""
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "export.responses_sav")).one()
    assert event.detail["rows"] == 2 and event.detail["redacted"] is False


def test_sav_redacts_for_engagement_officers(client: FlaskClient, answered: None) -> None:
    frame, _meta = _download(client, "engagement_officer")
    first = frame.to_dict("records")[0]
    assert "07700" not in first["improve"] and "[PHONE]" in first["improve"]
    assert first["email"] == "[EMAIL]"


def test_sav_follows_the_results_policy_and_roles(client: FlaskClient, app: Flask,
                                                  answered: None) -> None:
    survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
    survey.results_roles = ["analyst"]
    db.session.commit()
    make_user(role="engagement_officer")
    sign_in(client, "officer@example.org")
    token = check_page(client.get("/staff/surveys")).select_one(
        "input[name=csrf_token]")["value"]
    assert client.post(f"/staff/surveys/{SLUG}/responses.sav",
                       data={"csrf_token": token}).status_code == 403
    other = app.test_client()
    make_user("viewer@example.org", role="partner_viewer")
    sign_in(other, "viewer@example.org")
    token = check_page(other.get("/staff/")).select_one("input[name=csrf_token]")["value"]
    assert other.post(f"/staff/surveys/{SLUG}/responses.sav",
                      data={"csrf_token": token}).status_code == 403
    assert not db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "export.responses_sav")).all()


def test_sav_is_audited_once_through_a_briefly_locked_database(
        monkeypatch: pytest.MonkeyPatch, answered: None) -> None:
    """The export's audit row is one retrying transaction (issue 20)."""
    from engage.services.report.export_spss import responses_sav

    analyst = make_user(role="analyst")
    failed = locked_once(monkeypatch)
    made = responses_sav(SLUG, analyst, "192.0.2.1")
    assert b"".join(made.chunks).startswith(b"$FL")
    assert failed == [1]
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "export.responses_sav")).one()
    assert event.detail["rows"] == 2
