"""Headline results of a survey's closed questions: weighted when weights exist, otherwise
unweighted; 95% Wilson intervals and bases; cells under the minimum count (RESULTS_MIN_COUNT,
read through results_policy) suppressed."""

from __future__ import annotations

from dataclasses import dataclass, replace

from engage.models import Survey as DbSurvey
from engage.services.code.weighting.runs import latest_run
from engage.services.code.weighting.tallies import (
    GroupedAnswers,
    Weights,
    run_weights,
)
from engage.services.platform.results_policy import min_count
from engage.services.report.export_rows import Source, closed_answers
from surveys.model import Survey
from surveys.weighting import QuestionResult, grouped_results
from surveys.weighting.results import SUPPORTED


@dataclass(frozen=True)
class Headline:
    """One closed question's results, with the wording and option labels people read."""

    question_id: str
    wording: str
    labels: dict[str, str]
    result: QuestionResult
    weighted: bool


def survey_weights(survey: DbSurvey) -> Weights | None:
    """The survey's current weights (None until a weighting run has weighted a response)."""
    run = latest_run(survey)
    found = run_weights(run.id) if run is not None else None
    return found if found is not None and len(found[0]) else None


def headlines(source: Source, language: str = "",
              counted: tuple[GroupedAnswers, Weights | None] | None = None) -> list[Headline]:
    """Results of every closed question, weighted when the survey has weights; wording and
    option labels in `language` (the survey's own by default). `counted`: the survey's answers
    grouped in the database and its weights, when the caller has them already."""
    grouped, weights = counted or (closed_answers(source),
                                   survey_weights(source.survey))
    definition = source.definition
    closed = [q for q in definition.questions if q.type in SUPPORTED]
    found = []
    for question, result in zip(closed, grouped_results(closed, grouped.questions, weights,
                                                        min_count=min_count()), strict=True):
        found.append(in_language(Headline(question.id, "", {}, result, weights is not None),
                                 definition, language or definition.language))
    return found


def in_language(item: Headline, definition: Survey, language: str) -> Headline:
    """The same results worded in `language` (falling back to the survey's main language)."""
    question = definition.question(item.question_id)
    labels = {c.option: definition.answer_label(question, c.option, language)
              for c in item.result.categories}
    return replace(item, wording=definition.text(question.title, language), labels=labels)


RESULT_HEADERS = ["question_id", "question", "answer", "respondents", "percent",
                  "weighted_percent", "ci_low", "ci_high", "base", "effective_base",
                  "suppressed"]


def result_rows(items: list[Headline]) -> list[list[object]]:
    """One row per question and answer (for sheets and the API); suppressed cells left blank."""
    out: list[list[object]] = []
    for item in items:
        r = item.result
        for c in r.categories:
            out.append([item.question_id, item.wording, item.labels.get(c.option, c.option),
                        c.count, rounded(c.percent),
                        rounded(c.weighted_percent) if item.weighted else None,
                        rounded(c.ci_low), rounded(c.ci_high), r.base,
                        round(r.effective_base, 1), c.suppressed or ""])
    return out


def rounded(value: float | None) -> float | None:
    """A percentage as published: one decimal place (None stays None)."""
    return None if value is None else round(value, 1)
