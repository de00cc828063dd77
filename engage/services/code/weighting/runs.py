"""Weighting runs: raking of a survey's complete responses to its population's ward, age and sex
margins, with trimming; the report and every response's weight stored per run (latest is current).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from sqlalchemy import delete, insert, select

import surveys
from engage.extensions import db
from engage.models import Job, ResponseWeight, Survey, User, WeightingRun
from engage.models._types import utcnow
from engage.services.code.weighting.profiles import complete_responses
from engage.services.code.weighting.targets import current_population, resolve_survey
from engage.services.platform import audit, jobs
from engage.services.platform.transactions import in_transaction
from surveys.weighting import WeightingIssue

INSERT_BATCH = 5000
"""Weights written per transaction."""
JOB_KIND = "weighting_run"
Progress = Callable[[int, str], None]


def _no_progress(_percent: int, _message: str) -> None:
    return None


@dataclass(frozen=True)
class RunSettings:
    """Raking parameters: trimming bounds (× mean weight), missing-value policy, stopping rule."""

    trim_upper: float | None = 5.0
    trim_lower: float | None = 0.2
    missing: str = "keep"
    tolerance: float = 1e-6
    max_iterations: int = 1000

    def trimming(self) -> surveys.Trimming | None:
        """The core's trimming bounds (None when both are off)."""
        if self.trim_upper is None and self.trim_lower is None:
            return None
        return surveys.Trimming(upper=self.trim_upper, lower=self.trim_lower)


@dataclass(frozen=True)
class RunOutcome:
    """The stored run (None when weighting could not run), and problems and warnings."""

    run: WeightingRun | None
    problems: tuple[WeightingIssue, ...] = ()
    warnings: tuple[WeightingIssue, ...] = ()


def _issue(issue: WeightingIssue) -> dict[str, object]:
    return {k: v for k, v in asdict(issue).items() if v is not None}


def _new_run(survey: Survey, population_id: int, settings: RunSettings,
             result: surveys.WeightingResult, actor: User | None) -> WeightingRun:
    report = result.report
    assert report is not None
    run = WeightingRun(
        survey_id=survey.id, population_id=population_id, parameters=asdict(settings),
        converged=report.converged, iterations=report.iterations,
        max_margin_error=report.max_margin_error, respondents=report.respondents,
        effective_sample_size=report.effective_sample_size,
        design_effect=max(report.design_effect, 1.0), trimmed=report.trimmed,
        min_weight=report.min_weight, max_weight=report.max_weight,
        report={"margins": [asdict(m) for m in report.margins],
                "warnings": [_issue(w) for w in result.warnings]},
        created_by_id=actor.id if actor is not None else None, created_at=utcnow())
    db.session.add(run)
    db.session.flush()
    return run


def _finish(run: WeightingRun, survey: Survey, settings: RunSettings, weighted: int,
            actor: User | None) -> WeightingRun:
    run.completed_at = utcnow()
    audit.record("weighting.run", actor=actor, object_type="survey", object_id=survey.id,
                 detail={"run": run.id, "respondents": run.respondents, "weighted": weighted,
                         "converged": run.converged,
                         "design_effect": round(run.design_effect, 4),
                         "parameters": asdict(settings)})
    return run


def _discard(run_id: int) -> None:
    db.session.execute(delete(WeightingRun).where(WeightingRun.id == run_id))


def _insert_weights(chunk: list[dict[str, float | int]]) -> None:
    in_transaction(lambda: db.session.execute(insert(ResponseWeight), chunk))


def _store(survey: Survey, population_id: int, settings: RunSettings,
           result: surveys.WeightingResult, actor: User | None,
           progress: Progress = _no_progress) -> WeightingRun:
    """Store the run and its weights in short transactions (none holds the write lock long);
    the run counts only once `completed_at` is set, in the last one with its audit row."""
    run = in_transaction(lambda: _new_run(survey, population_id, settings, result, actor))
    run_id = run.id
    rows: list[dict[str, float | int]] = [
        {"run_id": run_id, "response_id": int(rid), "weight": float(w)}
        for rid, w in result.weights.items()]
    try:
        for start in range(0, len(rows), INSERT_BATCH):
            _insert_weights(rows[start:start + INSERT_BATCH])
            done = min(len(rows), start + INSERT_BATCH)
            progress(60 + int(35 * done / max(1, len(rows))),
                     f"Stored {done} of {len(rows)} weights")
        return in_transaction(lambda: _finish(run, survey, settings, len(rows), actor))
    except Exception:
        in_transaction(lambda: _discard(run_id))
        raise


