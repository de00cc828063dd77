"""Assisted coding: the estimator, the active-learning queue, per-code quality, the simulator."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone

from analysis.cli import main
from analysis.coding import (
    MIN_EXAMPLES,
    CodeSuggester,
    TextFeatures,
    choose_first,
    choose_next,
    code_quality,
)
from analysis.simulate import simulate
from tests.analysis.conftest import themed_corpus


@pytest.fixture(scope="module")
def corpus() -> tuple[list[str], list[str]]:
    return themed_corpus(copies=1)


@pytest.fixture(scope="module")
def feats(corpus: tuple[list[str], list[str]]) -> TextFeatures:
    return TextFeatures(embedding="cooccurrence").fit(corpus[0])


def synthetic(
    seed: int = 0, big: int = 400, small: int = 12, n_small: int = 7
) -> tuple[list[str], list[str]]:
    """One large code and several small ones, each with its own words, plus shared filler."""
    rng = np.random.default_rng(seed)
    filler = ["really", "think", "council", "area", "please", "local", "people", "time"]
    sizes = {"general": big} | {f"code{j}": small for j in range(n_small)}
    texts: list[str] = []
    gold: list[str] = []
    for j, (code, size) in enumerate(sizes.items()):
        words = [f"{code}w{i}x" if code != "general" else f"gen{i}q" for i in range(6)]
        del j
        for _ in range(size):
            picked = [*rng.choice(words, 3), *rng.choice(filler, 3)]
            rng.shuffle(picked)
            texts.append(" ".join(str(w) for w in picked))
            gold.append(code)
    return texts, gold


def test_fit_predict_proba_single_label(
    corpus: tuple[list[str], list[str]], feats: TextFeatures
) -> None:
    texts, gold = corpus
    model = CodeSuggester(features=feats).fit(texts[::2], [[g] for g in gold[::2]])
    assert model.classes_ == ["bins", "parking", "safety"]
    assert not model.multi_label_
    proba = model.predict_proba(texts[1::2])
    assert proba.shape == (len(texts[1::2]), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    right = np.array(model.classes_)[proba.argmax(axis=1)] == np.array(gold[1::2])
    assert right.mean() >= 0.75


def test_suggest_best_first_and_threshold(
    corpus: tuple[list[str], list[str]], feats: TextFeatures
) -> None:
    texts, gold = corpus
    model = CodeSuggester(features=feats).fit(texts, [[g] for g in gold])
    for s in model.suggest(texts):
        assert s and [c for c, _ in s] == [c for c, _ in sorted(s, key=lambda x: -x[1])]
        assert all(0.0 <= p <= 1.0 for _, p in s)
    strict = CodeSuggester(features=feats, threshold=0.99).fit(texts, [[g] for g in gold])
    assert all(len(s) <= 1 for s in strict.suggest(texts))
    assert any(not s for s in strict.suggest(texts, at_least_one=False))
    assert strict.predict(texts[:1])[0] == [strict.suggest(texts[:1])[0][0][0]]


def test_multi_label_and_no_code(corpus: tuple[list[str], list[str]], feats: TextFeatures) -> None:
    texts, gold = corpus
    codes = [[g] + (["urgent"] if i % 3 == 0 else []) for i, g in enumerate(gold)]
    codes[1] = []  # coded "no substantive answer": no code at all
    model = CodeSuggester(features=feats).fit(texts, codes)
    assert model.multi_label_
    assert model.classes_ == ["bins", "parking", "safety", "urgent"]
    proba = model.predict_proba(texts)
    assert proba.shape == (len(texts), 4)
    assert ((proba >= 0) & (proba <= 1)).all()
    # Independent yes/no models: the "bins" texts score high on bins.
    bins = [i for i, g in enumerate(gold) if g == "bins" and i != 1]
    assert proba[bins, 0].mean() > 0.5


def test_one_code_only_and_errors(feats: TextFeatures, corpus: tuple[list[str], list[str]]) -> None:
    texts, _ = corpus
    model = CodeSuggester(features=feats).fit(texts[:3], [["bins"]] * 3)
    assert model.predict_proba(texts).tolist() == [[1.0]] * len(texts)
    with pytest.raises(ValueError):
        CodeSuggester(features=feats).fit(texts[:3], [["a"]])
    with pytest.raises(ValueError):
        CodeSuggester(features=feats).fit(texts[:2], [[], []])


def test_estimator_conventions_and_determinism(corpus: tuple[list[str], list[str]]) -> None:
    texts, gold = corpus
    model = CodeSuggester(embedding="cooccurrence", C=3.0, random_state=4)
    assert clone(model).get_params()["C"] == 3.0
    a = model.fit(texts, [[g] for g in gold]).predict_proba(texts)
    b = clone(model).fit(texts, [[g] for g in gold]).predict_proba(texts)
    np.testing.assert_array_equal(a, b)


def test_features_new_texts(feats: TextFeatures, corpus: tuple[list[str], list[str]]) -> None:
    known = feats.transform(corpus[0][:2])
    again = feats.transform([corpus[0][1], "A brand new text about parking permits", ""])
    assert known.shape[1] == again.shape[1]
    np.testing.assert_array_equal(known[1].toarray(), again[0].toarray())
    assert again[1].nnz > 0 and again[2].nnz == 0


def test_choose_next_least_sure_first_and_spread() -> None:
    proba = np.array(
        [
            [0.9, 0.1, 0.0],  # sure
            [0.5, 0.45, 0.05],  # unsure, code 0
            [0.55, 0.4, 0.05],  # fairly unsure, code 0
            [0.1, 0.8, 0.1],  # sure, code 1
            [0.2, 0.7, 0.1],  # code 1
            [0.0, 0.35, 0.65],  # code 2
        ]
    )
    assert choose_next(proba, 1) == [1]
    assert choose_next(proba, 2, spread=False) == [1, 2]
    # The default is the least sure, whichever code they lean to (the imbalanced proxy).
    assert choose_next(proba, 3) == [1, 2, 5]
    # Spread: one from each predicted code before a second from any.
    three = choose_next(proba, 3, spread=True)
    assert sorted(int(proba[i].argmax()) for i in three) == [0, 1, 2]
    assert three[0] == 1
    assert sorted(choose_next(proba, 99)) == list(range(6))
    assert choose_next(proba, 0) == [] and choose_next(proba[:0], 3) == []
    assert choose_next(proba, 4, random_state=7) == choose_next(proba, 4, random_state=7)
    multi = np.array([[0.9, 0.1], [0.52, 0.1], [0.1, 0.3]])
    assert choose_next(multi, 1, multi_label=True) == [1]


def test_default_model_is_sure_of_the_codes_it_learned() -> None:
    """C = 10: the coded texts (the hard ones, under active learning) are fitted, not smoothed
    over; C = 1 left the mean confidence in their own code near 0.7 here."""
    texts, gold = synthetic(0, big=60, small=4, n_small=7)
    feats = TextFeatures(embedding="cooccurrence").fit(texts)
    model = CodeSuggester(features=feats).fit(texts, [[g] for g in gold])
    proba = model.predict_proba(texts)
    own = proba[np.arange(len(gold)), [model.classes_.index(g) for g in gold]]
    assert own.mean() > 0.85, own.mean()


def test_choose_first_distinct(feats: TextFeatures, corpus: tuple[list[str], list[str]]) -> None:
    texts, gold = corpus
    first = choose_first(feats.transform(texts), 6)
    assert len(first) == len(set(first)) == 6
    assert len({gold[i] for i in first}) >= 2
    assert choose_first(feats.transform(texts), 6) == first


def test_code_quality(corpus: tuple[list[str], list[str]], feats: TextFeatures) -> None:
    texts, gold = corpus
    codes = [[g] for g in gold]
    codes[0] = ["rare"]
    quality = code_quality(texts, codes, features=feats)
    assert set(quality) == {"bins", "parking", "safety", "rare"}
    assert quality["rare"].n_coded == 1 and quality["rare"].too_few
    assert quality["rare"].precision is None and quality["rare"].recall is None
    parking = quality["parking"]
    assert parking.n_coded == 8 and parking.too_few == (MIN_EXAMPLES > 8)
    assert parking.recall is not None and parking.recall >= 0.6
    assert parking.precision is not None and parking.precision >= 0.6
    # Labels that carry no information get poor estimates.
    rng = np.random.default_rng(0)
    noise = [[str(rng.choice(["x", "y", "z"]))] for _ in texts]
    bad = code_quality(texts, noise, features=feats)
    assert np.mean([q.recall or 0.0 for q in bad.values()]) < 0.6


def test_active_learning_beats_random_on_an_easy_set() -> None:
    """Fails if the tool's choice of texts is no better than a random sample of the same size."""
    gains = []
    for seed in range(2):
        texts, gold = synthetic(seed, big=250)
        feats = TextFeatures(embedding="cooccurrence", random_state=seed).fit(texts)
        active = simulate(texts, gold, 3, random_state=seed, features=feats)
        chance = simulate(texts, gold, 3, random_state=seed, features=feats, strategy="random")
        assert active.coded.sum() == chance.coded.sum() == 24
        gains.append(active.macro_f1 - chance.macro_f1)
    assert np.mean(gains) > 0.1, gains


