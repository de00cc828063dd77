"""The theme estimator: free texts in, themes with labels, quotes and memberships out.

Pipeline: redact -> stemmed unigram and bigram features -> TF-IDF (sublinear, L2) -> word vectors
from co-occurrence in the corpus (analysis.embed) -> unit text vectors -> spherical k-means (several
seeds, best objective) -> iterative
refinement with a linear classifier on confident members -> catch-all themes split -> theme
profiles, labels and quotes.
With the optional sentence model (``embedding="minilm"``) the text vectors are the sentence
vector beside the co-occurrence vector (at half scale), clustered by k-means started from Ward's
hierarchical clustering, without the refinement. The optional multilingual model
(``embedding="e5"``) does the same with each writing system's mean vector taken out, so that
English and Bengali answers about one thing share a theme.
Duplicate texts are clustered once with their count as weight, and very large inputs are fitted on
a sample of ``max_fit_texts`` distinct texts, then every text is assigned.

Modules: this one prepares the texts (redaction, tokens, features, distinct texts, phrases) and
composes the steps; analysis.theme_cluster clusters the distinct texts (TF-IDF to themes);
analysis.theme_describe builds the result (profiles, labels, quotes, memberships).
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.embed import CooccurrenceEmbedding
from analysis.nonanswers import is_non_answer
from analysis.preprocess import (
    SurfaceForms,
    collocations,
    content_tokens,
    features_of_tokens,
)
from analysis.redact import redact
from analysis.result import (
    MAX_THEMES,
    MIN_THEMES,
    Assignment,
    KCurve,
    ThemeResult,
)
from analysis.sentiment import sentiments_in_background
from analysis.theme_cluster import CATCH_ALL_FENCE, SENTENCE_EMBEDDINGS, cluster
from analysis.theme_describe import describe
from analysis.vectors import CHOICES, VectorChoice, choose_vectors


def _redact_all(texts: list[str]) -> list[str]:
    """Redacted texts, each distinct text redacted once."""
    cache: dict[str, str] = {}
    return [
        cache[t] if t in cache else cache.setdefault(t, redact(t).text) for t in texts
    ]


def _tokenise(clean: list[str]) -> list[list[str]]:
    """Content tokens of each text, each distinct text tokenised once.

    Non-answers ("N/A", "don't know", emoji alone) get no words: counted, never themed.
    """
    token_cache: dict[str, list[str]] = {}
    return [
        token_cache[t]
        if t in token_cache
        else token_cache.setdefault(t, [] if is_non_answer(t) else content_tokens(t))
        for t in clean
    ]


def _distinct(
    feats: list[list[str]], keys: list[str] | None
) -> tuple[list[list[str]], NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Distinct feature lists (by text when ``keys`` are given), each text's distinct row, each
    row's first text and how many texts it stands for."""
    n = len(feats)
    key_index: dict[tuple[str, ...] | str, int] = {}
    inverse = np.empty(n, dtype=np.int64)
    ufeats: list[list[str]] = []
    for i, f in enumerate(feats):
        key = keys[i] if keys is not None else tuple(f)
        j = key_index.setdefault(key, len(key_index))
        if j == len(ufeats):
            ufeats.append(list(f))
        inverse[i] = j
    first = np.full(len(ufeats), n, dtype=np.int64)
    np.minimum.at(first, inverse, np.arange(n))
    counts = np.bincount(inverse, minlength=len(ufeats)).astype(np.float64)
    return ufeats, inverse, first, counts


def _moods(scores: Sequence[float | None], n: int) -> NDArray[np.float64]:
    """The ``n`` texts' sentiment scores as an array: texts the lexicon does not cover are NaN
    here (None in the result)."""
    return np.array([np.nan if m is None else m for m in scores], dtype=np.float64).reshape(n)


