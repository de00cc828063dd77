"""Routes: population targets, quotas, the fieldwork dashboard, weighting runs and weighted
results of a survey (/staff/surveys/<slug>/...); only for those who may see the survey's
results (results_policy)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from engage.blueprints import results_required, staff_required, staff_user
from engage.blueprints.staff import bp
from engage.blueprints.staff.builder import survey_or_404
from engage.blueprints.staff.jobs import after_start
from engage.extensions import db
from engage.forms.messages import (
    RESPONSE_CHANNEL_LABELS,
    WEIGHTING_DIMENSION_LABELS,
    WEIGHTING_ISSUE_TITLES,
)
from engage.forms.weighting import (
    IllustrativeForm,
    PopulationUploadForm,
    RunForm,
    SampleSizeForm,
    quota_form,
    whole_number,
)
from engage.models import Survey, User, WeightingRun
from engage.routing import int_arg
from engage.services.code import weighting as w
from engage.services.platform import jobs
from surveys.errors import NotFound

WEIGHTERS = ("engagement_officer", "analyst")


def current_language() -> str:
    """The page's language code."""
    return str(get_locale() or "en")




def _context(survey: Survey) -> dict[str, object]:
    return {"survey": survey, "title": survey.versions[-1].title if survey.versions else
            survey.slug, "labels": w.category_labels(survey, current_language()),
            "dimension_labels": WEIGHTING_DIMENSION_LABELS,
            "channel_labels": RESPONSE_CHANNEL_LABELS, "issue_titles": WEIGHTING_ISSUE_TITLES}


@bp.route("/surveys/<slug>/weighting")
@staff_required(*WEIGHTERS)
@results_required
def weighting_home(slug: str) -> str:
    """Population targets, quotas and weighting runs of a survey, with links to each page."""
    survey = survey_or_404(slug)
    current = w.current_population(survey)
    quotas = w.current_quotas(survey)
    return render_template("staff/weighting/home.html", **_context(survey),
                           population=current[0] if current else None,
                           quota_total=sum(quotas.values()), quota_cells=len(quotas),
                           runs=w.weighting_runs(survey)[:10])


@bp.route("/surveys/<slug>/weighting/population", methods=["GET", "POST"])
@staff_required(*WEIGHTERS)
@results_required
def weighting_population(slug: str) -> str | Response:
    """Upload the population by ward × age band × sex (nothing saved if any row is bad)."""
    survey = survey_or_404(slug)
    form = PopulationUploadForm()
    problems: tuple[object, ...] = ()
    if form.validate_on_submit():
        upload = form.file.data
        outcome = w.upload_population(survey, upload.read(), filename=upload.filename or "",
                                      label=form.label.data or "", actor=staff_user())
        if outcome.target is not None:
            flash(_("Population targets uploaded"), "success")
            return redirect(url_for("staff.weighting_home", slug=slug), code=303)
        problems = outcome.problems
        form.file.errors = [_("The file has %(count)d problem(s): nothing was saved. Fix every "
                              "row listed below and upload it again.", count=len(problems))]
    current = w.current_population(survey)
    return render_template("staff/weighting/population.html", **_context(survey), form=form,
                           illustrative_form=IllustrativeForm(prefix="illustrative"),
                           problems=problems, population=current[0] if current else None)


@bp.route("/surveys/<slug>/weighting/population/illustrative", methods=["POST"])
@staff_required(*WEIGHTERS)
@results_required
def weighting_illustrative(slug: str) -> Response:
    """Use the bundled illustrative (made-up) population for this survey."""
    survey = survey_or_404(slug)
    form = IllustrativeForm(prefix="illustrative")
    if not form.validate_on_submit():
        abort(400)
    w.load_illustrative_population(survey, actor=staff_user())
    flash(_("The illustrative population is in use. Its figures are made up: upload the real "
            "population before weighting real fieldwork."), "success")
    return redirect(url_for("staff.weighting_home", slug=slug), code=303)


def _quota_grid(survey: Survey, ward: str) -> list[dict[str, object]]:
    categories = w.population_categories()
    quotas = w.current_quotas(survey)
    return [{"age": age, "sex": sex, "name": f"q-{age}-{sex}",
             "value": quotas.get((ward, age, sex), 0)}
            for age in categories["age"] for sex in categories["sex"]]


