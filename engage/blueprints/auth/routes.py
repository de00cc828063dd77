"""Routes: /auth/sign-in, /auth/sign-out; the second step is in two_step.py."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import (
    abort,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_url, login_user, logout_user
from werkzeug.wrappers import Response

from engage.blueprints.auth import bp
from engage.extensions import login
from engage.forms import messages
from engage.forms.auth import SignInForm
from engage.models import User
from engage.security import CSP, csp_nonce
from engage.services.platform import accounts, sso, throttle
from engage.services.platform.transactions import DatabaseUnavailable

SESSION_TOKEN_KEY = "staff_token"  # noqa: S105 - a session key name
PENDING_KEY = "two_step_pending"  # a password checked, a code still to come: user id and time

login.login_view = "auth.sign_in"
login.login_message = _l("Sign in to see this page")
login.login_message_category = "info"
login.session_protection = None  # the server-side session row does this job


@login.unauthorized_handler
def _sign_in_first() -> Response:
    """A staff page asked for while signed out: the sign-in page, with the page asked for as
    `next`, and "Sign in to see this page" said once however many staff pages were asked for
    first (Flask-Login would add it each time, and a client that never opens the sign-in page
    would grow its session, and the work of every request, without end)."""
    message = str(login.login_message)
    pending: list[tuple[str, str]] = get_flashed_messages(with_categories=True)  # type: ignore[assignment]
    for category, text in pending:  # reading them took them out: back they go
        flash(text, category)
    if (login.login_message_category, message) not in pending:
        flash(message, login.login_message_category)
    return redirect(login_url(str(login.login_view), next_url=request.url))


@login.user_loader
def _load_user(user_id: str) -> User | None:
    cfg = current_app.config
    return accounts.resolve_session(session.get(SESSION_TOKEN_KEY), user_id,
                                    cfg["STAFF_IDLE_TIMEOUT"], cfg["STAFF_ABSOLUTE_TIMEOUT"])


def _client_ip() -> str:
    return request.remote_addr or ""


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("staff.dashboard")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response:
    """Staff sign-in with email and password; accounts with two-step verification on go on
    to /auth/two-step before any staff session exists."""
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        try:
            user = accounts.check_password_throttled(form.email.data, form.password.data,
                                                     ip_address=_client_ip())
        except throttle.Throttled:
            abort(429)
        except DatabaseUnavailable:
            abort(503)
        if user is not None:
            next_url = _safe_next(request.args.get("next"))
            if user.two_step_on:
                session.clear()  # nothing from before the password survives (S4)
                session[PENDING_KEY] = {"user_id": user.id, "at": int(time.time()),
                                        "next": next_url}
                return redirect(url_for("auth.two_step"), code=303)
            return complete_sign_in(user, next_url)
        failed = True
        form.password.data = ""
    errors = [("email", str(messages.SIGN_IN_FAILED))] if failed else None
    response = Response(render_template("auth/sign_in.html", form=form, failed_errors=errors,
                                        sso_name=sso.provider_name()), mimetype="text/html")
    origin = sso.provider_origin()
    if origin:  # the single sign-on button's form is redirected to the provider (CSP 3)
        response.headers["Content-Security-Policy"] = CSP.format(nonce=csp_nonce()).replace(
            "form-action 'self'", f"form-action 'self' {origin}")
    return response


def complete_sign_in(user: User, next_url: str, second_step: str = "") -> Response:
    """Open the staff session: the one way every sign-in ends, with or without a second step."""
    result = accounts.open_session(user, ip_address=_client_ip(), second_step=second_step)
    session.clear()  # a new session at sign-in (S4); also ends any pending second step
    session[SESSION_TOKEN_KEY] = result.token
    session.permanent = True
    login_user(result.user)
    return redirect(next_url, code=303)


@bp.route("/sign-out", methods=["POST"])
def sign_out() -> Response:
    """End the staff session on the server and in the browser."""
    user = current_user if current_user.is_authenticated else None
    accounts.sign_out(session.get(SESSION_TOKEN_KEY), user, ip_address=_client_ip())
    logout_user()
    session.clear()
    flash(_("You have signed out"), "success")
    return redirect(url_for("auth.sign_in"), code=303)
