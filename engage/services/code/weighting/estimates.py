"""Weighted results per closed question: percentages with 95% intervals that allow for the
design effect, unweighted bases, and suppression of small cells. Exports and reports call
`weighted_results`."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, func, select

import surveys
from engage.extensions import db
from engage.models import Response, ResponseWeight, Survey, WeightingRun
from engage.services.code.weighting.profiles import data_version
from engage.services.code.weighting.runs import latest_run
from engage.services.code.weighting.tallies import grouped_answers, run_weights
from engage.services.code.weighting.targets import resolve_survey
from engage.services.collect.published_surveys import loaded_definition
from engage.services.platform.results_policy import min_count as results_min_count
from surveys.weighting.results import SUPPORTED, CategoryResult


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


Tables = tuple[int, int, tuple[QuestionTable, ...]]
_CACHE_SIZE = 32


def _cache() -> dict[tuple[object, ...], Tables]:
    cache: dict[tuple[object, ...], Tables] = current_app.extensions.setdefault(
        "engage_weighted_results", {})
    return cache


def _with_weight(survey_id: int, run: WeightingRun) -> int:
    """Complete responses of the survey with a weight in the run."""
    return int(db.session.scalar(
        select(func.count()).select_from(Response)
        .join(ResponseWeight, and_(ResponseWeight.response_id == Response.id,
                                   ResponseWeight.run_id == run.id))
        .where(Response.survey_id == survey_id, Response.status == "submitted")) or 0)


def _tables(found: Survey, run: WeightingRun | None, min_count: int, language: str) -> Tables:
    definition = loaded_definition(found.versions[-1])
    closed = [q for q in definition.questions if q.type in SUPPORTED]
    grouped = grouped_answers(found.id, [q.id for q in closed])
    weights = run_weights(run.id) if run is not None else None
    tables = []
    for question, result in zip(closed, surveys.grouped_results(closed, grouped.questions,
                                                                weights, min_count=min_count),
                                strict=True):
        tables.append(QuestionTable(
            question.id, definition.text(question.title, language), result,
            tuple(OptionRow(definition.answer_label(question, c.option, language), c)
                  for c in result.categories)))
    missing = grouped.responses - _with_weight(found.id, run) if run is not None else 0
    return grouped.responses, missing, tuple(tables)


def weighted_results(survey: Survey | str, run: WeightingRun | None = None, *,
                     min_count: int | None = None, language: str = "en",
                     weighted: bool = True) -> SurveyResults:
    """Results of every closed question of the survey's newest version, weighted by `run` (the
    latest run when None; unweighted if there is none or `weighted` is False); cells from
    fewer respondents than `min_count` (RESULTS_MIN_COUNT when None) suppressed.

    Results are kept in memory (per process) until a response, version or run changes them.
    """
    found = resolve_survey(survey)
    min_count = results_min_count() if min_count is None else min_count
    if weighted and run is None:
        run = latest_run(found)
    if not weighted:
        run = None
    stamp = (run.id, str(run.completed_at)) if run is not None else None
    key = (found.id, stamp, min_count, language, data_version(found.id))
    cache = _cache()
    cached = cache.get(key)
    if cached is None:
        cached = _tables(found, run, min_count, language)
        if len(cache) >= _CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[key] = cached
    responses, missing, tables = cached
    return SurveyResults(found.slug, run, min_count, responses, missing, tables)
