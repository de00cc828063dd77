"""Remembered session cookies: the same answers as Flask's own check, for less work."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask, session

from engage import sessions
from engage.sessions import RememberingSessionInterface


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


def test_app_uses_the_remembering_interface(cookie_app: Flask) -> None:
    assert isinstance(cookie_app.session_interface, RememberingSessionInterface)


def test_a_remembered_cookie_still_opens_its_session(cookie_app: Flask,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cookie = _cookie(cookie_app)
    interface: Any = cookie_app.session_interface
    real = interface.get_signing_serializer
    checks: list[str] = []
    monkeypatch.setattr(interface, "get_signing_serializer",
                        lambda app: checks.append("signature") or real(app))
    assert _who(cookie_app, cookie) == "resident-1"
    assert _who(cookie_app, cookie) == "resident-1"
    assert checks == ["signature"]  # checked on first use; the second use was remembered


def test_a_changed_cookie_is_refused_after_the_real_one_was_remembered(
        cookie_app: Flask) -> None:
    cookie = _cookie(cookie_app)
    assert _who(cookie_app, cookie) == "resident-1"
    payload, signed_at, signature = cookie.rsplit(".", 2)
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    for forged in (f"{payload}.{signed_at}.{flipped}", f"{payload}.{signed_at}.",
                   f"{payload}x.{signed_at}.{signature}", cookie + "x"):
        assert _who(cookie_app, forged) == "nobody"


def test_a_remembered_cookie_expires_when_flask_would_refuse_it(
        cookie_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    cookie_app.permanent_session_lifetime = timedelta(hours=1)
    cookie = _cookie(cookie_app)
    assert _who(cookie_app, cookie) == "resident-1"
    real = sessions.time.time
    monkeypatch.setattr(sessions.time, "time", lambda: real() + 2 * 3600)
    assert _who(cookie_app, cookie) == "nobody"


def test_remembered_sessions_are_not_shared_objects(cookie_app: Flask) -> None:
    cookie = _cookie(cookie_app)
    interface: Any = cookie_app.session_interface
    with cookie_app.test_request_context(
            headers={"Cookie": f"{cookie_app.config['SESSION_COOKIE_NAME']}={cookie}"}):
        from flask import request

        first = interface.open_session(cookie_app, request)
        first["who"] = "changed"
        second = interface.open_session(cookie_app, request)
        assert second["who"] == "resident-1"
