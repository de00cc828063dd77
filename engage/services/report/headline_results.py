"""Headline results of a survey's closed questions: weighted when weights exist, otherwise
unweighted; 95% Wilson intervals and bases; cells under the minimum count (RESULTS_MIN_COUNT,
read through results_policy) suppressed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from engage.services.platform.results_policy import min_count
from engage.services.report.export_rows import Source, closed_answers
from engage.services.report.insight_sources import response_weights
from surveys.model import Survey
from surveys.weighting import QuestionResult, questions_results
from surveys.weighting.results import SUPPORTED


@dataclass(frozen=True)
class Headline:
    """One closed question's results, with the wording and option labels people read."""

    question_id: str
    wording: str
    labels: dict[str, str]
    result: QuestionResult
    weighted: bool


def headlines(source: Source, answers: Mapping[str, Mapping[str, object]] | None = None,
              weights: Mapping[int, float] | None = None,
              language: str = "") -> list[Headline]:
    """Results of every closed question, weighted when the survey has weights; wording and
    option labels in `language` (the survey's own by default)."""
    answers = answers if answers is not None else closed_answers(source)
    weights = weights if weights is not None else response_weights(source.survey_id)
    by_text = {str(k): v for k, v in weights.items()} or None
    definition = source.definition
    closed = [q for q in definition.questions if q.type in SUPPORTED]
    found = []
    for question, result in zip(closed, questions_results(closed, answers, by_text,
                                                          min_count=min_count()), strict=True):
        found.append(in_language(Headline(question.id, "", {}, result, by_text is not None),
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
