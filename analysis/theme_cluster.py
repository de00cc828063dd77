"""The theme estimator's clustering step: distinct texts in, theme labels and text vectors out.

Stemmed features -> TF-IDF (sublinear, L2) -> text vectors (word co-occurrence learned on the
corpus, or a sentence model's vectors beside them) -> number of themes -> spherical k-means
(several seeds, best objective; from Ward's clusters with sentence vectors) -> refinement with a
linear classifier on confident members -> catch-all themes split. Used by
:class:`analysis.themes.ThemeModel`, whose parameters it reads and whose fitted attributes
(``vectorizer_``, ``embedding_``, ``k_curve_``, ``centroids_``) it sets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.cluster import (
    WARD_MAX_ROWS,
    centroids,
    normalize_rows,
    spherical_kmeans,
    ward_kmeans,
)
from analysis.embed import (
    NORM_CAP_QUANTILE,
    CooccurrenceEmbedding,
    centre_by_script,
    project_onto,
    script_of,
)
from analysis.refine import refine, split_catch_alls
from analysis.select import choose_k

if TYPE_CHECKING:
    from analysis.themes import ThemeModel

# Below this many distinct texts, word co-occurrence is combined with LSA of the words themselves.
SMALL_CORPUS = 1000
# Text vectors (analysis.vectors.CHOICES): word co-occurrence learned on the corpus, or the
# sentence models (analysis.sentence_model): MiniLM (English) or multilingual-e5-small (about 100
# languages, one space for English and Bengali). "auto" (the default) chooses by language and
# size (analysis.vectors).
SENTENCE_EMBEDDINGS = ("minilm", "e5")
# With sentence vectors, the corpus's co-occurrence vectors are appended at this scale (so they
# weigh 0.25 against 1 in every cosine). Not when the texts are in several writing systems:
# co-occurrence vectors are learned per language (English and Bengali answers share no words),
# so they would pull the languages apart again (docs/benchmarks-analysis.md, theme engine v2).
SENTENCE_COOCCURRENCE_WEIGHT = 0.5
# Texts in Latin letters needed to learn the map from multilingual into English vectors.
ENGLISH_SPACE_MIN_TEXTS = 50
# A theme larger than the median whose coherence (members' mean cosine with its centre) is below
# the first quartile of all themes' coherences minus this many interquartile ranges is a
# catch-all and is split (refine.split_catch_alls; None turns it off). Measured at the true
# number of themes, 4,000-text samples: stackoverflow largest theme 16.1% -> 6.4%, NMI
# 69.6 -> 69.9; banking77, searchsnippets and tweet unchanged (docs/benchmarks-analysis.md).
CATCH_ALL_FENCE = 1.5

# Labels of the distinct texts (-1: unthemed), their vectors, TF-IDF rows, vocabulary and IDF.
Clustering = tuple[
    NDArray[np.int64],
    NDArray[np.float64],
    sp.csr_matrix,
    list[str],
    NDArray[np.float64],
]


def _identity(doc: list[str]) -> list[str]:
    """Analyzer for pre-tokenised documents (module level so models can be pickled)."""
    return doc


def english_space(centred: NDArray[np.float64], texts: list[str]) -> NDArray[np.float64]:
    """Multilingual vectors beside their image in the English sentence model's space.

    The English model (MiniLM) separates topics better than the multilingual one (e5-small) but
    reads only English. A ridge map from the language-free e5 vectors (each script's mean taken
    out) to MiniLM vectors, learned on the texts in Latin letters, carries every text, in any
    language, into MiniLM's space; the two are joined. SIB-200 English and Bengali, true k,
    Ward: topic NMI 39.0 (e5) -> 46.2 (the image alone) -> 48.7 (both), language NMI 0.0-0.1;
    the English half alone in MiniLM 48.7 (docs/benchmarks-analysis.md, round 3). Unchanged
    when MiniLM is not installed or fewer than :data:`ENGLISH_SPACE_MIN_TEXTS` texts are in
    Latin letters.
    """
    from analysis.sentence_model import available, encoder

    latin = np.flatnonzero([script_of(t) == "LATIN" for t in texts])
    if latin.size < ENGLISH_SPACE_MIN_TEXTS or not available():
        return centred
    target = encoder().encode([texts[i] for i in latin])
    return normalize_rows(np.hstack([centred, project_onto(centred, target, latin)]))


def cooccurrence(
    model: ThemeModel, x_fit: sp.csr_matrix, rng: np.random.Generator
) -> CooccurrenceEmbedding:
    """Co-occurrence word vectors fitted on the rows ``x_fit`` of the TF-IDF matrix."""
    small = x_fit.shape[0] < SMALL_CORPUS
    # Fewer dimensions than texts, so that related words merge (one per ten texts).
    dims = min(model.n_components, max(10, x_fit.shape[0] // 10), x_fit.shape[1] - 1)
    # The cap on hub words was measured on corpora of 2,000+ distinct texts; a small corpus
    # keeps every word vector's length (with it, a 77-text test split a clear theme).
    return CooccurrenceEmbedding(
        dims,
        lexical=small,
        norm_cap=1.0 if small else NORM_CAP_QUANTILE,
        random_state=int(rng.integers(2**31)),
    ).fit(x_fit)


def _tfidf(model: ThemeModel, ufeats: list[list[str]]) -> sp.csr_matrix | None:
    """TF-IDF rows of the distinct feature lists (``model.vectorizer_``); None: no vocabulary."""
    nonempty = [i for i, f in enumerate(ufeats) if f]
    min_df = model.min_df if len(nonempty) >= 50 else 1
    model.vectorizer_ = TfidfVectorizer(
        analyzer=_identity,
        min_df=min_df,
        max_features=model.max_features,
        sublinear_tf=True,
        dtype=np.float64,
    )
    try:
        return sp.csr_matrix(model.vectorizer_.fit_transform(ufeats))
    except ValueError:  # empty vocabulary
        model.vectorizer_ = TfidfVectorizer(analyzer=_identity, min_df=1, sublinear_tf=True)
        try:
            return sp.csr_matrix(model.vectorizer_.fit_transform(ufeats))
        except ValueError:
            return None


def _sentence_vectors(
    model: ThemeModel,
    x_u: sp.csr_matrix,
    fit_rows: NDArray[np.int64],
    valid: NDArray[np.int64],
    utexts: list[str],
    counts: NDArray[np.float64],
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Sentence-model vectors of the distinct texts (zero rows for texts without words)."""
    from analysis.sentence_model import e5_encoder, encoder

    encode = e5_encoder() if model.vectors_.name == "e5" else encoder()
    vectors = encode.encode([utexts[i] for i in valid])
    centred = centre_by_script(vectors, [script_of(utexts[i]) for i in valid], counts[valid])
    one_script = centred is vectors  # unchanged: a single writing system
    if model.vectors_.name == "e5" and not one_script:
        centred = english_space(centred, [utexts[i] for i in valid])
    z_u = np.zeros((len(utexts), centred.shape[1]), dtype=np.float64)
    z_u[valid] = centred
    # The corpus's own word co-occurrence vectors beside the sentence vectors, at a
    # lower weight: the sentence model knows the language, the co-occurrence vectors
    # know this corpus's vocabulary (product names, local terms).
    worded = fit_rows[x_u[fit_rows].getnnz(axis=1) > 0]
    scale = SENTENCE_COOCCURRENCE_WEIGHT
    if worded.size and one_script:
        model.embedding_ = cooccurrence(model, x_u[worded], rng)
        both = np.hstack([z_u, scale * model.embedding_.transform(x_u)])
        z_u = np.zeros_like(both)
        z_u[valid] = normalize_rows(both[valid])
    return z_u


