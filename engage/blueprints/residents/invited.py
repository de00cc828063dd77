"""Invitation links (issue 19): /i/<token> opens the survey the link was sent for, and
/i/<token>/stop stops further emails (a page with one button, and RFC 8058 one-click POSTs
from mail programs; no sign-in). Following a link changes nothing stored: the browser keeps
the token, and submitting the survey uses it up (the contact is flagged "responded"; the
response keeps nothing of the contact)."""

from __future__ import annotations

from contextlib import suppress

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from werkzeug.wrappers import Response

from engage.blueprints.residents import bp
from engage.extensions import csrf
from engage.services.collect import admission, contacts
from engage.services.collect.admission import InvitationRequired
from engage.services.collect.published_surveys import SurveyNotFound, published_survey
from engage.services.platform.transactions import DatabaseUnavailable
from surveys import localise

SESSION_KEY = "invited"
RESUMED_KEY = "resumed"
"""slug → {"response": id, "sealed": the invitation sealed for that response}: a browser that
carried on from a resume link holds the invitation for that response only, and encrypted."""


@bp.route("/i/<token>")
def invitation(token: str) -> Response | tuple[str, int]:
    """Check the link, remember it for this survey, and go to the survey's start page."""
    try:
        target = contacts.follow(token)
    except contacts.BadLink as exc:
        return render_template("survey/invitation.html", problem=exc.code), (
            400 if exc.code == "unknown" else 410)
    session[SESSION_KEY] = {**session.get(SESSION_KEY, {}), target.slug: token}
    return redirect(url_for("residents.start", slug=target.slug), code=303)


@bp.route("/i/<token>/stop", methods=["GET", "POST"])
@csrf.exempt  # type: ignore[untyped-decorator]  # Flask-WTF has no type information
def invitation_stop(token: str) -> Response | tuple[str, int]:
    """Stop emails about this survey. Exempt from CSRF so that mail programs can do it in one
    click (RFC 8058); the unguessable token in the address is what authorises it."""
    try:
        contacts.follow(token)
    except contacts.BadLink as exc:
        if exc.code != "opted_out":
            return render_template("survey/invitation.html", problem=exc.code), (
                400 if exc.code == "unknown" else 410)
        return render_template("survey/invitation.html", problem="stopped"), 200
    if request.method == "POST":
        contacts.opt_out(token)
        return redirect(url_for("residents.invitation_stop", token=token), code=303)
    return render_template("survey/invitation.html", problem="", stop=True), 200


def token_for(slug: str, response_id: int | None = None) -> str | None:
    """The invitation link this browser followed for the survey, if any; else, for the
    response it carried on with from a resume link (response_id), the invitation sealed in
    that link. Never the sealed one for anything else, such as starting a new response."""
    found = (session.get(SESSION_KEY) or {}).get(slug)
    if found:
        return str(found)
    grant = (session.get(RESUMED_KEY) or {}).get(slug)
    if response_id is None or not isinstance(grant, dict) \
            or grant.get("response") != response_id:
        return None
    return admission.unseal(str(grant.get("sealed") or ""), response_id)


def sealed_for(slug: str, response_id: int) -> str:
    """What a resume link of this response carries of the invitation ("" without one)."""
    token = token_for(slug, response_id)
    return admission.seal(token, response_id) if token else ""


def resumed(slug: str, response_id: int, sealed: str) -> None:
    """This browser carried on with the response from a resume link that carried an
    invitation: keep it (sealed) for that response, unless the browser has its own link."""
    if not sealed or (session.get(SESSION_KEY) or {}).get(slug):
        return
    session[RESUMED_KEY] = {**(session.get(RESUMED_KEY) or {}),
                            slug: {"response": response_id, "sealed": sealed}}


@bp.errorhandler(InvitationRequired)
def invitation_required(exc: InvitationRequired) -> tuple[str, int]:
    """Any step of an invitation-only survey without a live link: say so, and whom to ask."""
    title = ""
    slug = (request.view_args or {}).get("slug")
    if slug:
        with suppress(SurveyNotFound):
            definition = published_survey(str(slug)).definition
            title = localise(definition.title, str(get_locale() or "en"), definition.language)
    return render_template("survey/invitation_only.html", problem=exc.code, title=title,
                           contact=current_app.config["CONTACT_EMAIL"]), 403


def after_submit(slug: str, response_id: int) -> None:
    """The survey was submitted from this browser: use up the invitation link it came with
    (or the one its resume link carried)."""
    token = token_for(slug, response_id)
    grants = dict(session.get(RESUMED_KEY) or {})
    if grants.pop(slug, None) is not None:
        session[RESUMED_KEY] = grants
    found = dict(session.get(SESSION_KEY) or {})
    found.pop(slug, None)
    if not token:
        return
    session[SESSION_KEY] = found
    # If the database is busy now, the response is still safe: the contact may only get a
    # reminder it did not need.
    with suppress(DatabaseUnavailable):
        contacts.mark_responded(str(token), slug)
