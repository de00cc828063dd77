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
