"""Response headers (S11), CSP nonces, the staff session checks on every request (S4), and
request parameters without NUL characters."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, Request, Response, g, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.utils import cached_property


def _without_nul(data: Any) -> Any:
    if not any("\x00" in k or "\x00" in v for k, v in data.items(multi=True)):
        return data
    return ImmutableMultiDict([(k.replace("\x00", ""), v.replace("\x00", ""))
                               for k, v in data.items(multi=True)])


class EngageRequest(Request):
    """Query and form values never carry a NUL character: PostgreSQL refuses them in text (a
    500 found by the hostile-input tests), no person types one, and no field needs one."""

    @cached_property
    def args(self) -> Any:
        return _without_nul(super().args)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"])

CSP = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self'; "
    "img-src 'self' data:; "
    "font-src 'self'; "
    "connect-src 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'; "
    "base-uri 'none'; "
    "object-src 'none'"
)


def csp_nonce() -> str:
    """The nonce for this request's inline scripts."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return str(g.csp_nonce)


def _set_headers(response: Response) -> Response:
    headers = response.headers
    # Each header is set only where the view did not set it. Looking the names up once is the
    # same as Headers.setdefault, which raises and catches a KeyError for every missing header.
    present = {name.lower() for name, _value in headers.items()}
    defaults = [
        ("Content-Security-Policy", CSP.format(nonce=csp_nonce())),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if request.is_secure:
        defaults.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    for name, value in defaults:
        if name.lower() not in present:
            headers.add(name, value)
    if request.endpoint != "static" and "cache-control" not in present:
        # Pages can hold personal answers: never stored by shared caches.
        headers["Cache-Control"] = "no-store" if _is_private() else "private, no-cache"
    return response


def _is_private() -> bool:
    # Look only at a user already loaded: loading one here could hit a database that is down.
    user = g.get("_login_user")
    # Survey pages show a resident's answers: on a shared computer (a library, a school) the
    # next person must not find them in the browser's cache.
    return bool(getattr(user, "is_authenticated", False)) or request.path.startswith(
        ("/staff", "/auth", "/s/")
    )


def init_app(app: Flask) -> None:
    """Install the request class, the header hook and the template nonce."""
    app.request_class = EngageRequest
    app.after_request(_set_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