class ThemeModel:
    """Find themes in free text (scikit-learn estimator conventions; see module docstring)."""

    # Set by fit.
    vectors_: VectorChoice
    result_: ThemeResult
    # Set by the clustering step (analysis.theme_cluster).
    vectorizer_: TfidfVectorizer
    embedding_: CooccurrenceEmbedding | None
    k_curve_: KCurve | None
    centroids_: NDArray[np.float64]

    def __init__(
        self,
        n_themes: int | str = "auto",
        min_themes: int = MIN_THEMES,
        max_themes: int = MAX_THEMES,
        n_components: int = 150,
        min_df: int = 2,
        n_init: int = 10,
        refine_iter: int = 2,
        refine_min_size: int = 200,
        min_score: float = 0.03,
        multi_ratio: float = 0.8,
        n_quotes: int = 3,
        max_fit_texts: int = 20000,
        max_features: int = 50000,
        catch_all_fence: float | None = CATCH_ALL_FENCE,
        embedding: str = "auto",
        redact: bool = True,
        sentiment: bool = True,
        n_jobs: int | None = None,
        random_state: int | None = 0,
    ) -> None:
        self.n_themes = n_themes
        self.min_themes = min_themes
        self.max_themes = max_themes
        self.n_components = n_components
        self.min_df = min_df
        self.n_init = n_init
        self.refine_iter = refine_iter
        self.refine_min_size = refine_min_size
        self.min_score = min_score
        self.multi_ratio = multi_ratio
        self.n_quotes = n_quotes
        self.max_fit_texts = max_fit_texts
        self.max_features = max_features
        self.catch_all_fence = catch_all_fence
        self.embedding = embedding
        self.redact = redact
        self.sentiment = sentiment
        self.n_jobs = n_jobs
        self.random_state = random_state

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Parameters of this estimator, as in scikit-learn."""
        names = [
            p for p in inspect.signature(type(self).__init__).parameters if p != "self"
        ]
        return {name: getattr(self, name) for name in names}

    # ------------------------------------------------------------------ fitting
    def fit(
        self,
        texts: Sequence[str],
        ids: Sequence[Any] | None = None,
        weights: Sequence[float] | None = None,
        attributes: Sequence[Mapping[str, Any]] | None = None,
        respondents: Sequence[Any] | None = None,
        progress: Callable[[float, str], None] | None = None,
    ) -> ThemeModel:
        """Find themes in ``texts``; the outcome is in ``result_`` (and ``labels_``).

        ``respondents`` (optional) names who wrote each text, so that themes count people.
        ``progress`` (optional) is called with the share of the work done (0 to 1) and what
        comes next, at each stage of a long fit (a job shows it).
        """
        tell = progress or (lambda _share, _stage: None)
        n = len(texts)
        w = self._take_inputs(n, ids, weights, attributes, respondents)
        self._check_embedding()
        rng = np.random.default_rng(self.random_state)

        clean = (
            _redact_all([str(t) for t in texts])
            if self.redact
            else [str(t) for t in texts]
        )
        workers = (os.cpu_count() or 1) if self.n_jobs == -1 else int(self.n_jobs or 1)
        # Sentiment is scored in other processes while this one clusters (one core left for it).
        moods_later = (
            sentiments_in_background(clean, workers - 1 if n >= 5000 else 1)
            if self.sentiment
            else None
        )
        tokens, feats = self._features(clean)
        # Distinct feature lists are clustered once, weighted by how often they occur. A sentence
        # model reads the whole text (stop words, word order), so there the unit is the text.
        keys = clean if self.vectors_.name in SENTENCE_EMBEDDINGS else None
        ufeats, inverse, first, counts = _distinct(feats, keys)

        tell(0.1, "Finding phrases")
        self._find_phrases(tokens, ufeats, rng)
        tell(0.2, f"Grouping {len(ufeats)} distinct texts")
        labels_u, z_u, x_u, vocab, idf = cluster(
            self, ufeats, counts, rng, [clean[i] for i in first]
        )
        tell(0.75, "Scoring sentiment")
        moods = _moods(moods_later() if moods_later is not None else [None] * n, n)
        tell(0.8, "Naming the themes and placing every text")
        self.result_ = describe(
            self, clean, ufeats, inverse, first, counts, w, moods, labels_u, z_u, x_u, vocab, idf
        )
        self.labels_ = np.array(
            [
                -1 if a.theme_id is None else int(a.theme_id) - 1
                for a in self.result_.assignments
            ],
            dtype=np.int64,
        )
        self.n_themes_ = len(self.result_.themes)
        return self

    def _take_inputs(
        self,
        n: int,
        ids: Sequence[Any] | None,
        weights: Sequence[float] | None,
        attributes: Sequence[Mapping[str, Any]] | None,
        respondents: Sequence[Any] | None,
    ) -> NDArray[np.float64]:
        """Check and keep what comes with the ``n`` texts; the weights (all 1 when none count)."""
        if respondents is not None and len(respondents) != n:
            raise ValueError("respondents must have one entry per text")
        self.respondents_ = None if respondents is None else [str(r) for r in respondents]
        self.ids_ = [str(i) for i in (ids if ids is not None else range(1, n + 1))]
        if len(self.ids_) != n:
            raise ValueError("ids must have one entry per text")
        w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
        if w.shape != (n,) or not np.all(np.isfinite(w)) or np.any(w < 0):
            raise ValueError("weights must be one finite, non-negative number per text")
        if n and w.sum() <= 0:
            w = np.ones(n)
        self.attributes_ = (
            [dict(a) for a in attributes] if attributes is not None else None
        )
        return w

    def _check_embedding(self) -> None:
        """Fail early, with the install command, when the asked-for sentence model is missing."""
        if self.embedding not in CHOICES:
            raise ValueError(f"embedding must be one of {', '.join(CHOICES)}")
        if self.embedding == "minilm":
            from analysis.sentence_model import model_dir

            model_dir()
        elif self.embedding == "e5":
            from analysis.sentence_model import e5_encoder

            e5_encoder()

    def _features(self, clean: list[str]) -> tuple[list[list[str]], list[list[str]]]:
        """Tokens and features of each text; marks non-answers (``non_answer_``) and chooses
        the text vectors (``vectors_``)."""
        tokens = _tokenise(clean)
        self.non_answer_ = np.array(
            [not tok and is_non_answer(t) for t, tok in zip(clean, tokens, strict=True)],
            dtype=bool,
        )
        feats = [features_of_tokens(t) for t in tokens]
        self.vectors_ = choose_vectors(
            self.embedding, sorted({t for t, f in zip(clean, feats, strict=True) if f})
        )
        return tokens, feats

    def _find_phrases(
        self, tokens: list[list[str]], ufeats: list[list[str]], rng: np.random.Generator
    ) -> None:
        """Surface forms of stems (``surface_``) and the word pairs that are phrases (``phrases_``).

        Phrases for labels: word pairs that are real collocations (NLTK, likelihood ratio) in a
        sample of the texts, so "parking permit" is a phrase and "expensive parking" is not.
        """
        self.surface_ = SurfaceForms().update_tokens(tokens)
        sample = (
            ufeats
            if len(ufeats) <= 20000
            else [
                ufeats[i] for i in sorted(rng.choice(len(ufeats), 20000, replace=False))
            ]
        )
        self.phrases_ = set(
            collocations(
                [[f for f in fs if " " not in f] for fs in sample],
                min_count=3 if len(sample) >= 1000 else 2,
            )
        )

    # ------------------------------------------------------------- new texts
    def assign(
        self, texts: Sequence[str], ids: Sequence[Any] | None = None
    ) -> list[Assignment]:
        """Assign new texts to the fitted themes without changing them."""
        from analysis.assign import assign

        return assign(
            texts,
            self.result_,
            ids=None if ids is None else [str(i) for i in ids],
            redact_text=self.redact,
        )

    def predict(self, texts: Sequence[str]) -> NDArray[np.int64]:
        """Index of each new text's main theme (0-based), or -1 when unthemed."""
        return np.array(
            [
                -1 if a.theme_id is None else int(a.theme_id) - 1
                for a in self.assign(texts)
            ],
            dtype=np.int64,
        )


def find_themes(texts: Sequence[str], **params: Any) -> ThemeResult:
    """Convenience: fit a :class:`ThemeModel` with ``params`` and return its result."""
    return ThemeModel(**params).fit(texts).result_
