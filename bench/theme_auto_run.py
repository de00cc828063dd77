#!/usr/bin/env python3
"""The whole theme pipeline at `--n-themes auto` (or given k) on a labelled shared set, with the
sentence vectors taken from bench/theme_vectors.py's disk cache (the pipeline encodes any text
the cache lacks), so a run measures choosing k and clustering rather than encoding again.

Usage: PYTHONPATH=. python bench/theme_auto_run.py SET[:LIMIT] SEEDS [K,K,...]
  SET    a folder of ../shared/data (columns text,label; ENGAGE_SHARED_DATA overrides the root);
         with :LIMIT, a seeded random sample of that many rows (bench/theme_vectors.py's load)
  SEEDS  comma list, e.g. 0,1,2,3,4
  K      comma list of numbers of themes, or auto (the default)
Prints per k and seed: the vectors used, the k chosen, themes after the catch-all split, NMI with
the label, the largest theme's share, the unthemed share and seconds; for auto, the stability
curve and what each stability floor and (without a floor) each finer-themes bonus would have
picked.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import theme_vectors as tv  # noqa: E402

from analysis import ThemeModel  # noqa: E402
from analysis.evaluate import scores  # noqa: E402
from analysis.result import KCurve  # noqa: E402
from analysis.select import pick  # noqa: E402

BONUSES = (0.0, 0.01, 0.02, 0.03, 0.04, 0.05)
# Stability floors (analysis.select.STABLE_FLOOR) to show the pick of; 2.0: no floor (the
# bonus rule alone, rounds 3-4).
FLOORS = (0.74, 0.75, 0.76, 0.77, 0.78, 0.8, 2.0)


def kind_of(name: str) -> str:
    """The sentence vectors the pipeline uses for a shared set: e5 for the multilingual ones."""
    return "e5" if name.startswith("sib") else "minilm"


def curve_lines(curve: KCurve) -> str:
    """The stability curve and what each stability floor (f; f2.0: none) and, without a floor,
    each finer-themes bonus (b) would have picked, three lines."""
    return ("  curve " + " ".join(f"{a}:{b:.3f}" for a, b in
                                  zip(curve.candidates, curve.scores, strict=True))
            + "\n  floors " + " ".join(f"f{f}:{pick(curve.candidates, curve.scores, floor=f)}"
                                      for f in FLOORS)
            + "\n  picks " + " ".join(
                f"b{b}:{pick(curve.candidates, curve.scores, b, floor=2.0)}" for b in BONUSES))


def main(spec: str, seeds: list[int], ks: list[str]) -> None:
    name, _, limit = spec.partition(":")
    rows = tv.load(name, int(limit or 0))
    texts = [r["text"] for r in rows]
    gold = [r["label"] for r in rows]
    tv.warm(kind_of(name), texts)
    print(f"{name}: {len(texts)} texts; load average {os.getloadavg()[0]:.1f}", flush=True)
    for k in ks:
        for seed in seeds:
            start = time.perf_counter()
            model = ThemeModel(n_themes=k if k == "auto" else int(k), sentiment=False,
                               random_state=seed).fit(texts)
            took = time.perf_counter() - start
            labels = model.labels_
            nmi = 100 * scores(gold, labels.tolist())["nmi"]
            themed = labels[labels >= 0]
            largest = 100 * np.bincount(themed).max() / len(labels) if len(themed) else 0.0
            curve = model.result_.k_curve
            print(f"{name} k={k} seed={seed} vectors={model.vectors_.name} "
                  f"chosen={curve.chosen if curve else k} themes={model.n_themes_} "
                  f"NMI={nmi:.1f} largest={largest:.1f}% "
                  f"unthemed={100 * (labels < 0).mean():.1f}% time={took:.0f}s", flush=True)
            if curve:
                print(curve_lines(curve), flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], [int(s) for s in sys.argv[2].split(",")],
         sys.argv[3].split(",") if len(sys.argv) > 3 else ["auto"])
