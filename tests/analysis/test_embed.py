"""The co-occurrence embedding: related words end up close, runs repeat exactly."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.embed import CooccurrenceEmbedding
from analysis.preprocess import features
from tests.analysis.conftest import themed_corpus


def _matrix() -> tuple[TfidfVectorizer, object]:
    texts, _ = themed_corpus(copies=3)
    vec = TfidfVectorizer(analyzer=lambda d: d, min_df=1, sublinear_tf=True)
    return vec, vec.fit_transform([features(t) for t in texts])


def test_related_words_are_closer() -> None:
    vec, x = _matrix()
    emb = CooccurrenceEmbedding(10, random_state=0).fit(x)
    vocab = {t: i for i, t in enumerate(vec.get_feature_names_out())}
    v = emb.vectors_ / np.maximum(
        np.linalg.norm(emb.vectors_, axis=1, keepdims=True), 1e-12
    )
    assert v[vocab["bin"]] @ v[vocab["rubbish"]] > v[vocab["bin"]] @ v[vocab["polic"]]


def test_repeatable_and_unit_rows() -> None:
    _, x = _matrix()
    a = CooccurrenceEmbedding(8, random_state=3).fit(x).transform(x)
    b = CooccurrenceEmbedding(8, random_state=3).fit(x).transform(x)
    assert np.array_equal(a, b)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0)


def test_lexical_view_and_degenerate_input() -> None:
    _, x = _matrix()
    z = CooccurrenceEmbedding(8, lexical=True).fit(x).transform(x)
    assert z.shape[0] == x.shape[0]
    tiny = CooccurrenceEmbedding(8).fit(x[:1, :2])
    assert tiny.transform(x[:1, :2]).shape[0] == 1
