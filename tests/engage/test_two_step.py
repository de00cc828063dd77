"""Two-step verification for staff (S6): setting it up, signing in with a code or a recovery
code, replay and time-out, turning it off, new recovery codes, an administrator's reset, rate
limits and the audit rows (S7, S18)."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text

from engage.extensions import db
from engage.models import AuditEvent, RecoveryCode, StaffSession, User
from engage.models._types import utcnow
from engage.services.platform import accounts
from engage.services.platform import two_step as totp
from tests.conftest import make_app
from tests.locks import locked_once
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in

WRONG = "The code is not right. Check your app and try again"


def _actions(*names: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action.in_(names))
                                   .order_by(AuditEvent.id)))


def _turn_on(user: User) -> tuple[str, list[str]]:
    """Two-step verification on through the service, confirmed an hour ago (so any code of
    the present time step is still unused): the key and the recovery codes."""
    token = accounts.open_session(user).token
    totp.begin_setup(token, user)
    secret = totp.pending_secret(token, user)
    assert secret is not None
    past = utcnow() - timedelta(hours=1)
    codes = totp.confirm_setup(token, user, pyotp.TOTP(secret).at(past), now=past)
    return secret, codes


def _code(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


def _post(client: FlaskClient, path: str, **data: str):  # type: ignore[no-untyped-def]
    """POST with a CSRF token (the token is the session's, whichever form it came from)."""
    return client.post(path, data={"csrf_token": csrf_token(client, "/auth/sign-in"), **data})


def _inline_error(soup: BeautifulSoup) -> str:
    box = soup.select_one(".govuk-error-message")
    return box.get_text(" ", strip=True) if box else ""


def _code_input_is_accessible(soup: BeautifulSoup) -> None:
    field = soup.find("input", attrs={"name": "code"})
    assert field is not None
    assert field["inputmode"] == "numeric"
    assert field["autocomplete"] == "one-time-code"
    assert field["spellcheck"] == "false"
    assert soup.find("label", attrs={"for": field["id"]}) is not None


def _signed_in_with_code(client: FlaskClient, secret: str,
                         email: str = "officer@example.org"):  # type: ignore[no-untyped-def]
    assert sign_in(client, email).headers["Location"] == "/auth/two-step"
    return _post(client, "/auth/two-step", code=_code(secret))


# Setting it up -------------------------------------------------------------------------------

def test_set_up_with_a_wrong_then_a_right_code(app: Flask, client: FlaskClient) -> None:
    user = make_user()
    sign_in(client, "officer@example.org")
    home = check_page(client.get("/staff/"))
    assert home.find("a", href="/staff/two-step") is not None  # linked from every staff page
    status = check_page(client.get("/staff/two-step"))
    assert "Off" in status.get_text()
    assert status.select_one("form[action='/staff/two-step/start']") is not None

    # Nothing to set up until the button is pressed: no key is made on a GET.
    assert client.get("/staff/two-step/set-up").headers["Location"] == "/staff/two-step"
    response = _post(client, "/staff/two-step/start")
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/two-step/set-up"

    page = client.get("/staff/two-step/set-up")
    soup = check_page(page)
    _code_input_is_accessible(soup)
    assert page.headers["Cache-Control"] == "no-store"
    svg = soup.find("svg")
    assert svg is not None and svg["role"] == "img" and svg.find("title").get_text()
    assert svg.find("script") is None and not soup.find("img")
    key_text = soup.find(id="two-step-key").get_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", key_text), key_text
    secret = key_text.replace(" ", "")
    db.session.expire_all()
    # Held on the server-side session, not on the account, until a code proves the app has it.
    assert db.session.get(User, user.id).totp_secret is None
    pending = db.session.scalars(select(StaffSession.totp_pending_secret)).all()
    assert pending == [secret]

    soup = check_page(_post(client, "/staff/two-step/set-up", code=""), 400)
    assert error_summary(soup) == ["Enter the 6-digit code from your authenticator app"]
    wrong = f"{(int(_code(secret)) + 1) % 1_000_000:06d}"
    soup = check_page(_post(client, "/staff/two-step/set-up", code=wrong), 400)
    assert error_summary(soup) == [WRONG]
    assert WRONG in _inline_error(soup)
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None
    assert len(_actions("auth.two_step_failed")) == 1

    right = _code(secret)
    response = _post(client, "/staff/two-step/set-up", code=f"{right[:3]} {right[3:]}")
    soup = check_page(response)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Two-step verification is on" in soup.find("h1").get_text()
    codes = [c.get_text() for c in soup.select(".app-recovery-codes code")]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)

    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert stored.totp_secret == secret and stored.totp_enabled_at is not None
    assert db.session.scalars(select(StaffSession.totp_pending_secret)).all() == [None]
    hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(hashes) == 10
    assert not {c.replace("-", "") for c in codes} & set(hashes)  # only hashes are kept
    assert all(len(h) == 64 for h in hashes)
    assert len(_actions("auth.two_step_on")) == 1

    # Shown once: the status page now says On and does not show the codes again.
    status = check_page(client.get("/staff/two-step"))
    assert "10" in status.get_text() and codes[0] not in status.get_text()
    assert client.get("/staff/two-step/set-up").headers["Location"] == "/staff/two-step"


