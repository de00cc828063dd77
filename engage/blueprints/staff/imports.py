"""Staff routes for importing responses from CSV and XLSX files: upload, match columns, match
answers, check, then import all or nothing with a row-by-row error report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engage.blueprints import found_or_404, staff_required, staff_user
from engage.blueprints.staff import bp
from engage.blueprints.staff.jobs import after_start
from engage.forms.imports import UploadForm, answers_form, columns_form
from engage.models import ResponseImport
from engage.services.collect import import_writing
from engage.services.collect import imports as service
from surveys import imports as im

OFFICERS = ("engagement_officer",)
UPLOAD_ENDPOINT = "staff.import_new"


UPLOAD_SLACK = 64 * 1024
"""Room for the form's other fields and the multipart framing around the file."""


def allow_import_uploads() -> Response | None:
    """Let the upload route take files larger than the site-wide body limit (S9); send a body
    over the import limit back to the form, unread, with the GOV.UK message."""
    if request.endpoint == UPLOAD_ENDPOINT and request.method == "POST":
        if (request.content_length or 0) > service.MAX_BYTES + UPLOAD_SLACK:
            return redirect(url_for(UPLOAD_ENDPOINT, too_big=1), code=303)
        request.max_content_length = service.MAX_BYTES + UPLOAD_SLACK
        # Werkzeug buffers multipart chunks against this limit too; text fields stay small
        # because the form validates their lengths.
        request.max_form_memory_size = 1024 * 1024
    return None


def _record(import_id: int) -> ResponseImport:
    return found_or_404(service.get_import(import_id))


def _msg(message: str, params: dict[str, Any] | None = None) -> str:
    text = _(message)
    return text % params if params else text


@bp.route("/imports")
@staff_required(*OFFICERS)
def imports() -> str:
    """Every import, newest first."""
    return render_template("staff/imports/list.html", rows=service.all_imports())


@bp.route("/imports/new", methods=["GET", "POST"])
@staff_required(*OFFICERS)
def import_new() -> str | Response:
    """Upload a file of responses for a published survey."""
    form = UploadForm()
    form.survey.choices = [("", _("Select a survey")), *service.published_surveys()]
    if request.method == "GET" and request.args.get("too_big"):
        form.upload.errors = [_msg(im.import_messages.FILE_TOO_BIG,
                                   {"max": service.MAX_BYTES // (1024 * 1024)})]
    if form.validate_on_submit():
        upload = form.upload.data
        content = upload.read(service.MAX_BYTES + 1)
        try:
            record = service.create_import(staff_user(), form.survey.data,
                                           form.name.data, upload.filename or "", content)
        except service.ImportProblem as problem:
            field = getattr(form, problem.field or "upload")
            field.errors = [_msg(problem.message, problem.params)]
        else:
            return redirect(url_for("staff.import_columns", import_id=record.id), code=303)
    return render_template("staff/imports/new.html", form=form)


def _target_choices(record: ResponseImport) -> list[tuple[str, str]]:
    return [("", _("Do not import")),
            *((t.key, t.label) for t in im.targets(service.definition(record)))]


@bp.route("/imports/<int:import_id>/columns", methods=["GET", "POST"])
@staff_required(*OFFICERS)
def import_columns(import_id: int) -> str | Response:
    """Match each column of the file to a question (suggested from the column names)."""
    record = _record(import_id)
    if record.state == "imported":
        return redirect(url_for("staff.import_check", import_id=record.id), code=303)
    choices = _target_choices(record)
    errors: list[tuple[str, str]] = []
    form = columns_form(len(record.headers), choices)
    if form.validate_on_submit():
        columns = form.columns()
        problems = service.save_columns(record, staff_user(), columns)
        if not problems:
            return redirect(url_for("staff.import_answers", import_id=record.id), code=303)
        errors = [(f"column-{p.column or 0}", _msg(p.message, p.params)) for p in problems]
        chosen: Mapping[int, str] = columns
    else:
        chosen = service.plan_of(record).columns
    samples = service.column_samples(record)
    return render_template("staff/imports/columns.html", record=record, choices=choices,
                           chosen=chosen, samples=samples, page_errors=errors,
                           error_for=dict(errors))


@bp.route("/imports/<int:import_id>/answers", methods=["GET", "POST"])
@staff_required(*OFFICERS)
def import_answers(import_id: int) -> str | Response:
    """Match the answers found in choice columns to the question's options."""
    record = _record(import_id)
    if record.state == "imported":
        return redirect(url_for("staff.import_check", import_id=record.id), code=303)
    columns = service.value_choices(record)
    form = answers_form(columns)
    if form.validate_on_submit():
        service.save_values(record, staff_user(), form.values())
        return redirect(url_for("staff.import_check", import_id=record.id), code=303)
    if not columns:
        return redirect(url_for("staff.import_check", import_id=record.id), code=303)
    return render_template("staff/imports/answers.html", record=record, columns=columns)


@bp.route("/imports/<int:import_id>")
@staff_required(*OFFICERS)
def import_check(import_id: int) -> str:
    """The first rows as they will be stored, the error report, and the import button."""
    record = _record(import_id)
    titles: list[str] = []
    rows: list[service.PreviewRow] = []
    if record.state != "imported":
        titles, rows = service.preview(record)
    report = [{**e, "why": _msg(e["message"], e["params"])} for e in record.errors or []]
    return render_template("staff/imports/check.html", record=record, titles=titles, rows=rows,
                           report=report, render=lambda e: _msg(e.message, dict(e.params)))


@bp.route("/imports/<int:import_id>/run", methods=["POST"])
@staff_required(*OFFICERS)
def import_run(import_id: int) -> Response:
    """Start the import as a background job and show its progress (every row, or none)."""
    record = _record(import_id)
    try:
        job = import_writing.start_import(record, staff_user())
    except service.ImportProblem as problem:
        flash(_msg(problem.message, problem.params), "error")
        return redirect(url_for("staff.import_check", import_id=import_id), code=303)
    if job.status == "succeeded":  # it ran at once (sync mode): say what it did
        if (job.result or {}).get("errors"):
            flash(_("Nothing was imported. Correct the rows in the report and try again."),
                  "error")
        else:
            flash(_("%(num)d responses imported", num=int((job.result or {}).get("imported", 0))),
                  "success")
    return after_start(job)


@bp.route("/imports/<int:import_id>/discard", methods=["POST"])
@staff_required(*OFFICERS)
def import_discard(import_id: int) -> Response:
    """Delete an import that was not imported, and its file."""
    record = _record(import_id)
    try:
        import_writing.discard_import(record, staff_user())
    except service.ImportProblem as problem:
        flash(_msg(problem.message, problem.params), "error")
        return redirect(url_for("staff.import_check", import_id=import_id), code=303)
    flash(_("Import deleted"), "success")
    return redirect(url_for("staff.imports"), code=303)
