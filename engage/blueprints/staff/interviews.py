"""Interviewer mode: /staff/interviews — consent, language and channel, then the same runner.

The question pages, validation, saving and submit are the resident runner's (flow, the engine and
engage.services.collect.responses); only the links and the layout around the questions differ.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as WerkzeugResponse

import surveys
from engage.blueprints import published_or_404, staff_required, staff_user
from engage.blueprints.residents import flow
from engage.blueprints.staff import bp
from engage.forms import options
from engage.forms.fieldwork import InterviewSetupForm, targets_form
from engage.forms.messages import RESPONSE_CHANNEL_LABELS as CHANNEL_LABELS
from engage.services.collect import channels, responses
from engage.services.collect.published_surveys import (
    PublishedSurvey,
    open_surveys,
)
from engage.services.platform.transactions import DatabaseUnavailable
from engage.templating import form_errors
from surveys.errors import NotFound

INTERVIEWERS = channels.INTERVIEWER_ROLES
OFFICERS = ("engagement_officer",)
Page = str | WerkzeugResponse | tuple[str, int]




def _ip() -> str:
    return request.remote_addr or ""


def _survey(slug: str, must_be_open: bool = True) -> PublishedSurvey:
    published = published_or_404(slug)
    if must_be_open and not published.is_open():
        abort(404)  # as online: a closed survey has no pages to answer
    return published


def _title(published: PublishedSurvey) -> str:
    definition = published.definition
    return surveys.localise(definition.title, str(get_locale() or "en"), definition.language)


def _language_name(code: str) -> str:
    names: dict[str, str] = current_app.config["LANGUAGES"]
    return names.get(code, code)


def _links(published: PublishedSurvey, response_id: int) -> flow.Links:
    return flow.Links(start="staff.interview_overview", question="staff.interview_question",
                      check="staff.interview_check",
                      args={"slug": published.slug, "response_id": response_id})


def _interview(published: PublishedSurvey, response_id: int) -> Any:
    try:
        return channels.interview_for(response_id, published, staff_user())
    except NotFound:
        abort(404)


def _in_progress(published: PublishedSurvey, response_id: int) -> Any:
    response = _interview(published, response_id)
    if response.status != "in_progress":
        abort(redirect(url_for("staff.interview_done", slug=published.slug,
                               response_id=response_id), code=303))
    return response


@bp.route("/interviews")
@staff_required(*INTERVIEWERS)
def interviews() -> str:
    """Open surveys to interview for, with my completes against my targets."""
    progress = channels.my_progress(staff_user(), open_surveys())
    unfinished = {p.slug: channels.unfinished_interviews(staff_user(), p) for p, _mine in progress}
    return render_template("staff/interviews/index.html", progress=progress,
                           unfinished=unfinished, title_of=_title)


def _setup_form(published: PublishedSurvey, formdata: Any = None,
                data: dict[str, str] | None = None) -> Any:
    """The interview setup form, with this survey's languages and the interview channels."""
    if formdata is not None:  # what was typed, kept in the session after errors: no new token
        form = InterviewSetupForm(formdata=formdata, meta={"csrf": False})
    else:
        form = InterviewSetupForm(data=data or {})
    form.language.choices = options((code, code) for code in published.definition.languages)
    form.channel.choices = options((code, code) for code in channels.INTERVIEW_CHANNELS)
    return form


@bp.route("/interviews/<slug>/new", methods=["GET", "POST"])
@staff_required(*INTERVIEWERS)
def interview_new(slug: str) -> Page:
    """Before the questions: language, channel, proxy, batch, and the consent statement."""
    published = _survey(slug)
    last = session.get("interview_setup", {})
    defaults = {"language": last.get("language", published.definition.language),
                "channel": last.get("channel", ""), "batch": last.get("batch", ""),
                "proxy": "", "consent": ""}
    typed = session.pop("interview_setup_typed", None) if request.method == "GET" else None
    if not isinstance(typed, dict) or typed.get("slug") != slug:
        typed = None
    if typed is not None:  # the form as typed, shown again (by a GET) after errors
        form = _setup_form(published, formdata=MultiDict(
            {k: str(typed.get(k, "")) for k in defaults}))
        form.validate()
    elif request.method == "POST":
        form = _setup_form(published)
        form.validate_on_submit()
    else:
        form = _setup_form(published, data=defaults)
    values = {k: form[k].data or "" for k in defaults}
    errors = form_errors(form)
    if request.method == "POST":
        if errors:  # post/redirect/get: Back never lands on a form submission
            # (each value cut to just over the longest allowed: the session is a cookie)
            session["interview_setup_typed"] = {"slug": slug, **{
                k: v[:channels.BATCH_MAX + 1] for k, v in values.items()}}
            return redirect(url_for("staff.interview_new", slug=slug), code=303)
        session["interview_setup"] = {"language": values["language"],
                                      "channel": values["channel"],
                                      "batch": channels.clean_label(values["batch"],
                                                                    channels.BATCH_MAX)}
        try:
            if values["consent"] == "no":
                channels.record_refusal(published, interviewer=staff_user(),
                                        channel=values["channel"], ip_address=_ip())
                return redirect(url_for("staff.interview_refused", slug=slug), code=303)
            response_id = channels.start_interview(
                published, interviewer=staff_user(), language=values["language"],
                channel=values["channel"], proxy=values["proxy"] == "yes",
                batch=values["batch"], ip_address=_ip())
        except DatabaseUnavailable:
            abort(503)
        return flow.go_to_next(published, {}, _links(published, response_id))
    languages = [(code, _language_name(code)) for code in published.definition.languages]
    body = render_template("staff/interviews/new.html", survey=published,
                           title=_title(published), form=values, page_errors=errors,
                           languages=languages, channel_labels=CHANNEL_LABELS,
                           interview_channels=channels.INTERVIEW_CHANNELS,
                           consent_statements=_consent_statements(published))
    return body


