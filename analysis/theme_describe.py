"""The theme estimator's description step: clustered texts in, a :class:`ThemeResult` out.

Themes are ordered by size (largest first, empty ones dropped); each gets a profile (the mean
TF-IDF direction of its members), key phrases, a label and description (analysis.theme_text),
quotes and its weighted share, sentiment and people; every text gets its main theme and its
memberships. Used by :class:`analysis.themes.ThemeModel`, whose parameters and fitted attributes
it reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from analysis.assign import memberships, score_features
from analysis.cluster import centroids, normalize_rows
from analysis.labels import (
    distinctive_terms,
    key_phrases,
    pick_quotes,
    quote_text,
)
from analysis.result import Assignment, Membership, Quote, Theme, ThemeResult
from analysis.theme_cluster import SENTENCE_EMBEDDINGS
from analysis.theme_text import name_themes

if TYPE_CHECKING:
    from analysis.themes import ThemeModel

PROFILE_TERMS = 300
# With sentence vectors, a text is unthemed when its cosine with its theme's centre is this many
# interquartile ranges below the lower quartile of all such cosines (Tukey's "far out").
OUTLIER_IQR = 3.0

# A theme's terms, key phrases, and its distinct texts (text, count) most central first.
NamingPart = tuple[list[str], list[str], list[tuple[str, float]]]


def _weighted_quantiles(
    values: NDArray[np.float64], weights: NDArray[np.float64], qs: Sequence[float]
) -> list[float]:
    """Quantiles of ``values`` where each value counts ``weights`` times (lower value at ties)."""
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    total = float(cum[-1])
    return [
        float(values[order][min(int(np.searchsorted(cum, q * total)), len(cum) - 1)])
        for q in qs
    ]


def _off_theme(
    z: NDArray[np.float64],
    labels: NDArray[np.int64],
    counts: NDArray[np.float64],
    k: int,
) -> NDArray[np.bool_]:
    """Texts that fit no theme in a sentence-vector space: far outliers in closeness to a theme.

    How close texts are to their theme's centre depends on the model and the corpus (sentence
    vectors share a common direction, so any two texts are somewhat alike), so no fixed cosine
    is right everywhere. The threshold comes from the corpus's own distribution of these
    cosines: Tukey's fence for far-out values, below the lower quartile by three interquartile
    ranges.
    """
    rows = np.flatnonzero(labels >= 0)
    if k < 2 or rows.size < 4:
        return np.zeros(labels.shape[0], dtype=bool)
    cen = centroids(z[rows], labels[rows], k, counts[rows])
    own = np.einsum("ij,ij->i", z[rows], cen[labels[rows]])
    q1, q3 = _weighted_quantiles(own, counts[rows], (0.25, 0.75))
    out = np.zeros(labels.shape[0], dtype=bool)
    out[rows[own < q1 - OUTLIER_IQR * (q3 - q1)]] = True
    return out


def _by_size(
    labels_u: NDArray[np.int64], counts: NDArray[np.float64]
) -> tuple[NDArray[np.int64], int]:
    """Labels renumbered so that themes are ordered by size (largest first), empty ones dropped;
    the number of themes left."""
    k0 = int(labels_u.max()) + 1 if labels_u.size else 0
    sizes = np.bincount(labels_u[labels_u >= 0], weights=counts[labels_u >= 0], minlength=k0)
    order = [c for c in sorted(range(k0), key=lambda c: (-sizes[c], c)) if sizes[c] > 0]
    remap = np.full(k0 + 1, -1, dtype=np.int64)
    for new, old in enumerate(order):
        remap[old] = new
    return remap[labels_u], len(order)


def _profiles(
    labels_u: NDArray[np.int64], counts: NDArray[np.float64], x_u: sp.csr_matrix, k: int
) -> NDArray[np.float64]:
    """Each theme's mean TF-IDF direction of its members (unit rows)."""
    if not k:
        return np.zeros((k, x_u.shape[1]))
    onehot = sp.csr_matrix(
        (counts[labels_u >= 0], (labels_u[labels_u >= 0], np.flatnonzero(labels_u >= 0))),
        shape=(k, len(labels_u)),
    )
    return normalize_rows(np.asarray((onehot @ x_u).toarray(), dtype=np.float64))


