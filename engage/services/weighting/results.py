"""Weighted results per closed question: percentages with 95% intervals that allow for the
design effect, unweighted bases, and suppression of small cells. Exports and reports call
`weighted_results`."""

from __future__ import annotations

from dataclasses import dataclass

import surveys
from engage.models import Survey, WeightingRun
from engage.services.surveys import loaded_definition
from engage.services.weighting.profiles import complete_responses
from engage.services.weighting.runs import latest_run, run_weights
from engage.services.weighting.targets import resolve_survey
from surveys.weighting.results import SUPPORTED, CategoryResult

MIN_COUNT = 10
"""Cells chosen by fewer respondents than this are suppressed (configurable per call)."""


@dataclass(frozen=True)
class OptionRow:
    """One answer option with its label and figures (None where suppressed)."""

    label: str
    figures: CategoryResult


@dataclass(frozen=True)
class QuestionTable:
    """One closed question: its title, the core's result and a labelled row per option."""

    question_id: str
    title: str
    result: surveys.QuestionResult
    rows: tuple[OptionRow, ...]


@dataclass(frozen=True)
class SurveyResults:
    """Every closed question's results, weighted by `run` (unweighted when run is None)."""

    slug: str
    run: WeightingRun | None
    min_count: int
    responses: int
    unweighted_responses: int
    """Complete responses with no weight in the run (e.g. sent after it): left out of figures."""
    questions: tuple[QuestionTable, ...]


def _label(definition: surveys.Survey, question: surveys.Question, category: str,
           language: str) -> str:
    for option in question.options:
        if option.id == category:
            return definition.text(option.text, language)
    return category


def weighted_results(survey: Survey | str, run: WeightingRun | None = None, *,
                     min_count: int = MIN_COUNT, language: str = "en",
                     weighted: bool = True) -> SurveyResults:
    """Results of every closed question of the survey's newest version, weighted by `run` (the
    latest run when None; unweighted if there is none or `weighted` is False)."""
    found = resolve_survey(survey)
    if weighted and run is None:
        run = latest_run(found)
    if not weighted:
        run = None
    rows = {str(r.id): r.answers for r in complete_responses(found.id)}
    weights = ({str(k): v for k, v in run_weights(run).items()} if run is not None else None)
    definition = loaded_definition(found.versions[-1])
    tables = []
    for question in definition.questions:
        if question.type not in SUPPORTED:
            continue
        result = surveys.question_results(question, rows, weights, min_count=min_count)
        tables.append(QuestionTable(
            question.id, definition.text(question.title, language), result,
            tuple(OptionRow(_label(definition, question, c.option, language), c)
                  for c in result.categories)))
    missing = sum(1 for rid in rows if rid not in weights) if weights is not None else 0
    return SurveyResults(found.slug, run, min_count, len(rows), missing, tuple(tables))
