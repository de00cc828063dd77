"""Weighted and unweighted percentages of a closed question, with 95% intervals that allow for
the design effect, unweighted bases, and suppression of small cells."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from surveys import types as t
from surveys.model import Question
from surveys.weighting.intervals import effective_sample_size, wilson_interval

SUPPORTED = frozenset({t.SINGLE_CHOICE, t.AGREEMENT, t.RATING, t.MULTIPLE_CHOICE})
"""Question types `question_results` accepts."""


@dataclass(frozen=True)
class CategoryResult:
    """One answer option: percentages (0-100) and the weighted 95% interval, or why suppressed."""

    option: str
    count: int | None
    percent: float | None
    weighted_percent: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: str | None = None


@dataclass(frozen=True)
class QuestionResult:
    """A closed question's results; for multiple choice each option is its own yes/no share."""

    question: str
    type: str
    base: int
    """Respondents who answered (unweighted)."""
    weighted_base: float
    effective_base: float
    """Kish's effective sample size of the answering respondents' weights."""
    design_effect: float
    categories: tuple[CategoryResult, ...]
    no_weight: int = 0
    """Respondents who answered but have no weight: left out of every figure."""
    suppressed: str | None = None


def _categories(question: Question) -> tuple[str, ...]:
    if question.type == t.RATING:
        return tuple(str(i) for i in range(11))
    return tuple(o.id for o in question.options)


def _chosen(question: Question, answer: object, categories: tuple[str, ...]) -> set[str] | None:
    """The categories an answer counts in (None: not answered, or not a valid answer)."""
    if question.type == t.MULTIPLE_CHOICE:
        if isinstance(answer, list) and answer and all(a in categories for a in answer):
            return set(answer)
        return None
    if question.type == t.RATING and isinstance(answer, int) and not isinstance(answer, bool):
        answer = str(answer)
    return {answer} if isinstance(answer, str) and answer in categories else None


def question_results(question: Question, answers: Mapping[str, Mapping[str, object]],
                     weights: Mapping[str, float] | None = None, *, min_count: int = 10,
                     confidence: float = 0.95) -> QuestionResult:
    """Results of one closed question over responses (id → answers), weighted if given weights.

    Percentages are of those who answered. Intervals are Wilson intervals on the weighted share
    with n = Kish's effective base (n / design effect). A category chosen by fewer than
    `min_count` respondents is suppressed (its values None, with the reason); so is the whole
    question when fewer than `min_count` answered. Raises ValueError for open question types.
    """
    if question.type not in SUPPORTED:
        raise ValueError(f"question {question.id!r} is {question.type}: weighted percentages are "
                         f"for {', '.join(sorted(SUPPORTED))} questions")
    categories = _categories(question)
    index = {c: i for i, c in enumerate(categories)}
    rows: list[tuple[float, set[str]]] = []
    no_weight = 0
    for rid, answered in answers.items():
        chosen = _chosen(question, answered.get(question.id), categories)
        if chosen is None:
            continue
        weight = 1.0 if weights is None else weights.get(rid)
        if weight is None:
            no_weight += 1
            continue
        rows.append((float(weight), chosen))
    w = np.array([weight for weight, _ in rows], float)
    hits = np.zeros((len(rows), len(categories)), bool)
    for r, (_, chosen) in enumerate(rows):
        hits[r, [index[c] for c in chosen]] = True
    counts = hits.sum(axis=0)
    weighted = w @ hits if len(rows) else np.zeros(len(categories))
    base, weighted_base = len(rows), float(w.sum())
    n_eff = effective_sample_size(w)
    whole = (f"Fewer than {min_count} respondents answered this question." if base < min_count
             else None)
    out = []
    for i, category in enumerate(categories):
        count = int(counts[i])
        if whole or count < min_count:
            reason = whole or f"Fewer than {min_count} respondents chose this answer."
            out.append(CategoryResult(category, None, None, None, None, None, reason))
            continue
        share = float(weighted[i]) / weighted_base if weighted_base > 0 else 0.0
        low, high = wilson_interval(share, n_eff, confidence)
        out.append(CategoryResult(category, count, 100 * count / base, 100 * share, 100 * low,
                                  100 * high))
    design = base / n_eff if n_eff > 0 else 1.0
    return QuestionResult(question.id, question.type, base, weighted_base, n_eff, design,
                          tuple(out), no_weight, whole)