# Signing in -----------------------------------------------------------------------------------

def test_sign_in_needs_the_code_before_any_staff_session(app: Flask, client: FlaskClient) -> None:
    user = make_user()
    secret, _codes = _turn_on(user)
    sessions_before = db.session.scalar(select(func.count(StaffSession.id)))

    token = csrf_token(client, "/auth/sign-in")
    response = client.post("/auth/sign-in?next=/staff/two-step",
                           data={"email": "officer@example.org",
                                 "password": "a-long-test-password-for-staff",
                                 "csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == "/auth/two-step"
    assert db.session.scalar(select(func.count(StaffSession.id))) == sessions_before
    with client.session_transaction() as sess:
        assert "staff_token" not in sess and sess["two_step_pending"]["user_id"] == user.id
    assert client.get("/staff/").status_code == 302  # not signed in yet

    soup = check_page(client.get("/auth/two-step"))
    _code_input_is_accessible(soup)
    assert soup.find("a", href="/auth/two-step/recovery-code") is not None

    soup = check_page(_post(client, "/auth/two-step", code=""))
    assert error_summary(soup) == ["Enter the 6-digit code from your authenticator app"]
    soup = check_page(_post(client, "/auth/two-step", code="12345"))
    assert error_summary(soup) == ["The code must be 6 digits"]
    wrong = f"{(int(_code(secret)) + 1) % 1_000_000:06d}"
    soup = check_page(_post(client, "/auth/two-step", code=wrong))
    assert error_summary(soup) == [WRONG]
    assert WRONG in _inline_error(soup)
    assert soup.title.get_text().startswith("Error:")
    assert not soup.find("input", attrs={"name": "code"}).get("value")
    assert client.get("/staff/").status_code == 302
    failed = _actions("auth.two_step_failed")
    assert len(failed) == 1 and failed[0].actor_id == user.id

    response = _post(client, "/auth/two-step", code=_code(secret))
    assert response.status_code == 303 and response.headers["Location"] == "/staff/two-step"
    assert client.get("/staff/").status_code == 200
    with client.session_transaction() as sess:
        assert "two_step_pending" not in sess and sess["staff_token"]
    logins = _actions("auth.login")
    assert logins[-1].detail == {"second_step": "app"}
    # The password alone never opens a session for this account, even through the service.
    assert accounts.sign_in("officer@example.org", "a-long-test-password-for-staff") is None


def test_accounts_without_two_step_sign_in_as_before(client: FlaskClient) -> None:
    make_user()
    response = sign_in(client, "officer@example.org")
    assert response.headers["Location"] == "/staff/"
    assert client.get("/auth/two-step").headers["Location"] == "/auth/sign-in"


def test_a_code_is_never_accepted_twice(app: Flask, client: FlaskClient) -> None:
    user = make_user()
    secret, _codes = _turn_on(user)
    code = _code(secret)
    assert sign_in(client, "officer@example.org").headers["Location"] == "/auth/two-step"
    assert _post(client, "/auth/two-step", code=code).status_code == 303
    client.post("/auth/sign-out", data={"csrf_token": csrf_token(client, "/staff/")})

    other = app.test_client()  # another browser with the same code: refused
    assert sign_in(other, "officer@example.org").headers["Location"] == "/auth/two-step"
    soup = check_page(_post(other, "/auth/two-step", code=code))
    assert error_summary(soup) == [WRONG]
    soup = check_page(_post(other, "/auth/two-step", code=_code(secret, -1)))  # an earlier step
    assert error_summary(soup) == [WRONG]
    assert other.get("/staff/").status_code == 302


def test_time_steps_drift_and_replay_in_the_service(app: Flask) -> None:
    user = make_user()
    secret, _codes = _turn_on(user)
    app_code = pyotp.TOTP(secret)
    t = utcnow()
    step = app_code.timecode(t)
    assert totp.verify(user, app_code.at(t + timedelta(seconds=90)), now=t) is None  # 3 steps
    assert totp.verify(user, app_code.at(t - timedelta(seconds=30)), now=t) == "app"  # 1 back
    assert totp.verify(user, app_code.at(t), now=t) == "app"
    assert totp.verify(user, app_code.at(t), now=t) is None  # replay of the same step
    assert totp.verify(user, app_code.at(t - timedelta(seconds=30)), now=t) is None  # earlier
    assert totp.verify(user, app_code.at(t + timedelta(seconds=30)), now=t) == "app"  # 1 ahead
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_last_step == step + 1
    assert len(_actions("auth.two_step_failed")) == 3


def test_a_recovery_code_works_once(app: Flask, client: FlaskClient) -> None:
    user = make_user()
    _secret, codes = _turn_on(user)
    sign_in(client, "officer@example.org")
    soup = check_page(client.get("/auth/two-step/recovery-code"))
    field = soup.find("input", attrs={"name": "code"})
    assert field["autocomplete"] == "one-time-code" and field["spellcheck"] == "false"
    assert "inputmode" not in field.attrs  # letters too
    soup = check_page(_post(client, "/auth/two-step/recovery-code", code=""))
    assert error_summary(soup) == ["Enter one of your recovery codes"]
    # Typed in capitals with spaces instead of the hyphen: still the same code.
    typed = codes[0].upper().replace("-", " ")
    response = _post(client, "/auth/two-step/recovery-code", code=typed)
    assert response.status_code == 303 and response.headers["Location"] == "/staff/"
    assert "You have 9 left" in check_page(client.get("/staff/")).get_text()
    used = _actions("auth.recovery_code_used")
    assert len(used) == 1 and used[0].actor_id == user.id and used[0].detail["left"] == 9
    assert _actions("auth.login")[-1].detail == {"second_step": "recovery_code"}
    client.post("/auth/sign-out", data={"csrf_token": csrf_token(client, "/staff/")})

    sign_in(client, "officer@example.org")
    soup = check_page(_post(client, "/auth/two-step/recovery-code", code=codes[0]))
    assert error_summary(soup) == [
        "The recovery code is not right or has already been used. Check it and try again"]
    assert client.get("/staff/").status_code == 302
    assert _post(client, "/auth/two-step/recovery-code", code=codes[1]).status_code == 303
    assert len(_actions("auth.recovery_code_used")) == 2
    # A recovery code typed on the app-code page is not taken there (it is not 6 digits).
    assert totp.recovery_codes_left(user) == 8


def test_the_pending_sign_in_expires_after_five_minutes(app: Flask, client: FlaskClient) -> None:
    user = make_user()
    secret, _codes = _turn_on(user)
    sign_in(client, "officer@example.org")
    with client.session_transaction() as sess:
        pending = dict(sess["two_step_pending"])
        pending["at"] -= 5 * 60 + 1
        sess["two_step_pending"] = pending
    response = _post(client, "/auth/two-step", code=_code(secret))
    assert response.status_code == 303 and response.headers["Location"] == "/auth/sign-in"
    with client.session_transaction() as sess:
        assert "two_step_pending" not in sess and "staff_token" not in sess
    assert client.get("/staff/").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_last_step < pyotp.TOTP(secret).timecode(utcnow())
    soup = check_page(client.get("/auth/sign-in"))
    assert "Your sign-in timed out. Sign in again." in soup.get_text()

    # Just inside the five minutes it still works.
    sign_in(client, "officer@example.org")
    with client.session_transaction() as sess:
        pending = dict(sess["two_step_pending"])
        pending["at"] -= 5 * 60 - 10
        sess["two_step_pending"] = pending
    assert _post(client, "/auth/two-step", code=_code(secret)).headers["Location"] == "/staff/"


def test_wrong_codes_are_throttled(app: Flask, client: FlaskClient) -> None:
    user = make_user()
    secret, _codes = _turn_on(user)
    sign_in(client, "officer@example.org")
    wrong = f"{(int(_code(secret)) + 500_000) % 1_000_000:06d}"
    for _ in range(3):
        assert _post(client, "/auth/two-step", code=wrong).status_code == 200
    for _ in range(2):  # the recovery page counts towards the same limit
        assert _post(client, "/auth/two-step/recovery-code", code="aaaaa-bbbbb").status_code == 200
    soup = check_page(_post(client, "/auth/two-step", code=wrong), 429)
    assert "tried too many times" in soup.find("h1").get_text()
    assert _post(client, "/auth/two-step", code=_code(secret)).status_code == 429
    assert len(_actions("auth.two_step_failed")) == 5
    assert client.get("/staff/").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_last_step is not None


# Turning off and new recovery codes ---------------------------------------------------------

def test_turning_off_needs_a_code(app: Flask, client: FlaskClient) -> None:
    user = make_user()
    secret, codes = _turn_on(user)
    used = _code(secret)
    assert sign_in(client, "officer@example.org").headers["Location"] == "/auth/two-step"
    assert _post(client, "/auth/two-step", code=used).status_code == 303
    assert "On since" in check_page(client.get("/staff/two-step")).get_text()
    soup = check_page(client.get("/staff/two-step/turn-off"))
    assert soup.find("input", attrs={"name": "code", "autocomplete": "one-time-code"})
    soup = check_page(_post(client, "/staff/two-step/turn-off", code=""), 400)
    assert error_summary(soup) == [
        "Enter the 6-digit code from your authenticator app or a recovery code"]
    soup = check_page(_post(client, "/staff/two-step/turn-off", code=used), 400)
    assert error_summary(soup) == [WRONG]  # the code just used to sign in: a replay
    db.session.expire_all()
    assert db.session.get(User, user.id).two_step_on

    response = _post(client, "/staff/two-step/turn-off", code=codes[3])
    assert response.status_code == 303 and response.headers["Location"] == "/staff/two-step"
    assert "Two-step verification is off" in check_page(client.get("/staff/two-step")).get_text()
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert stored.totp_secret is None and stored.totp_enabled_at is None
    assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0
    off = _actions("auth.two_step_off")
    assert len(off) == 1 and off[0].detail == {"with": "recovery_code"}
    client.post("/auth/sign-out", data={"csrf_token": csrf_token(client, "/staff/")})
    assert sign_in(client, "officer@example.org").headers["Location"] == "/staff/"


def test_new_recovery_codes_replace_the_old_ones(app: Flask, client: FlaskClient) -> None:
    user = make_user()
    secret, old = _turn_on(user)
    assert _signed_in_with_code(client, secret).status_code == 303
    soup = check_page(client.get("/staff/two-step/recovery-codes"))
    _code_input_is_accessible(soup)
    soup = check_page(_post(client, "/staff/two-step/recovery-codes", code="000000"), 400)
    assert error_summary(soup) == [WRONG]
    response = _post(client, "/staff/two-step/recovery-codes", code=_code(secret, 1))
    soup = check_page(response)
    assert response.headers["Cache-Control"] == "no-store"
    new = [c.get_text() for c in soup.select(".app-recovery-codes code")]
    assert len(new) == 10 and not set(new) & set(old)
    assert totp.verify(user, old[0], totp.RECOVERY) is None
    assert totp.verify(user, new[0], totp.RECOVERY) == "recovery_code"
    assert len(_actions("auth.recovery_codes_replaced")) == 1


def test_wrong_codes_on_the_account_pages_are_throttled(app: Flask, client: FlaskClient) -> None:
    """A stolen session cannot guess its way to turning two-step verification off."""
    user = make_user()
    secret, _codes = _turn_on(user)
    assert _signed_in_with_code(client, secret).status_code == 303
    for path in ["/staff/two-step/turn-off"] * 3 + ["/staff/two-step/recovery-codes"] * 2:
        assert _post(client, path, code="000000").status_code == 400
    check_page(_post(client, "/staff/two-step/turn-off", code=_code(secret, 1)), 429)
    db.session.expire_all()
    assert db.session.get(User, user.id).two_step_on
    assert client.get("/staff/two-step").status_code == 200  # reading is not limited


# An administrator's reset ---------------------------------------------------------------------

def _admin(client: FlaskClient) -> User:
    admin = make_user(email="root@example.org", role="admin")
    assert sign_in(client, "root@example.org").status_code == 303
    return admin


def test_admin_resets_two_step_for_a_lost_phone(app: Flask, client: FlaskClient) -> None:
    admin = _admin(client)
    target = make_user(email="worker@example.org", role="analyst")
    secret, _codes = _turn_on(target)
    theirs = app.test_client()
    assert _signed_in_with_code(theirs, secret, "worker@example.org").status_code == 303
    assert theirs.get("/staff/").status_code == 200

    listing = check_page(client.get("/staff/users"))
    row = next(r for r in listing.select(".govuk-summary-list__row")
               if "worker@example.org" in r.get_text())
    assert "Two-step verification: On" in row.get_text(" ", strip=True)
    page = f"/staff/users/{target.id}/two-step"
    assert row.find("a", href=page) is not None
    confirm = check_page(client.get(page))
    assert confirm.select_one(f"form[action='{page}'] .govuk-button--warning") is not None
    db.session.expire_all()
    assert db.session.get(User, target.id).two_step_on  # the GET changed nothing

    response = _post(client, page)
    assert response.status_code == 303 and response.headers["Location"] == "/staff/users"
    db.session.expire_all()
    stored = db.session.get(User, target.id)
    assert not stored.two_step_on and stored.totp_secret is None
    events = _actions("user.two_step_reset")
    assert len(events) == 1
    assert events[0].actor_id == admin.id and events[0].object_id == str(target.id)
    assert theirs.get("/staff/").status_code == 302  # their sessions ended
    assert sign_in(theirs, "worker@example.org").headers["Location"] == "/staff/"
    listing = check_page(client.get("/staff/users"))
    assert "Two-step verification: Off" in listing.get_text(" ", strip=True)


def test_admin_cannot_reset_their_own(app: Flask, client: FlaskClient) -> None:
    admin = make_user(email="root@example.org", role="admin")
    secret, _codes = _turn_on(admin)
    assert _signed_in_with_code(client, secret, "root@example.org").status_code == 303
    page = f"/staff/users/{admin.id}/two-step"
    soup = check_page(client.get(page))
    assert soup.find("form", action=page) is None
    token = csrf_token(client, "/staff/")
    assert client.post("/staff/users/999/two-step", data={"csrf_token": token}).status_code == 404
    assert client.post(page, data={"csrf_token": token}).status_code == 400
    db.session.expire_all()
    assert db.session.get(User, admin.id).two_step_on
    assert _actions("user.two_step_reset") == []


@pytest.mark.parametrize("role", ["engagement_officer", "analyst", "moderator",
                                  "partner_viewer"])
def test_only_admins_may_reset(app: Flask, client: FlaskClient, role: str) -> None:
    make_user(email="someone@example.org", role=role)
    target = make_user(email="worker@example.org", role="analyst")
    _turn_on(target)
    sign_in(client, "someone@example.org")
    page = f"/staff/users/{target.id}/two-step"
    assert client.get(page).status_code == 403
    token = csrf_token(client, "/staff/")
    assert client.post(page, data={"csrf_token": token}).status_code == 403
    # Every role may manage its own two-step verification.
    assert client.get("/staff/two-step").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, target.id).two_step_on
    assert _actions("user.two_step_reset") == []


def test_two_step_routes_need_a_signed_in_user(client: FlaskClient) -> None:
    for path in ("/staff/two-step", "/staff/two-step/set-up", "/staff/two-step/turn-off",
                 "/staff/two-step/recovery-codes"):
        response = client.get(path)
        assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]


