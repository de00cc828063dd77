"""Routes: /staff/surveys (list with response counts) and their CSV exports."""

from __future__ import annotations

from flask import Response, abort, render_template, request, stream_with_context
from flask_login import current_user

from engage.blueprints import staff_required
from engage.blueprints.staff import bp
from engage.forms.messages import RESPONSE_CHANNEL_LABELS as CHANNEL_LABELS
from engage.services import exports

READERS = ("engagement_officer", "analyst")


@bp.route("/surveys")
@staff_required(*READERS)
def surveys() -> str:
    """Every survey, with responses sent and in progress by channel, and its exports."""
    return render_template("staff/surveys.html", summaries=exports.survey_summaries(),
                           channel_labels=CHANNEL_LABELS)


def _download(export: exports.Export) -> Response:
    response = Response(stream_with_context(export.chunks), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Row-Count"] = str(export.rows)
    return response


@bp.route("/surveys/<slug>/responses.csv", methods=["POST"])
@staff_required(*READERS)
def export_responses(slug: str) -> Response:
    """Download every sent response as CSV (logged with its row count)."""
    try:
        return _download(exports.responses_csv(slug, current_user, request.remote_addr or ""))
    except LookupError:
        abort(404)


@bp.route("/surveys/<slug>/codebook.csv", methods=["POST"])
@staff_required(*READERS)
def export_codebook(slug: str) -> Response:
    """Download the codebook that explains every column of the responses CSV."""
    try:
        return _download(exports.codebook_csv(slug, current_user, request.remote_addr or ""))
    except LookupError:
        abort(404)
