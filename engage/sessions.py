"""Flask's signed-cookie sessions, with the work of checking a cookie done once per cookie.

A resident's browser sends the same session cookie on every page until the session changes.
Checking it (a new serializer, base64, zlib, HMAC, JSON) was a tenth of a cached page's time,
so the payload of a cookie that passed the check is remembered, keyed by the whole cookie
string: only that exact string, which carries its own valid signature, ever finds it. Its
signing time is remembered too and the session lifetime is checked again on every use, so a
remembered cookie expires exactly when Flask would refuse it. Everything else (refused or
expired cookies, saving, cookie flags) is Flask's own code.
"""

from __future__ import annotations

import time
from threading import Lock

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

MAX_ENTRIES = 4096


class RememberingSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._checked: dict[str, tuple[int, str]] = {}  # cookie: (signed at, JSON payload)
        self._lock = Lock()

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        val = request.cookies.get(self.get_cookie_name(app))
        if not val or not app.secret_key:
            return super().open_session(app, request)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        hit = self._checked.get(val)
        if hit is not None:
            signed_at, payload = hit
            if 0 <= int(time.time()) - signed_at <= max_age:
                return self.session_class(self.serializer.loads(payload))
        signer = self.get_signing_serializer(app)
        assert signer is not None
        try:
            data, signed = signer.loads(val, max_age=max_age, return_timestamp=True)
        except BadSignature:  # as Flask: a cookie that fails the check is no session
            return self.session_class()
        entry = (int(signed.timestamp()), self.serializer.dumps(data))
        with self._lock:
            if len(self._checked) >= MAX_ENTRIES:
                self._checked.clear()
            self._checked[val] = entry
        return self.session_class(data)


def init_app(app: Flask) -> None:
    """Use the remembering interface for the app's sessions."""
    app.session_interface = RememberingSessionInterface()

