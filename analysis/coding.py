"""Assisted coding: learn a codeframe from the texts people have coded, suggest codes for the rest.

Pure (NumPy, SciPy, scikit-learn; nothing from the web platform). Deterministic for a seed.

Interface (what the web layer calls)::

    feats = TextFeatures(embedding="auto", random_state=0).fit(all_texts)   # once per corpus
    model = CodeSuggester(features=feats).fit(coded_texts, codes)          # codes[i]: list[str]
    model.classes_                      # the code names, sorted
    model.predict_proba(texts)          # (n_texts, n_codes) confidence per code, 0..1
    model.suggest(texts)                # per text [(code, confidence), ...] best first
    choose_next(model.predict_proba(uncoded), n, random_state=0)   # rows to ask about next
    choose_first(feats.transform(texts), n, random_state=0)        # before anything is coded
    code_quality(coded_texts, codes, features=feats)   # {code: CodeQuality(...)}

- :class:`TextFeatures` holds, for every distinct text of the corpus, TF-IDF of stemmed words and
  word pairs beside the theme engine's text vectors (``analysis.vectors``: MiniLM for one
  language, multilingual-e5-small for several, corpus word co-occurrence past their size limits
  or when the model is missing). Vectors are computed once and looked up by text, so a refit and
  a prediction over 20,000 texts take well under 2 s (docs/benchmarks-analysis.md). A fitted
  ``TextFeatures`` can be pickled and kept with the consultation.
- :class:`CodeSuggester` is a logistic regression on those features (scikit-learn estimator
  conventions). When every coded text has exactly one code the codes are exclusive (softmax over
  codes, confidences sum to 1); otherwise each code gets its own yes/no model (multi-label, and a
  text may be coded with none, e.g. "no substantive answer" coded elsewhere). Without ``features``
  it builds its own from the texts it is given (plus ``corpus=`` when passed to ``fit``).
- :func:`choose_next` (active learning): among the uncoded texts, the least sure first (smallest
  margin between the two best codes; multi-label: a confidence nearest its threshold); with
  ``spread=True`` taken in turn from each predicted code.
- :func:`code_quality`: per code, the number coded and precision and recall estimated by 5-fold
  cross-validation on the coded texts. ``too_few`` is set when a code has fewer than
  ``MIN_EXAMPLES`` (10) coded texts: the estimates then move by 10 points or more with one text
  (they are still given when the code has at least 2 coded texts; ``None`` below that or when the
  model never predicted the code, for precision). Texts chosen by active learning are the hard
  ones, so these estimates are on the cautious side.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.base import BaseEstimator
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import KFold
from sklearn.preprocessing import normalize

from analysis.cluster import normalize_rows
from analysis.embed import CooccurrenceEmbedding, centre_by_script, script_of
from analysis.linear import BlockLogistic
from analysis.preprocess import stem, tokenize
from analysis.vectors import VectorChoice, choose_vectors

# Fewer coded texts than this for a code: its precision and recall are flagged as too uncertain.
MIN_EXAMPLES = 10
# Weight of the sentence (or co-occurrence) vectors beside the unit-length TF-IDF row.
DENSE_WEIGHT = 1.0
# Inverse regularisation. 10, not scikit-learn's 1: the texts active learning asks about are the
# hard ones, and with 25 or fewer per code C = 1 underfits them; on imbalanced samples of the
# labelled sets (bench/coding_imbalanced.py) C = 10 with the least sure texts asked first gained 7
# to 17 points of micro-F1 on the banking77 proxy (docs/benchmarks-analysis.md, "Issue 22:
# imbalanced proxy for the held-out goal"); it costs more L-BFGS iterations (same section).
DEFAULT_C = 10.0
DEFAULT_THRESHOLD = 0.5
CV_FOLDS = 5


def _words(text: str) -> list[str]:
    """Stemmed words (stop words kept: "not", "why", "how" carry intent) and adjacent pairs."""
    stems = [stem(t) for t in tokenize(text)]
    return stems + [f"{a} {b}" for a, b in itertools.pairwise(stems)]


def _no_words(text: str) -> list[str]:
    """One placeholder feature, for a corpus without any words."""
    return ["<empty>"]


class TextFeatures:
    """Features of a corpus's texts, computed once: TF-IDF beside sentence vectors.

    ``fit(corpus)`` learns the vocabulary and encodes every distinct text; ``transform(texts)``
    looks texts up (new texts are encoded on the fly) and returns a sparse matrix whose rows are
    ``[tfidf, dense_weight * vector]``. ``vectors_`` records which text vectors were used and why.
    """

    def __init__(
        self, *, embedding: str = "auto", dense_weight: float = DENSE_WEIGHT, random_state: int = 0
    ) -> None:
        self.embedding = embedding
        self.dense_weight = dense_weight
        self.random_state = random_state

    def fit(self, corpus: Sequence[str]) -> TextFeatures:
        """Learn the vocabulary and the text vectors of ``corpus`` (its distinct texts)."""
        distinct = sorted({str(t) for t in corpus})
        self.vectorizer_ = TfidfVectorizer(
            analyzer=_words, sublinear_tf=True, min_df=1, dtype=np.float64
        )
        try:
            x = sp.csr_matrix(self.vectorizer_.fit_transform(distinct))
        except ValueError:  # no words at all
            self.vectorizer_ = TfidfVectorizer(analyzer=_no_words)
            x = sp.csr_matrix(self.vectorizer_.fit_transform(distinct or [""]))
        self.vectors_: VectorChoice = choose_vectors(
            self.embedding, [t for t in distinct if t.strip()]
        )
        self._cooc: CooccurrenceEmbedding | None = None
        if self.vectors_.name == "cooccurrence":
            dims = max(1, min(150, max(10, x.shape[0] // 10), x.shape[1] - 1))
            self._cooc = CooccurrenceEmbedding(
                dims, lexical=x.shape[0] < 1000, random_state=self.random_state
            ).fit(x)
        self._index: dict[str, int] = {t: i for i, t in enumerate(distinct)}
        self._x = x
        self._z = self.dense_weight * self._dense(distinct, x)
        return self

    def _dense(self, texts: list[str], x: sp.csr_matrix) -> NDArray[np.float64]:
        """Unit-length text vectors of ``texts`` (rows of ``x`` are their TF-IDF)."""
        if self._cooc is not None:
            return self._cooc.transform(x)
        from analysis.sentence_model import e5_encoder, encoder

        model = e5_encoder() if self.vectors_.name == "e5" else encoder()
        z = np.asarray(model.encode(list(texts)), dtype=np.float64)
        if self.vectors_.name == "e5" and texts:
            z = centre_by_script(z, [script_of(t) for t in texts], np.ones(len(texts)))
        empty = np.array([not t.strip() for t in texts], dtype=bool)
        z[empty] = 0.0
        return z

    def parts(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, NDArray[np.float64]]:
        """The TF-IDF rows and the (weighted) dense vectors of ``texts`` (new texts computed)."""
        texts = [str(t) for t in texts]
        new = sorted({t for t in texts if t not in self._index})
        if new:
            x = sp.csr_matrix(self.vectorizer_.transform(new))
            z = self.dense_weight * self._dense(new, x)
            base = self._x.shape[0]
            self._x = sp.csr_matrix(sp.vstack([self._x, x], format="csr"))
            self._z = np.vstack([self._z, z])
            for i, t in enumerate(new):
                self._index[t] = base + i
        rows = np.fromiter((self._index[t] for t in texts), dtype=np.int64, count=len(texts))
        return sp.csr_matrix(self._x[rows]), self._z[rows]

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Feature rows ``[tfidf, dense_weight * vector]`` for ``texts``, one sparse matrix."""
        x, z = self.parts(texts)
        return sp.csr_matrix(sp.hstack([x, sp.csr_matrix(z)], format="csr"))


