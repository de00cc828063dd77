"""Routes: a survey's privacy and results settings, and its opening and closing dates."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from engage.blueprints import found_or_404, staff_required
from engage.blueprints.staff import bp
from engage.blueprints.staff.builder import BUILDERS, Page, actor, survey_or_404
from engage.forms import builder as forms
from engage.forms.mayor import YEARS
from engage.forms.messages import ROLE_LABELS
from engage.models._types import utcnow
from engage.services import builder, results_policy
from surveys.numerals import ascii_digits


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
    version = builder.latest_version(survey)
    if draft is None and version is None:
        abort(404)
    errors: list[tuple[str, str]] = []
    form = request.form
    if request.method == "POST":
        roles = [r for r in results_policy.CHOOSABLE_ROLES if r in form.getlist("results_roles")]
        organisations = [line.strip()[:120] for line in
                         (form.get("results_organisations") or "").splitlines()
                         if line.strip()][:50]
        # Who can respond: a form without the question keeps what the survey has.
        respondents = form.get("respondents", "invited" if survey.invitation_only else "anyone")
        if respondents not in ("anyone", "invited"):
            errors.append(("respondents", str(forms.SELECT_RESPONDENTS)))
        invitation_only = respondents == "invited"
        if draft is None and not errors:
            builder.update_results_access(actor(), survey, roles, organisations,
                                          invitation_only)
            flash(_("Settings saved"), "success")
            return redirect(url_for("staff.builder_overview", slug=slug), code=303)
        if draft is not None:
            _check_privacy(errors)
        if not errors and draft is not None:
            builder.update_settings(actor(), draft, builder.Settings(
                form.get("lawful_basis", ""), (form.get("privacy_notice") or "").strip()[:5000],
                int(form.get("retention_days", "").strip()), form.get("anonymous") == "yes",
                roles, organisations, invitation_only))
            flash(_("Settings saved"), "success")
            return redirect(url_for("staff.builder_overview", slug=slug), code=303)
    return render_template(
        "staff/builder/settings.html", draft=draft, version=version, survey=survey,
        page_errors=errors, form=form if errors else None, bases=forms.LAWFUL_BASIS_LABELS,
        result_roles=[(r, ROLE_LABELS[r]) for r in results_policy.CHOOSABLE_ROLES],
        roles_chosen=survey.results_roles if survey.results_roles is not None
        else list(results_policy.DEFAULT_ROLES)), 400 if errors else 200


def _check_privacy(errors: list[tuple[str, str]]) -> None:
    """The draft's privacy settings as sent: each problem added to `errors`."""
    form = request.form
    if form.get("lawful_basis", "") not in builder.LAWFUL_BASES:
        errors.append(("lawful_basis", str(forms.SELECT_LAWFUL_BASIS)))
    if not (form.get("privacy_notice") or "").strip():
        errors.append(("privacy_notice", str(forms.ENTER_PRIVACY)))
    days_text = (form.get("retention_days") or "").strip()
    days = int(days_text) if days_text.isdigit() else 0
    if not 1 <= days <= builder.MAX_RETENTION_DAYS:
        errors.append(("retention_days", str(forms.RETENTION)))
    if form.get("anonymous") not in ("yes", "no"):
        errors.append(("anonymous", str(forms.SELECT_ANONYMOUS)))


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _read_day(prefix: str, errors: list[tuple[str, str]]) -> Any:
    parts = [ascii_digits((request.form.get(f"{prefix}-{p}") or "").strip())
             for p in ("day", "month", "year")]
    if not any(parts):
        return None
    try:
        day, month, year = (int(p) for p in parts)
        if not (parts[2].isascii() and YEARS[0] <= year <= YEARS[1]):
            raise ValueError(year)  # year 99999 overflows later; year 12 is a typing slip
        return datetime(year, month, day).date()
    except (ValueError, OverflowError):
        errors.append((f"{prefix}-day", str(forms.DATE_REAL)))
        return None


@bp.route("/surveys/<slug>/dates", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_dates(slug: str) -> Page:
    """When residents can answer: opening and closing dates (local time, whole days)."""
    survey = survey_or_404(slug)
    errors: list[tuple[str, str]] = []
    zone = _zone()
    if request.method == "POST":
        opens_day, closes_day = _read_day("opens", errors), _read_day("closes", errors)
        opens = datetime.combine(opens_day, time(0, 0), tzinfo=zone) if opens_day else None
        closes = (datetime.combine(closes_day, time(0, 0), tzinfo=zone) + timedelta(days=1)
                  if closes_day else None)
        if not errors:
            try:
                builder.set_dates(actor(), survey, opens, closes)
            except builder.BuilderError:
                errors.append(("closes-day", str(forms.DATES_ORDER)))
            else:
                flash(_("Dates saved"), "success")
                return redirect(url_for("staff.builder_overview", slug=slug), code=303)
    holder: Any = survey.draft or builder.latest_version(survey)
    opens_at = holder.opens_at.astimezone(zone) if holder and holder.opens_at else None
    closes_at = (holder.closes_at.astimezone(zone) - timedelta(days=1)
                 if holder and holder.closes_at else None)
    return render_template("staff/builder/dates.html", survey=survey, page_errors=errors,
                           form=request.form if errors else None, opens_at=opens_at,
                           closes_at=closes_at), 400 if errors else 200


@bp.route("/surveys/<slug>/close", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_close(slug: str) -> WerkzeugResponse | str:
    """Close the survey to residents now, once the officer has confirmed it on this page (a
    post without the confirmation shows the page, and closes nothing)."""
    survey = survey_or_404(slug)
    version = found_or_404(builder.latest_version(survey))
    if request.method == "GET" or request.form.get("confirm") != "yes":
        if not version.is_open(utcnow()):
            flash(_("The survey is already closed to residents."), "success")
            return redirect(url_for("staff.builder_overview", slug=slug), code=303)
        in_progress = builder.unsent_count(survey)
        title = (version.definition.get("title") or {}) if version.definition else {}
        name = (title.get(str(get_locale() or "en")) or version.title) \
            if isinstance(title, dict) else version.title
        return render_template("staff/builder/close.html", survey=survey, name=name,
                               in_progress=in_progress)
    try:
        builder.close_now(actor(), survey)
    except builder.BuilderError:
        abort(404)
    flash(_("Survey closed. Residents now see a page saying it is closed."), "success")
    return redirect(url_for("staff.builder_overview", slug=slug), code=303)
