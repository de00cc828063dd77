"""Friendly error pages: never a bare 500 (S19, R4)."""

from __future__ import annotations

import contextlib
import logging
import re

from flask import Flask, Response, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

TITLES = {
    400: _l("Sorry, there is a problem with your request"),
    403: _l("You do not have permission to see this page"),
    404: _l("Page not found"),
    405: _l("Sorry, there is a problem with your request"),
    413: _l("What you sent is too large"),
    429: _l("You have tried too many times"),
    500: _l("Sorry, there is a problem with the service"),
    503: _l("Sorry, the service is unavailable"),
}


def _wants_json() -> bool:
    return request.path.startswith(("/api/", "/healthz"))


def render_error(status: int, reason: str = "", **context: object) -> tuple[str | Response, int]:
    """Render the friendly page (or JSON for API paths) for an HTTP status."""
    status = status if status in TITLES else (500 if status >= 500 else 400)
    if _wants_json():
        return jsonify({"error": str(TITLES[status]), "status": status}), status
    template = "errors/400.html" if status == 405 else f"errors/{status}.html"
    return render_template(template, title=TITLES[status], reason=reason, **context), status


# Never written back into a page: secrets, and the CSRF token (the page makes a fresh one).
_NOT_KEPT = re.compile(r"password|secret|token|otp|^code$", re.IGNORECASE)


def kept_input() -> list[tuple[str, str]]:
    """What a failed POST sent, to give back on the 503 page (R4): never secrets or files."""
    if request.method != "POST":
        return []
    try:
        form = request.form
    except Exception:  # noqa: BLE001 - an unreadable body has nothing to give back
        return []
    return [(name, value) for name, values in form.lists() if not _NOT_KEPT.search(name)
            for value in values]


def _http_error(exc: HTTPException) -> tuple[str | Response, int]:
    code = exc.code or 500
    response = render_error(code)
    if code in (429, 503):
        body, status = response
        resp = body if isinstance(body, Response) else Response(body, status, mimetype="text/html")
        resp.headers["Retry-After"] = "60" if code == 429 else "5"
        return resp, status
    return response


def _csrf_error(exc: CSRFError) -> tuple[str | Response, int]:
    return render_error(400, reason="csrf")


def _database_unavailable(exc: Exception) -> tuple[Response, int]:
    log.warning("database unavailable: %s", type(exc).__name__)
    _rollback()
    kept = kept_input()
    body, _status = render_error(503, kept=kept, shown=[v for _n, v in kept if _typed(v)],
                                 resend=request.method == "POST" and not _wants_json(),
                                 had_files=request.method == "POST" and bool(request.files),
                                 retry_url=request.full_path.rstrip("?"))
    resp = body if isinstance(body, Response) else Response(body, 503, mimetype="text/html")
    resp.headers["Retry-After"] = "5"
    return resp, 503


def _typed(value: str) -> bool:
    """Text a person typed (shown back to them), not an id or a choice's value."""
    return bool(value.strip()) and (" " in value.strip() or len(value) > 40)


def _unexpected(exc: Exception) -> tuple[str | Response, int]:
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    log.exception("unhandled error on %s %s", request.method, request.path)
    _rollback()
    return render_error(500)


def _rollback() -> None:
    from engage.extensions import db, login

    # Error pages must not reach for the database again to find the signed-in user.
    if "_login_user" not in g:
        g._login_user = login.anonymous_user()

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the database may be gone; the page must still render
        log.warning("rollback failed after an error")


def _end_session(exc: BaseException | None) -> None:
    """End the request's database session even when its connection has just died (R4, R7).

    Registered after Flask-SQLAlchemy's own teardown, so it runs first: a rollback on a
    connection PostgreSQL has terminated raises, and without this the page already rendered
    (or its 503) would become a bare 500. The dead connection is invalidated, not reused."""
    from sqlalchemy.exc import SQLAlchemyError

    from engage.extensions import db

    try:
        db.session.remove()
    except SQLAlchemyError as error:
        log.warning("database connection lost at the end of a request: %s",
                    type(error).__name__)
        with contextlib.suppress(SQLAlchemyError):  # nothing more can be done
            db.session.registry().invalidate()
        db.session.registry.clear()


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.teardown_appcontext(_end_session)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    from engage.services.platform.transactions import DatabaseUnavailable

    app.register_error_handler(DatabaseUnavailable, _database_unavailable)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(PoolTimeout, _database_unavailable)
    app.register_error_handler(DBAPIError, _unexpected)
    app.register_error_handler(Exception, _unexpected)
