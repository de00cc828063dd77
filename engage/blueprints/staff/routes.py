"""Routes: /staff/ (the staff home)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from engage.blueprints import ANY_STAFF, staff_required
from engage.blueprints.staff import bp
from engage.forms.messages import ROLE_LABELS


@bp.route("/")
@staff_required(*ANY_STAFF)
def dashboard() -> str:
    """The staff home page: what this role can do."""
    return render_template("staff/dashboard.html",
                           role_label=ROLE_LABELS.get(current_user.role, current_user.role))
