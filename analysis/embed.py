"""Text vectors from word co-occurrence learned on the corpus itself (no pretrained model).

Short answers rarely share words, so plain TF-IDF sees "bins overflowing" and "rubbish not
collected" as unrelated. Here every term gets a vector from how it co-occurs with other terms in
the same texts (positive pointwise mutual information, context smoothing 0.75, truncated SVD, as
in Levy, Goldberg and Dagan 2015); a text is the TF-IDF weighted sum of its terms' vectors. This
"expands" each short text with related words and measured clearly better than LSA here.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.decomposition import TruncatedSVD

from analysis.cluster import normalize_rows

MAX_TERMS_PER_TEXT = 60
# Word vectors longer than this quantile of all word vectors' lengths are shortened to it (only
# the longest 3%; 0.5 helped searchsnippets more but cost tweet 2 NMI: docs/benchmarks-analysis.md).
NORM_CAP_QUANTILE = 0.97


def _cap_rows(x: sp.csr_matrix, cap: int) -> sp.csr_matrix:
    """Keep each row's ``cap`` strongest terms, so one huge text cannot dominate co-occurrence."""
    x = sp.csr_matrix(x, copy=True)
    lengths = np.diff(x.indptr)
    for r in np.flatnonzero(lengths > cap):
        start, end = x.indptr[r], x.indptr[r + 1]
        data = x.data[start:end]
        cut = np.sort(data)[-cap]
        drop = data < cut
        # Ties at the cut are broken by column order, keeping the result repeatable.
        keep_ties = np.flatnonzero(data == cut)[: cap - int((data > cut).sum())]
        mask = drop.copy()
        ties = np.flatnonzero(data == cut)
        mask[np.setdiff1d(ties, keep_ties)] = True
        data[mask] = 0.0
    x.eliminate_zeros()
    return x


def _orthonormal(y: NDArray[np.float64]) -> NDArray[np.float64]:
    """Orthonormal basis of the columns of ``y`` from its small Gram matrix (products only)."""
    vals, vecs = np.linalg.eigh(y.T @ y)
    keep = vals > vals.max() * 1e-10
    return np.asarray(y @ (vecs[:, keep] / np.sqrt(vals[keep])), dtype=np.float64)


