"""Resident sessions are Flask's own signed cookies, checked by Flask on every request."""

from __future__ import annotations

import pytest
from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface

# These tests add routes: an app of their own (tests/conftest.py shares one otherwise).
pytestmark = pytest.mark.fresh_app


@pytest.fixture
def cookie_app(app: Flask) -> Flask:
    @app.get("/test-session/set")
    def _set() -> str:
        session["who"] = "resident-1"
        return "set"

    @app.get("/test-session/get")
    def _get() -> str:
        return str(session.get("who", "nobody"))

    return app


def _cookie(app: Flask) -> str:
    client = app.test_client()
    client.get("/test-session/set")
    found = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert found is not None
    return found.value


def _who(app: Flask, cookie: str) -> str:
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    return client.get("/test-session/get").get_data(as_text=True)


def test_app_uses_flasks_own_session_interface(cookie_app: Flask) -> None:
    # No cache of checked cookies in front of Flask's check (issue 20).
    assert type(cookie_app.session_interface) is SecureCookieSessionInterface


def test_a_changed_cookie_is_refused_after_the_real_one_was_used(cookie_app: Flask) -> None:
    cookie = _cookie(cookie_app)
    assert _who(cookie_app, cookie) == "resident-1"
    payload, signed_at, signature = cookie.rsplit(".", 2)
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    for forged in (f"{payload}.{signed_at}.{flipped}", f"{payload}.{signed_at}.",
                   f"{payload}x.{signed_at}.{signature}", cookie + "x"):
        assert _who(cookie_app, forged) == "nobody"
