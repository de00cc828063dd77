"""Issue 19: administrators invite staff by email (single-use, expiring links of which only a
hash is kept; resend, withdraw), invited people set their own password; deactivate and
reactivate; every change audited. Runs on SQLite and, with TEST_DATABASE_URL, PostgreSQL."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from engage.extensions import db
from engage.models import AccountToken, AuditEvent, User
from engage.models._types import utcnow
from engage.services.platform import invitations
from engage.services.platform.accounts import AccountError
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in
from tests.smtp_server import SmtpServer

NEW_PASSWORD = "paper lanterns over brick lane"


def _audit(*actions: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action.in_(actions))
                                   .order_by(AuditEvent.id)))


def _admin(client: FlaskClient) -> User:
    admin = make_user(email="root@example.org", role="admin")
    admin.name = "Rima Admin"
    db.session.commit()
    assert sign_in(client, "root@example.org").status_code == 303
    return admin


def _link(message: object) -> str:
    body = message.get_payload(decode=True).decode()  # type: ignore[attr-defined]
    found = re.search(r"http://localhost(/auth/\S+)", body)
    assert found, body
    return found.group(1)


def _invite(client: FlaskClient, smtp: SmtpServer, email: str = "new.officer@example.org",
            role: str = "partner_viewer", organisation: str = "Tower Hamlets Homes"):
    page = "/staff/users/invite"
    return client.post(page, data={"csrf_token": csrf_token(client, page), "email": email,
                                   "name": "New Officer", "role": role,
                                   "organisation": organisation})


@pytest.fixture
def smtp(app: Flask):  # type: ignore[no-untyped-def]
    with SmtpServer() as running:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=running.port)
        yield running


def test_invitation_journey_set_password_then_sign_in(app: Flask, client: FlaskClient,
                                                      smtp: SmtpServer) -> None:
    admin = _admin(client)
    soup = check_page(client.get("/staff/users/invite"))
    assert soup.find("h1").get_text(strip=True) == "Invite someone"
    response = _invite(client, smtp)
    assert response.status_code == 303
    user = db.session.scalar(select(User).where(User.email == "new.officer@example.org"))
    assert user.role == "partner_viewer" and user.organisation == "Tower Hamlets Homes"
    assert user.invitation_pending and user.password_hash == ""
    listing = check_page(client.get("/staff/users"))
    assert "An invitation has been sent to new.officer@example.org" in listing.get_text()
    assert "Invited" in listing.get_text()

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "new.officer@example.org"
    assert "Rima Admin has invited you" in message.get_payload(decode=True).decode()
    path = _link(message)
    raw = path.rsplit("/", 1)[1]
    stored = db.session.scalar(select(AccountToken.token_hash))
    assert stored == hashlib.sha256(raw.encode()).hexdigest() and raw not in stored
    events = _audit("user.invite")
    assert len(events) == 1 and events[0].actor_id == admin.id
    assert events[0].detail == {"role": "partner_viewer", "organisation": "Tower Hamlets Homes"}

    # The invited account cannot sign in with any password before setting one.
    other = app.test_client()
    assert sign_in(other, "new.officer@example.org", "").status_code == 200
    soup = check_page(other.get(path))
    assert soup.find("h1").get_text(strip=True) == "Set your password"
    assert other.get(path).headers["Cache-Control"] == "no-store"
    bad = other.post(path, data={"csrf_token": csrf_token(other, path),
                                 "password": "short", "password_confirm": "short"})
    assert error_summary(check_page(bad, 400)) == ["Your password must be 12 characters or more"]
    differ = other.post(path, data={"csrf_token": csrf_token(other, path),
                                    "password": NEW_PASSWORD,
                                    "password_confirm": NEW_PASSWORD + "x"})
    assert error_summary(check_page(differ, 400)) == [
        "The passwords do not match. Enter the same password twice"]
    done = other.post(path, data={"csrf_token": csrf_token(other, path),
                                  "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert done.status_code == 303 and done.headers["Location"].endswith("/auth/sign-in")
    assert len(_audit("user.invite_accepted")) == 1
    # Single use: the link is dead now.
    soup = check_page(other.get(path), 404)
    assert "expired or has already been used" in soup.find("h1").get_text()
    assert sign_in(other, "new.officer@example.org", NEW_PASSWORD).status_code == 303
    assert other.get("/staff/").status_code == 200
    db.session.expire_all()
    assert not db.session.get(User, user.id).invitation_pending


def test_resend_replaces_the_link_and_revoke_kills_it(app: Flask, client: FlaskClient,
                                                      smtp: SmtpServer) -> None:
    _admin(client)
    _invite(client, smtp)
    user = db.session.scalar(select(User).where(User.email == "new.officer@example.org"))
    first = _link(smtp.messages[0])
    token = csrf_token(client, "/staff/users")
    assert client.post(f"/staff/users/{user.id}/invitation/resend",
                       data={"csrf_token": token}).status_code == 303
    assert len(smtp.messages) == 2
    second = _link(smtp.messages[1])
    assert first != second
    visitor = app.test_client()
    assert visitor.get(first).status_code == 404
    assert visitor.get(second).status_code == 200

    page = f"/staff/users/{user.id}/invitation/revoke"
    soup = check_page(client.get(page))
    assert "Withdraw the invitation" in soup.find("h1").get_text()
    assert client.post(page, data={"csrf_token": csrf_token(client, page)}).status_code == 303
    assert visitor.get(second).status_code == 404
    db.session.expire_all()
    assert not db.session.get(User, user.id).active
    assert [e.action for e in _audit("user.invite", "user.invite_resend", "user.invite_revoke")] \
        == ["user.invite", "user.invite_resend", "user.invite_revoke"]
    assert "Invitation withdrawn" in check_page(client.get("/staff/users")).get_text()
    # Sending it again after withdrawing lets them in again.
    client.post(f"/staff/users/{user.id}/invitation/resend",
                data={"csrf_token": csrf_token(client, "/staff/users")})
    assert visitor.get(_link(smtp.messages[2])).status_code == 200


def test_links_expire(app: Flask, client: FlaskClient, smtp: SmtpServer) -> None:
    _admin(client)
    _invite(client, smtp)
    path = _link(smtp.messages[0])
    db.session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert app.test_client().get(path).status_code == 404


def test_invite_form_errors_keep_what_was_typed(app: Flask, client: FlaskClient,
                                                smtp: SmtpServer) -> None:
    _admin(client)
    page = "/staff/users/invite"
    response = client.post(page, data={"csrf_token": csrf_token(client, page),
                                       "email": "not-an-email", "name": "Sam"})
    soup = check_page(response, 400)
    assert error_summary(soup) == [
        "Enter an email address in the correct format, like name@example.com", "Select a role"]
    assert soup.select_one("input[name=email]")["value"] == "not-an-email"
    taken = _invite(client, smtp, email="ROOT@example.org", role="analyst")
    assert error_summary(check_page(taken, 400)) == [
        "There is already an account with this email address"]
    assert smtp.messages == [] and _audit("user.invite") == []


@pytest.mark.parametrize("role", ["engagement_officer", "analyst", "partner_viewer"])
def test_only_admins_invite(app: Flask, client: FlaskClient, role: str) -> None:
    make_user(email="someone@example.org", role=role)
    sign_in(client, "someone@example.org")
    assert client.get("/staff/users/invite").status_code == 403
    token = csrf_token(client, "/ask-the-mayor")
    response = client.post("/staff/users/invite", data={
        "csrf_token": token, "email": "x@example.org", "role": "admin"})
    assert response.status_code == 403
    assert db.session.scalar(select(User).where(User.email == "x@example.org")) is None


def test_invitation_needs_a_csrf_token(app: Flask, client: FlaskClient) -> None:
    _admin(client)
    response = client.post("/staff/users/invite", data={"email": "x@example.org",
                                                        "role": "admin"})
    assert response.status_code == 400


def test_service_refuses_bad_roles_and_second_use(app: Flask) -> None:
    admin = make_user(email="root@example.org", role="admin")
    with pytest.raises(AccountError):
        invitations.invite(admin, "a@example.org", "emperor")
    with pytest.raises(AccountError):
        invitations.invite(admin, "no-at-sign", "analyst")
    user, _sent = invitations.invite(admin, "a@example.org", "analyst")
    row = db.session.scalar(select(AccountToken).where(AccountToken.user_id == user.id))
    # A token is only usable through its raw value; the hash itself is not a token.
    assert invitations.user_for_token(invitations.INVITE, row.token_hash) is None
    assert invitations.user_for_token(invitations.RESET, "") is None
    with pytest.raises(AccountError):
        invitations.resend(admin, admin)


def test_deactivate_and_reactivate_end_sessions_and_are_audited(
        app: Flask, client: FlaskClient) -> None:
    _admin(client)
    target = make_user(email="worker@example.org", role="analyst")
    theirs = app.test_client()
    sign_in(theirs, "worker@example.org")
    page = f"/staff/users/{target.id}"
    client.post(page, data={"csrf_token": csrf_token(client, page), "role": "analyst",
                            "active": "no"})
    assert theirs.get("/staff/").status_code == 302
    assert sign_in(theirs, "worker@example.org").status_code == 200
    client.post(page, data={"csrf_token": csrf_token(client, page), "role": "analyst",
                            "active": "yes"})
    assert sign_in(theirs, "worker@example.org").status_code == 303
    events = _audit("user.access_change")
    assert [e.detail["after"]["active"] for e in events] == [False, True]


def test_a_locked_database_never_echoes_the_new_password(app: Flask, client: FlaskClient,
                                                         smtp: SmtpServer) -> None:
    """The 503 page keeps typed fields, but never passwords (both fields' names say so)."""
    from tests.engage.lock_helpers import write_lock

    _admin(client)
    _invite(client, smtp)
    path = _link(smtp.messages[0])
    other = app.test_client()
    token = csrf_token(other, path)
    with write_lock("account_tokens", "users", "audit_events"):
        response = other.post(path, data={"csrf_token": token, "password": NEW_PASSWORD,
                                          "password_confirm": NEW_PASSWORD})
    assert response.status_code == 503
    assert "lanterns" not in response.get_data(as_text=True)
    assert other.get(path).status_code == 200  # the link still works after the lock


def test_invitation_days_sets_the_links_life(app: Flask, client: FlaskClient,
                                             smtp: SmtpServer) -> None:
    """INVITATION_DAYS is read where an invitation is made."""
    app.config["INVITATION_DAYS"] = 2
    _admin(client)
    _invite(client, smtp)
    token = db.session.scalars(select(AccountToken)).one()
    lifetime = token.expires_at - token.created_at
    assert timedelta(days=1, hours=23) < lifetime <= timedelta(days=2, minutes=1)
