"""Routes: /staff/two-step (any signed-in staff member sets up, turns off or renews the
recovery codes of their own two-step verification, S6). The key being set up is held on the
server-side session row, not on the account, until a code from it is right; the recovery
codes are shown once, on the response that creates them."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from engage.blueprints import ANY_STAFF, staff_required, staff_user
from engage.blueprints.auth.routes import SESSION_TOKEN_KEY
from engage.blueprints.staff import bp
from engage.extensions import limiter
from engage.forms import messages
from engage.forms.auth import AppCodeForm, TurnOffForm
from engage.services.platform import settings
from engage.services.platform import two_step as totp
from engage.services.platform.accounts import AccountError


def _token() -> str | None:
    return session.get(SESSION_TOKEN_KEY)


def _user_key() -> str:
    return f"two-step-manage:{current_user.get_id()}"


def _refused(response: Response) -> bool:
    return response.status_code == 400


# A wrong code on any of these pages counts against the same per-account limit.
_CODE_LIMIT = limiter.shared_limit(lambda: current_app.config["TWO_STEP_LIMIT"],
                                   scope="two-step-manage", key_func=_user_key,
                                   methods=["POST"], deduct_when=_refused)


def _page(template: str, status: int = 200, **context: object) -> Response:
    response = Response(render_template(template, **context), status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"  # keys and recovery codes are on these pages
    return response


@bp.route("/two-step")
@staff_required(*ANY_STAFF)
def two_step() -> Response:
    """Whether two-step verification is on, and what can be done about it."""
    left = totp.recovery_codes_left(staff_user()) if current_user.two_step_on else 0
    return _page("staff/two_step/status.html", codes_left=left,
                 required=settings.two_step_required(current_user.role))


@bp.route("/two-step/start", methods=["POST"])
@staff_required(*ANY_STAFF)
def two_step_start() -> Response:
    """Make a fresh key for this session and go to the set-up page."""
    if current_user.two_step_on:
        return redirect(url_for("staff.two_step"), code=303)
    try:
        totp.begin_setup(_token(), staff_user())
    except AccountError:
        return redirect(url_for("staff.two_step"), code=303)
    return redirect(url_for("staff.two_step_setup"), code=303)


@bp.route("/two-step/set-up", methods=["GET", "POST"])
@staff_required(*ANY_STAFF)
@_CODE_LIMIT
def two_step_setup() -> Response:
    """The QR code and the key as text; a correct code from the app turns it on."""
    secret = totp.pending_secret(_token(), staff_user())
    if secret is None or current_user.two_step_on:
        return redirect(url_for("staff.two_step"), code=303)
    form = AppCodeForm()
    if form.validate_on_submit():
        try:
            codes = totp.confirm_setup(_token(), staff_user(), form.code.data,
                                           ip_address=request.remote_addr or "")
        except AccountError:
            form.code.errors = [str(messages.APP_CODE_WRONG)]
        else:
            return _page("staff/two_step/codes.html", codes=codes, turned_on=True)
    form.code.data = ""
    uri = totp.setup_uri(secret, current_user.email, current_app.config["SERVICE_NAME"])
    qr = totp.qr_svg(uri, _("QR code for your authenticator app"))
    return _page("staff/two_step/set_up.html", 400 if form.errors else 200, form=form,
                 qr_svg=qr, key=totp.grouped(secret))


@bp.route("/two-step/turn-off", methods=["GET", "POST"])
@staff_required(*ANY_STAFF)
@_CODE_LIMIT
def two_step_off() -> Response:
    """Turn two-step verification off with a current code or a recovery code."""
    if not current_user.two_step_on:
        return redirect(url_for("staff.two_step"), code=303)
    if settings.two_step_required(current_user.role):
        flash(_("Your role must use two-step verification, so you cannot turn it off"), "info")
        return redirect(url_for("staff.two_step"), code=303)
    form = TurnOffForm()
    if form.validate_on_submit():
        try:
            totp.turn_off(staff_user(), form.code.data, ip_address=request.remote_addr or "")
        except AccountError:
            form.code.errors = [str(messages.APP_CODE_WRONG)]
        else:
            flash(_("Two-step verification is off"), "success")
            return redirect(url_for("staff.two_step"), code=303)
    form.code.data = ""
    return _page("staff/two_step/turn_off.html", 400 if form.errors else 200, form=form)


@bp.route("/two-step/recovery-codes", methods=["GET", "POST"])
@staff_required(*ANY_STAFF)
@_CODE_LIMIT
def two_step_codes() -> Response:
    """New recovery codes after a current code from the app; the old ones stop working."""
    if not current_user.two_step_on:
        return redirect(url_for("staff.two_step"), code=303)
    form = AppCodeForm()
    if form.validate_on_submit():
        try:
            codes = totp.replace_recovery_codes(staff_user(), form.code.data,
                                                    ip_address=request.remote_addr or "")
        except AccountError:
            form.code.errors = [str(messages.APP_CODE_WRONG)]
        else:
            return _page("staff/two_step/codes.html", codes=codes, turned_on=False)
    form.code.data = ""
    return _page("staff/two_step/new_codes.html", 400 if form.errors else 200, form=form)
