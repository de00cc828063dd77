"""Issue 19: administrators choose which roles must use two-step verification (administrators
by default). Someone of such a role without it is sent to set it up after signing in and can
do nothing else until they have; they cannot turn it off; every change of the rules audited."""

from __future__ import annotations

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.extensions import db
from engage.models import AuditEvent, User
from engage.services.platform import settings
from engage.services.platform import two_step as totp
from tests.engage.test_two_step import _code, _turn_on
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in


@pytest.fixture
def default_rules(app: Flask) -> Flask:
    """The production default: administrators must use two-step verification."""
    app.config["TWO_STEP_DEFAULT_ROLES"] = ("admin",)
    return app


def _set_up_through_the_pages(client: FlaskClient, user: User) -> str:
    client.post("/staff/two-step/start",
                data={"csrf_token": csrf_token(client, "/staff/two-step")})
    from engage.blueprints.auth.routes import SESSION_TOKEN_KEY

    with client.session_transaction() as browser:
        token = browser[SESSION_TOKEN_KEY]
    secret = totp.pending_secret(token, user)
    assert secret is not None
    page = "/staff/two-step/set-up"
    response = client.post(page, data={"csrf_token": csrf_token(client, page),
                                       "code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200  # the recovery codes page
    return secret


def test_an_admin_without_two_step_is_sent_to_set_it_up(default_rules: Flask,
                                                        client: FlaskClient) -> None:
    admin = make_user(email="root@example.org", role="admin")
    assert sign_in(client, "root@example.org").status_code == 303
    for path in ("/staff/", "/staff/users", "/staff/surveys", "/staff/two-step/turn-off"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["Location"] == "/staff/two-step"
    # A POST elsewhere is refused the same way and changes nothing.
    other = make_user(email="worker@example.org", role="analyst")
    response = client.post(f"/staff/users/{other.id}", data={
        "csrf_token": csrf_token(client, "/staff/two-step"), "role": "admin", "active": "yes"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(User, other.id).role == "analyst"
    soup = check_page(client.get("/staff/two-step"))
    text = soup.get_text(" ", strip=True)
    assert "Your role must use two-step verification. Set it up to continue." in text
    assert "everyone with your role must use two-step verification" in text
    _set_up_through_the_pages(client, admin)
    assert client.get("/staff/users").status_code == 200
    # Required: it cannot be turned off.
    assert client.get("/staff/two-step/turn-off").headers["Location"] == "/staff/two-step"
    assert "Turn off two-step verification" not in check_page(client.get("/staff/two-step")) \
        .get_text()


def test_other_roles_are_not_asked_by_default(default_rules: Flask, client: FlaskClient) -> None:
    make_user(email="officer@example.org", role="engagement_officer")
    sign_in(client, "officer@example.org")
    assert client.get("/staff/").status_code == 200


def test_admin_chooses_the_roles_and_each_change_is_audited(default_rules: Flask,
                                                            client: FlaskClient) -> None:
    admin = make_user(email="root@example.org", role="admin")
    _turn_on(admin)
    secret = db.session.get(User, admin.id).totp_secret
    assert sign_in(client, "root@example.org").headers["Location"] == "/auth/two-step"
    client.post("/auth/two-step", data={"csrf_token": csrf_token(client, "/auth/two-step"),
                                        "code": _code(secret)})
    page = "/staff/users/two-step-rules"
    soup = check_page(client.get(page))
    ticked = [box["value"] for box in soup.select("input[name=roles][checked]")]
    assert ticked == ["admin"]
    response = client.post(page, data={"csrf_token": csrf_token(client, page),
                                       "roles": ["admin", "analyst"]})
    assert response.status_code == 303
    assert settings.two_step_roles() == ["admin", "analyst"]
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "settings.change")))
    assert [(e.object_id, e.detail) for e in events] == [
        ("two_step.required.analyst", {"from": False, "to": True})]
    listing = check_page(client.get("/staff/users")).get_text(" ", strip=True)
    assert "Roles that must use two-step verification: Administrator, Analyst." in listing

    make_user(email="analyst@example.org", role="analyst")
    theirs = client.application.test_client()
    sign_in(theirs, "analyst@example.org")
    assert theirs.get("/staff/").headers["Location"] == "/staff/two-step"

    bad = client.post(page, data={"csrf_token": csrf_token(client, page), "roles": ["emperor"]})
    assert error_summary(check_page(bad, 400))
    assert settings.two_step_roles() == ["admin", "analyst"]


@pytest.mark.parametrize("role", ["engagement_officer", "analyst"])
def test_only_admins_change_the_rules(app: Flask, client: FlaskClient, role: str) -> None:
    make_user(email="someone@example.org", role=role)
    sign_in(client, "someone@example.org")
    assert client.get("/staff/users/two-step-rules").status_code == 403
    response = client.post("/staff/users/two-step-rules", data={
        "csrf_token": csrf_token(client, "/ask-the-mayor"), "roles": []})
    assert response.status_code == 403


def test_the_demo_says_the_admin_must_set_it_up(default_rules: Flask) -> None:
    """`flask demo` prints this after the accounts (the whole demo takes minutes to load, so
    the note is tested on its own; the demo admin is an admin like the one above)."""
    from engage.cli import two_step_note

    assert two_step_note().startswith(
        "Two-step verification is required for: admin. The demo administrator is asked to set "
        "it up")
    default_rules.config["TWO_STEP_DEFAULT_ROLES"] = ()
    assert two_step_note() == ""
