"""Staff survey list and CSV exports: roles, audit with row counts, labels, neutralised cells."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from engage.extensions import db
from engage.models import AuditEvent
from engage.services.collect import responses
from engage.services.collect.published_surveys import publish_definition, published_survey
from engage.services.report.exports import FORMULA_START, safe_cell
from tests.engage.test_runner import DEFINITION, SLUG
from tests.locks import locked_once
from tests.pages import check_page, make_user, sign_in


@pytest.fixture
def answered(app: Flask) -> Any:
    publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="1 year")
    survey = published_survey(SLUG)
    texts = ["Open on Sundays", "=HYPERLINK(\"http://evil\")", "+44 20 7946 0000", "@SUM(A1)"]
    for text in texts:
        rid = responses.start_response(survey, "en")
        responses.save_page(rid, "use", {"use": "no"}, "en")
        responses.save_page(rid, "improve", {"improve": text}, "en")
        responses.submit(rid, survey)
    responses.start_response(survey, "en")  # one unsent
    return texts


def _staff(client: FlaskClient, role: str) -> str:
    make_user(role=role)
    sign_in(client, "officer@example.org")
    soup = check_page(client.get("/staff/surveys"))
    return str(soup.select_one("form input[name=csrf_token]")["value"])


@pytest.mark.parametrize("role", ["engagement_officer", "analyst", "admin"])
def test_survey_list_shows_counts(client: FlaskClient, answered: Any, role: str) -> None:
    _staff(client, role)
    soup = check_page(client.get("/staff/surveys"))
    text = soup.get_text(" ", strip=True)
    assert "Library survey" in text
    assert "Responses sent 4" in text and "Started, not sent 1" in text
    assert "Online: 4" in text


@pytest.mark.parametrize("role", ["moderator", "group_member"])
def test_other_roles_cannot_see_or_export(client: FlaskClient, answered: Any, role: str) -> None:
    make_user(role=role)
    sign_in(client, "officer@example.org")
    assert client.get("/staff/surveys").status_code == 403
    soup = check_page(client.get("/staff/"))
    token = soup.select_one("input[name=csrf_token]")["value"]
    response = client.post(f"/staff/surveys/{SLUG}/responses.csv", data={"csrf_token": token})
    assert response.status_code == 403
    assert not db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.like("export.%"))).all()


def test_responses_csv(client: FlaskClient, answered: list[str]) -> None:
    token = _staff(client, "analyst")
    response = client.post(f"/staff/surveys/{SLUG}/responses.csv", data={"csrf_token": token})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{SLUG}-responses.csv"')
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 4
    improve = "What would improve the library?"
    assert [r[improve] for r in rows] == [
        "Open on Sundays", "'=HYPERLINK(\"http://evil\")", "'+44 20 7946 0000", "'@SUM(A1)"]
    assert {r["Do you use the library?"] for r in rows} == {"No"}  # labels, not ids
    assert all(r["channel"] == "online" and r["reference"] for r in rows)
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "export.responses_csv")).all()
    assert len(events) == 1 and events[0].detail["rows"] == 4


def test_codebook_csv(client: FlaskClient, answered: Any) -> None:
    token = _staff(client, "engagement_officer")
    response = client.post(f"/staff/surveys/{SLUG}/codebook.csv", data={"csrf_token": token})
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    columns = [r["column"] for r in rows]
    assert columns[:5] == ["reference", "submitted_at", "survey_version", "channel", "language"]
    assert "How many times a month do you go?" in columns
    often = next(r for r in rows if r["question_id"] == "often")
    assert "use" in often["asked_when"] or "use" in next(
        r for r in rows if r["question_id"] == "use")["routing_after_page"]


def test_export_of_unknown_survey_is_404(client: FlaskClient, answered: Any) -> None:
    token = _staff(client, "analyst")
    assert client.post("/staff/surveys/nope/responses.csv",
                       data={"csrf_token": token}).status_code == 404


@given(st.text(max_size=30))
def test_no_exported_cell_can_start_a_formula(value: str) -> None:
    assert not safe_cell(value).startswith(FORMULA_START)
    assert safe_cell(value).lstrip("'") == value.lstrip("'") or safe_cell(value) == value


@pytest.mark.parametrize("what", ["responses_csv", "codebook_csv"])
def test_an_export_is_audited_once_through_a_briefly_locked_database(
        monkeypatch: pytest.MonkeyPatch, answered: Any, what: str) -> None:
    """The export's audit row is one retrying transaction (issue 20): a lock that clears is
    waited out, the file is made and the export audited once."""
    from engage.services.report import exports

    analyst = make_user(role="analyst")
    failed = locked_once(monkeypatch)
    made = getattr(exports, what)(SLUG, analyst, "192.0.2.1")
    assert "".join(made.chunks).startswith("\ufeff")
    assert failed == [1]
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == f"export.{what}")).all()
    assert len(events) == 1
