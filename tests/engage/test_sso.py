"""Issue 19: single sign-on with OpenID Connect against a real provider the test starts on
127.0.0.1 (tests/oidc_provider.py): matched by verified email to an invited or active account,
no self-sign-up, roles and two-step verification stay in Engage; a wrong issuer, a bad
signature, a replayed state, an unverified email and an unknown person are each refused with a
clear message and audited."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.extensions import db
from engage.models import AuditEvent, User
from engage.services.platform import invitations
from tests.oidc_provider import Person, Provider
from tests.pages import check_page, csrf_token, make_user


@pytest.fixture
def idp(app: Flask) -> Iterator[Provider]:
    with Provider() as provider:
        app.config.update(provider.settings())
        yield provider


def _to_provider(client: FlaskClient) -> str:
    """Press the button: Engage sends the browser to the provider's authorization endpoint."""
    soup = check_page(client.get("/auth/sign-in"))
    button = soup.find("button", string="Sign in with Test Council ID")
    assert button is not None
    response = client.post("/auth/sso", data={"csrf_token": csrf_token(client, "/auth/sign-in")})
    assert response.status_code == 302
    return str(response.headers["Location"])


def _callback(client: FlaskClient, idp: Provider) -> str:
    """Follow the provider's redirect back; return the callback path and query."""
    location = _to_provider(client)
    assert location.startswith(idp.issuer + "/authorize?")
    answer = requests.get(location, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    assert back.path == "/auth/sso/callback"
    return f"{back.path}?{back.query}"


def _refusals() -> list[str]:
    return [e.detail["reason"] for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "auth.sso_refused").order_by(AuditEvent.id))]


def test_signs_in_an_active_account_by_verified_email(app: Flask, client: FlaskClient,
                                                      idp: Provider) -> None:
    user = make_user(email="officer@example.org", role="analyst")
    idp.person = Person("Officer@Example.org")
    response = client.get(_callback(client, idp))
    assert response.status_code == 303 and response.headers["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    login = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login"))
    assert login.actor_id == user.id and login.detail == {"second_step": "sso"}
    db.session.expire_all()
    assert db.session.get(User, user.id).role == "analyst"  # roles stay in Engage


def test_replayed_state_is_refused_and_audited(app: Flask, client: FlaskClient,
                                               idp: Provider) -> None:
    make_user(email="officer@example.org")
    idp.person = Person("officer@example.org")
    path = _callback(client, idp)
    assert client.get(path).status_code == 303
    replay = check_page(client.get(path), 403)
    assert "already been used or has expired" in replay.get_text()
    # Another browser replaying the same callback is refused too.
    assert check_page(app.test_client().get(path), 403)
    assert _refusals() == ["state", "state"]
    assert idp.tokens_issued == 1  # the code was never sent again


def test_wrong_issuer_is_refused(app: Flask, client: FlaskClient, idp: Provider) -> None:
    make_user(email="officer@example.org")
    idp.person = Person("officer@example.org")
    idp.token_issuer = "https://login.example.net/other-tenant"
    soup = check_page(client.get(_callback(client, idp)), 403)
    assert "an organisation this service does not trust" in soup.get_text()
    assert _refusals() == ["issuer"]
    assert client.get("/staff/").status_code == 302


def test_bad_signature_is_refused(app: Flask, client: FlaskClient, idp: Provider) -> None:
    make_user(email="officer@example.org")
    idp.person = Person("officer@example.org")
    idp.sign_with_wrong_key = True
    soup = check_page(client.get(_callback(client, idp)), 403)
    assert "its signature is not right" in soup.get_text()
    assert _refusals() == ["signature"]
    assert client.get("/staff/").status_code == 302


def test_unverified_email_is_refused(app: Flask, client: FlaskClient, idp: Provider) -> None:
    make_user(email="officer@example.org")
    idp.person = Person("officer@example.org", email_verified=False)
    soup = check_page(client.get(_callback(client, idp)), 403)
    assert "has not confirmed your email address" in soup.get_text()
    assert _refusals() == ["unverified"]
    assert client.get("/staff/").status_code == 302