def _top_eigen(
    m: sp.csr_matrix, k: int, rng: np.random.Generator, n_iter: int = 4
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Leading ``k`` eigenvectors (by magnitude) and |eigenvalues| of a symmetric sparse matrix.

    Randomised subspace iteration (Halko et al. 2011); for a symmetric matrix these are its
    singular vectors and values. Uses only sparse-dense products and small dense problems.
    """
    y = np.asarray(m @ rng.standard_normal((m.shape[0], k + 10)), dtype=np.float64)
    for _ in range(n_iter):
        y = np.asarray(m @ _orthonormal(y), dtype=np.float64)
    q = _orthonormal(y)
    vals, vecs = np.linalg.eigh(q.T @ np.asarray(m @ q))
    order = np.argsort(-np.abs(vals), kind="stable")[:k]
    return np.asarray(q @ vecs[:, order], dtype=np.float64), np.abs(vals[order])


class CooccurrenceEmbedding:
    """Term vectors from PPMI co-occurrence + SVD; texts as weighted sums (estimator API)."""

    def __init__(
        self,
        n_components: int = 150,
        smoothing: float = 0.75,
        lexical: bool = False,
        norm_cap: float = NORM_CAP_QUANTILE,
        random_state: int | None = 0,
    ) -> None:
        self.n_components = n_components
        self.smoothing = smoothing
        self.lexical = lexical
        self.norm_cap = norm_cap
        self.random_state = random_state

    def fit(self, x: sp.csr_matrix) -> CooccurrenceEmbedding:
        """Learn term vectors from a (texts x terms) TF-IDF matrix."""
        n_terms = x.shape[1]
        self.lsa_: TruncatedSVD | None = None
        if self.lexical and min(x.shape) > 2:
            # With few texts co-occurrence is thin evidence: keep the words' own signal (LSA) too.
            dims = max(1, min(self.n_components, min(x.shape) - 1))
            self.lsa_ = TruncatedSVD(dims, random_state=self.random_state).fit(x)
        b = _cap_rows(sp.csr_matrix(x), MAX_TERMS_PER_TEXT)
        b.data[:] = 1.0
        co = sp.coo_matrix(b.T @ b)
        off = co.row != co.col
        rows, cols, vals = co.row[off], co.col[off], co.data[off]
        dims = max(1, min(self.n_components, n_terms - 1))
        if vals.size == 0 or n_terms < 3:
            self.vectors_ = np.eye(n_terms, dtype=np.float64)
            return self
        total = vals.sum()
        row_sums = np.bincount(rows, weights=vals, minlength=n_terms)
        context = row_sums**self.smoothing
        context /= context.sum()
        pmi = (
            np.log(vals / total)
            - np.log(row_sums[rows] / total)
            - np.log(context[cols])
        )
        keep = pmi > 0
        ppmi = sp.csr_matrix(
            (pmi[keep], (rows[keep], cols[keep])), shape=(n_terms, n_terms)
        )
        if ppmi.nnz == 0:
            self.vectors_ = np.eye(n_terms, dtype=np.float64)
            return self
        u, s = _top_eigen(ppmi, dims, np.random.default_rng(self.random_state))
        # Fix the sign of each component so that repeated runs agree exactly.
        signs = np.sign(u[np.abs(u).argmax(axis=0), np.arange(u.shape[1])])
        signs[signs == 0] = 1.0
        vectors = u * signs * np.sqrt(s)
        # A few hub words ("information", "card", "com") get far longer vectors than the rest and
        # would outweigh the rarer words that tell texts apart ("declined", "arrived", "pin"):
        # lengths are capped at the ``norm_cap`` quantile of all word vectors' lengths.
        norms = np.linalg.norm(vectors, axis=1)
        cap = (
            float(np.quantile(norms[norms > 0], self.norm_cap))
            if np.any(norms > 0)
            else 1.0
        )
        vectors *= np.minimum(1.0, cap / np.maximum(norms, 1e-12))[:, None]
        self.vectors_ = np.asarray(vectors, dtype=np.float64)
        return self

    def transform(self, x: sp.csr_matrix) -> NDArray[np.float64]:
        """Unit-length text vectors (zero rows for texts without known terms)."""
        z = normalize_rows(np.asarray(x @ self.vectors_, dtype=np.float64))
        if self.lsa_ is not None:
            z = normalize_rows(
                np.hstack(
                    [
                        normalize_rows(
                            np.asarray(self.lsa_.transform(x), dtype=np.float64)
                        ),
                        z,
                    ]
                )
            )
        return z


@lru_cache(maxsize=4096)
def _script_of_letter(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


def script_of(text: str) -> str:
    """The writing system most of a text's letters are in ("LATIN", "BENGALI", ...; "" if none)."""
    tally: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            script = _script_of_letter(ch)
            tally[script] = tally.get(script, 0) + 1
    return max(sorted(tally), key=lambda s: tally[s]) if tally else ""


def centre_by_script(
    z: NDArray[np.float64],
    scripts: list[str],
    weights: NDArray[np.float64],
    min_share: float = 0.02,
) -> NDArray[np.float64]:
    """Unit vectors with each writing system's own mean direction taken out (two or more only).

    A multilingual sentence model puts a text's language into its vector as a common offset:
    English and Bengali texts about the same topic are closer to each other than to other topics
    once each language's mean is subtracted (measured on SIB-200, English and Bengali: language
    NMI 49 -> 0, topic NMI 23 -> 37). Scripts holding less than ``min_share`` of the texts (a
    few words in Greek) join the largest script, whose mean is better estimated. With a single
    script the vectors are returned unchanged.
    """
    rows = np.flatnonzero(np.linalg.norm(z, axis=1) > 0)
    if rows.size == 0:
        return z
    total = float(weights[rows].sum()) or 1.0
    share: dict[str, float] = {}
    for r in rows:
        share[scripts[r]] = share.get(scripts[r], 0.0) + float(weights[r]) / total
    big = sorted((s for s in share if share[s] >= min_share), key=lambda s: (-share[s], s))
    if len(big) < 2:
        return z
    group = np.array([scripts[r] if scripts[r] in big else big[0] for r in rows])
    out = z.copy()
    for s in big:
        members = rows[group == s]
        mean = np.average(z[members], axis=0, weights=weights[members])
        out[members] = z[members] - mean
    return normalize_rows(out)


def project_onto(
    z: NDArray[np.float64],
    target: NDArray[np.float64],
    fit_rows: NDArray[np.int64],
    alpha: float = 0.1,
) -> NDArray[np.float64]:
    """Every row of ``z`` mapped into ``target``'s vector space (unit rows).

    A ridge regression (closed form, so deterministic) from ``z[fit_rows]`` to ``target`` (one
    row per fitted row) is applied to all rows. Used to carry texts in any language into the
    English sentence model's space through the multilingual model's language-free vectors: the
    map is learned on the English texts, which have both (docs/benchmarks-analysis.md, "round 3").
    """
    from sklearn.linear_model import Ridge

    model = Ridge(alpha=alpha).fit(z[fit_rows], target)
    return normalize_rows(np.asarray(model.predict(z), dtype=np.float64))
