"""Staff sign-in, throttling, sessions, passwords and audit (S3-S7, S18)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import extract_parameters
from argon2.low_level import Type
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.config import ConfigError, load_config
from engage.extensions import db
from engage.models import AuditEvent, StaffSession, User
from engage.services.platform import accounts
from engage.services.platform.passwords import HASHERS, password_problem
from tests.conftest import _truncate_postgres, make_app
from tests.locks import locked_once
from tests.pages import STAFF_PASSWORD, check_page, error_summary, make_user, sign_in


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_sign_in_page(client: FlaskClient) -> None:
    soup = check_page(client.get("/auth/sign-in"))
    assert soup.find("input", attrs={"name": "email", "autocomplete": "username"})
    assert soup.find("input", attrs={"name": "password", "type": "password"})


def test_sign_in_and_out(app: Flask, client: FlaskClient) -> None:
    make_user()
    response = sign_in(client, "Officer@Example.org ")
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/"
    soup = check_page(client.get("/staff/"))
    assert "officer@example.org" in soup.get_text()
    token = soup.select_one("form[action='/auth/sign-out'] input[name=csrf_token]")["value"]
    response = client.post("/auth/sign-out", data={"csrf_token": token})
    assert response.status_code == 303
    assert client.get("/staff/").status_code == 302
    assert audit_actions() == ["user.create", "auth.login", "auth.logout"]


def test_staff_pages_asked_for_signed_out_say_sign_in_once(client: FlaskClient) -> None:
    """However many staff pages are asked for before signing in, the sign-in page says "Sign
    in to see this page" once, and the session does not grow with each (a client that never
    opens the sign-in page would otherwise make every request cost more)."""
    sizes = []
    for path in ("/staff/", "/staff/surveys", "/staff/mayor/", "/staff/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/sign-in?next=")
        cookie = client.get_cookie(client.application.config["SESSION_COOKIE_NAME"])
        assert cookie is not None
        sizes.append(len(cookie.value))
    assert sizes[-1] <= sizes[1] + 2, sizes  # the signing time may add a character
    page = check_page(client.get(response.headers["Location"]))
    assert page.get_text().count("Sign in to see this page") == 1
    page = check_page(client.get("/auth/sign-in?lang=bn"), lang="bn")
    assert "Sign in to see this page" not in page.get_text()  # shown once, then gone


def test_next_is_kept_and_only_local(client: FlaskClient) -> None:
    make_user()
    from tests.pages import csrf_token

    token = csrf_token(client, "/auth/sign-in")
    response = client.post("/auth/sign-in?next=//evil.example/x",
                           data={"email": "officer@example.org", "password": STAFF_PASSWORD,
                                 "csrf_token": token})
    assert response.headers["Location"] == "/staff/"


def test_wrong_password_gives_error_summary_and_audit(client: FlaskClient) -> None:
    make_user()
    response = sign_in(client, "officer@example.org", "not-the-right-password")
    soup = check_page(response)
    assert error_summary(soup) == ["Enter a correct email address and password"]
    assert soup.title.get_text().startswith("Error:")
    # The email typed is kept; the password is not echoed back.
    assert soup.find("input", attrs={"name": "email"})["value"] == "officer@example.org"
    assert not soup.find("input", attrs={"name": "password"}).get("value")
    failures = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "auth.login_failed")).all()
    assert len(failures) == 1 and failures[0].actor_label == "officer@example.org"


def test_empty_form_gives_field_messages(client: FlaskClient) -> None:
    from tests.pages import csrf_token

    token = csrf_token(client, "/auth/sign-in")
    soup = check_page(client.post("/auth/sign-in", data={"csrf_token": token}))
    assert error_summary(soup) == ["Enter your email address", "Enter your password"]


def test_unknown_account_fails_the_same_way(client: FlaskClient) -> None:
    soup = check_page(sign_in(client, "nobody@example.org", "whatever-password"))
    assert error_summary(soup) == ["Enter a correct email address and password"]


def test_sixth_rapid_failure_is_throttled(client: FlaskClient) -> None:
    make_user()
    for _ in range(5):
        assert sign_in(client, "officer@example.org", "wrong-password-xx").status_code == 200
    response = sign_in(client, "officer@example.org", "wrong-password-xx")
    soup = check_page(response, status=429)
    assert "tried too many times" in soup.find("h1").get_text()
    # Even the right password is refused while throttled.
    assert sign_in(client, "officer@example.org").status_code == 429
    assert audit_actions().count("auth.login_failed") == 5


def test_ip_throttle_across_accounts(client: FlaskClient) -> None:
    for i in range(20):
        assert sign_in(client, f"user{i}@example.org", "wrong-password-xx").status_code == 200
    assert sign_in(client, "another@example.org", "wrong-password-xx").status_code == 429


def test_successful_sign_ins_do_not_count_towards_throttle(client: FlaskClient) -> None:
    make_user()
    for _ in range(7):
        assert sign_in(client, "officer@example.org").status_code == 303


def test_session_cookie_flags(app: Flask) -> None:
    from tests.conftest import make_app

    secure_app = make_app(app.config["SQLALCHEMY_DATABASE_URI"],
                          SESSION_COOKIE_SECURE_IN_TESTS=True)
    client = secure_app.test_client()
    with secure_app.app_context():
        make_user()
    response = sign_in(client, "officer@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_new_session_at_sign_in(client: FlaskClient) -> None:
    make_user()
    with client.session_transaction() as sess:
        sess["planted"] = "by-an-attacker"
    sign_in(client, "officer@example.org")
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["staff_token"]


def test_old_cookie_is_useless_after_sign_out(app: Flask, client: FlaskClient) -> None:
    make_user()
    sign_in(client, "officer@example.org")
    old_cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    soup = check_page(client.get("/staff/"))
    token = soup.select_one("form[action='/auth/sign-out'] input[name=csrf_token]")["value"]
    client.post("/auth/sign-out", data={"csrf_token": token})
    replay = app.test_client()
    replay.set_cookie(app.config["SESSION_COOKIE_NAME"], old_cookie)
    response = replay.get("/staff/")
    assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]


def _age_session(**delta: float) -> None:
    row = db.session.scalars(select(StaffSession)).one()
    if "idle" in delta:
        row.last_seen_at = row.last_seen_at - timedelta(minutes=delta["idle"])
    if "age" in delta:
        row.created_at = row.created_at - timedelta(hours=delta["age"])
        row.last_seen_at = row.last_seen_at - timedelta(minutes=1)
    db.session.commit()


@pytest.mark.parametrize("ageing, allowed", [
    ({"idle": 29}, True), ({"idle": 31}, False), ({"age": 11.9}, True), ({"age": 12.1}, False),
])
def test_staff_session_timeouts(client: FlaskClient, ageing: dict[str, float],
                                allowed: bool) -> None:
    make_user()
    sign_in(client, "officer@example.org")
    _age_session(**ageing)
    response = client.get("/staff/")
    assert (response.status_code == 200) is allowed
    if not allowed:
        assert db.session.scalars(select(StaffSession)).one().ended_at is not None


def test_password_hash_is_argon2id_with_strong_parameters(database_url: str) -> None:
    # The suite hashes cheaply (tests/conftest.py): an app with the default setting, as
    # production has, hashes at production cost, and a sign-in rehashes a cheap hash.
    app = make_app(database_url, PASSWORD_HASH_PROFILE="standard")
    with app.app_context():
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            _truncate_postgres(app)
        user = make_user()
        params = extract_parameters(user.password_hash)
        assert params.type is Type.ID
        assert params.time_cost >= 2
        assert params.memory_cost >= 19 * 1024
        user.password_hash = HASHERS["cheap"].hash(STAFF_PASSWORD)
        db.session.commit()
        assert accounts.check_password("officer@example.org", STAFF_PASSWORD) is not None
        assert extract_parameters(user.password_hash).memory_cost >= 19 * 1024
        db.session.remove()
        db.engine.dispose()


def test_the_suite_hashes_cheaply(app: Flask) -> None:
    assert extract_parameters(make_user().password_hash).memory_cost < 19 * 1024


@pytest.mark.parametrize("env", ["production", "development"])
def test_only_the_test_suite_may_hash_cheaply(monkeypatch: pytest.MonkeyPatch, env: str,
                                              tmp_path: Path) -> None:
    monkeypatch.setenv("ENGAGE_ENV", env)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("BASE_URL", "https://engage.example.org")
    monkeypatch.setenv("TRUSTED_HOSTS", "engage.example.org")
    with pytest.raises(ConfigError, match="cheap password hashing"):
        load_config(str(tmp_path), {"PASSWORD_HASH_PROFILE": "cheap"})
    assert load_config(str(tmp_path))["PASSWORD_HASH_PROFILE"] == "standard"
    with pytest.raises(ConfigError, match="PASSWORD_HASH_PROFILE"):
        load_config(str(tmp_path), {"PASSWORD_HASH_PROFILE": "none"})


@pytest.mark.parametrize("password, problem", [
    ("short-pass", "too_short"),
    ("x" * 129, "too_long"),
    ("Password1234", "too_common"),
    ("qwertyuiop123", "too_common"),
    ("aaaaaaaaaaaaaaaa", "too_common"),
    ("officer.smith99", "like_email"),
    ("correct battery horse staple!", None),
    ("nocapitalsordigitsneeded", None),
])
def test_password_policy(password: str, problem: str | None) -> None:
    assert password_problem(password, "officer.smith@example.org") == problem


def test_create_user_rejects_duplicates_and_bad_roles(app: Flask) -> None:
    make_user()
    with pytest.raises(accounts.AccountError, match="email_taken"):
        make_user("OFFICER@example.org")
    with pytest.raises(accounts.AccountError, match="unknown_role"):
        make_user("x@example.org", role="mayor")
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_inactive_user_cannot_sign_in(client: FlaskClient) -> None:
    user = make_user()
    user.active = False
    db.session.commit()
    soup = check_page(sign_in(client, "officer@example.org"))
    assert error_summary(soup) == ["Enter a correct email address and password"]


def test_create_user_command(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = app.test_cli_runner()
    monkeypatch.setenv("ENGAGE_NEW_PASSWORD", "a-fine-long-password")
    result = runner.invoke(args=["create-user", "--email", "New@Example.org", "--role", "analyst"])
    assert result.exit_code == 0, result.output
    assert "Created new@example.org (analyst)" in result.output
    monkeypatch.setenv("ENGAGE_NEW_PASSWORD", "short")
    result = runner.invoke(args=["create-user", "--email", "b@example.org", "--role", "analyst"])
    assert result.exit_code != 0
    assert "12 characters or more" in result.output


def test_create_user_command_prompts_for_password(app: Flask, monkeypatch) -> None:
    monkeypatch.delenv("ENGAGE_NEW_PASSWORD", raising=False)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--email", "p@example.org", "--role", "moderator"],
                           input="prompted-password-ok\nprompted-password-ok\n")
    assert result.exit_code == 0, result.output
    assert accounts.sign_in("p@example.org", "prompted-password-ok") is not None


def test_demo_command_is_idempotent(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENGAGE_DEMO_PASSWORD", raising=False)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    from engage.cli import DEMO_STAFF

    staff = len(DEMO_STAFF)
    assert f"{staff} created" in first.output
    password = first.output.split("password: ")[1].split()[0]
    second = runner.invoke(args=["demo"])
    assert f"0 created, {staff} already there" in second.output
    assert password in second.output
    assert accounts.sign_in("admin@engage.example", password) is not None


@pytest.mark.parametrize("action", ["create", "login_failed", "sign_in", "sign_out",
                                    "change_user"])
def test_account_writes_retry_a_briefly_locked_database(app: Flask,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        action: str) -> None:
    """Every account write is one retrying transaction (issue 20): a lock that clears is
    waited out and the change is saved and audited once; a failed sign-in is still audited."""
    admin = make_user("admin@example.org", role="admin")
    officer = make_user() if action != "create" else None
    signed = accounts.sign_in("officer@example.org", STAFF_PASSWORD) if action == "sign_out" \
        else None
    before = len(audit_actions())
    failed = locked_once(monkeypatch)
    if action == "create":
        make_user()
    elif action == "login_failed":
        assert accounts.check_password("officer@example.org", "wrong password") is None
    elif action == "sign_in":
        assert accounts.sign_in("officer@example.org", STAFF_PASSWORD) is not None
    elif action == "sign_out":
        assert signed is not None
        accounts.sign_out(signed.token, signed.user)
    else:
        assert officer is not None
        assert accounts.change_user(admin, officer, "analyst", True)
    assert failed == [1]
    db.session.expire_all()
    expected = {"create": "user.create", "login_failed": "auth.login_failed",
                "sign_in": "auth.login", "sign_out": "auth.logout",
                "change_user": "user.role_change"}[action]
    assert audit_actions()[before:] == [expected]
    assert db.session.scalar(select(func.count(User.id))) == 2
    live = db.session.scalar(select(func.count(StaffSession.id))
                             .where(StaffSession.ended_at.is_(None)))
    assert live == (1 if action == "sign_in" else 0)
    if action == "change_user":
        assert db.session.scalar(select(User.role).where(User.id == officer.id)) == "analyst"
