#!/usr/bin/env python3
"""Model update speed for 20,000 texts: one refit and a prediction for every text, vectors cached.

Usage: PYTHONPATH=. python bench/coding_speed.py [--per-code 25] [--repeat 3]
The 20,000 texts are banking77 (13,083) and the first 6,917 of searchsnippets (shuffled, seed 0),
labels kept apart (85 codes); 25 coded per code at random (2,125 texts). Prints wall and CPU
seconds (best of ``--repeat``) for ``CodeSuggester(features=...).fit`` + ``predict_proba`` of all
20,000. MiniLM vectors come from the $TMPDIR/theme_vectors cache (bench/theme_vectors.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from coding_bench import features  # noqa: E402
from theme_vectors import load  # noqa: E402

from analysis.coding import CodeSuggester  # noqa: E402


def main() -> None:
    """Time refit + predict over 20,000 texts."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--per-code", type=int, default=25)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    rows = load("banking77", 0)
    snippets = load("searchsnippets", 0)
    order = np.random.default_rng(0).permutation(len(snippets))[: 20000 - len(rows)]
    texts = [r["text"] for r in rows] + [snippets[i]["text"] for i in order]
    gold = [r["label"] for r in rows] + ["s-" + snippets[i]["label"] for i in order]
    feats = features(texts, 0, sorted({r["text"] for r in rows}))
    features(texts, 0, sorted({r["text"] for r in snippets}))
    feats.parts(texts)
    rng = np.random.default_rng(0)
    coded: list[int] = []
    for code in sorted(set(gold)):
        members = [i for i, g in enumerate(gold) if g == code]
        coded.extend(rng.choice(members, min(a.per_code, len(members)), replace=False))
    best = (float("inf"), float("inf"))
    for _ in range(a.repeat):
        start, cpu = time.perf_counter(), time.process_time()
        model = CodeSuggester(features=feats).fit(
            [texts[i] for i in coded], [[gold[i]] for i in coded]
        )
        model.predict_proba(texts)
        best = min(best, (time.perf_counter() - start, time.process_time() - cpu))
    print(f"{len(texts)} texts, {len(set(gold))} codes, {len(coded)} coded: refit + predict "
          f"{best[0]:.2f} s wall, {best[1]:.2f} s CPU (best of {a.repeat}); "
          f"{model.model_.n_iter_} L-BFGS iterations")


if __name__ == "__main__":
    main()
