"""Routes under /ask-the-mayor: the form, sent, status, answers (and support), sessions."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Response as FlaskResponse
from flask import (
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter import RequestLimit
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from engage.blueprints.mayor_public import bp
from engage.blueprints.paging import page_arg, pager
from engage.errors import render_error
from engage.extensions import limiter
from engage.formatting import format_date
from engage.forms import messages
from engage.forms.mayor import QuestionForm, ReferenceForm, SupportForm, tidy_phone
from engage.routing import int_arg
from engage.services.collect.mayor import public, sessions
from engage.services.collect.mayor.submission import QuestionInput, status_for, submit_question
from engage.services.platform.references import new_reference, normalise_reference
from engage.services.platform.transactions import DatabaseUnavailable
from surveys import default_wards, localise

SUPPORTER_COOKIE = "engage_supporter"
SENT_KEY = "mayor_sent"


def _lang() -> str:
    return str(get_locale() or "en")


def ward_names(lang: str) -> dict[str, str]:
    """Ward id → name in the language."""
    return {w.id: localise(w.text, lang, "en") for w in default_wards()}


def prepare_question_form(form: QuestionForm) -> dict[int, str]:
    """Fill in the topic and ward choices; returns the topic names for the template."""
    lang = _lang()
    topics = public.active_topics()
    form.topic.choices = [(str(t.id), t.name(lang)) for t in topics]
    form.ward.choices = [("", _("Select your ward")), *ward_names(lang).items()]
    return {t.id: t.name(lang) for t in topics}


def question_input(form: QuestionForm, channel: str = "online", event: str = "") -> QuestionInput:
    """The service's input from a validated question form."""
    postcode = form.postcode.data or ""
    return QuestionInput(
        text=form.question.data, topic_id=int(form.topic.data), ward=form.ward.data or "",
        postcode=postcode if postcode.strip() else "", consent_publish=form.consent.data == "yes",
        contact_name=form.name.data or "", contact_email=form.email.data or "",
        contact_phone=tidy_phone(form.phone.data or "") or "", language=_lang(),
        channel=channel, event=event,
    )


def _too_many(limit: RequestLimit) -> FlaskResponse:
    """A friendly 429 that keeps everything the resident typed."""
    form = QuestionForm()  # what was posted
    prepare_question_form(form)
    body = render_template("mayor/ask.html", form=form, too_many=True)
    response = make_response(body, 429)
    response.headers["Retry-After"] = "600"
    return response


@bp.errorhandler(429)
def _rate_limited(exc: HTTPException) -> Response | tuple[Any, int]:
    """Use the page prepared by on_breach (the form with what was typed), else the usual one."""
    if isinstance(exc.response, Response):
        return exc.response
    return render_error(429)


@bp.route("", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config.get("MAYOR_SUBMIT_LIMIT", "10 per 10 minutes"),
               methods=["POST"], on_breach=_too_many)
def ask() -> str | Response:
    """Explain the scheme and take a question."""
    form = QuestionForm()
    prepare_question_form(form)
    if form.validate_on_submit():
        if form.is_spam:
            session[SENT_KEY] = new_reference()  # looks like success to a robot; nothing stored
            return redirect(url_for("mayor.sent"), code=303)
        try:
            session[SENT_KEY] = submit_question(question_input(form)).reference
        except DatabaseUnavailable:
            return _unavailable(form)
        return redirect(url_for("mayor.sent"), code=303)
    return render_template("mayor/ask.html", form=form)


def _unavailable(form: QuestionForm) -> Response:
    """R4: the database stayed locked or down; the form comes back with everything typed."""
    response = make_response(render_template("mayor/ask.html", form=form, unavailable=True), 503)
    response.headers["Retry-After"] = "5"
    return response


@bp.route("/sent")
def sent() -> str | Response:
    """The confirmation page with the reference."""
    reference = session.get(SENT_KEY)
    if not reference:
        return redirect(url_for("mayor.ask"), code=303)
    return render_template("mayor/sent.html", reference=reference)


@bp.route("/status")
def status() -> str:
    """Check a question's status by reference (a GET form; works from a link in an email)."""
    form = ReferenceForm(formdata=request.args if "reference" in request.args else None)
    result = None
    not_found = False
    if "reference" in request.args and form.validate():
        if normalise_reference(form.reference.data) is None:
            form.reference.errors.append(messages.REFERENCE_FORMAT)
        else:
            result = status_for(form.reference.data)
            if result is None:
                form.reference.errors.append(messages.REFERENCE_NOT_FOUND)
                not_found = True
    return render_template("mayor/status.html", form=form, result=result, not_found=not_found,
                           reasons=messages.REJECT_REASON_LABELS,
                           labels=messages.RESIDENT_STATUS_LABELS)


def _filters() -> tuple[public.AnswerFilters, int]:
    args = request.args
    topics = {t.slug for t in public.all_topics()}
    wards = {w.id for w in default_wards()}
    topic = args.get("topic", "")
    ward = args.get("ward", "")
    return public.AnswerFilters(
        search=args.get("q", "")[:100].strip(),
        topic=topic if topic in topics else "",
        ward=ward if ward in wards else "",
        session_id=int_arg("session"),
    ), page_arg()


@bp.route("/answers")
def answers() -> str:
    """Published questions and answers: search, filters, pages, support."""
    filters, page_number = _filters()
    page = public.published_page(filters, page_number, request.cookies.get(SUPPORTER_COOKIE))
    lang = _lang()
    topics = public.all_topics()
    by_day: dict[object, str] = {}
    dates = {}
    for q in page.items:
        day = q.published_at.date() if q.published_at else None
        if day not in by_day:
            by_day[day] = format_date(day) if day else ""
        dates[q.id] = by_day[day]
    return render_template(
        "mayor/answers.html", page=page, filters=filters,
        pager=pager(page.page, page.pages, "mayor.answers"), dates=dates,
        topics=topics, topic_names={t.id: t.name(lang) for t in topics},
        wards=ward_names(lang), lang=lang,
        sessions=sessions.past_sessions(),
    )


@bp.route("/answers/<int:question_id>/support", methods=["POST"])
@limiter.limit(lambda: current_app.config.get("MAYOR_SUPPORT_LIMIT", "30 per 10 minutes"))
def support(question_id: int) -> Response:
    """"I want to know this too": once per browser."""
    token = request.cookies.get(SUPPORTER_COOKIE) or secrets.token_urlsafe(24)
    public.add_support(question_id, token)
    back = SupportForm().back_to(url_for("mayor.answers"))
    response = redirect(f"{back}#question-{question_id}", code=303)
    response.set_cookie(SUPPORTER_COOKIE, token, max_age=365 * 24 * 3600, httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.route("/sessions")
def sessions_page() -> str:
    """Upcoming and past "Ask the Mayor" sessions."""
    lang = _lang()
    past = sessions.past_sessions()
    return render_template("mayor/sessions.html", upcoming=sessions.upcoming_sessions(),
                           past=past, summaries=sessions.published_summaries([s.id for s in past]),
                           wards=ward_names(lang), lang=lang)
