#!/usr/bin/env python3
"""The number of themes at `--n-themes auto`: which finer-themes bonus picks what, on saved
curves and on the vectors the pipeline hands `choose_k` (round 3 of the theme engine v2).

Usage: PYTHONPATH=. python bench/theme_k_picks.py curves
       PYTHONPATH=. python bench/theme_k_picks.py choose SET [SET ...] [--kmeans K,K,...]
  curves  `analysis.select.pick` over the stability curves printed in rounds 2 and 4, at each
          stability floor ("f"; f2.0: no floor) and, without a floor, each bonus ("b"; b0.0 is
          round 2's rule, b0.03 round 3's).
  choose  for each SET (a folder of ../shared/data; ENGAGE_SHARED_DATA overrides the root): runs
          `ThemeModel(n_themes="auto", sentiment=False, random_state=0)` on the whole set with
          the sentence vectors from bench/theme_vectors.py's cache, stops it at `choose_k` and
          keeps what it was handed (vectors, weights, range); then `choose_k` on those with
          `default_rng(0)`. Prints the distinct texts fitted, the range, the chosen k (and
          stability alone's), the curve and each bonus's pick. With --kmeans on a labelled set
          whose distinct texts are all fitted: plain spherical k-means, one start, seed 0, on
          the same vectors at the chosen k, stability alone's and each K given, with NMI against
          the majority label of each distinct text.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parent))

import theme_auto_run as tar
import theme_vectors as tv

from analysis import ThemeModel, theme_cluster
from analysis.cluster import spherical_kmeans
from analysis.select import choose_k, pick

# Stability curves (candidate:split-half AMI) printed by round 2's runs, seed 0 unless named.
ROUND2_CURVES = {
    "r2 minilm tweet": "6:0.633 8:0.744 10:0.671 13:0.720 17:0.754 22:0.783 28:0.810 36:0.813 "
    "46:0.817 60:0.826 77:0.819 100:0.796",
    "r2 minilm searchsnippets": "6:0.668 8:0.719 10:0.755 13:0.746 17:0.684 22:0.670 28:0.678 "
    "36:0.639 46:0.612 60:0.612 77:0.581 100:0.573",
    "r2 minilm stackoverflow": "6:0.716 8:0.633 10:0.728 13:0.845 17:0.809 22:0.801 28:0.778 "
    "36:0.751 46:0.701 60:0.667 77:0.623 100:0.606",
    "r2 minilm banking77": "6:0.786 8:0.779 10:0.771 13:0.778 17:0.763 22:0.751 28:0.746 "
    "36:0.766 46:0.786 60:0.767 77:0.769 100:0.771",
    "r2 cooc stackoverflow": "6:0.442 8:0.590 10:0.605 13:0.726 17:0.799 22:0.811 28:0.780 "
    "36:0.735 46:0.681 60:0.655 77:0.616 100:0.587",
    "r2 cooc banking77": "6:0.743 8:0.624 10:0.680 13:0.742 17:0.728 22:0.777 28:0.757 "
    "36:0.748 46:0.748 60:0.725 77:0.735 100:0.716",
    "r2 cooc searchsnippets s0": "6:0.650 8:0.739 10:0.762 13:0.684 17:0.696 22:0.667 "
    "28:0.677 36:0.676 46:0.680 60:0.682 77:0.658 100:0.669",
    "r2 cooc searchsnippets s1": "6:0.741 8:0.715 10:0.733 13:0.710 17:0.657 22:0.698 "
    "28:0.677 36:0.666 46:0.683 60:0.658 77:0.666 100:0.658",
    "r2 cooc searchsnippets s2": "6:0.618 8:0.723 10:0.687 13:0.702 17:0.644 22:0.656 "
    "28:0.676 36:0.669 46:0.668 60:0.674 77:0.680 100:0.659",
    "r2 cooc uk_petitions": "6:0.524 8:0.460 10:0.482 13:0.461 17:0.495 22:0.500 28:0.534 "
    "36:0.530 46:0.535 60:0.543 77:0.532 100:0.522",
    "r2 cooc 100k mix": "6:0.786 8:0.681 10:0.650 13:0.641 17:0.671 22:0.640 28:0.624 "
    "36:0.618 46:0.622 60:0.601 77:0.583 100:0.577",
    "r2 cooc 10k mix": "6:0.729 8:0.646 10:0.670 13:0.562 17:0.584 22:0.570 28:0.552 "
    "36:0.580 46:0.561 60:0.588 77:0.558 100:0.547",
}


# Whole-set curves of banking77 through the pipeline (MiniLM), 2026-12-07 07:38-08:33 UTC, the
# run where the bonus rule chose 6 themes on seeds 1-4 (docs/benchmarks-analysis.md).
ROUND4_CURVES = {
    "r4 minilm banking77 s0": "6:0.786 8:0.779 10:0.771 13:0.778 17:0.763 22:0.751 28:0.746 "
    "36:0.766 46:0.786 60:0.767 77:0.769 100:0.771",
    "r4 minilm banking77 s1": "6:0.870 8:0.840 10:0.767 13:0.778 17:0.786 22:0.772 28:0.772 "
    "36:0.789 46:0.784 60:0.783 77:0.768 100:0.777",
    "r4 minilm banking77 s2": "6:0.868 8:0.817 10:0.765 13:0.767 17:0.765 22:0.770 28:0.752 "
    "36:0.781 46:0.790 60:0.778 77:0.776 100:0.760",
    "r4 minilm banking77 s3": "6:0.912 8:0.736 10:0.709 13:0.730 17:0.732 22:0.759 28:0.764 "
    "36:0.767 46:0.772 60:0.766 77:0.763 100:0.767",
    "r4 minilm banking77 s4": "6:0.920 8:0.770 10:0.705 13:0.718 17:0.773 22:0.756 28:0.756 "
    "36:0.753 46:0.772 60:0.775 77:0.766 100:0.779",
}


def picks_on_saved_curves() -> None:
    """One line a saved curve: the pick at each stability floor (f; f2.0: none, the bonus rule
    alone), then without a floor at each bonus."""
    for name, curve in {**ROUND2_CURVES, **ROUND4_CURVES}.items():
        pairs = [p.split(":") for p in curve.split()]
        ks, ss = [int(k) for k, _ in pairs], [float(s) for _, s in pairs]
        print(f"{name:26s} " + " ".join(f"f{f}:{pick(ks, ss, floor=f)}" for f in tar.FLOORS)
              + " | " + " ".join(f"b{b}:{pick(ks, ss, b, floor=2.0)}" for b in tar.BONUSES))


@dataclass
class Handed:
    """What the pipeline handed `choose_k`: the fitted rows' vectors and weights, the range."""

    x: NDArray[np.float64]
    w: NDArray[np.float64]
    low: int
    high: int


