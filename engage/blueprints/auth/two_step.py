"""Routes: /auth/two-step and /auth/two-step/recovery-code, the second step of a staff sign-in
for accounts with two-step verification on (S6). The password was checked at /auth/sign-in,
which left only the user id and the time in the session; no staff session exists until a code
is right, and the pending state lasts five minutes."""

from __future__ import annotations

import time

from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engage.blueprints.auth import bp
from engage.blueprints.auth.routes import (
    PENDING_KEY,
    _client_ip,
    _safe_next,
    complete_sign_in,
)
from engage.extensions import db
from engage.forms import messages
from engage.forms.auth import AppCodeForm, RecoveryCodeForm
from engage.models import User
from engage.services.platform import throttle
from engage.services.platform import two_step as totp
from engage.services.platform.transactions import DatabaseUnavailable

PENDING_SECONDS = 5 * 60


def _pending_user() -> User | None:
    """The account whose password was just checked, while the five minutes last."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    started = pending.get("at")
    if not isinstance(started, int) or not 0 <= time.time() - started <= PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("user_id"))
    if user is None or not user.active or not user.two_step_on:
        return None
    return user


def _start_again() -> Response:
    had_pending = session.pop(PENDING_KEY, None) is not None
    if had_pending:
        flash(_("Your sign-in timed out. Sign in again."), "info")
    return redirect(url_for("auth.sign_in"), code=303)


def _second_step(form: AppCodeForm | RecoveryCodeForm, kind: str,
                 template: str) -> str | Response:
    user = _pending_user()
    if user is None:
        return _start_again()
    if form.validate_on_submit():
        try:
            method = totp.verify_at_sign_in(user, form.code.data, kind, ip_address=_client_ip())
        except throttle.Throttled:
            abort(429)
        except DatabaseUnavailable:
            abort(503)
        if method is not None:
            pending = session.get(PENDING_KEY) or {}
            response = complete_sign_in(user, _safe_next(pending.get("next")), second_step=method)
            if method == totp.RECOVERY:  # after the new session, so the message survives it
                flash(_("You used a recovery code. You have %(count)d left.",
                        count=totp.recovery_codes_left(user)), "info")
            return response
        form.code.errors = [str(messages.RECOVERY_CODE_WRONG if kind == totp.RECOVERY
                                else messages.APP_CODE_WRONG)]
    form.code.data = ""
    return render_template(template, form=form)


@bp.route("/two-step", methods=["GET", "POST"])
def two_step() -> str | Response:
    """Enter the code from the authenticator app to finish signing in."""
    return _second_step(AppCodeForm(), totp.APP, "auth/two_step.html")


@bp.route("/two-step/recovery-code", methods=["GET", "POST"])
def two_step_recovery() -> str | Response:
    """Enter a recovery code instead, when the app is not to hand; the code is used up."""
    return _second_step(RecoveryCodeForm(), totp.RECOVERY, "auth/two_step_recovery.html")
