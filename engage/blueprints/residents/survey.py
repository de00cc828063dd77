"""The survey runner: /s/<slug>/ start, pages, check your answers, submit, save and resume."""

from __future__ import annotations

from typing import Any

from flask import (
    abort,
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
from werkzeug.wrappers import Response as WerkzeugResponse

import surveys
from engage.blueprints import published_or_404
from engage.blueprints.caching import cached_page
from engage.blueprints.residents import bp, browser, flow, invited
from engage.blueprints.residents.rendering import freeze_values
from engage.extensions import limiter
from engage.forms.messages import LAWFUL_BASIS_LABELS
from engage.forms.survey import ResumeEmailForm
from engage.i18n import available_languages
from engage.links import public_url
from engage.models._types import utcnow
from engage.services.collect import admission, responses
from engage.services.collect.published_surveys import PublishedSurvey
from engage.services.platform.transactions import DatabaseUnavailable

Page = str | WerkzeugResponse | tuple[str, int]


def _language(published: PublishedSurvey) -> str:
    lang = str(get_locale() or "en")
    return lang if lang in published.definition.languages else published.definition.language


# Shared computers (issue 15): a browser idle this long no longer offers its unsent answers.
def _closed(published: PublishedSurvey) -> Page:
    return render_template("survey/closed.html", survey=published,
                           title=_title(published)), 200


def _title(published: PublishedSurvey) -> str:
    definition = published.definition
    return surveys.localise(definition.title, _language(published), definition.language)


def _open(slug: str) -> PublishedSurvey:
    """The published survey, or stop here with the closed page."""
    published = published_or_404(slug)
    if not published.is_open():
        abort(make_response(_closed(published)))
    return published


def _in_progress(published: PublishedSurvey,
                 keep_if_idle: bool = False) -> responses.ResponseState:
    """This browser's unsent response, or stop here and go back to the start page."""
    response = _current(published, keep_if_idle)
    if response is None or response.status != "in_progress":
        abort(redirect(url_for("residents.start", slug=published.slug), code=303))
    return response


def _current(published: PublishedSurvey,
             keep_if_idle: bool = False) -> responses.ResponseState | None:
    response_id = browser.response_id(published.slug, keep_if_idle)
    try:
        return responses.load_response(response_id, published,
                                       invited.token_for(published.slug, response_id))
    except responses.ResponseGone:
        browser.bind(published.slug, None)
        return None


@bp.route("/s/<slug>/")
def start(slug: str) -> Page:
    """The start page: what the survey is for, how long, privacy and lawful basis."""
    published = _open(slug)
    response = _current(published)  # admitted for it, or InvitationRequired
    if response is None or response.status != "in_progress":
        admission.admit(published, invited.token_for(slug))  # to start one
    lang = _language(published)
    definition = published.definition
    in_progress = response is not None and response.status == "in_progress"
    cleared = request.args.get("cleared") == "1"
    return cached_page(
        (published.version_id, in_progress, cleared), "survey/start.html", survey=published,
        title=_title(published), in_progress=in_progress, cleared=cleared,
        lawful_basis=str(LAWFUL_BASIS_LABELS.get(published.lawful_basis, published.lawful_basis)),
        description=surveys.localise(definition.description, lang, definition.language)
        if definition.description else "",
    )


def _response_key() -> str:
    found = session.get("surveys") or {}
    return "answer:" + (",".join(f"{k}={v}" for k, v in sorted(found.items())) or
                        (request.remote_addr or ""))


@bp.route("/s/<slug>/start", methods=["POST"])
@limiter.limit(lambda: current_app.config["SURVEY_START_LIMIT"])
def begin(slug: str) -> Page:
    """Start (or carry on with) a response, then go to its first unanswered page."""
    published = _open(slug)
    response = _current(published)
    if response is None or response.status != "in_progress":
        response_id = responses.start_response(published, _language(published),
                                               invitation=invited.token_for(slug))
        browser.bind(slug, response_id)
        answers: dict[str, Any] = {}
    else:
        answers = response.answers or {}
    return _go_to_next(published, answers)


def _go_to_next(published: PublishedSurvey, answers: dict[str, Any],
                return_to_check: bool = False) -> WerkzeugResponse:
    return flow.go_to_next(published, answers, _links(published.slug), return_to_check)


def _links(slug: str) -> flow.Links:
    return flow.Links(args={"slug": slug})


def _on_path(slug: str, page_id: str, keep_if_idle: bool = False) \
        -> tuple[PublishedSurvey, responses.ResponseState, dict[str, Any], list[str],
                 tuple[str, ...]] | WerkzeugResponse:
    """The survey, response, answers, path and the page's visible questions, or where to go."""
    published = _open(slug)
    response = _in_progress(published, keep_if_idle)
    answers: dict[str, Any] = dict(response.answers or {})
    steps = surveys.path_questions(published.definition, answers)
    visible = steps.get(page_id)
    if visible is None:
        return _go_to_next(published, answers)
    return published, response, answers, list(steps), visible


# The page and its answers are two views on one URL, so the rate limit on answers (a
# decorator, which costs time even on the methods it does not limit) is paid by POSTs only.
@bp.get("/s/<slug>/q/<page_id>")
def question(slug: str, page_id: str) -> Page:
    """One page of questions, shown pre-filled with the answers already given, or with what
    was typed on it and not saved (its draft), with the error messages when it was checked."""
    found = _on_path(slug, page_id)
    if not isinstance(found, tuple):
        return found
    published, response, answers, on_path, visible = found
    return_to_check = request.args.get("return") == "check"
    draft = response.draft_for(page_id)
    if draft is not None:
        return _render_draft(published, page_id, answers, on_path, draft, return_to_check,
                             visible)
    values = surveys.to_form_data(published.definition, page_id, answers)
    position = on_path.index(page_id)
    # Everything the page shows follows from this key (with the language and URL that
    # cached_page adds): the context is built only when the page has to be rendered.
    key = (published.version_id, page_id, visible, freeze_values(values), position,
           len(on_path), on_path[position - 1] if position else None, return_to_check)
    return cached_page(key, "survey/page.html", lambda: _page_context(
        published, page_id, answers, on_path, values, [], return_to_check, visible=visible))


def _render_draft(published: PublishedSurvey, page_id: str, answers: dict[str, Any],
                  on_path: list[str], draft: dict[str, Any], return_to_check: bool,
                  visible: tuple[str, ...]) -> Page:
    """The page as it was typed; checked again (in today's language) if Continue was pressed.

    Never from the page cache: the page holds what one resident typed.
    """
    form = draft["form"]
    errors: list[tuple[str, str]] = []
    if draft.get("checked"):
        lang = _language(published)
        result = surveys.validate_page(published.definition, page_id, form, lang, answers)
        errors = flow.page_errors(result, lang)
    return _render_page(published, page_id, answers, on_path, form, errors, return_to_check,
                        visible=visible)


@bp.post("/s/<slug>/q/<page_id>")
@limiter.limit(lambda: current_app.config["SURVEY_ANSWER_LIMIT"], key_func=_response_key)
def answer(slug: str, page_id: str) -> Page:
    """A page's answers: validated by the engine, saved on their own.

    A page with errors is kept as typed (the response's draft, never an answer) and shown
    again by a redirect (post/redirect/get), so the browser's Back never lands on a form
    submission. The language switch on the page sends the page the same way, unchecked.
    """
    found = _on_path(slug, page_id, keep_if_idle=True)  # a long answer can take a while
    if not isinstance(found, tuple):
        return found
    published, response, answers, on_path, visible = found
    definition = published.definition
    lang = _language(published)
    return_to_check = request.args.get("return") == "check"
    form = request.form.to_dict(flat=False)
    switch_to = request.form.get("switch_language")
    if switch_to is not None:
        return _switch_language(published, response, page_id, answers, on_path, form,
                                switch_to, return_to_check, visible)
    result = surveys.validate_page(definition, page_id, form, lang, answers)
    saving_for_later = request.form.get("action") == "save"
    if not result.ok:
        if saving_for_later:  # the page is kept as typed, to finish on coming back
            try:
                responses.save_draft(response.id, page_id, form, checked=False)
            except DatabaseUnavailable:
                abort(503)
            except responses.ResponseGone:
                browser.bind(slug, None)
                return redirect(url_for("residents.start", slug=slug), code=303)
            return _save_for_later(published, response.id, page_saved=False)
        return _keep_draft(published, response.id, page_id, answers, on_path, form,
                           return_to_check, visible, checked=True)
    try:
        responses.save_page(response.id, page_id, result.answers, lang)
    except DatabaseUnavailable:
        return _render_page(published, page_id, answers, on_path, form, [], return_to_check,
                            unavailable=True, visible=visible)
    except responses.ResponseGone:
        browser.bind(slug, None)
        return redirect(url_for("residents.start", slug=slug), code=303)
    if saving_for_later:
        return _save_for_later(published, response.id, page_saved=True)
    answers.update(result.answers)
    return flow.after_save(published, answers, page_id, _links(slug), return_to_check)


def _keep_draft(published: PublishedSurvey, response_id: int, page_id: str,
                answers: dict[str, Any], on_path: list[str], form: dict[str, list[str]],
                return_to_check: bool, visible: tuple[str, ...], checked: bool) -> Page:
    """Keep what was typed as the page's draft, then show the page again by a GET.

    If the draft cannot be kept (database busy), the page is shown in this response instead,
    as typed, with its messages: nothing typed is lost either way.
    """
    try:
        responses.save_draft(response_id, page_id, form, checked)
    except DatabaseUnavailable:
        lang = _language(published)
        errors = flow.page_errors(surveys.validate_page(published.definition, page_id, form,
                                                        lang, answers), lang) if checked else []
        return _render_page(published, page_id, answers, on_path, form, errors,
                            return_to_check, unavailable=not checked, visible=visible)
    except responses.ResponseGone:
        browser.bind(published.slug, None)
        return redirect(url_for("residents.start", slug=published.slug), code=303)
    return redirect(_links(published.slug).question_url(page_id, return_to_check), code=303)


def _switch_language(published: PublishedSurvey, response: responses.ResponseState,
                     page_id: str, answers: dict[str, Any], on_path: list[str],
                     form: dict[str, list[str]], switch_to: str, return_to_check: bool,
                     visible: tuple[str, ...]) -> Page:
    """The language switch on a question page: keep the page as typed (unchecked, unless it
    was already showing its errors), then show the same page in the chosen language."""
    if switch_to in available_languages():
        session["lang"] = switch_to
    earlier = response.draft_for(page_id)
    return _keep_draft(published, response.id, page_id, answers, on_path, form,
                       return_to_check, visible, checked=bool(earlier and earlier.get("checked")))


def _page_context(published: PublishedSurvey, page_id: str, answers: dict[str, Any],
                  on_path: list[str], values: Any, errors: list[tuple[str, str]],
                  return_to_check: bool, unavailable: bool = False,
                  visible: tuple[str, ...] | None = None) -> dict[str, Any]:
    context = flow.page_context(published, page_id, answers, on_path, values, errors,
                                _language(published), _links(published.slug), return_to_check,
                                visible)
    context.update(unavailable=unavailable, title=context["title"] or _title(published))
    return context


def _render_page(published: PublishedSurvey, page_id: str, answers: dict[str, Any],
                 on_path: list[str], values: Any, errors: list[tuple[str, str]],
                 return_to_check: bool, unavailable: bool = False,
                 visible: tuple[str, ...] | None = None) -> Page:
    """A page with what the resident sent (errors, or the database was unavailable)."""
    body = render_template("survey/page.html", **_page_context(
        published, page_id, answers, on_path, values, errors, return_to_check, unavailable,
        visible))
    if unavailable:
        return body, 503
    return body


def _save_for_later(published: PublishedSurvey, response_id: int, page_saved: bool) -> Page:
    try:
        token = responses.issue_resume_token(response_id)
    except DatabaseUnavailable:
        abort(503)
    session["resume"] = {"slug": published.slug, "token": token, "page_saved": page_saved,
                         "sealed": invited.sealed_for(published.slug, response_id)}
    return redirect(url_for("residents.saved", slug=published.slug), code=303)


@bp.route("/s/<slug>/saved", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESUME_EMAIL_LIMIT"], methods=["POST"])
def saved(slug: str) -> Page:
    """Your answers are saved: the resume link, shown to this browser only, or emailed when
    the service has a mail server (without one, the page says the link is only shown)."""
    published = published_or_404(slug)
    if browser.idle():
        browser.forget_all()
    info = session.get("resume") or {}
    if info.get("slug") != slug:
        return redirect(url_for("residents.start", slug=slug), code=303)
    sealed = {"a": info["sealed"]} if info.get("sealed") else {}
    link = public_url("residents.resume", slug=slug, token=info["token"], **sealed)
    days = responses.RESUME_DAYS
    form = ResumeEmailForm()
    mail_configured = bool(current_app.config.get("MAIL_SERVER"))
    if mail_configured and form.validate_on_submit():
        sent = responses.email_resume_link(form.email.data, link, _title(published), days)
        session["resume"] = {**info, "emailed": bool(sent), "email_failed": not sent}
        return redirect(url_for("residents.saved", slug=slug), code=303)
    return render_template("survey/saved.html", survey=published, title=_title(published),
                           link=link, days=days, page_saved=info.get("page_saved", True),
                           form=form, emailed=info.get("emailed"),
                           mail_configured=mail_configured,
                           email_failed=info.get("email_failed"))


@bp.route("/s/<slug>/resume/<token>")
def resume(slug: str, token: str) -> Page:
    """Carry on from a resume link: bind the response to this browser, go to the next page.
    On an invitation-only survey the link carries the invitation, sealed for this response
    (``a``), so that another browser may carry on with it, and only with it."""
    published = _open(slug)
    sealed = request.args.get("a", "")[:admission.SEALED_LENGTH]
    try:
        response = responses.resume(token, published, invited.token_for(slug), sealed)
    except responses.ResponseGone:
        return render_template("survey/resume_failed.html", survey=published,
                               title=_title(published)), 404
    browser.bind(slug, response.id)
    invited.resumed(slug, response.id, sealed)
    session.pop("resume", None)
    return _go_to_next(published, dict(response.answers or {}))


@bp.route("/s/<slug>/check")
def check(slug: str) -> Page:
    """Check your answers, with a change link for each."""
    published = _open(slug)
    response = _in_progress(published)
    definition = published.definition
    final = surveys.prune(definition, response.answers or {})
    if not surveys.is_complete(definition, final):
        return _go_to_next(published, final)
    rows = flow.check_rows(published, final, _language(published), _links(slug))
    return render_template("survey/check.html", survey=published, title=_("Check your answers"),
                           rows=rows)


@bp.route("/s/<slug>/submit", methods=["POST"])
def submit(slug: str) -> Page:
    """Submit once; a double click or a resubmit lands on the same confirmation."""
    published = published_or_404(slug)
    response_id = browser.response_id(slug)
    done = session.get("done", {})
    if response_id is None:
        if slug in done:
            return redirect(url_for("residents.done", slug=slug), code=303)
        return redirect(url_for("residents.start", slug=slug), code=303)
    if not published.is_open():
        return _closed(published)
    try:
        reference = responses.submit(response_id, published,
                                     invitation=invited.token_for(slug, response_id))
    except responses.NotComplete as exc:
        return redirect(url_for("residents.question", slug=slug, page_id=exc.page_id), code=303) \
            if exc.page_id else redirect(url_for("residents.check", slug=slug), code=303)
    except responses.ResponseGone:
        browser.bind(slug, None)
        return redirect(url_for("residents.start", slug=slug), code=303)
    except DatabaseUnavailable:
        abort(503)
    browser.forget(slug)  # the next person at this computer is not offered these answers
    invited.after_submit(slug, response_id)  # uses up the invitation; the answers keep no link
    session["done"] = {**done, slug: reference}
    return redirect(url_for("residents.done", slug=slug), code=303)


@bp.post("/s/<slug>/start-again")
def start_again(slug: str) -> Page:
    """Forget this browser's unsent answers to the survey (shared computers), back to the start."""
    published_or_404(slug)
    browser.forget(slug)
    return redirect(url_for("residents.start", slug=slug, cleared=1), code=303)


@bp.route("/s/<slug>/done")
def done(slug: str) -> Page:
    """The confirmation, with the reference; shown only after the response is committed."""
    published = published_or_404(slug)
    reference = session.get("done", {}).get(slug)
    if not reference:
        return redirect(url_for("residents.start", slug=slug), code=303)
    return render_template("survey/done.html", survey=published, title=_title(published),
                           reference=reference, contact=current_app.config["CONTACT_EMAIL"],
                           submitted_on=utcnow())
