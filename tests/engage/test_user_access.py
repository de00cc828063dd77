"""S18 role changes: administrators change a staff account's role or access; one audit row each;
the account's open sessions end at once; nobody else may, and not without a CSRF token."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.extensions import db
from engage.models import AuditEvent, User
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in


def _audit(*actions: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action.in_(actions))))


def _admin(client: FlaskClient) -> User:
    admin = make_user(email="root@example.org", role="admin")
    assert sign_in(client, "root@example.org").status_code == 303
    return admin


def test_admin_changes_a_role_and_the_old_session_ends(app: Flask, client: FlaskClient) -> None:
    admin = _admin(client)
    target = make_user(email="worker@example.org", role="analyst")
    theirs = app.test_client()
    assert sign_in(theirs, "worker@example.org").status_code == 303
    assert theirs.get("/staff/").status_code == 200

    listing = check_page(client.get("/staff/users"))
    assert "worker@example.org" in listing.get_text()
    page = f"/staff/users/{target.id}"
    soup = check_page(client.get(page))
    assert soup.select_one("input[name=role][value=analyst]").has_attr("checked")
    response = client.post(page, data={"csrf_token": csrf_token(client, page),
                                       "role": "moderator", "active": "yes"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(User, target.id).role == "moderator"
    events = _audit("user.role_change", "user.access_change")
    assert len(events) == 1
    assert events[0].actor_id == admin.id and events[0].object_id == str(target.id)
    assert events[0].detail["before"]["role"] == "analyst"
    assert theirs.get("/staff/").status_code == 302  # signed out by the change

    # Saving again without a change writes nothing.
    client.post(page, data={"csrf_token": csrf_token(client, page),
                            "role": "moderator", "active": "yes"})
    assert len(_audit("user.role_change", "user.access_change")) == 1


def test_admin_stops_someone_signing_in(app: Flask, client: FlaskClient) -> None:
    _admin(client)
    target = make_user(email="leaver@example.org", role="analyst")
    page = f"/staff/users/{target.id}"
    client.post(page, data={"csrf_token": csrf_token(client, page),
                            "role": "analyst", "active": "no"})
    events = _audit("user.role_change", "user.access_change")
    assert [e.action for e in events] == ["user.access_change"]
    other = app.test_client()
    assert sign_in(other, "leaver@example.org").status_code != 303


def test_admin_cannot_lock_themselves_out(app: Flask, client: FlaskClient) -> None:
    admin = _admin(client)
    page = f"/staff/users/{admin.id}"
    response = client.post(page, data={"csrf_token": csrf_token(client, page),
                                       "role": "analyst", "active": "yes"})
    soup = check_page(response, 400)
    assert error_summary(soup) == [
        "You cannot change your own role or stop yourself signing in"]
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == "admin"
    assert _audit("user.role_change", "user.access_change") == []


def test_missing_choices_get_govuk_messages(app: Flask, client: FlaskClient) -> None:
    _admin(client)
    target = make_user(email="worker@example.org", role="analyst")
    page = f"/staff/users/{target.id}"
    soup = check_page(client.post(page, data={"csrf_token": csrf_token(client, page)}), 400)
    assert error_summary(soup) == ["Select a role", "Select yes if this person may sign in"]
    assert client.get("/staff/users/99999").status_code == 404


@pytest.mark.parametrize("role", ["engagement_officer", "analyst", "moderator"])
def test_only_admins_may_change_accounts(app: Flask, client: FlaskClient, role: str) -> None:
    make_user(email="someone@example.org", role=role)
    target = make_user(email="worker@example.org", role="analyst")
    sign_in(client, "someone@example.org")
    assert client.get("/staff/users").status_code == 403
    token = csrf_token(client, "/ask-the-mayor")
    response = client.post(f"/staff/users/{target.id}",
                           data={"csrf_token": token, "role": "admin", "active": "yes"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(User, target.id).role == "analyst"


def test_a_change_needs_a_csrf_token(app: Flask, client: FlaskClient) -> None:
    _admin(client)
    target = make_user(email="worker@example.org", role="analyst")
    response = client.post(f"/staff/users/{target.id}", data={"role": "admin", "active": "yes"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, target.id).role == "analyst"