class _Stop(Exception):
    """Raised in place of `choose_k` once its arguments are kept."""


def handed_to_choose_k(texts: list[str]) -> Handed:
    """Run the default pipeline at auto, seed 0, until it calls `choose_k`; its arguments."""
    kept: list[Handed] = []

    def stop(x: NDArray[np.float64], w: NDArray[np.float64], low: int, high: int,
             rng: np.random.Generator, sample: int = 3000) -> None:
        kept.append(Handed(x, w, low, high))
        raise _Stop

    # analysis.theme_cluster calls the name it imported from analysis.select: stand in there.
    vars(theme_cluster)["choose_k"] = stop
    try:
        ThemeModel(n_themes="auto", sentiment=False, random_state=0).fit(texts)
    except _Stop:
        pass
    finally:
        vars(theme_cluster)["choose_k"] = choose_k
    if not kept:
        raise SystemExit("the pipeline did not call choose_k (too few distinct texts?)")
    return kept[0]


def majority_labels(rows: list[dict[str, str]], n_fitted: int) -> NDArray[np.str_] | None:
    """The majority label of each distinct text in first-occurrence order (the pipeline's order
    of fitted rows when every distinct text is fitted), or None when the counts differ."""
    by_text: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        by_text[r["text"]][r["label"]] += 1
    if len(by_text) != n_fitted:
        return None
    return np.array([c.most_common(1)[0][0] for c in by_text.values()])


def choose(name: str, extra_ks: list[int]) -> None:
    """Print the chosen k and curve on what the pipeline hands `choose_k` for one set."""
    rows = tv.load(name, 0)
    texts = [r["text"] for r in rows]
    tv.warm(tar.kind_of(name), texts)
    h = handed_to_choose_k(texts)
    curve = choose_k(h.x, h.w, h.low, h.high, np.random.default_rng(0))
    alone = pick(curve.candidates, curve.scores, 0.0, floor=2.0)
    print(f"{name} n={h.x.shape[0]} range {h.low}-{h.high} chosen={curve.chosen} "
          f"(stability alone {alone})", flush=True)
    print(tar.curve_lines(curve), flush=True)
    if not extra_ks:
        return
    gold = majority_labels(rows, h.x.shape[0]) if "label" in rows[0] else None
    if gold is None:
        print("  plain k-means skipped: no labels, or not every distinct text was fitted")
        return
    for k in sorted({curve.chosen, alone, *extra_ks}):
        lab, _, _ = spherical_kmeans(h.x, k, np.random.default_rng(0), h.w, n_init=1)
        print(f"  plain spherical k-means k={k}: NMI {tv.nmi(gold, np.asarray(lab)):.1f}",
              flush=True)


def main() -> None:
    """Parse arguments and run the chosen part."""
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("part", choices=("curves", "choose"))
    p.add_argument("sets", nargs="*")
    p.add_argument("--kmeans", default="", help="comma list of k for plain k-means (choose)")
    a = p.parse_args()
    if a.part == "curves":
        picks_on_saved_curves()
        return
    if not a.sets:
        p.error("choose needs at least one SET")
    if not tv.DATA.is_dir():
        sys.exit(f"shared data not found at {tv.DATA}")
    for name in a.sets:
        choose(name, [int(k) for k in a.kmeans.split(",") if k])


if __name__ == "__main__":
    main()