def test_simulate_keeps_given_labels(corpus: tuple[list[str], list[str]]) -> None:
    texts, gold = corpus
    sim = simulate(texts, gold, 2, embedding="cooccurrence", batch=2)
    assert sim.coded.sum() == 6
    assert all(sim.labels[i] == gold[i] for i in np.flatnonzero(sim.coded))
    assert set(sim.labels) <= set(gold)
    assert 0.0 <= sim.macro_f1 <= sim.micro_f1 + 1e-9 or sim.macro_f1 <= 1.0
    with pytest.raises(ValueError):
        simulate(texts, gold, 2, strategy="nope", embedding="cooccurrence")


def test_simulate_coding_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], corpus: tuple[list[str], list[str]]
) -> None:
    texts, gold = corpus
    src = tmp_path / "coded.csv"
    with src.open("w", encoding="cp1252", newline="") as handle:  # read as Windows-1252
        writer = csv.writer(handle)
        writer.writerow(["answer", "theme"])
        writer.writerows([[f"{t} café", g] for t, g in zip(texts, gold, strict=True)])
    out = tmp_path / "out.json"
    argv = ["simulate-coding", str(src), "--text-column", "answer", "--label-column", "theme"]
    code = main([*argv, "--per-code", "2", "--seed", "1", "--embedding", "cooccurrence",
                 "--out", str(out)])
    assert code == 0
    rows = json.loads(out.read_text(encoding="utf-8"))["assignments"]
    assert len(rows) == len(texts)
    assert sum(r["coded"] for r in rows) == 6
    assert all(r["code"] == g for r, g in zip(rows, gold, strict=True) if r["coded"])
    assert {r["code"] for r in rows} <= set(gold)
    printed = capsys.readouterr()
    assert "micro-F1" in printed.out and "macro-F1" in printed.out
    assert "Windows-1252" in printed.err
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--per-code", "0", "--out", str(out)])
    assert stop.value.code == 2
    with pytest.raises(SystemExit, match="no column label"):
        main(["simulate-coding", str(src), "--text-column", "answer", "--per-code", "2",
              "--out", str(out)])


