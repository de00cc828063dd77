"""Simulated coding on labelled data: an analyst who answers with the true label.

The tool asks about texts in batches (:func:`analysis.coding.choose_first` for the first batch,
then :func:`analysis.coding.choose_next` after each refit), up to ``per_code`` x (number of
labels) texts; the model then predicts the rest. ``strategy="random"`` codes a random sample of
the same size with the same model, for comparison. Used by ``python -m analysis simulate-coding``
and bench/coding_bench.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.metrics import f1_score

from analysis.coding import DEFAULT_C, CodeSuggester, TextFeatures, choose_first, choose_next

# Texts asked about between two refits: a tenth of the budget, between 10 and 100.
MIN_BATCH = 10
MAX_BATCH = 100


@dataclass(frozen=True)
class Simulation:
    """Which rows were coded, the label of every row (given or predicted) and F1 on the rest."""

    coded: NDArray[np.bool_]
    labels: list[str]
    micro_f1: float
    macro_f1: float
    refits: int


def batch_size(budget: int) -> int:
    """Texts asked about per round for a budget (a tenth of it, 10 to 100)."""
    return max(MIN_BATCH, min(MAX_BATCH, budget // 10))


def simulate(
    texts: Sequence[str],
    gold: Sequence[str],
    per_code: int,
    *,
    random_state: int = 0,
    strategy: str = "active",
    features: TextFeatures | None = None,
    embedding: str = "auto",
    batch: int | None = None,
    spread: bool = False,
    C: float = DEFAULT_C,
) -> Simulation:
    """Code at most ``per_code`` x (number of labels) texts chosen by ``strategy``.

    The rest are scored. ``spread`` and ``C``: as for :func:`analysis.coding.choose_next` and
    :class:`analysis.coding.CodeSuggester` (other values for comparison only)."""
    if strategy not in ("active", "random"):
        raise ValueError("strategy must be active or random")
    texts = [str(t) for t in texts]
    gold = [str(g) for g in gold]
    n = len(texts)
    budget = min(n, per_code * len(set(gold)))
    feats = features or TextFeatures(embedding=embedding, random_state=random_state).fit(texts)
    coded = np.zeros(n, dtype=bool)
    rng = np.random.default_rng(random_state)
    refits = 0
    # One model refitted as texts are coded, each fit starting from the previous one's weights
    # (as the tool refreshes its suggestions): the same optimum in a few iterations.
    model = CodeSuggester(features=feats, C=C, warm_start=True, random_state=random_state)
    if strategy == "random":
        coded[rng.choice(n, budget, replace=False)] = True
    else:
        step = batch or batch_size(budget)
        first = choose_first(feats.transform(texts), min(budget, step), random_state=random_state)
        coded[first] = True
        refits = _ask(model, texts, gold, coded, budget, step, rng, random_state, spread)
    return _predict_rest(model, texts, gold, coded, refits)


def _ask(
    model: CodeSuggester,
    texts: list[str],
    gold: list[str],
    coded: NDArray[np.bool_],
    budget: int,
    step: int,
    rng: np.random.Generator,
    random_state: int,
    spread: bool,
) -> int:
    """Code (in ``coded``) the texts the model asks about after each refit, up to the budget;
    returns the number of refits."""
    refits = 0
    while coded.sum() < budget:
        rows = np.flatnonzero(coded)
        if len({gold[i] for i in rows}) < 2:  # nothing to tell apart yet: a random text
            coded[rng.choice(np.flatnonzero(~coded), 1)] = True
            continue
        _fit(model, texts, gold, rows)
        refits += 1
        rest = np.flatnonzero(~coded)
        take = min(step, budget - int(coded.sum()))
        proba = model.predict_proba([texts[i] for i in rest])
        chosen = choose_next(proba, take, random_state=random_state + refits, spread=spread)
        coded[rest[chosen]] = True
    return refits


def _predict_rest(
    model: CodeSuggester,
    texts: list[str],
    gold: list[str],
    coded: NDArray[np.bool_],
    refits: int,
) -> Simulation:
    """Fit on the coded texts, label the rest with the model's first suggestion, score it."""
    rows = np.flatnonzero(coded)
    labels = list(gold)
    rest = np.flatnonzero(~coded)
    if rest.size and rows.size:
        _fit(model, texts, gold, rows)
        refits += 1
        for i, s in zip(rest, model.suggest([texts[i] for i in rest]), strict=True):
            labels[i] = s[0][0]
    truth = [gold[i] for i in rest]
    guess = [labels[i] for i in rest]
    return Simulation(
        coded=coded,
        labels=labels,
        micro_f1=float(f1_score(truth, guess, average="micro")) if rest.size else 1.0,
        macro_f1=float(f1_score(truth, guess, average="macro", zero_division=0))
        if rest.size
        else 1.0,
        refits=refits,
    )


def _fit(
    model: CodeSuggester, texts: list[str], gold: list[str], rows: NDArray[np.int64]
) -> CodeSuggester:
    return model.fit([texts[i] for i in rows], [[gold[i]] for i in rows])
