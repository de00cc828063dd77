"""Routes: /auth/invitation/<token> (an invited person sets their password),
/auth/forgot-password and /auth/reset-password/<token> (issue 19). Pages that carry a token
are never cached, and the token is not echoed anywhere but the form's own address."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engage.blueprints.auth import bp
from engage.blueprints.auth.routes import _client_ip
from engage.forms import messages
from engage.forms.auth import ForgotPasswordForm, SetPasswordForm
from engage.services.platform import invitations, throttle
from engage.services.platform.accounts import AccountError
from engage.services.platform.transactions import DatabaseUnavailable


def _page(template: str, status: int = 200, **context: object) -> Response:
    response = Response(render_template(template, **context), status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _set_password(purpose: str, token: str, template: str, done: str) -> Response:
    if invitations.user_for_token(purpose, token) is None:
        return _page("auth/link_dead.html", 404, purpose=purpose)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            invitations.set_password(purpose, token, form.password.data, _client_ip())
        except AccountError as exc:
            if exc.code == "link":
                return _page("auth/link_dead.html", 404, purpose=purpose)
            form.password.errors = [str(messages.PASSWORD_PROBLEMS[exc.code])]
        except DatabaseUnavailable:
            abort(503)
        else:
            flash(done, "success")
            return redirect(url_for("auth.sign_in"), code=303)
    form.password.data = form.password_confirm.data = ""
    return _page(template, 400 if form.errors else 200, form=form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> Response:
    """An invited person chooses their password, then signs in."""
    return _set_password(invitations.INVITE, token, "auth/accept_invitation.html",
                         _("Your password has been set. Sign in to continue."))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response:
    """Choose a new password from a reset link; every session of the account ends."""
    return _set_password(invitations.RESET, token, "auth/reset_password.html",
                         _("Your password has been changed. Sign in with your new password."))


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password() -> Response:
    """Ask for a reset link. The answer is the same whether or not the account exists."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            invitations.request_reset(form.email.data, _client_ip())
        except throttle.Throttled:
            abort(429)
        except DatabaseUnavailable:
            abort(503)
        return redirect(url_for("auth.forgot_password_sent"), code=303)
    return _page("auth/forgot_password.html", 400 if form.errors else 200, form=form)


@bp.route("/forgot-password/sent")
def forgot_password_sent() -> Response:
    """The one answer to every reset request."""
    return _page("auth/forgot_password_sent.html")
