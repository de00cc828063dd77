"""Routes: codeframes (/staff/coding): the list, new codeframes (from sources or approved
themes), the overview, codes (add, edit, retire, history) and CSV import.

Coding is analysts' work (admins pass every check); partner viewers and group members have no
access (there are no comments on codeframes). A codeframe is shown only to those who may see the
results of every survey its texts come from (results_policy), like a theme run.
"""

from __future__ import annotations

from flask import Response as FlaskResponse
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from engage.blueprints import found_or_404, staff_required, staff_user
from engage.blueprints.staff import bp
from engage.blueprints.staff.themes import _source_choices
from engage.extensions import db
from engage.forms import messages
from engage.forms.coding import ButtonForm, CodeForm, CodeframeForm, FromRunForm, ImportForm
from engage.models import Code, Codeframe
from engage.services.code import groupings
from engage.services.code.coding import CodingError, codes, export, final, frames
from engage.services.code.coding.codes import ImportRejected
from engage.services.code.coding.views import code_counts
from engage.services.code.themes.views import user_names

CODERS = ("analyst",)


def frame_or_404(frame_id: int) -> Codeframe:
    """The codeframe, if it exists and the user may see all its texts' results."""
    frame = found_or_404(frames.get(frame_id))
    if not frames.may_see(current_user, frame):
        abort(403)
    return frame


def error_text(exc: CodingError) -> str:
    """The GOV.UK message for a coding error."""
    return str(messages.CODING_ERRORS.get(exc.code, messages.CODING_ERROR_DEFAULT))


def _code_or_404(frame: Codeframe, code_id: int) -> Code:
    code: Code = db.one_or_404(select(Code).filter_by(id=code_id, codeframe_id=frame.id))
    return code


@bp.route("/coding")
@staff_required(*CODERS)
def coding_index() -> str:
    """Every codeframe this analyst may see."""
    rows = [(f, frames.progress(f)) for f in frames.visible(current_user)]
    return render_template("staff/coding/index.html", rows=rows)


@bp.route("/coding/new", methods=["GET", "POST"])
@staff_required(*CODERS)
def coding_new() -> tuple[str, int] | Response:
    """A new codeframe over chosen sources of text."""
    form = CodeframeForm()
    form.sources.choices = _source_choices()
    if form.validate_on_submit():
        try:
            frame = frames.create_codeframe(staff_user(), form.title.data, list(form.sources.data))
        except CodingError as exc:
            target = form.title if exc.code.startswith("title") else form.sources
            target.errors = [error_text(exc)]
        else:
            flash(_("Codeframe created. Add codes, import them, or start coding."), "success")
            return redirect(url_for("staff.coding_frame", frame_id=frame.id), code=303)
    return render_template("staff/coding/new.html", form=form), 400 if form.errors else 200


@bp.route("/coding/from-themes", methods=["GET", "POST"])
@staff_required(*CODERS)
def coding_from_themes() -> tuple[str, int] | Response:
    """A new codeframe whose codes are an analysis run's approved themes."""
    form = FromRunForm()
    runs = frames.runs_with_approved_themes(current_user)
    form.run.choices = [(str(r.id), _("Run %(id)s", id=r.id) + (f": {r.title}" if r.title else ""))
                        for r in runs]
    if form.validate_on_submit():
        run = next((r for r in runs if str(r.id) == form.run.data), None)
        try:
            if run is None:
                raise CodingError("no_approved_themes")
            frame = frames.create_from_run(staff_user(), run, form.title.data)
        except CodingError as exc:
            target = form.title if exc.code.startswith("title") else form.run
            target.errors = [error_text(exc)]
        else:
            flash(_("Codeframe created from the approved themes"), "success")
            return redirect(url_for("staff.coding_frame", frame_id=frame.id), code=303)
    return render_template("staff/coding/from_themes.html", form=form,
                           runs=runs), 400 if form.errors else 200


@bp.route("/coding/<int:frame_id>")
@staff_required(*CODERS)
def coding_frame(frame_id: int) -> str:
    """A codeframe: progress, its codes with how often each is used, and what to do next."""
    frame = frame_or_404(frame_id)
    labels = dict(_source_choices())
    _found, coded = groupings.code_rows(frame)
    return render_template("staff/coding/frame.html", frame=frame,
                           progress=frames.progress(frame), rows=codes.tree(frame, True),
                           counts=code_counts(frame), figures=groupings.count(coded),
                           blockers=[] if frame.final_at else final.blockers(frame),
                           button_form=ButtonForm(), coding_errors=messages.CODING_ERRORS,
                           sources_text=", ".join(str(labels.get(s, s)) for s in frame.sources))


@bp.route("/coding/<int:frame_id>/final", methods=["POST"])
@staff_required(*CODERS)
def coding_final(frame_id: int) -> Response:
    """Mark the codeframe final (its coded counts then reach reports), or reopen it."""
    frame = frame_or_404(frame_id)
    if ButtonForm().validate_on_submit():
        reopening = frame.final_at is not None
        try:
            if reopening:
                final.reopen(frame, staff_user())
            else:
                final.mark_final(frame, staff_user())
        except CodingError as exc:
            flash(error_text(exc), "error")
        else:
            flash(_("Codeframe reopened; its counts are no longer reported") if reopening
                  else _("Codeframe marked final; its counts now appear in reports"), "success")
    return redirect(url_for("staff.coding_frame", frame_id=frame.id), code=303)


