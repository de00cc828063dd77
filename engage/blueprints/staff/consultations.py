"""Routes: /staff/consultations (the consultation hub for engagement officers): create and edit,
attach surveys, topics and wards, add events and documents, publish, close, publish results."""

from __future__ import annotations

from datetime import datetime, time
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engage.blueprints import staff_required, staff_user
from engage.blueprints.mayor_public.routes import ward_names
from engage.blueprints.staff import bp
from engage.blueprints.staff.group_sessions import _survey_titles
from engage.extensions import csrf, db
from engage.forms import messages
from engage.forms.consultations import ConsultationForm, DocumentForm, EventForm, StatusForm
from engage.models import Consultation
from engage.services.collect.consultations import documents, manage
from engage.services.collect.mayor.public import all_topics
from engage.services.platform.results_policy import ResultsRefused
from surveys.errors import NotFound

OFFICERS = ("engagement_officer",)
UPLOAD_LIMIT = documents.MAX_BYTES + 64 * 1024
Page = str | Response | tuple[str, int]


def _ip() -> str:
    return request.remote_addr or ""




def _consultation(consultation_id: int) -> Consultation:
    return db.get_or_404(Consultation, consultation_id)


def _choices(form: ConsultationForm) -> None:
    form.surveys.choices = sorted(_survey_titles().items(), key=lambda item: item[1])
    form.topics.choices = [(t.id, t.name_en) for t in all_topics()]
    form.wards.choices = list(ward_names("en").items())


def _input(form: ConsultationForm) -> manage.ConsultationInput:
    return manage.ConsultationInput(
        slug=form.slug.data, opens_on=form.opens_on.entered, closes_on=form.closes_on.entered,
        survey_ids=list(form.surveys.data or []), topic_ids=list(form.topics.data or []),
        wards=list(form.wards.data or []),
        **{name: form[name].data or "" for name in manage.TEXTS})


@bp.route("/consultations")
@staff_required(*OFFICERS)
def consultations_staff() -> str:
    """Every consultation with its status."""
    return render_template("staff/consultations/list.html", items=manage.staff_list())


def _save(form: ConsultationForm, consultation_id: int | None) -> Response | None:
    try:
        if consultation_id is None:
            consultation_id = manage.create(_input(form), staff_user(), _ip())
            flash(_("Consultation created as a draft"), "success")
        else:
            manage.update(consultation_id, _input(form), staff_user(), _ip())
            flash(_("Consultation saved"), "success")
    except manage.SlugTaken:
        form.slug.errors = [str(messages.SLUG_TAKEN)]
        return None
    return redirect(url_for("staff.consultation_staff", consultation_id=consultation_id),
                    code=303)


@bp.route("/consultations/new", methods=["GET", "POST"])
@staff_required(*OFFICERS)
def consultation_new() -> Page:
    """A new consultation (a draft until published)."""
    form = ConsultationForm()
    _choices(form)
    if form.validate_on_submit() and (done := _save(form, None)) is not None:
        return done
    return render_template("staff/consultations/form.html", form=form, c=None), (
        400 if form.errors else 200)


@bp.route("/consultations/<int:consultation_id>/edit", methods=["GET", "POST"])
@staff_required(*OFFICERS)
def consultation_edit(consultation_id: int) -> Page:
    """Change a consultation's details, surveys, topics and wards."""
    found = _consultation(consultation_id)
    data = None if request.method == "POST" else {
        **{name: getattr(found, name) for name in (*manage.TEXTS, "slug", "opens_on",
                                                   "closes_on")},
        "surveys": [s.id for s in found.surveys], "topics": [t.id for t in found.topics],
        "wards": [w.ward for w in found.wards]}
    form = ConsultationForm(data=data)
    _choices(form)
    if form.validate_on_submit() and (done := _save(form, consultation_id)) is not None:
        return done
    return render_template("staff/consultations/form.html", form=form, c=found), (
        400 if form.errors else 200)


