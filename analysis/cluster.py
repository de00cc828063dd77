"""Spherical k-means: k-means on the unit sphere with cosine similarity, weighted and repeatable."""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
# Ward's clustering (ward_kmeans) on a nearest-neighbour graph: its neighbours per row, and the
# most rows it is run on (the exact neighbour search takes time quadratic in the rows).
WARD_NEIGHBOURS = 30
WARD_MAX_ROWS = 20000


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
        run = _lloyd(x, _kmeans_pp(x, w, k, rng), w, max_iter)
        if best is None or run[2] > best[2]:
            best = run
    assert best is not None
    return best


def _lloyd(
    x: FloatArray, c: FloatArray, w: FloatArray, max_iter: int
) -> tuple[IntArray, FloatArray, float]:
    """Spherical k-means iterations from centres ``c``: labels, centres, weighted sum of cosines."""
    n, k = x.shape[0], c.shape[0]
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
    return labels, c, float((w * sims.max(axis=1)).sum())


def ward_kmeans(
    x: FloatArray,
    k: int,
    weights: FloatArray | None = None,
    max_iter: int = 60,
) -> tuple[IntArray, FloatArray, float]:
    """Spherical k-means started from the ``k`` clusters of Ward's hierarchical clustering.

    Ward merges, bottom up, the two groups whose union least increases the within-group sum of
    squares; here only groups that touch in the graph of each row's :data:`WARD_NEIGHBOURS`
    nearest neighbours may merge, so memory grows with ``n`` (0.7 GB for 20,000 rows of 534
    dimensions, against 3.3 GB for Ward on the full distance matrix) and time with ``n``
    squared (the neighbour search): callers keep ``x`` to at most :data:`WARD_MAX_ROWS` rows.
    Deterministic (no random numbers). Ward counts every row once; the k-means iterations that
    follow use ``weights``.
    """
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.neighbors import kneighbors_graph

    n = x.shape[0]
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    k = max(1, min(k, n))
    if k == 1:
        start = np.zeros(n, dtype=np.int64)
    elif k == n:
        start = np.arange(n, dtype=np.int64)
    else:
        graph = kneighbors_graph(x, min(WARD_NEIGHBOURS, n - 1), include_self=False)
        with warnings.catch_warnings():
            # A graph in several pieces is joined by scikit-learn, which warns that it does so.
            warnings.simplefilter("ignore", UserWarning)
            start = np.asarray(
                AgglomerativeClustering(
                    n_clusters=k, linkage="ward", connectivity=graph
                ).fit_predict(x),
                dtype=np.int64,
            )
    return _lloyd(x, centroids(x, start, k, w), w, max_iter)
