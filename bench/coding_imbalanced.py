#!/usr/bin/env python3
"""Assisted coding on imbalanced samples of the labelled sets: a proxy for issue 22's held-out goal.

The owners measure ``simulate-coding`` at 25 texts per code on coded resident feedback we do not
have (42 codes, one each, strongly imbalanced; goal micro-F1 >= 0.78, macro-F1 >= 0.50 on the
texts not asked about). The shared labelled sets are nearly balanced, so this draws, per seed, an
imbalanced sample from them and runs the same ``analysis.simulate.simulate`` as the command line:

- ``banking77``: 42 codes whose sizes follow a Zipf-Mandelbrot law (largest ``--top`` of the
  texts, smallest ``--smallest``, ``--total`` texts). A large code is the union of several
  intents (broad codes like "parking" hold several concerns), a small one a sample of one intent.
- ``tweet``: 42 of its 50 largest topics drawn at random, all their texts (the set is naturally
  skewed: 249 texts for the largest topic, 11 for the 50th; smaller draws would leave almost
  nothing uncoded at 25 per code).
- ``stackoverflow``: its 20 tags (it has no more), Zipf-Mandelbrot sizes as for banking77.

Usage: PYTHONPATH=. python bench/coding_imbalanced.py [--sets banking77,tweet,stackoverflow]
       [--seeds 0,1,2] [--per-code 25] [--strategies active,random] [--svm]
Strategies: ``active`` (the tool: least sure first), ``spread`` (the same taken in turn from
each predicted code: the tool's choice before this proxy), ``random`` (a random sample, same
model). ``--C``: the model's inverse regularisation (default the tool's, 10; before: 1).
Per set, seed and strategy: micro- and macro-F1 on the texts not coded, and the macro precision
and recall of the rarest third of the codes (``tail``) among those texts, with how many texts the
model gave a tail code against how many carry one (over-prediction of rare codes shows there).
``--svm``: TF-IDF (words and pairs) + ``LinearSVC`` on a random 80%, scored on the other 20%.
MiniLM vectors of the whole set are cached under $TMPDIR/theme_vectors (bench/theme_vectors.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from coding_bench import features, svm80  # noqa: E402
from theme_vectors import DATA, load  # noqa: E402

from analysis.coding import DEFAULT_C  # noqa: E402
from analysis.simulate import simulate  # noqa: E402

CODES = 42


def zipf_sizes(k: int, total: int, top: float, smallest: int) -> list[int]:
    """``k`` sizes ``c / (i + b)^a`` (i = 1..k), largest ``top * total``, smallest ``smallest``,
    summing to about ``total`` (``b`` by bisection: a larger ``b`` flattens the head)."""
    first = top * total
    ratio = first / smallest

    def sizes(b: float) -> np.ndarray:
        a = np.log(ratio) / np.log((k + b) / (1 + b))
        i = np.arange(1, k + 1)
        return first * ((1 + b) / (i + b)) ** a

    lo, hi = 0.0, 1000.0
    if sizes(lo).sum() > total:  # even the steepest law is too heavy: take it
        hi = lo
    for _ in range(100):
        mid = (lo + hi) / 2
        if sizes(mid).sum() < total:
            lo = mid
        else:
            hi = mid
    return [max(smallest, round(s)) for s in sizes(hi)]


def sample(
    name: str, seed: int, total: int, top: float, smallest: int
) -> tuple[list[str], list[str]]:
    """An imbalanced labelled sample of a shared set (see the module docstring)."""
    rows = load(name, 0)
    rng = np.random.default_rng(seed)
    by_label: dict[str, list[str]] = {}
    for r in rows:
        by_label.setdefault(r["label"], []).append(r["text"])
    labels = sorted(by_label)
    texts: list[str] = []
    gold: list[str] = []
    if name == "tweet":
        largest = sorted(labels, key=lambda lab: (-len(by_label[lab]), lab))[:50]
        for lab in sorted(rng.permutation(largest)[:CODES]):
            texts += by_label[lab]
            gold += [f"c{lab}"] * len(by_label[lab])
        return texts, gold
    k = min(CODES, len(labels))
    order = list(rng.permutation(labels))
    for code, size in enumerate(zipf_sizes(k, total, top, smallest)):
        pool: list[str] = []
        # Whole intents until the code has enough texts (one for all but the largest codes);
        # with fewer labels than codes (stackoverflow) each code is one label.
        while len(pool) < size and order and (not pool or len(labels) >= CODES):
            pool += by_label[order.pop(0)]
        take = rng.choice(len(pool), min(size, len(pool)), replace=False)
        texts += [pool[i] for i in np.sort(take)]
        gold += [f"code{code:02d}"] * len(take)
    return texts, gold


def tail_report(gold: list[str], labels: list[str], coded: np.ndarray) -> str:
    """Macro precision and recall of the rarest third of the codes on the uncoded texts."""
    sizes = Counter(gold)
    tail = sorted(sizes, key=lambda c: (sizes[c], c))[: len(sizes) // 3]
    rest = np.flatnonzero(~coded)
    truth = [gold[i] for i in rest]
    guess = [labels[i] for i in rest]
    p, r, _, support = precision_recall_fscore_support(truth, guess, labels=tail, zero_division=0)
    predicted = sum(g in tail for g in guess)
    true = sum(t in tail for t in truth)
    present = support > 0
    recall = float(r[present].mean()) if present.any() else float("nan")
    given = np.array([g in guess for g in tail])
    precision = float(p[given].mean()) if given.any() else float("nan")
    return f"tail P {precision:.2f} R {recall:.2f} pred/true {predicted:4d}/{true:4d}"


def main() -> None:
    """Parse arguments and print one line per set, seed and strategy."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sets", default="banking77,tweet,stackoverflow")
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--per-code", type=int, default=25)
    p.add_argument("--strategies", default="active,random")
    p.add_argument("--total", type=int, default=4000)
    p.add_argument("--top", type=float, default=0.2)
    p.add_argument("--smallest", type=int, default=5)
    p.add_argument("--svm", action="store_true")
    p.add_argument("--C", type=float, default=DEFAULT_C)
    a = p.parse_args()
    if not DATA.is_dir():
        sys.exit(f"shared data not found at {DATA}")
    os.system("uptime")
    for name in a.sets.split(","):
        whole = sorted({r["text"] for r in load(name, 0)})
        for seed in [int(s) for s in a.seeds.split(",")]:
            texts, gold = sample(name, seed, a.total, a.top, a.smallest)
            sizes = sorted(Counter(gold).values(), reverse=True)
            head = (
                f"{name:13s} seed {seed} n={len(texts):5d} codes={len(sizes)} "
                f"sizes {sizes[0]}..{sizes[-1]}"
            )
            if a.svm:
                mi, ma = svm80(texts, gold, seed)
                print(
                    f"{head} svm-80%                      micro {mi:.3f} macro {ma:.3f}", flush=True
                )
            if not a.strategies:
                continue
            feats = features(texts, seed, whole)
            for strategy in a.strategies.split(","):
                start = time.perf_counter()
                sim = simulate(
                    texts,
                    gold,
                    a.per_code,
                    random_state=seed,
                    strategy="random" if strategy == "random" else "active",
                    features=feats,
                    spread=strategy == "spread",
                    C=a.C,
                )
                print(
                    f"{head} {a.per_code:3d}/code C {a.C:g} {strategy:7s} "
                    f"coded {int(sim.coded.sum()):5d} "
                    f"micro {sim.micro_f1:.3f} macro {sim.macro_f1:.3f} "
                    f"{tail_report(gold, sim.labels, sim.coded)} "
                    f"{time.perf_counter() - start:6.1f} s",
                    flush=True,
                )
    os.system("uptime")


if __name__ == "__main__":
    main()
