"""The partner API: tokens (admin-only, hashed, scoped, revocable, audited), redacted paged
responses, results and themes, rate limits, and the OpenAPI description validated against."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from sqlalchemy import event, select

from engage.extensions import db
from engage.models import ApiToken, AuditEvent
from engage.services.platform import api_tokens
from engage.services.platform.accounts import create_user
from tests.engage.test_insight_exports import EVIL, SLUG, answered  # noqa: F401
from tests.locks import locked_once
from tests.pages import check_page, error_summary, make_user, sign_in


def _admin_token(client: FlaskClient) -> str:
    make_user(role="admin")
    sign_in(client, "officer@example.org")
    soup = check_page(client.get("/staff/api-tokens"))
    return str(soup.select_one("input[name=csrf_token]")["value"])


def _secret(app: Flask, slugs: list[str] | None = None) -> str:
    admin = create_user("keys@example.org", "admin", "a-long-test-password-for-staff")
    return api_tokens.create_token("Health dashboard", slugs or [SLUG], admin).secret


def _validator(client: FlaskClient, schema: str) -> Draft202012Validator:
    spec = client.get("/api/v1/openapi.json").get_json()
    return Draft202012Validator({"$ref": f"#/components/schemas/{schema}",
                                 "components": spec["components"]})


def test_admin_creates_lists_and_revokes_a_token(client: FlaskClient,
                                                 answered: list[str]) -> None:  # noqa: F811
    csrf = _admin_token(client)
    response = client.post("/staff/api-tokens", data={
        "csrf_token": csrf, "name": "Health dashboard", "surveys": [SLUG]})
    soup = check_page(response)
    assert response.headers["Cache-Control"] == "no-store"
    secret = soup.select_one("code").get_text(strip=True)
    assert secret.startswith("eng_")
    token = db.session.scalars(select(ApiToken)).one()
    assert secret not in (token.token_hash, token.prefix) and len(token.token_hash) == 64
    assert [s.slug for s in token.surveys] == [SLUG]
    listing = check_page(client.get("/staff/api-tokens")).get_text(" ", strip=True)
    assert "Health dashboard" in listing and secret not in listing
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"/api/v1/surveys/{SLUG}/results", headers=headers).status_code == 200
    response = client.post(f"/staff/api-tokens/{token.id}/revoke", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert client.get(f"/api/v1/surveys/{SLUG}/results", headers=headers).status_code == 401
    actions = [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.like("api%")).order_by(AuditEvent.id))]
    assert actions == ["api_token.create", "api.results", "api_token.revoke"]


def test_token_form_errors(client: FlaskClient, answered: list[str]) -> None:  # noqa: F811
    csrf = _admin_token(client)
    response = client.post("/staff/api-tokens", data={"csrf_token": csrf, "name": ""})
    soup = check_page(response, status=400)
    assert error_summary(soup) == ["Enter a name for the token", "Select at least one survey"]


@pytest.mark.parametrize("role", ["engagement_officer", "analyst", "partner_viewer"])
def test_only_admins_manage_tokens(client: FlaskClient, app: Flask, role: str) -> None:
    make_user(role=role)
    sign_in(client, "officer@example.org")
    assert client.get("/staff/api-tokens").status_code == 403
    csrf = check_page(client.get("/staff/")).select_one("input[name=csrf_token]")["value"]
    assert client.post("/staff/api-tokens/1/revoke", data={"csrf_token": csrf}).status_code == 403


def test_responses_are_paged_redacted_and_match_the_spec(client: FlaskClient, app: Flask,
                                                         answered: list[str]) -> None:  # noqa: F811
    headers = {"Authorization": f"Bearer {_secret(app)}"}
    first = client.get(f"/api/v1/surveys/{SLUG}/responses?per_page=5", headers=headers)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    body = first.get_json()
    _validator(client, "ResponsePage").validate(body)
    assert body["total"] == len(answered) and body["pages"] == 3 and len(body["items"]) == 5
    everything: list[dict[str, Any]] = []
    for page in (1, 2, 3):
        everything += client.get(f"/api/v1/surveys/{SLUG}/responses?per_page=5&page={page}",
                                 headers=headers).get_json()["items"]
    texts = [r["answers"].get("improve") for r in everything]
    assert len(texts) == len(answered)
    assert "jo.bloggs@example.com" not in str(texts) and "[EMAIL]" in texts[6]
    assert texts[0] == EVIL[0]  # JSON carries text as data: no spreadsheet quoting needed
    assert client.get(f"/api/v1/surveys/{SLUG}/responses?page=x",
                      headers=headers).status_code == 400
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "api.responses").order_by(AuditEvent.id)).first()
    assert event.detail["rows"] == 5 and event.actor_label.startswith("api-token:eng_")


def test_responses_are_paged_by_cursor_from_first_to_last_page(
        client: FlaskClient, app: Flask, answered: list[str]) -> None:  # noqa: F811
    headers = {"Authorization": f"Bearer {_secret(app)}"}
    url = f"/api/v1/surveys/{SLUG}/responses"
    by_number = []
    for page in (1, 2, 3):
        by_number += client.get(f"{url}?per_page=5&page={page}", headers=headers).get_json()[
            "items"]
    statements: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "FROM responses" in statement and "ORDER BY responses.id" in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        bodies = []
        body = client.get(f"{url}?per_page=5", headers=headers).get_json()
        bodies.append(body)
        while body["next_cursor"]:
            response = client.get(f"{url}?per_page=5&after={body['next_cursor']}",
                                  headers=headers)
            assert response.status_code == 200
            body = response.get_json()
            bodies.append(body)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    validator = _validator(client, "ResponsePage")
    for body in bodies:
        validator.validate(body)
    assert [b["page"] for b in bodies] == [1, 2, 3]
    assert [len(b["items"]) for b in bodies] == [5, 5, len(answered) - 10]
    assert [r["reference"] for b in bodies for r in b["items"]] == \
        [r["reference"] for r in by_number]
    assert bodies[-1]["next_cursor"] is None  # the last page says so
    # Pages after the first were found by key (after the last response shown).
    assert len(statements) == 3 and "responses.id >" not in statements[0]
    assert all("responses.id >" in s for s in statements[1:])
    # A page number past the end: no items and no cursor, as before.
    late = client.get(f"{url}?per_page=5&page=9", headers=headers).get_json()
    assert late["items"] == [] and late["next_cursor"] is None


@pytest.mark.parametrize("after", ["x", "", "MQ", "bm90LmEuY3Vyc29y", "%FF", "MC4w",
                                   "OTk5OTk5OTk5OTkuMQ", "1.5"])
def test_a_bad_cursor_is_a_400_with_a_clear_message(
        client: FlaskClient, app: Flask, answered: list[str], after: str) -> None:  # noqa: F811
    headers = {"Authorization": f"Bearer {_secret(app)}"}
    response = client.get(f"/api/v1/surveys/{SLUG}/responses?after={after}", headers=headers)
    assert response.status_code == 400
    assert response.get_json() == {"error": "after must be a next_cursor from this API. Start "
                                             "again without after to get the first page."}
    _validator(client, "Error").validate(response.get_json())


def test_results_and_themes_match_the_spec(client: FlaskClient, app: Flask,
                                           answered: list[str]) -> None:  # noqa: F811
    headers = {"Authorization": f"Bearer {_secret(app)}"}
    results = client.get(f"/api/v1/surveys/{SLUG}/results", headers=headers).get_json()
    _validator(client, "Results").validate(results)
    use = next(q for q in results["questions"] if q["question_id"] == "use")
    assert use["base"] == len(answered)
    assert all(a["respondents"] is None and a["suppressed"] for a in use["answers"])
    themes = client.get(f"/api/v1/surveys/{SLUG}/themes", headers=headers).get_json()
    _validator(client, "Themes").validate(themes)
    assert themes == {"survey": SLUG, "themes": [], "codes": []}


def test_api_refuses_missing_wrong_and_out_of_scope_tokens(client: FlaskClient, app: Flask,
                                                           answered: list[str]) -> None:  # noqa: F811
    url = f"/api/v1/surveys/{SLUG}/responses"
    assert client.get(url).status_code == 401
    assert client.get(url).headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get(url, headers={"Authorization": "Bearer eng_wrong"}).status_code == 401
    secret = _secret(app)
    assert client.get("/api/v1/surveys/other/responses",
                      headers={"Authorization": f"Bearer {secret}"}).status_code == 404
    assert not db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.like("api.%"))).all()


def test_api_is_rate_limited_per_token(app: Flask, client: FlaskClient,
                                       answered: list[str]) -> None:  # noqa: F811
    app.config["API_RATE_LIMIT"] = "3 per minute"
    headers = {"Authorization": f"Bearer {_secret(app)}"}
    codes = [client.get(f"/api/v1/surveys/{SLUG}/themes", headers=headers).status_code
             for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_openapi_description_is_valid_3_1(client: FlaskClient, app: Flask) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    assert {"/surveys/{slug}/responses", "/surveys/{slug}/results", "/surveys/{slug}/themes",
            "/consultations", "/plan"} <= set(spec["paths"])  # every route is described: below
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    api_rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")}
    described = {"/api/v1" + p.replace("{slug}", "<slug>") for p in spec["paths"]}
    assert api_rules == described | {"/api/v1/openapi.json"}


def test_an_api_read_is_audited_once_through_a_briefly_locked_database(
        app: Flask, monkeypatch: pytest.MonkeyPatch, answered: list[str]) -> None:  # noqa: F811
    """The read's audit row and last-used time are one retrying transaction (issue 20)."""
    token = api_tokens.authenticate(_secret(app))
    assert token is not None and token.last_used_at is None
    failed = locked_once(monkeypatch)
    api_tokens.record_read(token, "responses", SLUG, 5, "192.0.2.1")
    assert failed == [1]
    db.session.expire_all()
    events = db.session.scalars(select(AuditEvent)
                                .where(AuditEvent.action == "api.responses")).all()
    assert [e.detail["rows"] for e in events] == [5]
    stored = db.session.get(ApiToken, token.id)
    assert stored is not None and stored.last_used_at is not None
