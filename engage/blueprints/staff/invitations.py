"""Routes: /staff/users/invite, /staff/users/<id>/invitation/resend and /revoke (administrators
invite staff by email), /staff/users/two-step-rules (which roles must use two-step
verification); and the rule that sends such a person to set it up before anything else."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from engage.blueprints import staff_required, staff_user
from engage.blueprints.staff import bp
from engage.extensions import db
from engage.forms import messages
from engage.forms import users as forms
from engage.forms.messages import ROLE_LABELS
from engage.models import User
from engage.services.platform import invitations, settings
from engage.services.platform.accounts import AccountError

# What a person who must set up two-step verification may still open.
SET_UP_ENDPOINTS = frozenset({"staff.two_step", "staff.two_step_start", "staff.two_step_setup"})


@bp.before_request
def _two_step_first() -> Response | None:
    """A signed-in person whose role must use two-step verification, and who has not set it
    up, is sent to set it up and can do nothing else until they have."""
    if not current_user.is_authenticated or current_user.two_step_on:
        return None
    if request.endpoint in SET_UP_ENDPOINTS:
        return None
    if not settings.two_step_required(current_user.role):
        return None
    flash(_("Your role must use two-step verification. Set it up to continue."), "info")
    return redirect(url_for("staff.two_step"), code=303)




def _ip() -> str:
    return request.remote_addr or ""


def _sent(ok: bool, email: str) -> None:
    if ok:
        flash(_("An invitation has been sent to %(email)s", email=email), "success")
    else:
        flash(_("The invitation could not be emailed to %(email)s. Try sending it again later.",
                email=email), "warning")


@bp.route("/users/invite", methods=["GET", "POST"])
@staff_required("admin")
def user_invite() -> Response | tuple[str, int]:
    """Invite someone: their address, role and organisation; they choose their password."""
    form = forms.InviteForm()
    if form.validate_on_submit():
        try:
            user, ok = invitations.invite(staff_user(), form.email.data, form.role.data,
                                          form.organisation.data or "", form.name.data or "",
                                          _ip())
        except AccountError as exc:
            form.email.errors = [str(messages.EMAIL_TAKEN if exc.code == "email_taken"
                                     else messages.EMAIL_FORMAT)]
        else:
            _sent(ok, user.email)
            return redirect(url_for("staff.users"), code=303)
    status = 400 if form.errors else 200
    return render_template("staff/users/invite.html", form=form), status


def _invited(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.route("/users/<int:user_id>/invitation/resend", methods=["POST"])
@staff_required("admin")
def user_invite_resend(user_id: int) -> Response:
    """Send a new link; the old one stops working."""
    user = _invited(user_id)
    form = forms.InvitationActionForm()
    if form.validate_on_submit() and user.invitation_pending:
        _sent(invitations.resend(staff_user(), user, _ip()), user.email)
    return redirect(url_for("staff.users"), code=303)


@bp.route("/users/<int:user_id>/invitation/revoke", methods=["GET", "POST"])
@staff_required("admin")
def user_invite_revoke(user_id: int) -> Response | tuple[str, int]:
    """Confirm, then withdraw an invitation: the link stops working."""
    user = _invited(user_id)
    if not user.invitation_pending or not user.active:
        return redirect(url_for("staff.users"), code=303)
    form = forms.InvitationActionForm()
    if form.validate_on_submit():
        invitations.revoke(staff_user(), user, _ip())
        flash(_("The invitation to %(email)s has been withdrawn", email=user.email), "success")
        return redirect(url_for("staff.users"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("staff/users/revoke.html", form=form, user=user), status


@bp.route("/users/two-step-rules", methods=["GET", "POST"])
@staff_required("admin")
def two_step_rules() -> Response | tuple[str, int]:
    """Choose which roles must use two-step verification (administrators by default)."""
    form = forms.TwoStepRulesForm(data={"roles": settings.two_step_roles()})
    if form.validate_on_submit():
        if settings.set_two_step_roles(staff_user(), list(form.roles.data or [])):
            flash(_("The two-step verification rules have been saved"), "success")
        return redirect(url_for("staff.users"), code=303)
    status = 400 if form.errors else 200
    return render_template("staff/users/two_step_rules.html", form=form,
                           role_labels=ROLE_LABELS), status
