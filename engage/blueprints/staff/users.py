"""Routes: /staff/users (administrators change a staff account's role or access; audited)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from engage.blueprints import staff_required
from engage.blueprints.staff import bp
from engage.extensions import db
from engage.forms import users as forms
from engage.forms.messages import ROLE_LABELS
from engage.models import User
from engage.services import accounts


@bp.route("/users")
@staff_required("admin")
def users() -> str:
    """Every staff account with its role and whether it may sign in."""
    return render_template("staff/users/list.html", users=accounts.all_users(),
                           role_labels=ROLE_LABELS)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@staff_required("admin")
def user_access(user_id: int) -> Response | tuple[str, int]:
    """Change one account's role or access."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = forms.UserAccessForm(data={"role": user.role, "active": "yes" if user.active else "no"})
    if form.validate_on_submit():
        try:
            changed = accounts.change_user(current_user, user, form.role.data,
                                           form.active.data == "yes", request.remote_addr or "")
        except accounts.AccountError:
            form.role.errors = [str(forms.OWN_ACCOUNT)]
        else:
            if changed:
                flash(_("%(email)s has been updated", email=user.email), "success")
            return redirect(url_for("staff.users"), code=303)
    status = 400 if form.errors else 200
    return render_template("staff/users/edit.html", form=form, user=user), status
