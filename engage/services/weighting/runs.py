"""Weighting runs: raking of a survey's complete responses to its population's ward, age and sex
margins, with trimming; the report and every response's weight stored per run (latest is current).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import insert, select

import surveys
from engage.extensions import db
from engage.models import ResponseWeight, Survey, User, WeightingRun
from engage.models._types import utcnow
from engage.services import audit
from engage.services.transactions import in_transaction
from engage.services.weighting.profiles import complete_responses
from engage.services.weighting.targets import current_population, resolve_survey
from surveys.weighting import WeightingIssue

INSERT_BATCH = 5000


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


def _store(survey: Survey, population_id: int, settings: RunSettings,
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
    rows = [{"run_id": run.id, "response_id": int(rid), "weight": float(w)}
            for rid, w in result.weights.items()]
    for start in range(0, len(rows), INSERT_BATCH):
        db.session.execute(insert(ResponseWeight), rows[start:start + INSERT_BATCH])
    audit.record("weighting.run", actor=actor, object_type="survey", object_id=survey.id,
                 detail={"run": run.id, "respondents": report.respondents,
                         "weighted": len(rows), "converged": report.converged,
                         "design_effect": round(report.design_effect, 4),
                         "parameters": asdict(settings)})
    return run


def run_weighting(survey: Survey | str, settings: RunSettings | None = None, *,
                  actor: User | None = None) -> RunOutcome:
    """Rake the survey's complete responses to its current population's ward, age and sex
    margins; store the run and every weight (one transaction), or explain why it cannot run."""
    found = resolve_survey(survey)
    settings = settings or RunSettings()
    current = current_population(found)
    if current is None:
        return RunOutcome(None, (WeightingIssue(
            "no-population", "Upload population targets before running the weighting."),))
    target, population = current
    profiles = {str(row.id): dict(row.profile) for row in complete_responses(found.id)}
    missing = "drop" if settings.missing == "drop" else "keep"
    result = surveys.rake(profiles, population.margins(), trimming=settings.trimming(),
                          missing=missing, tolerance=settings.tolerance,
                          max_iterations=settings.max_iterations)
    if not result.ok:
        return RunOutcome(None, result.problems, result.warnings)
    run = in_transaction(lambda: _store(found, target.id, settings, result, actor))
    return RunOutcome(run, (), result.warnings)


def weighting_runs(survey: Survey | str) -> list[WeightingRun]:
    """The survey's weighting runs, newest first."""
    found = resolve_survey(survey)
    return list(db.session.scalars(select(WeightingRun).where(
        WeightingRun.survey_id == found.id).order_by(WeightingRun.id.desc())))


def latest_run(survey: Survey | str) -> WeightingRun | None:
    """The survey's current weighting run (its latest), or None."""
    found = resolve_survey(survey)
    return db.session.scalar(select(WeightingRun).where(
        WeightingRun.survey_id == found.id).order_by(WeightingRun.id.desc()).limit(1))


def run_weights(run: WeightingRun) -> dict[int, float]:
    """Response id → weight in this run."""
    rows = db.session.execute(select(ResponseWeight.response_id, ResponseWeight.weight)
                              .where(ResponseWeight.run_id == run.id))
    return {int(rid): float(w) for rid, w in rows}