# The migration --------------------------------------------------------------------------------

def test_migration_0013_keeps_accounts_sessions_and_audit(tmp_path: Path) -> None:
    """SQLite rebuilds users: nothing that points at an account may cascade away, up or down."""
    from flask_migrate import downgrade, upgrade

    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    migrating = make_app(url)
    now = "2026-11-22 10:00:00"
    tables = ("users", "staff_sessions", "audit_events")
    with migrating.app_context():
        upgrade(revision="0012")
        engine = create_engine(url)
        with engine.begin() as c:
            c.execute(text(
                "INSERT INTO users (id, email, name, role, organisation, password_hash, active,"
                " created_at) VALUES (1, 'a@example.org', 'A', 'analyst', '', 'x', :t, :n)"),
                {"t": True, "n": now})
            c.execute(text("INSERT INTO staff_sessions (id, token_hash, user_id, created_at,"
                           " last_seen_at) VALUES (1, 'h', 1, :n, :n)"), {"n": now})
            c.execute(text("INSERT INTO audit_events (occurred_at, actor_id, actor_label, action,"
                           " object_type, object_id, ip_address, detail)"
                           " VALUES (:n, 1, 'a', 'auth.login', 'user', '1', '', '{}')"),
                      {"n": now})

        def counts() -> dict[str, int]:
            with engine.connect() as c:
                return {t: int(c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
                        for t in tables}

        def actor() -> int | None:
            with engine.connect() as c:
                return c.execute(text("SELECT actor_id FROM audit_events")).scalar_one()

        upgrade(revision="0013")
        assert counts() == dict.fromkeys(tables, 1) and actor() == 1
        # A key without the date it was turned on is refused by the database.
        with engine.begin() as c, pytest.raises(Exception, match="CHECK"):
            c.execute(text("UPDATE users SET totp_secret = 'ABCD' WHERE id = 1"))
        downgrade(revision="0012")
        assert counts() == dict.fromkeys(tables, 1) and actor() == 1
        upgrade()
        engine.dispose()
        db.engine.dispose()


def test_the_qr_code_fits_a_320_px_phone_screen_even_for_a_long_address() -> None:
    import re

    from engage.services.platform import two_step

    long_email = "someone.with.a.rather.long.name." * 2 + "x@towerhamlets.gov.uk"
    for email in ("a@example.org", long_email):
        uri = two_step.setup_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", email, "Engage")
        svg = two_step.qr_svg(uri, "QR code")
        width = int(re.search(r'width="(\d+)"', svg).group(1))  # type: ignore[union-attr]
        assert 100 <= width <= two_step.QR_MAX_PX, (email, width)


@pytest.mark.parametrize("action", ["set_up", "verify", "wrong_code", "turn_off",
                                    "recovery_codes", "reset"])
def test_two_step_writes_retry_a_briefly_locked_database(app: Flask,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         action: str) -> None:
    """Every two-step write is one retrying transaction (issue 20): a lock that clears is
    waited out, the change is saved and audited once; a wrong code is still audited once,
    then refused."""
    user = make_user()
    admin = make_user("admin@example.org", role="admin")
    token = accounts.open_session(user).token
    secret = ""
    if action == "set_up":
        totp.begin_setup(token, user)
        pending = totp.pending_secret(token, user)
        assert pending is not None
    else:
        secret, _codes = _turn_on(user)
    before = db.session.scalar(select(func.count(AuditEvent.id)))
    failed = locked_once(monkeypatch)
    if action == "set_up":
        assert len(totp.confirm_setup(token, user, pyotp.TOTP(pending).now())) == 10
        expected = "auth.two_step_on"
    elif action == "verify":
        assert totp.verify(user, _code(secret)) == totp.APP
        expected = ""
    elif action == "wrong_code":
        with pytest.raises(accounts.AccountError, match="bad_code"):
            totp.turn_off(user, "000000" if _code(secret) != "000000" else "111111")
        expected = "auth.two_step_failed"
    elif action == "turn_off":
        totp.turn_off(user, _code(secret))
        expected = "auth.two_step_off"
    elif action == "recovery_codes":
        assert len(totp.replace_recovery_codes(user, _code(secret))) == 10
        expected = "auth.recovery_codes_replaced"
    else:
        totp.reset_by_admin(admin, user)
        expected = "user.two_step_reset"
    assert failed == [1]
    db.session.expire_all()
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[before:] == ([expected] if expected else [])
    stored = db.session.get(User, user.id)
    assert stored is not None
    assert stored.two_step_on == (action in ("set_up", "verify", "wrong_code", "recovery_codes"))
    if action == "verify":
        assert stored.totp_last_step is not None
        assert totp.verify(user, _code(secret)) is None  # used once, not twice
