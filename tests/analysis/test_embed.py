"""The co-occurrence embedding: related words end up close, runs repeat exactly."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.embed import NORM_CAP_QUANTILE, CooccurrenceEmbedding, project_onto
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


def test_hub_words_are_capped_at_the_quantile() -> None:
    _, x = _matrix()
    capped = CooccurrenceEmbedding(10, random_state=0).fit(x).vectors_
    free = CooccurrenceEmbedding(10, norm_cap=1.0, random_state=0).fit(x).vectors_
    lengths = np.linalg.norm(free, axis=1)
    cap = np.quantile(lengths[lengths > 0], NORM_CAP_QUANTILE)
    long = lengths > cap
    assert long.any() and not long.all()
    # Short vectors are untouched; long ones keep their direction and are shortened to the cap.
    assert np.allclose(capped[~long], free[~long])
    assert np.allclose(np.linalg.norm(capped[long], axis=1), cap)
    assert np.allclose(capped[long] * lengths[long, None], free[long] * cap)


def test_project_onto_recovers_a_linear_map() -> None:
    rng = np.random.default_rng(0)
    z = rng.normal(size=(200, 12))
    a = rng.normal(size=(12, 5))
    target = z @ a
    fitted = np.arange(0, 200, 2)  # learned on half the rows, applied to all
    out = project_onto(z, target[fitted], fitted, alpha=1e-6)
    want = target / np.linalg.norm(target, axis=1, keepdims=True)
    assert out.shape == (200, 5) and np.allclose(out, want, atol=1e-4)