def test_warm_start_reaches_the_cold_fit_in_fewer_iterations(
    corpus: tuple[list[str], list[str]], feats: TextFeatures
) -> None:
    texts, gold = corpus
    model = CodeSuggester(features=feats, warm_start=True).fit(texts[:-1], [[g] for g in gold[:-1]])
    cold_before = model.model_.n_iter_
    model.fit(texts, [[g] for g in gold])  # one more coded text: a refresh
    cold = CodeSuggester(features=feats).fit(texts, [[g] for g in gold])
    assert model.model_.n_iter_ < min(cold.model_.n_iter_, cold_before)
    np.testing.assert_allclose(model.predict_proba(texts), cold.predict_proba(texts), atol=0.02)
    # Other codes than last time: a cold start, the same model as without warm_start.
    fresh = model.fit(texts[:6], [["a"], ["b"]] * 3).predict_proba(texts)
    again = CodeSuggester(features=feats).fit(texts[:6], [["a"], ["b"]] * 3).predict_proba(texts)
    np.testing.assert_array_equal(fresh, again)
    assert not CodeSuggester(features=feats).get_params()["warm_start"]



def test_choose_first_keeps_sparse_rows_sparse(
    feats: TextFeatures, corpus: tuple[list[str], list[str]]
) -> None:
    class NoDense(sp.csr_matrix):  # type: ignore[misc]
        def toarray(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("a corpus's TF-IDF rows must not be made dense")

    x = feats.transform(corpus[0])
    picked = choose_first(NoDense(x), 5, random_state=0)
    assert len(set(picked)) == 5
    assert picked == choose_first(x, 5, random_state=0)
