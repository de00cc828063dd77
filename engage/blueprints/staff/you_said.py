"""Routes: /staff/surveys/<slug>/updates (add “you said, we did” updates to a consultation)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from engage.blueprints import staff_required, staff_user
from engage.blueprints.staff import bp
from engage.forms.insight import UpdateForm
from engage.services.report import you_said
from surveys.errors import NotFound


@bp.route("/surveys/<slug>/updates", methods=["GET", "POST"])
@staff_required("engagement_officer")
def you_said_updates(slug: str) -> Response | tuple[str, int]:
    """The consultation's published updates and a form to add one (shown at once publicly)."""
    try:
        title, updates = you_said.updates_for_staff(slug)
    except NotFound:
        abort(404)
    form = UpdateForm()
    if form.validate_on_submit():
        you_said.add_update(slug, form.kind.data, form.title_en.data, form.body_en.data,
                            form.title_bn.data or "", form.body_bn.data or "", staff_user(),
                            request.remote_addr or "")
        return redirect(url_for("staff.you_said_updates", slug=slug), code=303)
    status = 400 if form.errors else 200
    return render_template("staff/insight/updates.html", form=form, title=title, slug=slug,
                           updates=updates), status
