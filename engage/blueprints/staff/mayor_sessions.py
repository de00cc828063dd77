"""Staff routes for Ask the Mayor sessions: create, pick questions, record answers, publish."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engage.blueprints import found_or_404, staff_required, staff_user
from engage.blueprints.staff import bp
from engage.forms import messages
from engage.forms.mayor import AnswerForm, PickForm, SessionForm
from engage.models import MayorSession
from engage.services.collect.mayor import MayorError, queue, sessions

MODERATORS = ("moderator",)


def _session(session_id: int) -> MayorSession:
    return found_or_404(sessions.get_session(session_id))


def _error(exc: MayorError) -> None:
    flash(str(messages.MAYOR_ERRORS.get(exc.code, messages.MAYOR_ERROR_DEFAULT)), "error")


@bp.route("/mayor/sessions")
@staff_required(*MODERATORS)
def mayor_sessions() -> str:
    """Every session, latest first."""
    return render_template("staff/mayor/sessions.html", rows=sessions.all_sessions())


@bp.route("/mayor/sessions/new", methods=["GET", "POST"])
@staff_required(*MODERATORS)
def mayor_session_new() -> str | Response:
    """Plan a new session."""
    form = SessionForm()
    if form.validate_on_submit():
        hours, minutes = (int(x) for x in form.time.data.strip().split(":"))
        zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
        starts = datetime.combine(form.day.entered, time(hours, minutes), tzinfo=zone)
        try:
            created = sessions.create_session(staff_user(),
                                              form.title.data, starts, form.place.data)
        except MayorError as exc:
            _error(exc)
        else:
            flash(_("Session created"), "success")
            return redirect(url_for("staff.mayor_session", session_id=created.id), code=303)
    return render_template("staff/mayor/session_new.html", form=form)


def _render(session: MayorSession, pick_form: PickForm | None = None) -> str:
    pick_form = pick_form or PickForm()
    candidates = sessions.candidates(session)
    pick_form.questions.choices = [
        (q.id, f"{q.shown_text[:140]} ({q.support_count})") for q in candidates]
    return render_template("staff/mayor/session.html", s=session, pick_form=pick_form,
                           candidates=candidates, answer_form=AnswerForm(),
                           labels=messages.STAFF_STATUS_LABELS)


@bp.route("/mayor/sessions/<int:session_id>")
@staff_required(*MODERATORS)
def mayor_session(session_id: int) -> str:
    """A session: its questions, candidates most supported first, answers, publication."""
    return _render(_session(session_id))


@bp.route("/mayor/sessions/<int:session_id>/pick", methods=["POST"])
@staff_required(*MODERATORS)
def mayor_session_pick(session_id: int) -> Response | str:
    """Put questions on the session's agenda."""
    session = _session(session_id)
    form = PickForm()
    form.questions.choices = [(q.id, "") for q in sessions.candidates(session)]
    if not form.validate():
        return _render(session, form)
    try:
        added = sessions.pick_questions(session, staff_user(),
                                        form.questions.data)
    except MayorError as exc:
        _error(exc)
    else:
        flash(_("%(num)d questions added", num=added), "success")
    return redirect(url_for("staff.mayor_session", session_id=session.id), code=303)


@bp.route("/mayor/sessions/<int:session_id>/questions/<int:question_id>/answer",
          methods=["POST"])
@staff_required(*MODERATORS)
def mayor_session_answer(session_id: int, question_id: int) -> Response:
    """Record the answer the Mayor gave on the night."""
    session = _session(session_id)
    question = found_or_404(queue.get_question(question_id))
    form = AnswerForm()
    if not form.validate():
        flash(str(messages.ENTER_ANSWER), "error")
    else:
        try:
            sessions.record_answer(session, question, staff_user(),
                                   form.answer.data)
        except MayorError as exc:
            _error(exc)
        else:
            flash(_("Answer recorded"), "success")
    return redirect(url_for("staff.mayor_session", session_id=session.id), code=303)


@bp.route("/mayor/sessions/<int:session_id>/publish", methods=["POST"])
@staff_required(*MODERATORS)
def mayor_session_publish(session_id: int) -> Response:
    """Publish the session page and its answered questions."""
    session = _session(session_id)
    try:
        sessions.publish_session(session, staff_user())
    except MayorError as exc:
        _error(exc)
    else:
        flash(_("Session published"), "success")
    return redirect(url_for("staff.mayor_session", session_id=session.id), code=303)
