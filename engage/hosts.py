"""S22: a request whose Host header is not one of TRUSTED_HOSTS gets the friendly 400 page.

Flask refuses such a host itself (the TRUSTED_HOSTS setting), but then has no URL adapter for
the request, so no page, not even the error page, can be rendered. This middleware sees the
refused host first: it marks the request and hands Flask a trusted host instead, and the first
before-request hook answers 400. Nothing is ever built from the refused host.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, request
from werkzeug.exceptions import SecurityError
from werkzeug.sansio.utils import host_is_trusted
from werkzeug.wsgi import get_host

REFUSED = "engage.refused_host"


class RefuseOtherHosts:
    """WSGI middleware: mark a request for an untrusted host and give it a trusted one."""

    def __init__(self, wsgi_app: Any, trusted: list[str], stand_in: str) -> None:
        self.wsgi_app = wsgi_app
        self.trusted = trusted
        self.stand_in = stand_in

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        try:
            get_host(environ, self.trusted)
        except SecurityError:
            environ = {**environ, "HTTP_HOST": self.stand_in, REFUSED: True}
        return self.wsgi_app(environ, start_response)  # type: ignore[no-any-return]


def _refuse_marked() -> None:
    if request.environ.get(REFUSED):
        abort(400)


def _stand_in(trusted: list[str], base_url: str) -> str:
    base_host = urlsplit(base_url).hostname or ""
    if base_host and host_is_trusted(base_host, trusted):
        return base_host
    return next((h for h in trusted if not h.startswith(".")), trusted[0].lstrip("."))


def init_app(app: Flask) -> None:
    """Refuse other hosts when TRUSTED_HOSTS is set (production always sets it)."""
    trusted = app.config.get("TRUSTED_HOSTS")
    if not trusted:
        return
    app.wsgi_app = RefuseOtherHosts(  # type: ignore[method-assign]
        app.wsgi_app, list(trusted), _stand_in(list(trusted), str(app.config.get("BASE_URL"))))
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_marked)