def _draft(
    model: ThemeModel,
    profiles: NDArray[np.float64],
    theme_ids: list[str],
    vocab: list[str],
    idf: NDArray[np.float64],
) -> ThemeResult:
    """Themes with only their profiles (strongest terms, rounded) and the IDF of those terms."""
    keep_terms: set[int] = set()
    profile_dicts: list[dict[str, float]] = []
    for row in profiles:
        nz = np.flatnonzero(row > 0)
        top = nz[np.lexsort((nz, -row[nz]))][:PROFILE_TERMS]
        norm = float(np.linalg.norm(row[top])) or 1.0
        profile_dicts.append({vocab[j]: float(row[j] / norm) for j in sorted(top)})
        keep_terms.update(int(j) for j in top)
    return ThemeResult(
        themes=[
            Theme(tid, "", "", [], 0, 0.0, 0.0, [], {a: round(b, 6) for a, b in p.items()})
            for tid, p in zip(theme_ids, profile_dicts, strict=True)
        ],
        assignments=[],
        unthemed_share=0.0,
        params={},
        idf={vocab[j]: round(float(idf[j]), 6) for j in sorted(keep_terms)},
        min_score=model.min_score,
        multi_ratio=model.multi_ratio,
    )


def _main_themes(
    model: ThemeModel,
    labels_u: NDArray[np.int64],
    scores_u: NDArray[np.float64],
    z_u: NDArray[np.float64],
    counts: NDArray[np.float64],
    k: int,
) -> NDArray[np.int64]:
    """Each distinct text's main theme, -1 when it fits none well enough."""
    main_u = labels_u.copy()
    if model.vectors_.name in SENTENCE_EMBEDDINGS:
        main_u[_off_theme(z_u, labels_u, counts, k)] = -1
    else:
        for r in np.flatnonzero(main_u >= 0):
            if scores_u[r, main_u[r]] < max(model.min_score, 1e-12):
                main_u[r] = -1
    return main_u


def _centre(z: NDArray[np.float64], weights: NDArray[np.float64]) -> NDArray[np.float64]:
    """Unit weighted mean direction of the rows ``z``."""
    cen = z.T @ weights
    return np.asarray(cen / (np.linalg.norm(cen) or 1.0), dtype=np.float64)


def _naming_parts(
    model: ThemeModel,
    clean: list[str],
    first: NDArray[np.int64],
    counts: NDArray[np.float64],
    main_u: NDArray[np.int64],
    z_u: NDArray[np.float64],
    profiles: NDArray[np.float64],
    vocab: list[str],
) -> list[NamingPart]:
    """What each theme is named from: distinctive terms, key phrases, central texts."""
    k = profiles.shape[0]
    terms_by_theme = distinctive_terms(profiles, top=30) if k else []
    parts: list[NamingPart] = []
    for c in range(k):
        umembers = np.flatnonzero(main_u == c)
        terms = [vocab[j] for j in terms_by_theme[c]]
        terms = [t for t in terms if " " not in t or t in model.phrases_][:12]
        phrases = key_phrases(terms, model.surface_)
        cen = _centre(z_u[umembers], counts[umembers])
        central = umembers[np.argsort(-(z_u[umembers] @ cen), kind="stable")]
        parts.append((terms, phrases, [(clean[first[r]], float(counts[r])) for r in central]))
    return parts