def _number_of_themes(
    model: ThemeModel,
    z_fit: NDArray[np.float64],
    w_fit: NDArray[np.float64],
    rng: np.random.Generator,
) -> int:
    """The number of themes: asked for, or chosen (``model.k_curve_``); at most one per vector."""
    n_distinct = int(np.unique(np.round(z_fit, 6), axis=0).shape[0])
    if model.n_themes == "auto":
        # An analyst should not get more themes than about one per ten distinct texts.
        high = max(2, min(model.max_themes, n_distinct // 10))
        model.k_curve_ = choose_k(z_fit, w_fit, min(model.min_themes, high), high, rng)
        k = model.k_curve_.chosen
    else:
        k = int(model.n_themes)
        if k < 1:
            raise ValueError("n_themes must be a positive integer or 'auto'")
    return max(1, min(k, n_distinct))


def _group(
    model: ThemeModel,
    x_fit: sp.csr_matrix,
    z_fit: NDArray[np.float64],
    w_fit: NDArray[np.float64],
    k: int,
    sentences: bool,
    rng: np.random.Generator,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Labels and centres of the fitted rows: k-means, refinement, catch-alls split."""
    # Restarts are cheap on small corpora and make the best split more likely.
    n_init = model.n_init * 5 if z_fit.shape[0] < SMALL_CORPUS else model.n_init
    if sentences and z_fit.shape[0] <= WARD_MAX_ROWS:
        # k-means from Ward's clusters (no random starts). Against the best of the k-means++
        # restarts on these vectors (four labelled sets, 3 seeds): NMI +1.2 and +2.8 on the
        # sets with many small themes, level on one, -0.9 on one, and less seed-to-seed
        # spread (docs/benchmarks-analysis.md, round 4). Beyond the limit, restarts as usual.
        fit_labels, c, _ = ward_kmeans(z_fit, k, w_fit)
    else:
        fit_labels, c, _ = spherical_kmeans(z_fit, k, rng, w_fit, n_init=n_init)
    sizes = np.bincount(fit_labels, weights=w_fit, minlength=k)
    # A classifier needs enough examples per theme: refine only when the median theme is large.
    # Refinement was tuned for the co-occurrence vectors (a TF-IDF classifier correcting
    # vectors built from the same words). On sentence vectors it pulls themes back towards
    # shared words with no consistent gain (measured, MiniLM, seed 0: stackoverflow -3.6 NMI,
    # searchsnippets +4.1; in the sentence space itself -1.3 and -0.2), so it is skipped there.
    if (
        model.refine_iter > 0
        and k > 1
        and not sentences
        and float(np.median(sizes)) >= model.refine_min_size
    ):
        fit_labels = refine(x_fit, fit_labels, w_fit, k, model.refine_iter, rng)
        c = centroids(z_fit, fit_labels, k, w_fit)
    if model.catch_all_fence is not None and k > 1:
        # A large theme far less coherent than the others is split (refine.split_catch_alls).
        fit_labels = split_catch_alls(z_fit, fit_labels, w_fit, rng, model.catch_all_fence)
        c = centroids(z_fit, fit_labels, int(fit_labels.max()) + 1, w_fit)
    return fit_labels, c


def cluster(
    model: ThemeModel,
    ufeats: list[list[str]],
    counts: NDArray[np.float64],
    rng: np.random.Generator,
    utexts: list[str] | None = None,
) -> Clustering:
    """Cluster distinct texts; labels are -1 for texts without usable features."""
    m = len(ufeats)
    labels = np.full(m, -1, dtype=np.int64)
    model.k_curve_ = None
    x_u = _tfidf(model, ufeats)
    if x_u is None:
        return labels, np.zeros((m, 1)), sp.csr_matrix((m, 0)), [], np.zeros(0)
    vocab = [str(t) for t in model.vectorizer_.get_feature_names_out()]
    idf = np.asarray(model.vectorizer_.idf_, dtype=np.float64)
    sentences = model.vectors_.name in SENTENCE_EMBEDDINGS and utexts is not None
    # Texts without usable words stay unthemed. A sentence model reads every word, so there a
    # text counts as usable when it has any content word, even one too rare for TF-IDF.
    valid = (
        np.flatnonzero([bool(f) for f in ufeats])
        if sentences
        else np.flatnonzero(x_u.getnnz(axis=1) > 0)
    )
    if valid.size == 0:
        return labels, np.zeros((m, 1)), x_u, vocab, idf

    # Fit on a sample of distinct texts when there are very many.
    fit_rows = valid
    if valid.size > model.max_fit_texts:
        fit_rows = np.sort(rng.choice(valid, size=model.max_fit_texts, replace=False))
    model.embedding_ = None
    if sentences and utexts is not None:
        z_u = _sentence_vectors(model, x_u, fit_rows, valid, utexts, counts, rng)
    else:
        model.embedding_ = cooccurrence(model, x_u[fit_rows], rng)
        z_u = model.embedding_.transform(x_u)

    z_fit, w_fit = z_u[fit_rows], counts[fit_rows]
    k = _number_of_themes(model, z_fit, w_fit, rng)
    fit_labels, c = _group(model, x_u[fit_rows], z_fit, w_fit, k, sentences, rng)
    model.centroids_ = c
    labels[valid] = np.asarray((z_u[valid] @ c.T).argmax(axis=1), dtype=np.int64)
    if fit_rows.size == valid.size:
        labels[fit_rows] = fit_labels
    return labels, z_u, x_u, vocab, idf