def run_weighting(survey: Survey | str, settings: RunSettings | None = None, *,
                  actor: User | None = None, progress: Progress = _no_progress) -> RunOutcome:
    """Rake the survey's complete responses to its current population's ward, age and sex
    margins; store the run and every weight (short transactions), or explain why it cannot run.
    Pages start it as a background job (:func:`start_weighting`)."""
    found = resolve_survey(survey)
    settings = settings or RunSettings()
    current = current_population(found)
    if current is None:
        return RunOutcome(None, (WeightingIssue(
            "no-population", "Upload population targets before running the weighting."),))
    target, population = current
    progress(5, "Reading the responses")
    profiles = {str(row.id): dict(row.profile) for row in complete_responses(found.id)}
    progress(30, f"Raking {len(profiles)} responses")
    missing: Literal["keep", "drop"] = "drop" if settings.missing == "drop" else "keep"
    result = surveys.rake(profiles, population.margins(), trimming=settings.trimming(),
                          missing=missing, tolerance=settings.tolerance,
                          max_iterations=settings.max_iterations)
    if not result.ok:
        return RunOutcome(None, result.problems, result.warnings)
    progress(60, "Storing the weights")
    run = _store(found, target.id, settings, result, actor, progress)
    return RunOutcome(run, (), result.warnings)


def start_weighting(survey: Survey | str, settings: RunSettings | None = None, *,
                    actor: User | None = None) -> Job:
    """Queue a weighting run as a background job (its page shows the progress)."""
    found = resolve_survey(survey)
    settings = settings or RunSettings()
    chosen = settings

    def work() -> int:
        job = jobs.enqueue(JOB_KIND, {"survey_id": found.id, "settings": asdict(chosen)},
                           actor, commit=False, dispatch_now=False)
        audit.record("weighting.run_started", actor=actor, object_type="survey",
                     object_id=found.id, detail={"job": job.id, "parameters": asdict(chosen)})
        return int(job.id)

    job_id = in_transaction(work)
    jobs.dispatch(job_id)
    db.session.expire_all()
    started = db.session.get(Job, job_id)
    assert started is not None
    return started


@jobs.job_handler(JOB_KIND)
def weighting_job(ctx: jobs.JobContext) -> dict[str, Any]:
    """The background job: run the weighting; the result links to the report, or back to the
    run page with the problems when the weighting could not run."""
    survey = db.session.get(Survey, int(ctx.params["survey_id"]))
    if survey is None:
        raise jobs.JobFailed("The survey no longer exists")
    settings = RunSettings(**dict(ctx.params.get("settings") or {}))
    actor = db.session.get(User, ctx.created_by_id) if ctx.created_by_id else None
    outcome = run_weighting(survey, settings, actor=actor, progress=ctx.progress)
    if outcome.run is None:
        return {"endpoint": "staff.weighting_run",
                "endpoint_args": {"slug": survey.slug, "job": ctx.job_id},
                "problems": [_issue(p) for p in outcome.problems],
                "warnings": [_issue(w) for w in outcome.warnings]}
    return {"endpoint": "staff.weighting_report",
            "endpoint_args": {"slug": survey.slug, "run_id": outcome.run.id},
            "run_id": outcome.run.id}


def job_problems(job: Job | None, survey: Survey) -> RunOutcome | None:
    """The problems a finished weighting job of this survey reported (for the run page)."""
    if job is None or job.kind != JOB_KIND or job.status != "succeeded":
        return None
    if int((job.params or {}).get("survey_id", 0)) != survey.id:
        return None
    result = job.result or {}
    if not result.get("problems"):
        return None
    return RunOutcome(None, tuple(WeightingIssue(**p) for p in result["problems"]),
                      tuple(WeightingIssue(**w) for w in result.get("warnings") or ()))


def weighting_runs(survey: Survey | str) -> list[WeightingRun]:
    """The survey's weighting runs, newest first."""
    found = resolve_survey(survey)
    return list(db.session.scalars(select(WeightingRun).where(
        WeightingRun.survey_id == found.id, WeightingRun.completed_at.is_not(None))
        .order_by(WeightingRun.id.desc())))


def latest_run(survey: Survey | str) -> WeightingRun | None:
    """The survey's current weighting run (its latest), or None."""
    found = resolve_survey(survey)
    return db.session.scalar(select(WeightingRun).where(
        WeightingRun.survey_id == found.id, WeightingRun.completed_at.is_not(None))
        .order_by(WeightingRun.id.desc()).limit(1))


def run_weights(run: WeightingRun) -> dict[int, float]:
    """Response id → weight in this run."""
    rows = db.session.execute(select(ResponseWeight.response_id, ResponseWeight.weight)
                              .where(ResponseWeight.run_id == run.id))
    return {int(rid): float(w) for rid, w in rows}
