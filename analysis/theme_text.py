"""Labels and descriptions for all themes of a result at once (see analysis.labels)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from analysis.labels import (
    describe,
    label_phrase,
    make_label,
    person_names,
    phrase_counts,
)

#: Central texts per theme read for its label.
LABEL_TEXTS = 300


def name_themes(
    texts: Sequence[Sequence[tuple[str, float]]],
    terms: Sequence[Sequence[str]],
    phrases: Sequence[Sequence[str]],
) -> list[tuple[str, str]]:
    """(label, description) of each theme from its central texts (with their counts), its top
    stemmed terms and its key phrases; labels differ between themes where possible."""
    counts: list[Counter[tuple[str, ...]]] = []
    for members in texts:
        total: Counter[tuple[str, ...]] = Counter()
        for text, weight in members[:LABEL_TEXTS]:
            for phrase, n in phrase_counts([text]).items():
                total[phrase] += round(n * weight)
        counts.append(total)
    background: Counter[tuple[str, ...]] = Counter()
    for c in counts:
        background.update(c)
    candidates = {w for c in counts for p, n in c.items() if n >= 2 for w in p}
    candidates.update(w for ps in phrases for p in ps for w in p.split())
    names = person_names(
        (t for members in texts for t, _w in members[:LABEL_TEXTS]), candidates
    )
    out: list[tuple[str, str]] = []
    used: set[str] = set()
    for members, top, keys, count in zip(texts, terms, phrases, counts, strict=True):
        stems = [w for t in top[:6] for w in t.split(" ")]
        n_texts = round(sum(w for _t, w in members[:LABEL_TEXTS]))
        best = label_phrase(count, background, n_texts, stems, names)
        label = make_label(keys, names=names, phrase=best)
        if label.lower() in used:  # two themes never share a label
            label = make_label(keys, names=names)
        used.add(label.lower())
        out.append((label, describe(label, keys, names)))
    return out
