"""Checks on the real data in ../shared/data (skipped when it is not there)."""

from __future__ import annotations

import csv
from pathlib import Path

from analysis import ThemeModel
from analysis.evaluate import scores


def _load(path: Path, limit: int | None = None) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    return [r["text"] for r in rows], [r.get("label", "") for r in rows]


def test_tweet_quality_floor(shared_data: Path) -> None:
    texts, gold = _load(shared_data / "tweet" / "data.csv")
    model = ThemeModel(n_themes=len(set(gold)), random_state=0, sentiment=False).fit(
        texts
    )
    # The default (auto: the sentence model for one language) scored NMI 91.4; the co-occurrence
    # vectors alone 87.0 and plain TF-IDF + spherical k-means 82.1 (SBERT + k-means: 86.7).
    assert model.result_.params["vectors"] == "minilm"
    assert scores(gold, model.labels_)["nmi"] >= 0.89


def test_tweet_auto_number_of_themes(shared_data: Path) -> None:
    texts, gold = _load(shared_data / "tweet" / "data.csv")
    model = ThemeModel(random_state=0, sentiment=False).fit(texts)
    curve = model.result_.k_curve
    # 89 labelled topics. The adjusted Rand stability over 6-30 chose 25 (NMI 83.1); adjusted
    # mutual information over 6-100 chooses 60-77 (NMI 86.3-87.7 over seeds 0-2). Goal: within
    # 3 points of SBERT + k-means at the true number (86.7).
    assert curve is not None and curve.chosen >= 46
    assert scores(gold, model.labels_)["nmi"] >= 0.837


def test_searchsnippets_hub_words_do_not_swamp_the_themes(shared_data: Path) -> None:
    texts, gold = _load(shared_data / "searchsnippets" / "data.csv")
    model = ThemeModel(
        n_themes=8, random_state=0, sentiment=False, embedding="cooccurrence"
    ).fit(texts)
    # Without the cap on hub words' vector lengths this set scored NMI 55.3; with it 61.3 (3 seeds).
    assert scores(gold, model.labels_)["nmi"] >= 0.58


def test_polis_comments_get_readable_themes(shared_data: Path) -> None:
    texts, _ = _load(shared_data / "polis_london_youth_policing" / "data.csv")
    result = ThemeModel(random_state=0).fit(texts).result_
    assert 2 <= len(result.themes) <= 30
    assert all(2 <= len(t.label.split()) <= 5 and t.quotes for t in result.themes)