@bp.route("/consultations/<int:consultation_id>")
@staff_required(*OFFICERS)
def consultation_staff(consultation_id: int) -> str:
    """A consultation's details, events, documents and the status buttons."""
    found = _consultation(consultation_id)
    return render_template("staff/consultations/show.html", c=found,
                           actions=[a for a, (before, _after) in manage.TRANSITIONS.items()
                                    if before == found.status], wards=ward_names("en"))


@bp.route("/consultations/<int:consultation_id>/status", methods=["POST"])
@staff_required(*OFFICERS)
def consultation_status(consultation_id: int) -> Response:
    """Publish, close, or publish the results."""
    _consultation(consultation_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        manage.change_status(consultation_id, form.action.data or "", staff_user(), _ip())
    except manage.WrongStatus:
        flash(_("That change does not apply to this consultation now"), "error")
    except ResultsRefused:
        flash(_("You cannot publish these results because you are not allowed to see the "
                "results of every survey in this consultation. Ask an administrator"), "error")
    else:
        flash(_("Status changed"), "success")
    return redirect(url_for("staff.consultation_staff", consultation_id=consultation_id),
                    code=303)


@bp.route("/consultations/<int:consultation_id>/events/new", methods=["GET", "POST"])
@staff_required(*OFFICERS)
def consultation_event_new(consultation_id: int) -> Page:
    """Add an event or group session."""
    found = _consultation(consultation_id)
    form = EventForm()
    if form.validate_on_submit():
        hours, minutes = (int(x) for x in form.time.data.split(":"))
        zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
        starts = datetime.combine(form.day.entered, time(hours, minutes), tzinfo=zone)
        manage.add_event(consultation_id, form.kind.data, form.title.data, starts,
                         form.place.data, form.accessibility.data or "", staff_user(), _ip())
        flash(_("Event added"), "success")
        return redirect(url_for("staff.consultation_staff", consultation_id=consultation_id),
                        code=303)
    return render_template("staff/consultations/event.html", form=form, c=found), (
        400 if form.errors else 200)


def document_upload(view: Any) -> Any:
    """Let this route take a document larger than the site's 64 KB body limit, then check
    CSRF as usual (the global check would read the body under the small limit)."""
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if request.method == "POST":
            if (request.content_length or 0) > UPLOAD_LIMIT:
                abort(413)
            request.max_content_length = UPLOAD_LIMIT
            request.max_form_memory_size = 1024 * 1024
            csrf.protect()
        return view(*args, **kwargs)

    csrf.exempt(wrapper)
    return wrapper


@bp.route("/consultations/<int:consultation_id>/documents/new", methods=["GET", "POST"])
@document_upload
@staff_required(*OFFICERS)
def consultation_document_new(consultation_id: int) -> Page:
    """Upload a background document (its type checked from its content) or add a link."""
    found = _consultation(consultation_id)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            manage.add_document(
                consultation_id, form.title.data, staff_user(), url=form.url.data or "",
                data=upload.read(documents.MAX_BYTES + 1) if upload else b"",
                filename=upload.filename or "" if upload else "", ip_address=_ip())
        except documents.DocumentRefused as exc:
            form.file.errors = [str(messages.DOCUMENT_PROBLEMS[exc.code])]
        else:
            flash(_("Document added"), "success")
            return redirect(url_for("staff.consultation_staff",
                                    consultation_id=consultation_id), code=303)
    return render_template("staff/consultations/document.html", form=form, c=found), (
        400 if form.errors or form.file.errors else 200)


@bp.route("/consultations/<int:consultation_id>/<kind>/<int:item_id>/remove",
          methods=["POST"])
@staff_required(*OFFICERS)
def consultation_item_remove(consultation_id: int, kind: str, item_id: int) -> Response:
    """Remove an event or a document."""
    if kind not in ("event", "document"):
        abort(404)
    try:
        manage.remove(consultation_id, kind, item_id, staff_user(), _ip())
    except NotFound:
        abort(404)
    flash(_("Removed"), "success")
    return redirect(url_for("staff.consultation_staff", consultation_id=consultation_id),
                    code=303)
