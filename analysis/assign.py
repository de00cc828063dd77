"""Scoring texts against theme term profiles: used when fitting and to assign new texts later.

A theme's profile is the mean TF-IDF direction of its members, truncated to its strongest terms.
Scores are cosines between a text's TF-IDF vector and each profile, so they can be recomputed from
a saved :class:`~analysis.result.ThemeResult` alone, without changing the themes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from analysis.nonanswers import is_non_answer
from analysis.preprocess import features
from analysis.redact import redact
from analysis.result import Assignment, Membership, ThemeResult
from analysis.sentiment import sentiments


def tfidf_rows(
    feature_lists: Sequence[Sequence[str]], idf: dict[str, float]
) -> sp.csr_matrix:
    """L2-normalised sublinear TF-IDF rows over the terms in ``idf`` (others are ignored)."""
    index = {term: i for i, term in enumerate(sorted(idf))}
    weights = np.array([idf[t] for t in sorted(idf)], dtype=np.float64)
    indptr = [0]
    cols: list[int] = []
    vals: list[float] = []
    for feats in feature_lists:
        counts = Counter(f for f in feats if f in index)
        row = sorted((index[f], 1.0 + math.log(c)) for f, c in counts.items())
        cols.extend(j for j, _ in row)
        vals.extend(v * weights[j] for j, v in row)
        indptr.append(len(cols))
    m = sp.csr_matrix(
        (
            np.array(vals, dtype=np.float64),
            np.array(cols, dtype=np.int64),
            np.array(indptr),
        ),
        shape=(len(feature_lists), len(index)),
    )
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ m)


def profile_matrix(result: ThemeResult) -> sp.csr_matrix:
    """Themes' profiles as a sparse (themes x terms) matrix, columns as in :func:`tfidf_rows`."""
    index = {term: i for i, term in enumerate(sorted(result.idf))}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for r, theme in enumerate(result.themes):
        for term, w in sorted(theme.profile.items()):
            if term in index:
                rows.append(r)
                cols.append(index[term])
                vals.append(w)
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(result.themes), len(index)))


def score_features(
    feature_lists: Sequence[Sequence[str]], result: ThemeResult
) -> NDArray[np.float64]:
    """Cosine of each text with each theme profile, shape (texts, themes)."""
    if not result.themes or not result.idf:
        return np.zeros((len(feature_lists), len(result.themes)))
    x = tfidf_rows(feature_lists, result.idf)
    return np.asarray((x @ profile_matrix(result).T).toarray(), dtype=np.float64)


def memberships(
    scores: NDArray[np.float64],
    theme_ids: Sequence[str],
    main: int,
    min_score: float,
    ratio: float,
) -> list[Membership]:
    """Themes a text belongs to: its main theme and others scoring close to it."""
    if main < 0:
        return []
    floor = max(min_score, ratio * float(scores[main]))
    others = np.flatnonzero(scores >= floor)
    others = others[np.lexsort((others, -scores[others]))]
    out = [Membership(theme_ids[main], float(scores[main]))]
    out += [
        Membership(theme_ids[int(j)], float(scores[j])) for j in others if j != main
    ]
    return out


def assign(
    texts: Sequence[str],
    result: ThemeResult,
    ids: Sequence[str] | None = None,
    redact_text: bool = True,
) -> list[Assignment]:
    """Assign new texts to the themes of an existing result, leaving the themes unchanged."""
    ids = [str(i) for i in (ids if ids is not None else range(len(texts)))]
    clean = [redact(t).text if redact_text else t for t in texts]
    # Non-answers ("N/A", "don't know") are never placed on a theme.
    skip = [is_non_answer(t) for t in clean]
    scores = score_features(
        [[] if na else features(t) for t, na in zip(clean, skip, strict=True)], result
    )
    theme_ids = [t.id for t in result.themes]
    moods = sentiments(clean)
    out = []
    for i, row in enumerate(scores):
        best = int(np.argmax(row)) if len(theme_ids) else -1
        if best >= 0 and row[best] < max(result.min_score, 1e-12):
            best = -1
        out.append(
            Assignment(
                id=ids[i],
                theme_id=theme_ids[best] if best >= 0 else None,
                memberships=memberships(
                    row, theme_ids, best, result.min_score, result.multi_ratio
                ),
                sentiment=moods[i],
                non_answer=skip[i],
            )
        )
    return out
