"""Routes: a survey's privacy and results settings, and its opening and closing dates."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from engage.blueprints import found_or_404, staff_required, staff_user
from engage.blueprints.staff import bp
from engage.blueprints.staff.builder import BUILDERS, Page, survey_or_404
from engage.forms import options
from engage.forms.messages import DATES_ORDER, LAWFUL_BASIS_LABELS, ROLE_LABELS
from engage.forms.survey_settings import (
    CloseForm,
    DatesForm,
    ResultsAccessForm,
    SurveySettingsForm,
)
from engage.models._types import utcnow
from engage.services.collect import drafts
from engage.services.platform import results_policy
from engage.templating import form_errors


@bp.route("/surveys/<slug>/settings", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_settings(slug: str) -> Page:
    """Lawful basis, privacy notice, retention, anonymous or identified, who sees results,
    who can respond (anyone with the link, or only invited contacts).

    The privacy settings belong to a version (residents were told them), so they change only
    in a draft; who may see the results and who may respond can change at any time.
    """
    survey = survey_or_404(slug)
    draft = survey.draft
    version = drafts.latest_version(survey)
    if draft is None and version is None:
        abort(404)
    form = (SurveySettingsForm(max_days=drafts.MAX_RETENTION_DAYS) if draft is not None
            else ResultsAccessForm())
    form.results_roles.choices = options((r, r) for r in results_policy.CHOOSABLE_ROLES)
    if draft is not None:
        form.lawful_basis.choices = options((b, b) for b in drafts.LAWFUL_BASES)
    if form.validate_on_submit():
        if draft is None:
            drafts.update_results_access(staff_user(), survey, form.roles(), form.organisations(),
                                          form.invitation_only(survey.invitation_only))
        else:
            drafts.update_settings(staff_user(), draft, drafts.Settings(
                form.lawful_basis.data, form.privacy_notice.data[:5000], form.days(),
                form.anonymous.data == "yes", form.roles(), form.organisations(),
                form.invitation_only(survey.invitation_only)))
        flash(_("Settings saved"), "success")
        return redirect(url_for("staff.builder_overview", slug=slug), code=303)
    errors = form_errors(form)
    return render_template(
        "staff/builder/settings.html", draft=draft, version=version, survey=survey,
        page_errors=errors, form=form if errors else None, bases=LAWFUL_BASIS_LABELS,
        result_roles=[(r, ROLE_LABELS[r]) for r in results_policy.CHOOSABLE_ROLES],
        roles_chosen=survey.results_roles if survey.results_roles is not None
        else list(results_policy.DEFAULT_ROLES)), 400 if errors else 200


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


@bp.route("/surveys/<slug>/dates", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_dates(slug: str) -> Page:
    """When residents can answer: opening and closing dates (local time, whole days)."""
    survey = survey_or_404(slug)
    zone = _zone()
    form = DatesForm()
    if form.validate_on_submit():
        opens_day, closes_day = form.day_of("opens"), form.day_of("closes")
        opens = datetime.combine(opens_day, time(0, 0), tzinfo=zone) if opens_day else None
        closes = (datetime.combine(closes_day, time(0, 0), tzinfo=zone) + timedelta(days=1)
                  if closes_day else None)
        try:
            drafts.set_dates(staff_user(), survey, opens, closes)
        except drafts.BuilderError:
            form["closes-day"].errors.append(DATES_ORDER)
        else:
            flash(_("Dates saved"), "success")
            return redirect(url_for("staff.builder_overview", slug=slug), code=303)
    errors = form_errors(form)
    holder: Any = survey.draft or drafts.latest_version(survey)
    opens_at = holder.opens_at.astimezone(zone) if holder and holder.opens_at else None
    closes_at = (holder.closes_at.astimezone(zone) - timedelta(days=1)
                 if holder and holder.closes_at else None)
    return render_template("staff/builder/dates.html", survey=survey, page_errors=errors,
                           form=form if errors else None, opens_at=opens_at,
                           closes_at=closes_at), 400 if errors else 200


@bp.route("/surveys/<slug>/close", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_close(slug: str) -> WerkzeugResponse | str:
    """Close the survey to residents now, once the officer has confirmed it on this page (a
    post without the confirmation shows the page, and closes nothing)."""
    survey = survey_or_404(slug)
    version = found_or_404(drafts.latest_version(survey))
    form = CloseForm()
    if not form.validate_on_submit() or form.confirm.data != "yes":
        if not version.is_open(utcnow()):
            flash(_("The survey is already closed to residents."), "success")
            return redirect(url_for("staff.builder_overview", slug=slug), code=303)
        in_progress = drafts.unsent_count(survey)
        title = (version.definition.get("title") or {}) if version.definition else {}
        name = (title.get(str(get_locale() or "en")) or version.title) \
            if isinstance(title, dict) else version.title
        return render_template("staff/builder/close.html", survey=survey, name=name,
                               in_progress=in_progress)
    try:
        drafts.close_now(staff_user(), survey)
    except drafts.BuilderError:
        abort(404)
    flash(_("Survey closed. Residents now see a page saying it is closed."), "success")
    return redirect(url_for("staff.builder_overview", slug=slug), code=303)