def _consent_statements(published: PublishedSurvey) -> list[tuple[str, str, str]]:
    """The consent statement to read out, in each language of the survey: (code, name, text)."""
    found = []
    for code in published.definition.languages:
        with force_locale(code):
            title = surveys.localise(published.definition.title, code,
                                     published.definition.language)
            text = _("This interview is for %(title)s. It takes about %(minutes)s minutes. "
                     "Taking part is voluntary: you can skip a question or stop at any time. "
                     "Your answers are used only for this survey and are kept as the privacy "
                     "notice says. Do you agree to take part?",
                     title=title, minutes=published.definition.estimated_minutes or 10)
        found.append((code, _language_name(code), text))
    return found


@bp.route("/interviews/<slug>/refused")
@staff_required(*INTERVIEWERS)
def interview_refused(slug: str) -> str:
    """No consent, no interview: nothing was saved."""
    published = _survey(slug, must_be_open=False)
    return render_template("staff/interviews/refused.html", survey=published,
                           title=_title(published))


@bp.route("/interviews/<slug>/<int:response_id>/")
@staff_required(*INTERVIEWERS)
def interview_overview(slug: str, response_id: int) -> Page:
    """The interview's details, and a way back into its questions."""
    published = _survey(slug)
    response = _in_progress(published, response_id)
    return render_template("staff/interviews/overview.html", survey=published,
                           title=_title(published), response=response,
                           language_name=_language_name(response.language),
                           channel_labels=CHANNEL_LABELS,
                           next_url=flow.go_to_next(published, dict(response.answers or {}),
                                                    _links(published, response_id)).location)


@bp.route("/interviews/<slug>/<int:response_id>/q/<page_id>", methods=["GET", "POST"])
@staff_required(*INTERVIEWERS)
def interview_question(slug: str, response_id: int, page_id: str) -> Page:
    """One page of questions in the interview language: the runner's page, on a staff layout."""
    published = _survey(slug)
    response = _in_progress(published, response_id)
    links = _links(published, response_id)
    definition = published.definition
    answers: dict[str, Any] = dict(response.answers or {})
    on_path = surveys.path(definition, answers)
    if not definition.has_page(page_id) or page_id not in on_path:
        return flow.go_to_next(published, answers, links)
    lang = response.language
    return_to_check = request.args.get("return") == "check"
    if request.method == "GET":
        draft = _draft_for(response, page_id)
        if draft is not None:  # what was typed and not saved, with its messages if checked
            form = draft["form"]
            errors = flow.page_errors(surveys.validate_page(definition, page_id, form, lang,
                                                            answers), lang) \
                if draft.get("checked") else []
            return _render_page(published, response, page_id, answers, on_path, form,
                                errors, return_to_check)
        values = surveys.to_form_data(definition, page_id, answers)
        return _render_page(published, response, page_id, answers, on_path, values, [],
                            return_to_check)
    form = request.form.to_dict(flat=False)
    result = surveys.validate_page(definition, page_id, form, lang, answers)
    if not result.ok:
        # Kept as typed (the response's draft, as on the resident's pages), then shown again
        # by a GET: the browser's Back never lands on a form submission.
        try:
            responses.save_draft(response_id, page_id, form, checked=True)
        except DatabaseUnavailable:
            return _render_page(published, response, page_id, answers, on_path, form,
                                flow.page_errors(result, lang), return_to_check), 400
        except responses.ResponseGone:
            abort(404)
        return redirect(links.question_url(page_id, return_to_check), code=303)
    try:
        responses.save_page(response_id, page_id, result.answers, lang)
    except DatabaseUnavailable:
        return _render_page(published, response, page_id, answers, on_path, form, [],
                            return_to_check, unavailable=True), 503
    except responses.ResponseGone:
        abort(404)
    answers.update(result.answers)
    return flow.after_save(published, answers, page_id, links, return_to_check)


