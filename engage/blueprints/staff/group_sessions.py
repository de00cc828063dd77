"""Staff routes for group sessions: record a session and its notes as separate points."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from engage.blueprints import found_or_404, staff_required, staff_user
from engage.blueprints.staff import bp
from engage.extensions import db
from engage.forms.group_sessions import GroupSessionForm, PointForm
from engage.forms.messages import GROUP_LABELS
from engage.models import GroupSession, GroupSessionPoint, Survey, SurveyVersion
from engage.services.collect import group_sessions as service
from surveys import default_wards, localise

OFFICERS = ("engagement_officer",)


def _session(session_id: int) -> GroupSession:
    return found_or_404(service.get_session(session_id))


def _point(session: GroupSession, point_id: int) -> GroupSessionPoint:
    return found_or_404(service.get_point(session, point_id))


def ward_names() -> dict[str, str]:
    """Ward id → name in English."""
    return {w.id: localise(w.text, "en", "en") for w in default_wards()}


def _survey_titles() -> dict[int, str]:
    rows = db.session.execute(
        select(Survey.id, Survey.slug, SurveyVersion.title)
        .join(SurveyVersion, SurveyVersion.survey_id == Survey.id)
        .order_by(Survey.id, SurveyVersion.number))
    titles: dict[int, str] = {}
    for survey_id, slug, title in rows:
        titles[survey_id] = title or slug
    return titles


def _choices(form: GroupSessionForm) -> None:
    form.ward.choices = [("", _("Not in one ward")), *ward_names().items()]
    form.survey.choices = [("", _("None")), *((str(i), t) for i, t in _survey_titles().items())]


def _posted() -> bool:
    return request.method == "POST"


def _details(form: GroupSessionForm) -> service.SessionDetails:
    return service.SessionDetails(
        group_type=form.group_type.data, held_on=form.held_on.entered,
        facilitator=form.facilitator.data or "", ward=form.ward.data or "",
        group_name=form.group_name.data or "",
        survey_id=int(form.survey.data) if form.survey.data else None)


@bp.route("/group-sessions")
@staff_required(*OFFICERS)
def group_sessions() -> str:
    """Every group session, latest first."""
    return render_template("staff/group_sessions/list.html", rows=service.all_sessions(),
                           labels=GROUP_LABELS, wards=ward_names())


@bp.route("/group-sessions/new", methods=["GET", "POST"])
@staff_required(*OFFICERS)
def group_session_new() -> str | Response:
    """Record a new session; its points are added next."""
    form = GroupSessionForm()
    _choices(form)
    if form.validate_on_submit():
        created = service.create_session(staff_user(), _details(form))
        flash(_("Session recorded. Now add its points."), "success")
        return redirect(url_for("staff.group_session", session_id=created.id), code=303)
    return render_template("staff/group_sessions/form.html", form=form, session=None)


@bp.route("/group-sessions/<int:session_id>")
@staff_required(*OFFICERS)
def group_session(session_id: int) -> str:
    """A session's details and its points, with the form to add a point."""
    session = _session(session_id)
    return render_template("staff/group_sessions/session.html", s=session, form=PointForm(),
                           labels=GROUP_LABELS, wards=ward_names(),
                           surveys=_survey_titles())


@bp.route("/group-sessions/<int:session_id>/edit", methods=["GET", "POST"])
@staff_required(*OFFICERS)
def group_session_edit(session_id: int) -> str | Response:
    """Change a session's details."""
    session = _session(session_id)
    form = GroupSessionForm(obj=None, data=None if _posted() else {
        "group_type": session.group_type, "group_name": session.group_name,
        "held_on": session.held_on, "facilitator": session.facilitator, "ward": session.ward,
        "survey": str(session.survey_id or "")})
    _choices(form)
    if form.validate_on_submit():
        service.update_session(session, staff_user(), _details(form))
        flash(_("Session details saved"), "success")
        return redirect(url_for("staff.group_session", session_id=session.id), code=303)
    return render_template("staff/group_sessions/form.html", form=form, session=session)


@bp.route("/group-sessions/<int:session_id>/points", methods=["POST"])
@staff_required(*OFFICERS)
def group_session_point_add(session_id: int) -> str | Response:
    """Add a point to the session's notes."""
    session = _session(session_id)
    form = PointForm()
    if not form.validate():
        return render_template("staff/group_sessions/session.html", s=session, form=form,
                               labels=GROUP_LABELS, wards=ward_names(),
                               surveys=_survey_titles())
    service.add_point(session, staff_user(), form.text.data)
    flash(_("Point added"), "success")
    return redirect(url_for("staff.group_session", session_id=session.id) + "#points", code=303)


@bp.route("/group-sessions/<int:session_id>/points/<int:point_id>/edit",
          methods=["GET", "POST"])
@staff_required(*OFFICERS)
def group_session_point_edit(session_id: int, point_id: int) -> str | Response:
    """Change the wording of a point."""
    session = _session(session_id)
    point = _point(session, point_id)
    form = PointForm(data=None if _posted() else {"text": point.text})
    if form.validate_on_submit():
        service.edit_point(point, staff_user(), form.text.data)
        flash(_("Point saved"), "success")
        return redirect(url_for("staff.group_session", session_id=session.id) + "#points",
                        code=303)
    return render_template("staff/group_sessions/point.html", s=session, point=point, form=form,
                           labels=GROUP_LABELS)


@bp.route("/group-sessions/<int:session_id>/points/<int:point_id>/remove", methods=["POST"])
@staff_required(*OFFICERS)
def group_session_point_remove(session_id: int, point_id: int) -> Response:
    """Remove a point from the session's notes."""
    session = _session(session_id)
    point = _point(session, point_id)
    service.remove_point(point, staff_user())
    flash(_("Point removed"), "success")
    return redirect(url_for("staff.group_session", session_id=session.id) + "#points", code=303)