def _as_lists(codes: Sequence[Sequence[str]] | Sequence[str]) -> list[list[str]]:
    """Each text's codes as a list (a bare string is one code)."""
    return [[c] if isinstance(c, str) else sorted({str(x) for x in c}) for c in codes]


class CodeSuggester(BaseEstimator):  # type: ignore[misc]
    """Suggest codes for texts from the texts already coded (see the module docstring).

    Parameters: ``embedding`` (``auto``, ``minilm``, ``e5``, ``cooccurrence``; used when no
    ``features`` are given), ``C`` (inverse regularisation of the logistic regression),
    ``threshold`` (confidence from which :meth:`suggest` offers a code), ``class_weight``
    (``"balanced"`` gives rare codes as much say as common ones), ``features`` (a fitted
    :class:`TextFeatures` shared across refits), ``random_state``.
    Fitted attributes: ``classes_``, ``multi_label_``, ``features_``. With ``warm_start`` a
    refit with the same codes and features starts from the previous fit's weights (the same
    optimum in a few iterations: what a refresh after one more coded text needs).
    """

    classes_: list[str]
    multi_label_: bool
    features_: TextFeatures
    model_: BlockLogistic

    def __init__(
        self,
        *,
        embedding: str = "auto",
        C: float = DEFAULT_C,
        threshold: float = DEFAULT_THRESHOLD,
        class_weight: str | None = "balanced",
        features: TextFeatures | None = None,
        warm_start: bool = False,
        random_state: int = 0,
    ) -> None:
        self.embedding = embedding
        self.C = C
        self.threshold = threshold
        self.class_weight = class_weight
        self.features = features
        self.warm_start = warm_start
        self.random_state = random_state

    def fit(
        self,
        texts: Sequence[str],
        codes: Sequence[Sequence[str]],
        *,
        corpus: Sequence[str] | None = None,
    ) -> CodeSuggester:
        """Learn from ``texts`` and ``codes``.

        ``codes[i]`` holds the code names given to ``texts[i]``."""
        if len(texts) != len(codes):
            raise ValueError("texts and codes must have the same length")
        given = _as_lists(codes)
        before = (
            (self.classes_, self.multi_label_, self.features_)
            if hasattr(self, "model_")
            else None
        )
        if self.features is not None:
            self.features_ = self.features
        else:
            self.features_ = TextFeatures(
                embedding=self.embedding, random_state=self.random_state
            ).fit([*(corpus or []), *texts])
        self.classes_ = sorted({c for cs in given for c in cs})
        if not self.classes_:
            raise ValueError("no codes given: code some texts first")
        self.multi_label_ = any(len(cs) != 1 for cs in given)
        x, z = self.features_.parts(texts)
        index = {c: j for j, c in enumerate(self.classes_)}
        y = np.zeros((len(given), len(self.classes_)))
        for i, cs in enumerate(given):
            y[i, [index[c] for c in cs]] = 1.0
        weight = np.ones((len(given), 1))
        if self.class_weight == "balanced":
            if self.multi_label_:  # each code's yes and no count equally
                pos = y.sum(axis=0)
                neg = len(given) - pos
                weight = np.where(
                    y > 0,
                    len(given) / (2 * np.maximum(pos, 1)),
                    len(given) / (2 * np.maximum(neg, 1)),
                )
            else:
                per_class = len(given) / (len(self.classes_) * y.sum(axis=0))
                weight = per_class[y.argmax(axis=1)][:, None]
        # Warm start: the previous fit's weights, when it had the same codes, kind and features.
        same = before == (self.classes_, self.multi_label_, self.features_)
        self.model_ = BlockLogistic(C=self.C, multi_label=self.multi_label_).fit(
            x, z, y, weight, init=self.model_ if self.warm_start and same else None
        )
        return self

    def predict_proba(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Confidence per text and code, shape ``(len(texts), len(classes_))``."""
        x, z = self.features_.parts(texts)
        return self.model_.predict_proba(x, z)

    def predict(self, texts: Sequence[str]) -> list[list[str]]:
        """The codes :meth:`suggest` offers, without confidences."""
        return [[c for c, _ in s] for s in self.suggest(texts)]

    def suggest(
        self, texts: Sequence[str], *, at_least_one: bool = True
    ) -> list[list[tuple[str, float]]]:
        """Per text, the codes at or above ``threshold`` with their confidence, best first.

        With ``at_least_one`` the best code is offered even below the threshold (exclusive codes
        with many classes rarely reach 0.5 although the best one is usually right).
        """
        proba = self.predict_proba(texts)
        out: list[list[tuple[str, float]]] = []
        for row in proba:
            order = np.argsort(-row, kind="stable")
            picked = [(self.classes_[j], float(row[j])) for j in order if row[j] >= self.threshold]
            if not picked and at_least_one and row.size:
                picked = [(self.classes_[order[0]], float(row[order[0]]))]
            out.append(picked)
        return out


def _uncertainty(proba: NDArray[np.float64], multi_label: bool, threshold: float) -> NDArray[Any]:
    """Smaller is less sure: top-two margin (exclusive codes) or distance to the threshold."""
    if proba.shape[1] == 0:
        return np.zeros(proba.shape[0])
    if multi_label:
        return np.asarray(np.abs(proba - threshold).min(axis=1))
    if proba.shape[1] == 1:
        return np.asarray(proba[:, 0])
    top = -np.sort(-proba, axis=1)
    return np.asarray(top[:, 0] - top[:, 1])


def choose_next(
    proba: NDArray[np.float64],
    n: int,
    *,
    random_state: int = 0,
    multi_label: bool = False,
    threshold: float = DEFAULT_THRESHOLD,
    spread: bool = False,
) -> list[int]:
    """Rows of ``proba`` (the uncoded texts' confidences) to ask about next, ``n`` at most.

    The least sure first. With ``spread``: texts are grouped by their most likely code and the
    least sure text of each group is taken in turn (codes in a seeded random order), so a batch
    covers many codes equally. Not the default: where codes are of very unequal sizes, equal
    turns spend the budget on rare codes the model already tells apart and leave the confusions
    between large codes unasked (docs/benchmarks-analysis.md, "Issue 22: imbalanced proxy for
    the held-out goal"); the least sure texts already include rare codes' texts wherever the
    model confuses them. Ties are broken by the seed.
    """
    m = proba.shape[0]
    n = max(0, min(n, m))
    if n == 0:
        return []
    rng = np.random.default_rng(random_state)
    score = _uncertainty(proba, multi_label, threshold) + rng.uniform(0, 1e-9, m)
    if not spread:
        return [int(i) for i in np.argsort(score, kind="stable")[:n]]
    best = proba.argmax(axis=1) if proba.shape[1] else np.zeros(m, dtype=np.int64)
    groups = [
        list(members[np.argsort(score[members], kind="stable")])
        for code in rng.permutation(np.unique(best))
        if (members := np.flatnonzero(best == code)).size
    ]
    picked: list[int] = []
    depth = 0
    while len(picked) < n:
        # One round: the next least sure text of every code, least sure of them first.
        level = [g[depth] for g in groups if depth < len(g)]
        level.sort(key=lambda i: score[i])
        picked.extend(int(i) for i in level[: n - len(picked)])
        depth += 1
    return picked


def choose_first(
    x: sp.spmatrix | NDArray[np.float64], n: int, *, random_state: int = 0
) -> list[int]:
    """Rows to code first, before any model exists: one typical text from each of ``n`` groups.

    K-means (k = ``n``) on the feature rows; the text nearest each centre, largest group first.
    """
    m = x.shape[0]
    n = max(0, min(n, m))
    if n == 0:
        return []
    # Sparse rows stay sparse: TF-IDF of 20,000 texts made dense is 20,000 x 100,000+ columns
    # (16 GB; bench/coding_bench.py on stackoverflow was killed for it).
    rows = (
        normalize(sp.csr_matrix(x, dtype=np.float64))
        if sp.issparse(x)
        else normalize_rows(np.asarray(x, dtype=np.float64))
    )
    km = KMeans(n, n_init=1, random_state=random_state).fit(rows)
    dist = km.transform(rows)
    sizes = np.bincount(km.labels_, minlength=n)
    picked: list[int] = []
    for c in np.argsort(-sizes, kind="stable"):
        order = np.argsort(dist[:, c], kind="stable")
        i = next((int(r) for r in order if int(r) not in picked), None)
        if i is not None:
            picked.append(i)
    return picked


@dataclass(frozen=True)
class CodeQuality:
    """Cross-validated quality of one code (see the module docstring for the ``too_few`` rule)."""

    n_coded: int
    precision: float | None
    recall: float | None
    too_few: bool


def held_out_codes(
    texts: Sequence[str],
    codes: Sequence[Sequence[str]],
    *,
    random_state: int = 0,
    features: TextFeatures | None = None,
    embedding: str = "auto",
    folds: int = CV_FOLDS,
) -> list[set[str]]:
    """Each text's codes as predicted by a model that did not learn from it (k-fold
    cross-validation; empty sets when there are too few texts to split)."""
    given = _as_lists(codes)
    texts = [str(t) for t in texts]
    feats = features or TextFeatures(embedding=embedding, random_state=random_state).fit(texts)
    n = len(texts)
    predicted: list[set[str]] = [set() for _ in range(n)]
    k = min(folds, n)
    if k >= 2:
        for train, test in KFold(k, shuffle=True, random_state=random_state).split(texts):
            tr = [given[i] for i in train]
            if not any(tr):
                continue
            model = CodeSuggester(features=feats, random_state=random_state).fit(
                [texts[i] for i in train], tr
            )
            for i, s in zip(test, model.predict([texts[i] for i in test]), strict=True):
                predicted[i] = set(s)
    return predicted


def code_quality(
    texts: Sequence[str],
    codes: Sequence[Sequence[str]],
    *,
    random_state: int = 0,
    features: TextFeatures | None = None,
    embedding: str = "auto",
    folds: int = CV_FOLDS,
    predicted: Sequence[set[str]] | None = None,
) -> dict[str, CodeQuality]:
    """Per code: how many texts carry it, and precision and recall from k-fold cross-validation
    (``predicted``: the :func:`held_out_codes` of the same texts, when already made)."""
    given = _as_lists(codes)
    names = sorted({c for cs in given for c in cs})
    if predicted is None:
        predicted = held_out_codes(texts, codes, random_state=random_state, features=features,
                                   embedding=embedding, folds=folds)
    k = min(folds, len(texts))
    out: dict[str, CodeQuality] = {}
    for c in names:
        truth = np.array([c in cs for cs in given])
        guess = np.array([c in p for p in predicted])
        tp = int((truth & guess).sum())
        n_c = int(truth.sum())
        enough = n_c >= 2 and k >= 2
        out[c] = CodeQuality(
            n_coded=n_c,
            precision=tp / int(guess.sum()) if enough and guess.any() else None,
            recall=tp / n_c if enough else None,
            too_few=n_c < MIN_EXAMPLES,
        )
    return out