def _parent_choices(frame: Codeframe, code: Code | None = None) -> list[tuple[str, str]]:
    choices = [("", _("None (a top-level code)"))]
    for row in codes.tree(frame):
        if row.depth == 0 and (code is None or row.code.id != code.id):
            choices.append((str(row.code.id), row.code.name))
    return choices


def _save_code(frame: Codeframe, form: CodeForm, code: Code | None) -> Code | None:
    value = (form.parent.data or "").strip()
    try:
        if value and not (value.isdigit() and len(value) <= 9):
            raise CodingError("parent_unknown")
        parent = int(value) if value else None
        if code is None:
            return codes.add_code(frame, staff_user(), form.name.data, form.definition.data or "",
                                  parent)
        return codes.edit_code(code, staff_user(), form.name.data, form.definition.data or "",
                               parent)
    except CodingError as exc:
        target = form.parent if exc.code.startswith("parent") else (
            form.definition if exc.code.startswith("definition") else form.name)
        target.errors = [error_text(exc)]
        return None


@bp.route("/coding/<int:frame_id>/codes/new", methods=["GET", "POST"])
@staff_required(*CODERS)
def coding_code_new(frame_id: int) -> tuple[str, int] | Response:
    """Add a code."""
    frame = frame_or_404(frame_id)
    form = CodeForm()
    form.parent.choices = _parent_choices(frame)
    if form.validate_on_submit() and _save_code(frame, form, None) is not None:
        flash(_("Code added"), "success")
        return redirect(url_for("staff.coding_frame", frame_id=frame.id), code=303)
    return render_template("staff/coding/code.html", frame=frame, form=form,
                           code=None), 400 if form.errors else 200


@bp.route("/coding/<int:frame_id>/codes/<int:code_id>", methods=["GET", "POST"])
@staff_required(*CODERS)
def coding_code(frame_id: int, code_id: int) -> tuple[str, int] | Response:
    """Edit a code (a new version), see its history, retire or bring it back."""
    frame = frame_or_404(frame_id)
    code = _code_or_404(frame, code_id)
    form = CodeForm(data={"name": code.name, "definition": code.definition,
                          "parent": str(code.parent_id or "")})
    form.parent.choices = _parent_choices(frame, code)
    if form.validate_on_submit() and _save_code(frame, form, code) is not None:
        flash(_("Code saved"), "success")
        return redirect(url_for("staff.coding_code", frame_id=frame.id, code_id=code.id),
                        code=303)
    versions = codes.history(code)
    return render_template("staff/coding/code.html", frame=frame, form=form, code=code,
                           versions=versions, button_form=ButtonForm(),
                           names=user_names({v.changed_by_id for v in versions}),
                           change_labels=messages.CODE_CHANGE_LABELS,
                           code_names={c.id: c.name for c in codes.active_codes(frame)}
                           ), 400 if form.errors else 200


@bp.route("/coding/<int:frame_id>/codes/<int:code_id>/retire", methods=["POST"])
@staff_required(*CODERS)
def coding_code_retire(frame_id: int, code_id: int) -> Response:
    """Retire a code, or bring a retired one back."""
    frame = frame_or_404(frame_id)
    code = _code_or_404(frame, code_id)
    if ButtonForm().validate_on_submit():
        try:
            codes.set_retired(code, staff_user(), code.active)
        except CodingError as exc:
            flash(error_text(exc), "error")
        else:
            flash(_("Code brought back") if code.active else _("Code retired"), "success")
    return redirect(url_for("staff.coding_code", frame_id=frame.id, code_id=code.id), code=303)


@bp.route("/coding/<int:frame_id>/import", methods=["GET", "POST"])
@staff_required(*CODERS)
def coding_import(frame_id: int) -> tuple[str, int] | Response:
    """Import codes from a CSV file: all of them, or none with every problem listed."""
    frame = frame_or_404(frame_id)
    form = ImportForm()
    problems: list[tuple[str, str]] = []
    status = 200
    if form.validate_on_submit():
        try:
            added = codes.import_codes(frame, staff_user(), form.upload.data.read())
        except ImportRejected as exc:
            problems = [(_("Row %(number)s", number=p.row),
                         str(messages.CODING_ERRORS.get(p.code, messages.CODING_ERROR_DEFAULT)))
                        for p in exc.problems]
            form.upload.errors = [_("The file has %(count)s problems; nothing was imported",
                                    count=len(problems))]
        except CodingError as exc:
            form.upload.errors = [error_text(exc)]
        else:
            flash(_("%(count)s codes imported", count=len(added)), "success")
            return redirect(url_for("staff.coding_frame", frame_id=frame.id), code=303)
    if form.errors:
        status = 400
    return render_template("staff/coding/import.html", frame=frame, form=form,
                           problems=problems), status


@bp.route("/coding/<int:frame_id>/codes.csv", methods=["POST"])
@staff_required(*CODERS)
def coding_export(frame_id: int) -> FlaskResponse:
    """Download the codes of every text as CSV, a column per code (logged with its row count)."""
    frame = frame_or_404(frame_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    name, rows, body = export.codes_csv(frame, staff_user(), request.remote_addr or "")
    response = FlaskResponse(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Row-Count"] = str(rows)
    return response
