#!/usr/bin/env python3
"""Assisted coding on labelled sets: active learning against random coding and a full SVM.

Usage: PYTHONPATH=. python bench/coding_bench.py SET [SET ...] [--per-code 10,25,50]
       [--strategies active,spread,random] [--limit N] [--seed 0] [--svm] [--speed] [--C 10]
SET is a folder of ../shared/data (columns text,label). For each set and budget (per-code x
number of labels texts) prints micro- and macro-F1 on the texts not coded, for the tool's choice
(``active``: least sure first, the issue's sketch's margin sampling), for the same taken in turn
from each predicted code (``spread``, the tool's choice until the imbalanced proxy,
bench/coding_imbalanced.py) and for a random sample of the same size (``random``), all with the
same model.
``--svm``: TF-IDF + linear SVM trained on a random 80% and scored on the other 20% (with
``--per-code ""`` and no ``--speed``, only that: no sentence vectors are needed).
``--speed``: seconds for one refit (25 per code) + prediction of every text, vectors cached.
MiniLM vectors are cached under $TMPDIR/theme_vectors (bench/theme_vectors.py's ``cached``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.svm import LinearSVC

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from theme_vectors import DATA, cached, load, minilm_encode  # noqa: E402

from analysis.coding import DEFAULT_C, CodeSuggester, TextFeatures  # noqa: E402
from analysis.simulate import simulate  # noqa: E402


def features(texts: list[str], seed: int, whole: list[str]) -> TextFeatures:
    """TextFeatures with the MiniLM vectors read from the disk cache (encoded once)."""
    from analysis import sentence_model as sm

    for subset in (whole, sorted(set(texts))):  # the whole set's vectors serve a sample too
        vecs, _ = cached("minilm", subset, minilm_encode)
        sm.encoder()._cache.update(zip(subset, vecs.astype(np.float32), strict=True))
        if all(t in sm.encoder()._cache for t in texts):
            break
    return TextFeatures(random_state=seed).fit(texts)


def svm80(texts: list[str], gold: list[str], seed: int) -> tuple[float, float]:
    """TF-IDF (words and pairs) + LinearSVC on a random 80%, F1 on the other 20%."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(texts))
    cut = int(0.8 * len(texts))
    tr, te = order[:cut], order[cut:]
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    x = vec.fit_transform([texts[i] for i in tr])
    clf = LinearSVC(random_state=seed).fit(x, [gold[i] for i in tr])
    pred = clf.predict(vec.transform([texts[i] for i in te]))
    truth = [gold[i] for i in te]
    return (
        float(f1_score(truth, pred, average="micro")),
        float(f1_score(truth, pred, average="macro", zero_division=0)),
    )


def speed(
    texts: list[str], gold: list[str], feats: TextFeatures, seed: int
) -> tuple[float, float]:
    """Wall and CPU seconds for one refit on 25 per code (random, at most half the texts) and
    predict_proba over every text."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(texts), min(len(texts) // 2, 25 * len(set(gold))), replace=False)
    start, cpu = time.perf_counter(), time.process_time()
    model = CodeSuggester(features=feats, random_state=seed).fit(
        [texts[i] for i in rows], [[gold[i]] for i in rows]
    )
    model.predict_proba(texts)
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    """Parse arguments and print one line per set, budget and strategy."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("sets", nargs="+")
    p.add_argument("--per-code", default="10,25,50")
    p.add_argument("--strategies", default="active,random")
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--svm", action="store_true")
    p.add_argument("--speed", action="store_true")
    p.add_argument("--C", type=float, default=DEFAULT_C)
    a = p.parse_args()
    if not DATA.is_dir():
        sys.exit(f"shared data not found at {DATA}")
    os.system("uptime")
    for name in a.sets:
        whole = sorted({r["text"] for r in load(name, 0)})
        rows = load(name, a.limit)
        texts = [r["text"] for r in rows]
        gold = [r["label"] for r in rows]
        k = len(set(gold))
        head = f"{name:15s} n={len(texts):6d} labels={k:3d}"
        if a.svm:
            mi, ma = svm80(texts, gold, a.seed)
            print(f"{head} svm-80%          micro {mi:.3f} macro {ma:.3f}", flush=True)
        if not (a.speed or a.per_code):  # --per-code "" --svm: the SVM alone, no vectors
            continue
        feats = features(texts, a.seed, whole)
        if a.speed:
            wall, cpu = min(speed(texts, gold, feats, a.seed) for _ in range(3))
            print(f"{head} refit+predict {wall:.2f} s wall, {cpu:.2f} s CPU (best of 3)",
                  flush=True)
        for per in [int(v) for v in a.per_code.split(",") if v]:
            for strategy in a.strategies.split(","):
                start = time.perf_counter()
                sim = simulate(
                    texts,
                    gold,
                    per,
                    random_state=a.seed,
                    strategy="random" if strategy == "random" else "active",
                    features=feats,
                    spread=strategy == "spread",
                    C=a.C,
                )
                print(
                    f"{head} per-code {per:3d} {strategy:7s} coded {int(sim.coded.sum()):5d} "
                    f"micro {sim.micro_f1:.3f} macro {sim.macro_f1:.3f} "
                    f"refits {sim.refits:3d} {time.perf_counter() - start:6.1f} s",
                    flush=True,
                )
    os.system("uptime")


if __name__ == "__main__":
    main()
