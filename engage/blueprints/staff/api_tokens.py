"""Routes: /staff/api-tokens (admins create, list and revoke partner API tokens)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from engage.blueprints import staff_required, staff_user
from engage.blueprints.staff import bp
from engage.forms.insight import ApiTokenForm
from engage.links import public_url
from engage.services.platform import api_tokens
from engage.services.report import exports
from surveys.errors import NotFound


def _form() -> ApiTokenForm:
    form = ApiTokenForm()
    form.surveys.choices = [(s.slug, s.title) for s in exports.survey_summaries()]
    return form


@bp.route("/api-tokens", methods=["GET", "POST"])
@staff_required("admin")
def api_token_list() -> Response | str:
    """Tokens with their surveys and state; a form to create one (its secret shown once)."""
    form = _form()
    created = None
    if form.validate_on_submit():
        try:
            created = api_tokens.create_token(form.name.data, list(form.surveys.data),
                                              staff_user(), request.remote_addr or "")
        except NotFound:
            abort(400)
    page = render_template("staff/insight/api_tokens.html", form=form, created=created,
                           tokens=api_tokens.tokens(),
                           docs=public_url("api.openapi"))
    response = Response(page, status=400 if form.errors else 200, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"  # the new secret is on this page once
    return response


@bp.route("/api-tokens/<int:token_id>/revoke", methods=["POST"])
@staff_required("admin")
def api_token_revoke(token_id: int) -> Response:
    """Revoke a token: partners' tools using it stop working at once."""
    if not api_tokens.revoke_token(token_id, staff_user(), request.remote_addr or ""):
        abort(404)
    return redirect(url_for("staff.api_token_list"), code=303)
