"""Response headers (S11), CSP nonces, and the staff session checks on every request (S4)."""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request

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
    """Install the header hook and the template nonce."""
    app.after_request(_set_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
