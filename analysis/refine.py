"""Iterative classification: refit a linear classifier on each theme's confident members, reassign.

Clustering short texts leaves many borderline members; a classifier trained on the clear members
of every theme (on the full TF-IDF features, which keep words LSA blurs) reassigns the rest.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.linear_model import SGDClassifier


def refine(
    x: sp.csr_matrix,
    labels: NDArray[np.int64],
    w: NDArray[np.float64],
    k: int,
    n_iter: int,
    rng: np.random.Generator,
    keep: float = 0.7,
) -> NDArray[np.int64]:
    """Labels after ``n_iter`` rounds of train-on-confident, predict-all."""
    labels = labels.copy()
    for _ in range(n_iter):
        present = np.unique(labels)
        if present.size < 2:
            break
        # Confidence: cosine of each text with its own theme's TF-IDF centroid.
        onehot = sp.csr_matrix(
            (w, (labels, np.arange(len(labels)))), shape=(k, len(labels))
        )
        cen = np.asarray((onehot @ x).toarray(), dtype=np.float64)
        norms = np.linalg.norm(cen, axis=1)
        norms[norms == 0] = 1.0
        sims = np.asarray(x @ (cen / norms[:, None]).T)
        conf = sims[np.arange(len(labels)), labels]
        train = np.zeros(len(labels), dtype=bool)
        for c in present:
            members = np.flatnonzero(labels == c)
            cut = (
                np.quantile(conf[members], 1.0 - keep) if members.size > 3 else -np.inf
            )
            train[members[conf[members] >= cut]] = True
        clf = SGDClassifier(
            loss="modified_huber",
            alpha=1e-4,
            max_iter=15,
            tol=None,
            class_weight="balanced",
            random_state=int(rng.integers(2**31)),
        )
        clf.fit(x[train], labels[train], sample_weight=w[train])
        new = np.asarray(clf.predict(x), dtype=np.int64)
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


def coherence(
    z: NDArray[np.float64], labels: NDArray[np.int64], w: NDArray[np.float64], k: int
) -> NDArray[np.float64]:
    """Each theme's weighted mean cosine of its members with their centre (0 for empty themes)."""
    from analysis.cluster import centroids

    cen = centroids(z, labels, k, w)
    own = np.einsum("ij,ij->i", z, cen[labels])
    total = np.bincount(labels, weights=w * own, minlength=k)
    size = np.bincount(labels, weights=w, minlength=k)
    return np.asarray(np.where(size > 0, total / np.maximum(size, 1e-12), 0.0), dtype=np.float64)


def split_catch_alls(
    z: NDArray[np.float64],
    labels: NDArray[np.int64],
    w: NDArray[np.float64],
    rng: np.random.Generator,
    fence: float = 1.5,
    max_rounds: int = 10,
) -> NDArray[np.int64]:
    """Split themes that are large and far less coherent than the others (catch-alls).

    A catch-all gathers texts that fit no theme well: it is bigger than the median theme and
    its members' mean cosine with their centre is below the lower Tukey fence (first quartile
    minus ``fence`` interquartile ranges) of all themes' coherences. Each is split in two by
    spherical k-means and the test repeated (at most ``max_rounds`` splits). Returns new labels
    (themes numbered 0..k'-1).
    """
    from analysis.cluster import spherical_kmeans

    labels = labels.copy()
    for _ in range(max_rounds):
        k = int(labels.max()) + 1
        if k < 4:
            break
        coh = coherence(z, labels, w, k)
        size = np.bincount(labels, weights=w, minlength=k)
        q1, q3 = np.quantile(coh[size > 0], [0.25, 0.75])
        bad = np.flatnonzero(
            (coh < q1 - fence * (q3 - q1)) & (size > np.median(size[size > 0]))
        )
        if bad.size == 0:
            break
        worst = int(bad[np.argmin(coh[bad])])
        members = np.flatnonzero(labels == worst)
        if members.size < 4:
            break
        part, _, _ = spherical_kmeans(z[members], 2, rng, w[members], n_init=3)
        labels[members[part == 1]] = k
    return labels
