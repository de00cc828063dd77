#!/usr/bin/env python3
"""How many themes ``--n-themes auto`` chooses, and what that costs in NMI.

Usage: PYTHONPATH=. python bench/auto_k.py SET [SET ...] [--limit N] [--seeds 3] [--k K]
SET is a folder of ../shared/data (or $ENGAGE_SHARED_DATA). With --limit, a seeded sample of N
rows (the same sample as bench/theme_vectors.py). Prints, per set and seed, the number of themes
the criterion chose, the number of themes in the result (the catch-all split can add some), NMI
with the label where there is one, seconds, and the criterion's curve (candidate:score). With
--k, fits that fixed number of themes instead (a reference point).
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("ENGAGE_SHARED_DATA", ROOT.parent / "shared" / "data"))

from analysis import ThemeModel  # noqa: E402
from analysis.evaluate import scores  # noqa: E402


def load(name: str, limit: int) -> tuple[list[str], list[str] | None]:
    """Texts and labels (None when unlabelled) of a shared set, a seeded sample when limited."""
    with open(DATA / name / "data.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if limit and len(rows) > limit:
        pick = np.sort(np.random.default_rng(0).choice(len(rows), limit, replace=False))
        rows = [rows[i] for i in pick]
    labelled = bool(rows) and "label" in rows[0]
    return [r["text"] for r in rows], [r["label"] for r in rows] if labelled else None


def main() -> None:
    """Fit each set with auto (or --k) for each seed; print one line per fit and a summary."""
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", nargs="+")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--k", type=int, default=0)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()}", flush=True)
    for name in args.sets:
        texts, gold = load(name, args.limit)
        true_k = len(set(gold)) if gold else None
        nmis = []
        for seed in range(args.seeds):
            start = time.perf_counter()
            model = ThemeModel(
                n_themes=args.k or "auto", sentiment=False, random_state=seed
            ).fit(texts)
            took = time.perf_counter() - start
            curve = model.result_.k_curve
            nmi = 100 * scores(gold, model.labels_.tolist())["nmi"] if gold else None
            if nmi is not None:
                nmis.append(nmi)
            line = (
                f"{name} n={len(texts)} true_k={true_k} seed={seed} "
                f"chosen={curve.chosen if curve else args.k} themes={model.n_themes_} "
                + (f"NMI={nmi:.1f} " if nmi is not None else "")
                + f"time={took:.1f}s"
            )
            print(line, flush=True)
            if curve is not None:
                print(
                    "  curve "
                    + " ".join(
                        f"{k}:{s:.3f}"
                        for k, s in zip(curve.candidates, curve.scores, strict=True)
                    ),
                    flush=True,
                )
        if len(nmis) > 1:
            print(
                f"{name} NMI {statistics.fmean(nmis):.1f} ± {statistics.pstdev(nmis):.1f} "
                f"over {len(nmis)} seeds",
                flush=True,
            )
    print(f"load average {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    main()