def _theme(
    model: ThemeModel,
    c: int,
    theme_id: str,
    named: tuple[str, str],
    part: NamingPart,
    draft: Theme,
    text: tuple[list[str], NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]],
    unique: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]],
    z_u: NDArray[np.float64],
    scores_u: NDArray[np.float64],
) -> Theme:
    """Theme ``c`` in full: size, share, sentiment, people and quotes.

    ``text`` is per text (clean texts, main themes, weights, sentiment); ``unique`` per distinct
    text (main themes, first text, count).
    """
    clean, main, w, moods = text
    main_u, first, counts = unique
    members = np.flatnonzero(main == c)
    umembers = np.flatnonzero(main_u == c)
    cen = _centre(z_u[umembers], counts[umembers])
    scored = members[~np.isnan(moods[members])]
    ws = w[scored]
    mean_sent = float((moods[scored] * ws).sum() / ws.sum()) if ws.sum() > 0 else None
    quotes = [
        Quote(
            model.ids_[first[umembers[j]]],
            quote_text(clean[first[umembers[j]]]),
            float(scores_u[umembers[j], c]),
        )
        for j in pick_quotes(z_u[umembers], cen, model.n_quotes)
    ]
    return Theme(
        id=theme_id,
        label=named[0],
        description=named[1],
        key_phrases=part[1],
        size=int(members.size),
        weighted_share=float(w[members].sum() / (float(w.sum()) or 1.0)),
        mean_sentiment=mean_sent,
        quotes=quotes,
        profile=draft.profile,
        respondents=None
        if model.respondents_ is None
        else len({model.respondents_[i] for i in members}),
        sentiment_scored=int(scored.size),
    )


def _assignments(
    model: ThemeModel,
    inverse: NDArray[np.int64],
    main: NDArray[np.int64],
    main_u: NDArray[np.int64],
    scores_u: NDArray[np.float64],
    moods: NDArray[np.float64],
    theme_ids: list[str],
) -> list[Assignment]:
    """Every text's main theme, memberships (computed once per distinct text) and sentiment."""
    assignments = []
    member_lists: dict[int, list[Membership]] = {}
    for i in range(len(inverse)):
        u = int(inverse[i])
        if u not in member_lists:
            member_lists[u] = (
                memberships(
                    scores_u[u], theme_ids, int(main_u[u]), model.min_score, model.multi_ratio
                )
                if theme_ids
                else []
            )
        assignments.append(
            Assignment(
                id=model.ids_[i],
                theme_id=theme_ids[main[i]] if main[i] >= 0 else None,
                memberships=[] if model.non_answer_[i] else member_lists[u],
                sentiment=None if np.isnan(moods[i]) else float(moods[i]),
                non_answer=bool(model.non_answer_[i]),
            )
        )
    return assignments


def describe(
    model: ThemeModel,
    clean: list[str],
    ufeats: list[list[str]],
    inverse: NDArray[np.int64],
    first: NDArray[np.int64],
    counts: NDArray[np.float64],
    w: NDArray[np.float64],
    moods: NDArray[np.float64],
    labels_u: NDArray[np.int64],
    z_u: NDArray[np.float64],
    x_u: sp.csr_matrix,
    vocab: list[str],
    idf: NDArray[np.float64],
) -> ThemeResult:
    """Build profiles, labels, quotes and the per-text assignments."""
    n = len(clean)
    labels_u, k = _by_size(labels_u, counts)
    theme_ids = [str(i + 1) for i in range(k)]
    profiles = _profiles(labels_u, counts, x_u, k)
    draft = _draft(model, profiles, theme_ids, vocab, idf)
    scores_u = score_features(ufeats, draft) if k else np.zeros((len(labels_u), 0))
    main_u = _main_themes(model, labels_u, scores_u, z_u, counts, k)
    main = main_u[inverse] if n else np.zeros(0, dtype=np.int64)
    parts = _naming_parts(model, clean, first, counts, main_u, z_u, profiles, vocab)
    named = name_themes([p[2] for p in parts], [p[0] for p in parts], [p[1] for p in parts])
    themes = [
        _theme(
            model,
            c,
            theme_ids[c],
            named[c],
            parts[c],
            draft.themes[c],
            (clean, main, w, moods),
            (main_u, first, counts),
            z_u,
            scores_u,
        )
        for c in range(k)
    ]
    total_w = float(w.sum()) or 1.0
    return ThemeResult(
        themes=themes,
        assignments=_assignments(model, inverse, main, main_u, scores_u, moods, theme_ids),
        unthemed_share=float(w[main < 0].sum() / total_w) if n else 0.0,
        params={
            **model.get_params(),
            "vectors": model.vectors_.name,
            "vectors_reason": model.vectors_.reason,
        },
        k_curve=model.k_curve_,
        idf=draft.idf,
        min_score=model.min_score,
        multi_ratio=model.multi_ratio,
        non_answers=int(model.non_answer_.sum()),
    )
