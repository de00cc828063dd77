"""Routes: /staff/users (administrators change a staff account's role or access, or reset its
two-step verification; audited)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engage.blueprints import staff_required, staff_user
from engage.blueprints.staff import bp
from engage.extensions import db
from engage.forms import users as forms
from engage.forms.messages import OWN_ACCOUNT, ROLE_LABELS
from engage.models import User
from engage.services.platform import accounts, settings, two_step


@bp.route("/users")
@staff_required("admin")
def users() -> str:
    """Every staff account with its role and whether it may sign in."""
    return render_template("staff/users/list.html", users=accounts.all_users(),
                           role_labels=ROLE_LABELS, two_step_roles=[
                               str(ROLE_LABELS[r]) for r in settings.two_step_roles()])


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@staff_required("admin")
def user_access(user_id: int) -> Response | tuple[str, int]:
    """Change one account's role or access."""
    user = db.get_or_404(User, user_id)
    form = forms.UserAccessForm(data={"role": user.role, "active": "yes" if user.active else "no"})
    if form.validate_on_submit():
        try:
            changed = accounts.change_user(staff_user(), user, form.role.data,
                                           form.active.data == "yes", request.remote_addr or "")
        except accounts.AccountError:
            form.role.errors = [str(OWN_ACCOUNT)]
        else:
            if changed:
                flash(_("%(email)s has been updated", email=user.email), "success")
            return redirect(url_for("staff.users"), code=303)
    status = 400 if form.errors else 200
    return render_template("staff/users/edit.html", form=form, user=user), status


@bp.route("/users/<int:user_id>/two-step", methods=["GET", "POST"])
@staff_required("admin")
def user_two_step_reset(user_id: int) -> Response | tuple[str, int]:
    """Confirm, then turn off someone's two-step verification (a lost phone); audited."""
    user = db.get_or_404(User, user_id)
    if not user.two_step_on:
        flash(_("%(email)s does not have two-step verification on", email=user.email), "info")
        return redirect(url_for("staff.users"), code=303)
    form = forms.ResetTwoStepForm()
    own = user.id == staff_user().id
    if form.validate_on_submit() and not own:
        two_step.reset_by_admin(staff_user(), user, request.remote_addr or "")
        flash(_("Two-step verification has been reset for %(email)s. They can sign in with "
                "their password and set it up again.", email=user.email), "success")
        return redirect(url_for("staff.users"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("staff/users/two_step_reset.html", form=form, user=user,
                           own=own), status