def test_no_self_sign_up_and_no_deactivated_accounts(app: Flask, client: FlaskClient,
                                                     idp: Provider) -> None:
    idp.person = Person("stranger@example.org")
    soup = check_page(client.get(_callback(client, idp)), 403)
    assert "There is no staff account" in soup.get_text()
    assert db.session.scalar(select(User).where(User.email == "stranger@example.org")) is None
    leaver = make_user(email="leaver@example.org")
    leaver.active = False
    db.session.commit()
    idp.person = Person("leaver@example.org")
    other = app.test_client()
    check_page(other.get(_callback(other, idp)), 403)
    assert _refusals() == ["no_account", "no_account"]


def test_an_invited_account_accepts_by_signing_in(app: Flask, client: FlaskClient,
                                                  idp: Provider) -> None:
    admin = make_user(email="root@example.org", role="admin")
    user, _sent = invitations.invite(admin, "new@example.org", "moderator")
    idp.person = Person("new@example.org")
    assert client.get(_callback(client, idp)).status_code == 303
    db.session.expire_all()
    assert not db.session.get(User, user.id).invitation_pending
    accepted = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "user.invite_accepted"))
    assert accepted.detail == {"by": "sso"}


def test_two_step_still_applies(app: Flask, client: FlaskClient, idp: Provider) -> None:
    from tests.engage.test_two_step import _turn_on

    user = make_user(email="officer@example.org")
    _turn_on(user)
    idp.person = Person("officer@example.org")
    response = client.get(_callback(client, idp))
    assert response.headers["Location"] == "/auth/two-step"
    assert client.get("/staff/").status_code == 302  # no staff session before the code


def test_required_two_step_applies_after_single_sign_on(app: Flask, client: FlaskClient,
                                                        idp: Provider) -> None:
    app.config["TWO_STEP_DEFAULT_ROLES"] = ("admin",)
    make_user(email="root@example.org", role="admin")
    idp.person = Person("root@example.org")
    assert client.get(_callback(client, idp)).status_code == 303
    assert client.get("/staff/").headers["Location"] == "/staff/two-step"


def test_the_sign_in_page_lets_its_button_go_to_the_provider(app: Flask, client: FlaskClient,
                                                             idp: Provider) -> None:
    """CSP form-action also covers a form's redirects: only the provider's origin is added."""
    policy = client.get("/auth/sign-in").headers["Content-Security-Policy"]
    assert f"form-action 'self' {idp.issuer};" in policy
    assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy
    assert "form-action 'self';" in client.get("/privacy").headers["Content-Security-Policy"]


def test_off_without_settings(app: Flask, client: FlaskClient) -> None:
    soup = check_page(client.get("/auth/sign-in"))
    assert soup.find("button", string=lambda s: bool(s and s.startswith("Sign in with"))) is None
    token = csrf_token(client, "/auth/sign-in")
    assert client.post("/auth/sso", data={"csrf_token": token}).status_code == 404
    assert client.get("/auth/sso/callback?state=x&code=y").status_code == 404


def test_start_needs_a_csrf_token_and_callback_without_state_changes_nothing(
        app: Flask, client: FlaskClient, idp: Provider) -> None:
    assert client.post("/auth/sso").status_code == 400
    response = client.get("/auth/sso/callback")
    assert response.status_code == 303 and response.headers["Location"] == "/auth/sign-in"
    assert _refusals() == []


def test_an_unreachable_provider_is_a_clear_refusal(app: Flask, client: FlaskClient) -> None:
    app.config.update(OIDC_METADATA_URL="http://127.0.0.1:9/.well-known/openid-configuration",
                      OIDC_CLIENT_ID="x", OIDC_CLIENT_SECRET="y")
    response = client.post("/auth/sso", data={"csrf_token": csrf_token(client, "/auth/sign-in")})
    soup = check_page(response, 403)
    assert "did not answer" in soup.get_text()
