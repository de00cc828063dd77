"""End to end on the demo survey: profiles → fieldwork progress → raking → weighted results."""

from __future__ import annotations

import random

import surveys
from engage.demo.answers import generate_answers


def test_demo_survey_weighted_end_to_end(demo_survey: surveys.Survey) -> None:
    rng = random.Random(6)
    answers = {f"r{i}": generate_answers(demo_survey, rng) for i in range(400)}
    profiles = {rid: surveys.respondent_profile(demo_survey, a) for rid, a in answers.items()}
    population = surveys.illustrative_population()
    progress = surveys.fieldwork_progress(profiles.values(), population.quotas(400))
    assert progress.achieved == 400 and progress.target == 400
    result = surveys.rake(profiles, population.margins())
    assert result.ok, result.problems
    assert {w.kind for w in result.warnings} == {"missing-values"}  # prefer not to say, postcodes
    assert result.report is not None and result.report.converged
    assert result.report.max_margin_error < 0.001
    question = next(q for q in demo_survey.questions if q.type in ("single-choice", "agreement")
                    and not q.demographic)
    table = surveys.question_results(question, answers, result.weights)
    assert table.base > 0 and table.design_effect >= 1
    shown = [c for c in table.categories if c.suppressed is None]
    assert shown and all(c.ci_low <= c.weighted_percent <= c.ci_high for c in shown)  # type: ignore[operator]
