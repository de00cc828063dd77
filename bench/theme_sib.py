#!/usr/bin/env python3
"""English and Bengali together (sib200_en_bn, 7 topics): which vectors keep topics and drop the
language, and the pipeline's themes on both languages against the English half alone.

Usage: PYTHONPATH=. python bench/theme_sib.py vectors
       PYTHONPATH=. python bench/theme_sib.py seeds SEEDS [K]
  vectors  candidate vectors at the true k (7), seed 0: e5 ("query: ") with per-script
           centring; its image in MiniLM's space (ridge learned on the English half, alpha 0.1,
           1 and 10); centred e5 joined with that image; centred e5 joined with real MiniLM for
           English and the image for Bengali; and the English half alone (MiniLM, e5). Each is
           clustered by Ward then k-means as the pipeline does for sentence vectors ("ward") and
           by plain spherical k-means with 10 restarts ("skm"); topic and language NMI.
  seeds    the default pipeline, `ThemeModel(n_themes=K, sentiment=False, random_state=seed)`,
           on both languages and on the English half alone, per seed (comma list, e.g.
           0,1,2,3,4); K is 7 (the default) or auto. Prints the vectors used (both / English),
           themes, topic NMI, language NMI, the English-only NMI, their ratio, the largest
           theme's share and seconds; with auto also the mixed set's chosen k and curve.
The sentence vectors come from bench/theme_vectors.py's cache ($TMPDIR/theme_vectors; encoded
and cached when missing); ENGAGE_SHARED_DATA overrides the data root (../shared/data).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import Ridge

sys.path.insert(0, str(Path(__file__).resolve().parent))

import theme_auto_run as tar
import theme_vectors as tv

from analysis import ThemeModel
from analysis.cluster import normalize_rows, spherical_kmeans, ward_kmeans
from analysis.embed import centre_by_script, script_of

SET = "sib200_en_bn"
TRUE_K = 7


class Sib:
    """The set's texts, topic labels and languages, and which rows are English."""

    def __init__(self) -> None:
        rows = tv.load(SET, 0)
        self.texts = [r["text"] for r in rows]
        self.gold = np.array([r["label"] for r in rows])
        self.lang = np.array([r["language"] for r in rows])
        self.en = self.lang == "en"
        self.en_texts = [t for t, e in zip(self.texts, self.en, strict=True) if e]


def row_vectors(kind: str, texts: list[str]) -> NDArray[np.float64]:
    """Unit sentence vectors of ``texts`` (one row each) from the disk cache of distinct texts."""
    distinct = sorted(set(texts))
    vecs, _ = tv.cached(kind, distinct, tv.e5_encode if kind == "e5" else tv.minilm_encode)
    index = {t: i for i, t in enumerate(distinct)}
    return normalize_rows(vecs[[index[t] for t in texts]])


def report(s: Sib, tag: str, z: NDArray[np.float64]) -> None:
    """Topic and language NMI of Ward then k-means and of spherical k-means at the true k."""
    z = normalize_rows(z)
    ward, _, _ = ward_kmeans(z, TRUE_K)
    skm, _, _ = spherical_kmeans(z, TRUE_K, np.random.default_rng(0), n_init=10)
    print(f"{tag:40s} ward topic {tv.nmi(s.gold, ward):5.1f} lang {tv.nmi(s.lang, ward):5.1f}"
          f" | skm topic {tv.nmi(s.gold, skm):5.1f} lang {tv.nmi(s.lang, skm):5.1f}", flush=True)


def vectors(s: Sib) -> None:
    """The candidate vectors at the true k (the round-3 table)."""
    scripts = [script_of(t) for t in s.texts]
    ones = np.ones(len(s.texts))
    centred = centre_by_script(row_vectors("e5", s.texts), scripts, ones)
    minilm_en = row_vectors("minilm", s.en_texts)
    report(s, "e5 query centred", centred)
    for tag, z in (("minilm", minilm_en), ("e5", normalize_rows(centred[s.en]))):
        ward, _, _ = ward_kmeans(normalize_rows(z), TRUE_K)
        print(f"{tag} en-only ward {tv.nmi(s.gold[s.en], ward):.1f}", flush=True)
    for alpha in (0.1, 1.0, 10.0):
        image = normalize_rows(Ridge(alpha=alpha).fit(centred[s.en], minilm_en).predict(centred))
        report(s, f"mapped only a={alpha}", image)
        report(s, f"[e5c, mapped] a={alpha}", np.hstack([centred, image]))
        mixed = image.copy()
        mixed[s.en] = minilm_en
        mixed = centre_by_script(normalize_rows(mixed), scripts, ones)
        report(s, f"[e5c, minilm en / mapped bn] a={alpha}", np.hstack([centred, mixed]))


def seeds(s: Sib, seed_list: list[int], k: str) -> None:
    """The pipeline on both languages and on the English half, one line a seed."""
    tv.warm("e5", s.texts)
    tv.warm("minilm", s.en_texts)
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    n_themes: int | str = k if k == "auto" else int(k)
    for seed in seed_list:
        start = time.perf_counter()
        both = ThemeModel(n_themes=n_themes, sentiment=False, random_state=seed).fit(s.texts)
        if both.result_.k_curve:
            print(f"  chosen {both.result_.k_curve.chosen}", flush=True)
            print(tar.curve_lines(both.result_.k_curve), flush=True)
        english = ThemeModel(n_themes=n_themes, sentiment=False, random_state=seed).fit(
            s.en_texts)
        lab = both.labels_
        topic, language = tv.nmi(s.gold, lab), tv.nmi(s.lang, lab)
        alone = tv.nmi(s.gold[s.en], english.labels_)
        themed = lab[lab >= 0]
        largest = 100 * np.bincount(themed).max() / len(lab) if themed.size else 0.0
        print(f"seed={seed} vectors={both.vectors_.name}/{english.vectors_.name} "
              f"themes={both.n_themes_} topic NMI {topic:.1f} language NMI {language:.1f} "
              f"English-only {alone:.1f} ratio {topic / alone:.2f} largest {largest:.1f}% "
              f"time {time.perf_counter() - start:.0f}s", flush=True)


def main(args: list[str]) -> None:
    """Parse arguments and run the chosen part."""
    if not args or args[0] not in ("vectors", "seeds") or (args[0] == "seeds" and len(args) < 2):
        raise SystemExit(__doc__)
    if not tv.DATA.is_dir():
        sys.exit(f"shared data not found at {tv.DATA}")
    s = Sib()
    if args[0] == "vectors":
        vectors(s)
    else:
        seeds(s, [int(x) for x in args[1].split(",")], args[2] if len(args) > 2 else "7")


if __name__ == "__main__":
    main(sys.argv[1:])
