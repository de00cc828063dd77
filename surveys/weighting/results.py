"""Weighted and unweighted percentages of a closed question, with 95% intervals that allow for
the design effect, unweighted bases, and suppression of small cells."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

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


def _valid_answers(question: Question, categories: tuple[str, ...]) -> dict[object, int]:
    """Answer value → category index: option ids, and for a rating its whole numbers too."""
    valid: dict[object, int] = {c: i for i, c in enumerate(categories)}
    if question.type == t.RATING:
        valid.update({int(c): i for i, c in enumerate(categories)})
    return valid


def question_results(question: Question, answers: Mapping[str, Mapping[str, object]],
                     weights: Mapping[str, float] | None = None, *, min_count: int = 10,
                     confidence: float = 0.95) -> QuestionResult:
    """Results of one closed question over responses (id → answers), weighted if given weights.

    Percentages are of those who answered. Intervals are Wilson intervals on the weighted share
    with n = Kish's effective base (n / design effect). A category chosen by fewer than
    `min_count` respondents is suppressed (its values None, with the reason); so is the whole
    question when fewer than `min_count` answered. Raises ValueError for open question types.
    """
    return questions_results([question], answers, weights, min_count=min_count,
                             confidence=confidence)[0]


def questions_results(questions: Sequence[Question], answers: Mapping[str, Mapping[str, object]],
                      weights: Mapping[str, float] | None = None, *, min_count: int = 10,
                      confidence: float = 0.95) -> list[QuestionResult]:
    """`question_results` of several questions (in their order) in one pass over the answers:
    each response's weight is looked up once and each answer matched to its category by a dict
    look-up, so 100,000 responses × 13 questions stay well under a second."""
    _refuse_unsupported(questions)
    specs = []
    for question in questions:
        categories = _categories(question)
        specs.append((question.id, question.type == t.MULTIPLE_CHOICE,
                      _valid_answers(question, categories)))
    n = len(specs)
    row_weights: list[list[float]] = [[] for _ in range(n)]
    hit_rows: list[list[int]] = [[] for _ in range(n)]
    hit_cats: list[list[int]] = [[] for _ in range(n)]
    no_weight = [0] * n
    for rid, answered in answers.items():
        weight = 1.0 if weights is None else weights.get(rid)
        for q, (qid, multiple, valid) in enumerate(specs):
            answer = answered.get(qid)
            if answer is None:
                continue
            if multiple:
                if not isinstance(answer, list) or not answer:
                    continue
                chosen = []
                for item in answer:
                    index = (valid.get(item) if isinstance(item, str) else None)
                    if index is None:
                        break
                    chosen.append(index)
                else:
                    if weight is None:
                        no_weight[q] += 1
                        continue
                    r = len(row_weights[q])
                    row_weights[q].append(float(weight))
                    for index in set(chosen):
                        hit_rows[q].append(r)
                        hit_cats[q].append(index)
                continue
            if answer.__class__ is bool or not isinstance(answer, (str, int)):
                continue
            index = valid.get(answer)
            if index is None:
                continue
            if weight is None:
                no_weight[q] += 1
                continue
            hit_rows[q].append(len(row_weights[q]))
            hit_cats[q].append(index)
            row_weights[q].append(float(weight))
    return [_result(question, np.array(row_weights[q], float), hit_rows[q], hit_cats[q],
                    no_weight[q], min_count, confidence)
            for q, question in enumerate(questions)]


def _result(question: Question, w: npt.NDArray[np.float64], rows: list[int], cats: list[int],
            no_weight: int, min_count: int, confidence: float) -> QuestionResult:
    """A question's figures from its answering rows' weights and their (row, category) hits."""
    hits = np.zeros((len(w), len(_categories(question))), bool)
    if rows:
        hits[np.array(rows, np.intp), np.array(cats, np.intp)] = True
    return _hits_result(question, w, hits, no_weight, min_count, confidence)


def _hits_result(question: Question, w: npt.NDArray[np.float64], hits: npt.NDArray[np.bool_],
                 no_weight: int, min_count: int, confidence: float) -> QuestionResult:
    """A question's figures from its answering rows' weights and which categories each chose."""
    categories = _categories(question)
    counts = hits.sum(axis=0)
    weighted = w @ hits if len(w) else np.zeros(len(categories))
    base, weighted_base = len(w), float(w.sum())
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


Ids = npt.NDArray[np.int64]
Group = tuple[object, Ids]
"""One distinct answer to a question and the ids of the responses that gave it."""


def _chosen(answer: object, valid: Mapping[object, int], multiple: bool) -> set[int] | None:
    """The categories an answer counts in (None: not a valid answer), exactly as
    `questions_results` reads each answer."""
    if answer is None:
        return None
    if multiple:
        if not isinstance(answer, list) or not answer:
            return None
        chosen = set()
        for item in answer:
            index = valid.get(item) if isinstance(item, str) else None
            if index is None:
                return None
            chosen.add(index)
        return chosen
    if answer.__class__ is bool or not isinstance(answer, (str, int)):
        return None
    index = valid.get(answer)
    return None if index is None else {index}


def grouped_results(questions: Sequence[Question], groups: Mapping[str, Sequence[Group]],
                    weights: tuple[Ids, npt.NDArray[np.float64]] | None = None, *,
                    min_count: int = 10, confidence: float = 0.95) -> list[QuestionResult]:
    """`questions_results` from answers grouped by distinct answer (question id → (answer,
    response ids), e.g. grouped by the database) and weights as (response ids in increasing
    order, their weights): each distinct answer is validated and matched to its categories as
    `questions_results` reads it, and the answering rows are laid out in response id order, so
    the figures are the same, to the last bit, as `questions_results` on every response's
    answers (ids as text, in increasing id order) with these weights."""
    _refuse_unsupported(questions)
    found = []
    for question in questions:
        categories = _categories(question)
        valid = _valid_answers(question, categories)
        multiple = question.type == t.MULTIPLE_CHOICE
        kept = [(ids, chosen) for answer, ids in groups.get(question.id, ())
                if len(ids) and (chosen := _chosen(answer, valid, multiple)) is not None]
        rows = np.sort(np.concatenate([ids for ids, _ in kept])) if kept else np.zeros(0, np.int64)
        no_weight = 0
        if weights is None:
            w = np.ones(len(rows), float)
        else:
            at = np.searchsorted(weights[0], rows)
            known = at < len(weights[0])
            known[known] = weights[0][at[known]] == rows[known]
            no_weight = int(len(rows) - known.sum())
            rows, w = rows[known], weights[1][at[known]].astype(float)
        hits = np.zeros((len(rows), len(categories)), bool)
        for ids, chosen in kept:
            at = np.searchsorted(rows, ids)
            inside = at < len(rows)
            inside[inside] = rows[at[inside]] == ids[inside]
            for index in chosen:
                hits[at[inside], index] = True
        found.append(_hits_result(question, w, hits, no_weight, min_count, confidence))
    return found


def _refuse_unsupported(questions: Sequence[Question]) -> None:
    """Weighted percentages are for the closed question types in SUPPORTED only."""
    for question in questions:
        if question.type not in SUPPORTED:
            raise ValueError(f"question {question.id!r} is {question.type}: weighted percentages "
                             f"are for {', '.join(sorted(SUPPORTED))} questions")
