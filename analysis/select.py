"""Choosing the number of themes: candidates in a readable range, scored by a stated criterion."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from analysis.cluster import spherical_kmeans
from analysis.result import KCurve

CRITERION = "silhouette (cosine) of spherical k-means on a sample of up to 3000 texts"


def candidates(low: int, high: int, n_distinct: int) -> list[int]:
    """Candidate numbers of themes between ``low`` and ``high`` (about 10, spaced geometrically)."""
    high = max(1, min(high, n_distinct))
    low = max(1, min(low, high))
    if high - low <= 10:
        return list(range(low, high + 1))
    grid = np.unique(np.round(np.geomspace(low, high, 10)).astype(int))
    return [int(v) for v in grid]


def silhouette(x: NDArray[np.float64], labels: NDArray[np.int64], w: NDArray[np.float64]) -> float:
    """Weighted mean silhouette with cosine distance (1 - cosine of unit vectors)."""
    k = int(labels.max()) + 1
    if k < 2:
        return 0.0
    d = 1.0 - x @ x.T
    onehot = np.zeros((x.shape[0], k))
    onehot[np.arange(x.shape[0]), labels] = w
    sums = d @ onehot
    sizes = onehot.sum(axis=0)
    own = labels
    own_size = sizes[own] - w
    a = np.where(own_size > 0, sums[np.arange(len(own)), own] / np.maximum(own_size, 1e-12), 0.0)
    mean_other = sums / np.maximum(sizes, 1e-12)
    mean_other[np.arange(len(own)), own] = np.inf
    mean_other[:, sizes == 0] = np.inf
    b = mean_other.min(axis=1)
    s = np.where(own_size > 0, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float((s * w).sum() / w.sum())


def choose_k(
    x: NDArray[np.float64],
    w: NDArray[np.float64],
    low: int,
    high: int,
    rng: np.random.Generator,
    sample: int = 3000,
) -> KCurve:
    """Score each candidate number of themes and pick the best by :data:`CRITERION`."""
    n = x.shape[0]
    cands = candidates(low, high, n)
    if n > sample:
        idx = np.sort(rng.choice(n, size=sample, replace=False, p=w / w.sum()))
        xs, ws = x[idx], np.ones(sample)
    else:
        xs, ws = x, w
    scores = []
    for k in cands:
        labels, _, _ = spherical_kmeans(xs, k, rng, ws, n_init=2)
        scores.append(silhouette(xs, labels, ws))
    best = int(np.argmax(np.round(scores, 6)))
    return KCurve(criterion=CRITERION, candidates=cands, scores=[float(s) for s in scores], chosen=cands[best])
