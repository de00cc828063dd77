"""Measuring quality against gold labels: themes (ACC by Hungarian matching, NMI, ARI) and
redaction (recall and precision on a labelled corpus)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from analysis.redact import find_personal_data


def _codes(values: Sequence[Any]) -> np.ndarray:
    """Integer codes for arbitrary labels, in sorted order of their string form."""
    lookup = {v: i for i, v in enumerate(sorted({str(v) for v in values}))}
    return np.array([lookup[str(v)] for v in values], dtype=np.int64)


def accuracy(gold: Sequence[Any], predicted: Sequence[Any]) -> float:
    """Clustering accuracy: share of texts matched after the best one-to-one label mapping."""
    if len(gold) == 0:
        return 0.0
    g, p = _codes(gold), _codes(predicted)
    size = max(int(g.max()), int(p.max())) + 1
    table = np.zeros((size, size))
    np.add.at(table, (p, g), 1)
    rows, cols = linear_sum_assignment(-table)
    return float(table[rows, cols].sum() / len(g))


def scores(gold: Sequence[Any], predicted: Sequence[Any]) -> dict[str, float]:
    """ACC, NMI (arithmetic) and ARI, as fractions."""
    g, p = _codes(gold), _codes(predicted)
    return {
        "acc": accuracy(gold, predicted),
        "nmi": float(normalized_mutual_info_score(g, p)),
        "ari": float(adjusted_rand_score(g, p)),
    }


@dataclass(frozen=True)
class Evaluation:
    """Mean and spread (population s.d.) of the scores over several seeds, and timing."""

    setting: str
    n_themes: list[int]
    mean: dict[str, float]
    sd: dict[str, float]
    seconds: list[float]
    unthemed: list[float]

    def line(self) -> str:
        """One readable line of figures in percent."""
        parts = [
            f"{m.upper()} {100 * self.mean[m]:.1f} ± {100 * self.sd[m]:.1f}"
            for m in ("acc", "nmi", "ari")
        ]
        ks = sorted(set(self.n_themes))
        k_text = str(ks[0]) if len(ks) == 1 else f"{ks[0]}-{ks[-1]}"
        return (
            f"{self.setting:<8} themes {k_text:<6} "
            + "  ".join(parts)
            + f"  unthemed {100 * statistics.fmean(self.unthemed):.1f}%"
            + f"  time {statistics.median(self.seconds):.1f} s (median of {len(self.seconds)})"
        )


def evaluate(
    texts: Sequence[str],
    gold: Sequence[Any],
    n_themes: int | str,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    setting: str = "",
    **params: Any,
) -> Evaluation:
    """Fit a :class:`ThemeModel` once per seed and score its main themes (unthemed = own group)."""
    from analysis.themes import ThemeModel

    runs: list[dict[str, float]] = []
    seconds: list[float] = []
    ks: list[int] = []
    unthemed: list[float] = []
    for seed in seeds:
        start = time.perf_counter()
        model = ThemeModel(
            n_themes=n_themes, random_state=seed, sentiment=False, **params
        ).fit(texts)
        seconds.append(time.perf_counter() - start)
        runs.append(scores(gold, model.labels_.tolist()))
        ks.append(model.n_themes_)
        unthemed.append(model.result_.unthemed_share)
    mean = {m: statistics.fmean(r[m] for r in runs) for m in ("acc", "nmi", "ari")}
    sd = {m: statistics.pstdev(r[m] for r in runs) for m in ("acc", "nmi", "ari")}
    return Evaluation(setting or str(n_themes), ks, mean, sd, seconds, unthemed)


@dataclass(frozen=True)
class RedactionScore:
    """Recall and precision of redaction on a labelled corpus, with the counts behind them."""

    texts: int
    items: int
    found: int
    predicted: int
    false_positives: int
    missed: tuple[tuple[str, str], ...]

    @property
    def recall(self) -> float:
        """Share of labelled items wholly covered by a finding of the same kind."""
        return self.found / self.items if self.items else 1.0

    @property
    def precision(self) -> float:
        """Share of findings that overlap a labelled item."""
        return 1 - self.false_positives / self.predicted if self.predicted else 1.0


def redaction_score(corpus: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> RedactionScore:
    """Score `find_personal_data` on `(text, [(kind, exact substring), ...])` pairs."""
    found = items = predicted = false_positives = 0
    missed: list[tuple[str, str]] = []
    for text, gold in corpus:
        spans = [(kind, text.index(sub), text.index(sub) + len(sub)) for kind, sub in gold]
        pred = find_personal_data(text)
        predicted += len(pred)
        for kind, start, end in spans:
            items += 1
            if any(p.kind == kind and p.start <= start and p.end >= end for p in pred):
                found += 1
            else:
                missed.append((kind, text))
        false_positives += sum(
            1 for p in pred if not any(p.start < e and p.end > s for _k, s, e in spans))
    return RedactionScore(len(corpus), items, found, predicted, false_positives, tuple(missed))
