"""Spherical k-means: k-means on the unit sphere with cosine similarity, weighted and repeatable."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def normalize_rows(x: FloatArray) -> FloatArray:
    """Rows scaled to unit L2 norm (zero rows stay zero)."""
    norms = np.linalg.norm(x, axis=1)
    norms[norms == 0] = 1.0
    return np.asarray(x / norms[:, None], dtype=np.float64)


def _kmeans_pp(
    x: FloatArray, w: FloatArray, k: int, rng: np.random.Generator
) -> FloatArray:
    """k-means++ seeding on cosine distance, weighted by ``w``."""
    n = x.shape[0]
    first = int(rng.choice(n, p=w / w.sum()))
    centers = [first]
    dist = np.clip(1.0 - x @ x[first], 0.0, None)
    for _ in range(1, k):
        p = w * dist**2
        total = p.sum()
        j = int(rng.choice(n, p=p / total)) if total > 0 else int(rng.integers(n))
        centers.append(j)
        dist = np.minimum(dist, np.clip(1.0 - x @ x[j], 0.0, None))
    return np.array(x[centers], dtype=np.float64)


def centroids(
    x: FloatArray, labels: IntArray, k: int, w: FloatArray | None = None
) -> FloatArray:
    """Unit-norm mean direction of each cluster (zero rows for empty clusters)."""
    weights = np.ones(len(labels)) if w is None else w
    # A sparse indicator matrix: far cheaper than a dense one or np.add.at.
    onehot = sp.csr_matrix(
        (weights, (labels, np.arange(len(labels)))), shape=(k, len(labels))
    )
    return normalize_rows(np.asarray(onehot @ x, dtype=np.float64))


def spherical_kmeans(
    x: FloatArray,
    k: int,
    rng: np.random.Generator,
    weights: FloatArray | None = None,
    n_init: int = 3,
    max_iter: int = 60,
) -> tuple[IntArray, FloatArray, float]:
    """Best of ``n_init`` runs: labels, unit centroids and the weighted sum of cosines."""
    n = x.shape[0]
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    k = max(1, min(k, n))
    best: tuple[IntArray, FloatArray, float] | None = None
    for _ in range(n_init):
        c = _kmeans_pp(x, w, k, rng)
        labels = np.full(n, -1, dtype=np.int64)
        sims = x @ c.T
        for _ in range(max_iter):
            new = np.asarray(sims.argmax(axis=1), dtype=np.int64)
            if np.array_equal(new, labels):
                break
            labels = new
            c = centroids(x, labels, k, w)
            empty = np.flatnonzero(~c.any(axis=1))
            if empty.size:
                # Re-seed empty clusters with the points that fit their cluster worst.
                fit = sims[np.arange(n), labels]
                c[empty] = x[np.argsort(fit, kind="stable")[: empty.size]]
            sims = x @ c.T
        labels = np.asarray(sims.argmax(axis=1), dtype=np.int64)
        objective = float((w * sims.max(axis=1)).sum())
        if best is None or objective > best[2]:
            best = (labels, c, objective)
    assert best is not None
    return best
