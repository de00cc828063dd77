#!/usr/bin/env python3
"""Model update speed for 20,000 texts: one refit and a prediction for every text, vectors cached.

Usage: PYTHONPATH=. python bench/coding_speed.py [--per-code 25] [--repeat 3] [--random-vectors]
The 20,000 texts are banking77 (13,083) and the first 6,917 of searchsnippets (shuffled, seed 0),
labels kept apart (85 codes); 25 coded per code at random (2,125 texts). Prints wall and CPU
seconds (best of ``--repeat``) for ``CodeSuggester(features=...).fit`` + ``predict_proba`` of all
20,000 (a cold refit), then for a refresh: one more coded text, refitted with ``warm_start``
from the previous fit, + ``predict_proba`` of all 20,000, and the share of texts whose best code
differs between the two. MiniLM vectors come from the $TMPDIR/theme_vectors cache
(bench/theme_vectors.py); ``--random-vectors`` uses random unit vectors of the same width instead
(the times do not depend on the values; nothing is encoded).

``--web``: instead, the web layer's refresh (engage/services/code/coding/suggest.py) without its
database reads and writes: ``suggest.fit_model`` (the codeframe's kept model) + ``predict_proba``
of the uncoded texts + ``choose_next``, cold (nothing kept) and then after one more coded text
(warm, from the kept model), and separately the rest of a refresh, the 5-fold held-out codes and
per-code quality (``held_out_codes`` + ``code_quality``), which do not use the kept model.
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

from analysis.coding import CodeSuggester, TextFeatures  # noqa: E402


def main() -> None:
    """Time refit + predict over 20,000 texts."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--per-code", type=int, default=25)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--random-vectors", action="store_true")
    p.add_argument("--web", action="store_true")
    a = p.parse_args()
    rows = load("banking77", 0)
    snippets = load("searchsnippets", 0)
    order = np.random.default_rng(0).permutation(len(snippets))[: 20000 - len(rows)]
    texts = [r["text"] for r in rows] + [snippets[i]["text"] for i in order]
    gold = [r["label"] for r in rows] + ["s-" + snippets[i]["label"] for i in order]
    if a.random_vectors:
        from analysis import sentence_model as sm

        distinct = sorted(set(texts))
        v = np.random.default_rng(1).normal(size=(len(distinct), 384)).astype(np.float32)
        sm.encoder()._cache.update(zip(distinct, v / np.linalg.norm(v, axis=1, keepdims=True),
                                       strict=True))
        feats = TextFeatures(random_state=0).fit(texts)
    else:
        feats = features(texts, 0, sorted({r["text"] for r in rows}))
        features(texts, 0, sorted({r["text"] for r in snippets}))
    feats.parts(texts)
    rng = np.random.default_rng(0)
    coded: list[int] = []
    for code in sorted(set(gold)):
        members = [i for i, g in enumerate(gold) if g == code]
        coded.extend(rng.choice(members, min(a.per_code, len(members)), replace=False))
    one_more = next(i for i in range(len(texts)) if i not in set(coded))
    if a.web:
        web(texts, gold, coded, one_more, feats, a.repeat)
        return
    best = (float("inf"), float("inf"))
    warm = (float("inf"), float("inf"))
    for _ in range(a.repeat):
        start, cpu = time.perf_counter(), time.process_time()
        model = CodeSuggester(features=feats, warm_start=True).fit(
            [texts[i] for i in coded], [[gold[i]] for i in coded]
        )
        cold = model.predict_proba(texts)
        best = min(best, (time.perf_counter() - start, time.process_time() - cpu))
        iters = model.model_.n_iter_
        start, cpu = time.perf_counter(), time.process_time()
        rows_ = [*coded, one_more]
        model.fit([texts[i] for i in rows_], [[gold[i]] for i in rows_])
        after = model.predict_proba(texts)
        warm = min(warm, (time.perf_counter() - start, time.process_time() - cpu))
    changed = float((cold.argmax(axis=1) != after.argmax(axis=1)).mean())
    print(f"{len(texts)} texts, {len(set(gold))} codes, {len(coded)} coded: refit + predict "
          f"{best[0]:.2f} s wall, {best[1]:.2f} s CPU (best of {a.repeat}); "
          f"{iters} L-BFGS iterations; one more coded, warm refit + predict {warm[0]:.2f} s "
          f"wall, {warm[1]:.2f} s CPU, {model.model_.n_iter_} iterations, best code changed "
          f"for {100 * changed:.2f}% of texts")


def web(texts: list[str], gold: list[str], coded: list[int], one_more: int,
        feats: TextFeatures, repeat: int) -> None:
    """The web refresh's model part, cold then warm, and its cross-validation part."""
    from analysis.coding import choose_next, code_quality, held_out_codes
    from engage.services.code.coding import suggest

    def refresh(rows: list[int]) -> tuple[float, float, bool, int, np.ndarray]:
        start, cpu = time.perf_counter(), time.process_time()
        model, warm = suggest.fit_model(1, feats, [texts[i] for i in rows],
                                        [[gold[i]] for i in rows])
        taken = set(rows)
        proba = model.predict_proba([t for i, t in enumerate(texts) if i not in taken])
        choose_next(proba, suggest.NEXT_LENGTH, random_state=0, multi_label=model.multi_label_)
        return (time.perf_counter() - start, time.process_time() - cpu, warm,
                model.model_.n_iter_, proba)

    cold_t, warm_t = (float("inf"), float("inf")), (float("inf"), float("inf"))
    for _ in range(repeat):
        suggest.forget_model(1)
        w, c, was_warm, cold_iters, _p = refresh(coded)
        assert not was_warm
        cold_t = min(cold_t, (w, c))
        w, c, was_warm, warm_iters, warm_p = refresh([*coded, one_more])
        assert was_warm
        warm_t = min(warm_t, (w, c))
    suggest.forget_model(1)
    *_, cold_p = refresh([*coded, one_more])
    gap = float(np.abs(warm_p - cold_p).max())
    changed = float((warm_p.argmax(axis=1) != cold_p.argmax(axis=1)).mean())
    rows = [*coded, one_more]
    start, cpu = time.perf_counter(), time.process_time()
    held = held_out_codes([texts[i] for i in rows], [[gold[i]] for i in rows], features=feats)
    code_quality([texts[i] for i in rows], [[gold[i]] for i in rows], features=feats,
                 predicted=held)
    cv = (time.perf_counter() - start, time.process_time() - cpu)
    print(f"web refresh, {len(texts)} texts, {len(set(gold))} codes, {len(rows)} coded "
          f"(best of {repeat}): cold fit + predict + order {cold_t[0]:.2f} s wall, "
          f"{cold_t[1]:.2f} s CPU, {cold_iters} iterations; one more coded, warm from the kept "
          f"model {warm_t[0]:.2f} s wall, {warm_t[1]:.2f} s CPU, {warm_iters} iterations; "
          f"warm vs cold on the same texts: largest confidence gap {gap:.2e}, best code differs "
          f"for {100 * changed:.3f}% of texts; held-out codes + quality (5 folds, once) "
          f"{cv[0]:.2f} s wall, {cv[1]:.2f} s CPU")


if __name__ == "__main__":
    main()