def _draft_for(response: Any, page_id: str) -> dict[str, Any] | None:
    """What was typed on this page of the interview and not saved as answers, if anything."""
    return responses.ResponseState(id=response.id, status=response.status,
                                   answers=dict(response.answers or {}),
                                   draft=response.draft).draft_for(page_id)


def _render_page(published: PublishedSurvey, response: Any, page_id: str,
                 answers: dict[str, Any], on_path: list[str], values: Any,
                 errors: list[tuple[str, str]], return_to_check: bool,
                 unavailable: bool = False) -> str:
    context = flow.page_context(published, page_id, answers, on_path, values, errors,
                                response.language, _links(published, response.id),
                                return_to_check)
    context.update(unavailable=unavailable, title=context["title"] or _title(published),
                   response=response, language_name=_language_name(response.language),
                   channel_labels=CHANNEL_LABELS)
    return render_template("staff/interviews/page.html", **context)


@bp.route("/interviews/<slug>/<int:response_id>/check")
@staff_required(*INTERVIEWERS)
def interview_check(slug: str, response_id: int) -> Page:
    """Check the answers with the resident before sending them."""
    published = _survey(slug)
    response = _in_progress(published, response_id)
    definition = published.definition
    final = surveys.prune(definition, response.answers or {})
    links = _links(published, response_id)
    if not surveys.is_complete(definition, final):
        return flow.go_to_next(published, final, links)
    rows = flow.check_rows(published, final, response.language, links)
    return render_template("staff/interviews/check.html", survey=published, rows=rows,
                           response=response, title=_("Check the answers"),
                           language_name=_language_name(response.language))


@bp.route("/interviews/<slug>/<int:response_id>/submit", methods=["POST"])
@staff_required(*INTERVIEWERS)
def interview_submit(slug: str, response_id: int) -> Page:
    """Send the interview once; a second press lands on the same confirmation."""
    published = _survey(slug, must_be_open=False)
    response = _interview(published, response_id)
    if response.status == "submitted":
        return redirect(url_for("staff.interview_done", slug=slug, response_id=response_id),
                        code=303)
    if not published.is_open():  # as online: a closed survey takes no more answers
        abort(404)
    links = _links(published, response_id)
    try:
        channels.submit_interview(response_id, published, staff_user(), _ip())
    except responses.NotComplete as exc:
        return redirect(links.question_url(exc.page_id) if exc.page_id else links.check_url(),
                        code=303)
    except responses.ResponseGone:
        abort(404)
    except DatabaseUnavailable:
        abort(503)
    return redirect(url_for("staff.interview_done", slug=slug, response_id=response_id),
                    code=303)


@bp.route("/interviews/<slug>/<int:response_id>/done")
@staff_required(*INTERVIEWERS)
def interview_done(slug: str, response_id: int) -> Page:
    """The reference to give the resident, my progress, and the next interview."""
    published = _survey(slug, must_be_open=False)
    response = _interview(published, response_id)
    if response.status != "submitted":
        return redirect(url_for("staff.interview_overview", slug=slug, response_id=response_id),
                        code=303)
    progress = channels.my_progress(staff_user(), [published])[0][1]
    return render_template("staff/interviews/done.html", survey=published,
                           title=_title(published), reference=response.reference,
                           progress=progress,
                           can_continue=published.is_open())


@bp.route("/interviews/<slug>/targets", methods=["GET", "POST"])
@staff_required(*OFFICERS)
def interview_targets(slug: str) -> Page:
    """Each interviewer's target of complete interviews on a survey, and their progress."""
    published = _survey(slug, must_be_open=False)
    team = channels.team_progress(published)
    people = {u.id for u in channels.interviewers()}
    values = {p.user_id: "" if p.target is None else str(p.target) for p in team}
    form = targets_form([(p.user_id, p.name or p.email) for p in team if p.user_id in people],
                        channels.TARGET_MAX)
    errors: list[tuple[str, str]] = []
    if form.is_submitted():
        valid = form.validate()
        errors = form_errors(form)
        values.update({p.user_id: form[f"target-{p.user_id}"].data or "" for p in team
                       if p.user_id in people})
        if valid:
            try:
                changed = channels.set_targets(published, form.targets(), actor=staff_user(),
                                               ip_address=_ip())
            except DatabaseUnavailable:
                abort(503)
            flash(_("Targets saved (%(count)s changed)", count=changed), "success")
            return redirect(url_for("staff.interview_targets", slug=slug), code=303)
    body = render_template("staff/interviews/targets.html", survey=published,
                           title=_title(published), team=team, values=values,
                           editable=people, page_errors=errors,
                           error_of=dict(errors))
    return (body, 400) if errors else body