@bp.route("/surveys/<slug>/weighting/quotas", methods=["GET", "POST"])
@staff_required(*WEIGHTERS)
@results_required
def weighting_quotas(slug: str) -> str | Response:
    """Quota targets: set from the population for a sample size, or cell by cell per ward."""
    survey = survey_or_404(slug)
    wards = w.population_categories()["ward"]
    form = quota_form([str(row["name"]) for row in _quota_grid(survey, "")])
    ward = form.ward.data or request.args.get("ward", "")
    ward = ward if ward in wards else ""
    sample_form = SampleSizeForm(prefix="sample")
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if form.is_submitted() and ward:  # CSRFProtect has checked the token
        valid = form.validate()
        cells = {}
        for row in _quota_grid(survey, ward):
            field = form[str(row["name"])]
            typed[field.name] = field.data or ""
            if field.errors:
                errors[field.name] = str(field.errors[0])
            else:
                cells[(ward, str(row["age"]), str(row["sex"]))] = whole_number(field.data) or 0
        if valid:
            w.update_quotas(survey, cells, actor=staff_user())
            flash(_("Quotas saved for %(ward)s", ward=w.category_labels(
                survey, current_language())["ward"].get(ward, ward)), "success")
            return redirect(url_for("staff.weighting_quotas", slug=slug, ward=ward), code=303)
    elif request.method == "POST" and sample_form.validate_on_submit():
        size = whole_number(sample_form.sample_size.data)
        assert size is not None
        try:
            w.quotas_from_population(survey, size, actor=staff_user())
        except NotFound:
            sample_form.sample_size.errors = [_("Upload population targets first")]
        else:
            flash(_("Quotas set from the population"), "success")
            return redirect(url_for("staff.weighting_quotas", slug=slug), code=303)
    quotas = w.current_quotas(survey)
    by_ward: dict[str, int] = {}
    for (qward, _age, _sex), value in quotas.items():
        by_ward[qward] = by_ward.get(qward, 0) + value
    return render_template(
        "staff/weighting/quotas.html", **_context(survey), sample_form=sample_form, ward=ward,
        wards=wards, by_ward=by_ward, grid=_quota_grid(survey, ward) if ward else [],
        errors=errors, typed=typed, has_population=w.current_population(survey) is not None,
        quota_total=sum(quotas.values()))


@bp.route("/surveys/<slug>/fieldwork")
@staff_required(*WEIGHTERS)
@results_required
def weighting_fieldwork(slug: str) -> str:
    """Achieved against target per cell and per margin, filtered by channel and batch."""
    survey = survey_or_404(slug)
    view = w.fieldwork(survey, channel=request.args.get("channel") or None,
                       batch=request.args.get("batch") or None)
    context = _context(survey)
    labels: dict[str, dict[str, str]] = context["labels"]  # type: ignore[assignment]
    charts: dict[str, list[dict[str, object]]] = {d: [] for d in view.progress.dimensions}
    for margin in view.progress.margins:
        charts[margin.dimension].append({
            "label": labels[margin.dimension].get(margin.category, margin.category),
            "achieved": margin.achieved, "target": margin.target, "short": margin.short_by,
            "achieved_share": margin.achieved_share, "target_share": margin.target_share})
    return render_template("staff/weighting/fieldwork.html", **context, view=view,
                           progress=view.progress, charts=charts,
                           short_only=request.args.get("short") == "1")


@bp.route("/surveys/<slug>/weighting/run", methods=["GET", "POST"])
@staff_required(*WEIGHTERS)
@results_required
def weighting_run(slug: str) -> str | Response:
    """Run the weighting (raking to the ward, age and sex margins, with trimming)."""
    survey = survey_or_404(slug)
    form = RunForm()
    outcome = None
    job_id = int_arg("job")
    if job_id is not None:  # a job that found problems sends users back
        outcome = w.job_problems(jobs.get_job(job_id), survey)
    if form.validate_on_submit():
        settings = w.RunSettings(trim_upper=form.bound("trim_upper"),
                                 trim_lower=form.bound("trim_lower"), missing=form.missing.data)
        job = w.start_weighting(survey, settings, actor=staff_user())
        run_id = (job.result or {}).get("run_id")
        if run_id:  # finished already (jobs run at once in sync mode)
            flash(_("Weighting run %(number)d finished", number=int(run_id)), "success")
        return after_start(job)
    return render_template("staff/weighting/run.html", **_context(survey), form=form,
                           outcome=outcome,
                           has_population=w.current_population(survey) is not None)


def _run(survey: Survey, run_id: int) -> WeightingRun:
    run: WeightingRun = db.one_or_404(select(WeightingRun).filter_by(
        id=run_id, survey_id=survey.id).where(WeightingRun.completed_at.is_not(None)))
    return run


@bp.route("/surveys/<slug>/weighting/runs/<int:run_id>")
@staff_required(*WEIGHTERS)
@results_required
def weighting_report(slug: str, run_id: int) -> str:
    """One run's report: convergence, effective sample size, design effect, margins."""
    survey = survey_or_404(slug)
    run = _run(survey, run_id)
    latest = w.latest_run(survey)
    creator = db.session.get(User, run.created_by_id) if run.created_by_id else None
    return render_template("staff/weighting/report.html", **_context(survey), run=run,
                           current=latest is not None and latest.id == run.id, creator=creator)


@bp.route("/surveys/<slug>/results")
@staff_required(*WEIGHTERS)
@results_required
def weighting_results(slug: str) -> str:
    """Weighted results per closed question, with 95% intervals and unweighted bases."""
    survey = survey_or_404(slug)
    run = None
    run_id = int_arg("run")
    if run_id is not None:
        run = _run(survey, run_id)
    weighted = request.args.get("view") != "unweighted"
    results = w.weighted_results(survey, run, language=current_language(), weighted=weighted)
    return render_template("staff/weighting/results.html", **_context(survey), results=results,
                           weighted=weighted, runs=w.weighting_runs(survey))
