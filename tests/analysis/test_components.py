"""Building blocks: clustering, the co-occurrence embedding, choosing k, labels and quotes."""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from analysis.cluster import normalize_rows, spherical_kmeans, ward_kmeans
from analysis.evaluate import accuracy, scores
from analysis.labels import make_label, pick_quotes, quote_text, sentences
from analysis.select import STABLE_FLOOR, candidates, choose_k, pick
from analysis.sentiment import describe, sentiment, sentiments, sentiments_in_background


def _blobs(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centers = normalize_rows(rng.standard_normal((4, 20)))
    y = np.repeat(np.arange(4), 50)
    return normalize_rows(centers[y] + 0.15 * rng.standard_normal((200, 20))), y


def test_spherical_kmeans_finds_blobs_and_repeats() -> None:
    x, y = _blobs()
    a, c, obj = spherical_kmeans(x, 4, np.random.default_rng(1))
    b, _, _ = spherical_kmeans(x, 4, np.random.default_rng(1))
    assert accuracy(y.tolist(), a.tolist()) == 1.0
    assert np.array_equal(a, b) and c.shape == (4, 20) and obj > 0
    assert np.allclose(np.linalg.norm(c, axis=1), 1.0)


def test_ward_kmeans_finds_uneven_blobs_without_random_numbers() -> None:
    rng = np.random.default_rng(3)
    centers = normalize_rows(rng.standard_normal((3, 20)))
    y = np.repeat(np.arange(3), [120, 30, 8])
    x = normalize_rows(centers[y] + 0.15 * rng.standard_normal((y.size, 20)))
    a, c, obj = ward_kmeans(x, 3)
    b, _, _ = ward_kmeans(x, 3)
    assert accuracy(y.tolist(), a.tolist()) == 1.0
    assert np.array_equal(a, b) and c.shape == (3, 20) and obj > 0
    assert np.allclose(np.linalg.norm(c, axis=1), 1.0)
    # Weights move the k-means centres; one cluster and one cluster per row are edge cases.
    weighted, _, _ = ward_kmeans(x, 3, np.arange(1.0, y.size + 1.0))
    assert accuracy(y.tolist(), weighted.tolist()) == 1.0
    assert set(ward_kmeans(x, 1)[0].tolist()) == {0}
    assert sorted(ward_kmeans(x[:4], 4)[0].tolist()) == [0, 1, 2, 3]


def test_choose_k_prefers_the_real_structure() -> None:
    x, _ = _blobs(3)
    curve = choose_k(x, np.ones(len(x)), 2, 8, np.random.default_rng(0))
    assert curve.chosen == 4
    assert curve.candidates == candidates(2, 8, len(x)) and len(curve.scores) == len(
        curve.candidates
    )


def _nested_blobs(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """24 small tight clusters of 20 points, in 3 broad groups of 8 (banking77's shape: many
    fine intents inside a few subjects)."""
    rng = np.random.default_rng(seed)
    broad = normalize_rows(rng.standard_normal((3, 30)))
    fine = normalize_rows(np.repeat(broad, 8, axis=0) + 0.12 * rng.standard_normal((24, 30)))
    y = np.repeat(np.arange(24), 20)
    return normalize_rows(fine[y] + 0.10 * rng.standard_normal((y.size, 30))), y


def test_choose_k_does_not_collapse_many_small_clusters() -> None:
    # The 3 broad groups are the most stable partition (AMI 1.0), the 24 clusters a little less
    # (about 0.88). Stability plus the finer-themes bonus alone chose 3 (as it chose 6 for
    # banking77's 77 intents); starting from the finest reproducible partition finds about 24.
    x, y = _nested_blobs(0)
    curve = choose_k(x, np.ones(len(x)), 2, len(x) // 10, np.random.default_rng(0))
    assert pick(curve.candidates, curve.scores, floor=2.0) == 3
    assert 18 <= curve.chosen <= 38
    labels, _, _ = spherical_kmeans(x, curve.chosen, np.random.default_rng(0), n_init=3)
    assert scores(y.tolist(), labels.tolist())["nmi"] >= 0.9


def test_pick_starts_from_the_finest_reproducible_partition() -> None:
    def parse(text: str) -> tuple[list[int], list[float]]:
        pairs = [p.split(":") for p in text.split()]
        return [int(k) for k, _ in pairs], [float(v) for _, v in pairs]

    # banking77 (77 intents), a whole-set curve where the bonus rule alone chose 6 themes.
    ks, ss = parse("6:0.920 8:0.770 10:0.705 13:0.718 17:0.773 22:0.756 28:0.756 36:0.753 "
                   "46:0.772 60:0.775 77:0.766 100:0.779")
    assert pick(ks, ss, floor=2.0) == 6 and pick(ks, ss) == 100
    # stackoverflow (20 tags): a clear peak at 13 stays the choice although 28 is reproducible.
    ks, ss = parse("6:0.716 8:0.633 10:0.728 13:0.845 17:0.809 22:0.801 28:0.778 36:0.751 "
                   "46:0.701 60:0.667 77:0.623 100:0.606")
    assert pick(ks, ss) == 13
    # tweet (89 topics): from 100 down to the local best, 77.
    ks, ss = parse("6:0.633 8:0.744 10:0.671 13:0.720 17:0.754 22:0.783 28:0.810 36:0.813 "
                   "46:0.817 60:0.826 77:0.819 100:0.796")
    assert pick(ks, ss) == 77
    # searchsnippets (8 domains): only 10 reaches the floor; with a higher floor none does,
    # and the best score over the range is 10 too.
    ks, ss = parse("6:0.668 8:0.719 10:0.755 13:0.746 17:0.684 22:0.670 28:0.678 36:0.639 "
                   "46:0.612 60:0.612 77:0.581 100:0.573")
    assert pick(ks, ss) == 10 and pick(ks, ss, floor=0.76) == 10
    # The floor itself: a candidate exactly at it counts, one just under does not.
    assert pick([2, 4, 8], [0.9, 0.5, STABLE_FLOOR]) == 8
    assert pick([2, 4, 8], [0.9, 0.5, STABLE_FLOOR - 0.01]) == 2


def test_candidates_stay_in_range() -> None:
    grid = candidates(6, 30, 10_000)
    assert grid[0] == 6 and grid[-1] == 30 and len(grid) <= 10
    assert candidates(6, 30, 4) == [4]
    # A wide range keeps neighbouring candidates within about 30% of each other.
    wide = candidates(6, 100, 10_000)
    assert wide[0] == 6 and wide[-1] == 100 and len(wide) <= 13
    assert max(b / a for a, b in pairwise(wide)) <= 1.35


def test_scores_perfect_and_permuted() -> None:
    s = scores(["a", "a", "b", "b"], [1, 1, 0, 0])
    assert s == {"acc": 1.0, "nmi": 1.0, "ari": 1.0}


def test_labels() -> None:
    assert make_label(["street lighting", "dark", "safety"]) == "Street lighting"
    assert make_label(["nothing"]) == "Other comments"  # no topic named
    assert make_label(["yes", "pt"]) == "Comments on pt"
    assert make_label(["not", "parking permits", "cost"]) == "Parking permits"
    assert make_label(["damp", "mould", "flats"]) == "Damp and mould"
    assert make_label([]) == "Other comments"
    # Petitions are named by their topic, not their opening verb; names never show.
    assert make_label(["stop", "stop badger", "badger cull"]) == "Badger cull"
    assert make_label(["good care", "mathew"], names={"mathew"}) == "Good care"
    assert make_label(["mathew", "care"], names={"mathew"}) == "Comments on care"
    # No invisible or control characters, and no emoji variation selector as a word.
    label = make_label(["bins\u200b", "\ufe0f", "rubbish\x07"])
    assert label == "Bins and rubbish"
    for phrases in (["a b c d", "e f g"], ["one", "two", "three"]):
        assert 2 <= len(make_label(phrases).split()) <= 5


def test_quotes_are_central_and_diverse() -> None:
    v = normalize_rows(np.array([[1.0, 0.0], [0.99, 0.01], [0.9, 0.3], [0.0, 1.0]]))
    centroid = normalize_rows(np.array([[1.0, 0.1]]))[0]
    picked = pick_quotes(v, centroid, 2)
    assert picked[0] in (0, 1) and 1 not in picked[1:] and len(picked) == 2


def test_text_helpers() -> None:
    assert sentences("One. Two! Three?\nFour") == ["One.", "Two!", "Three?", "Four"]
    assert quote_text("word " * 200).endswith("…")


def test_sentiment() -> None:
    assert sentiment("I love the new park, it is wonderful") > 0.5
    assert sentiment("The estate is dirty and dangerous") < -0.3
    # Not covered by the lexicon: not scored (None), never a neutral 0.0.
    assert sentiment("") is None and sentiment("রাস্তায় আবর্জনা জমে আছে") is None
    assert sentiment("রাস্তা bins are full and dirty") is not None
    assert (
        describe(0.0) == "neutral"
        and describe(0.5) == "positive"
    )
    long_text = "The park is great. " * 500
    assert sentiment(long_text) > 0.3
    texts = ["good", "bad", "good"]
    assert sentiments(texts) == sentiments_in_background(texts, 2)()
