"""Sentiment per text from the VADER lexicon shipped in the ``vadersentiment`` package."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    """One shared analyser (loading the lexicon takes a few milliseconds)."""
    return SentimentIntensityAnalyzer()


_CHUNK_WORDS = 150


def sentiment(text: str) -> float:
    """VADER compound score of ``text`` in [-1, 1]; 0.0 for empty text.

    VADER's cost grows faster than the length of a text, so long texts are scored in chunks of
    about 150 words and the chunk scores averaged by length.
    """
    words = text.split()
    if not words:
        return 0.0
    if len(words) <= _CHUNK_WORDS:
        return float(_analyzer().polarity_scores(text)["compound"])
    chunks = [words[i : i + _CHUNK_WORDS] for i in range(0, len(words), _CHUNK_WORDS)]
    total = sum(
        len(c) * float(_analyzer().polarity_scores(" ".join(c))["compound"])
        for c in chunks
    )
    return total / len(words)


def sentiments(texts: Iterable[str]) -> list[float]:
    """Compound scores for many texts, scoring each distinct text once."""
    seen: dict[str, float] = {}
    out: list[float] = []
    for t in texts:
        if t not in seen:
            seen[t] = sentiment(t)
        out.append(seen[t])
    return out


def describe(score: float) -> str:
    """Word for a compound score using VADER's usual cut-offs (0.05)."""
    if score >= 0.05:
        return "positive"
    if score <= -0.05:
        return "negative"
    return "neutral"


def _score_chunk(texts: list[str]) -> list[float]:
    """Worker: scores for one chunk of distinct texts."""
    return [sentiment(t) for t in texts]


def sentiments_in_background(
    texts: Sequence[str], workers: int
) -> Callable[[], list[float]]:
    """Start scoring in ``workers`` processes; call the returned function to get the scores.

    Scoring runs while the caller does other work (clustering); with ``workers`` < 2 it runs
    when the function is called.
    """
    if workers < 2:
        return lambda: sentiments(texts)
    distinct = sorted(set(texts))
    size = max(1, len(distinct) // (workers * 4) + 1)
    chunks = [distinct[i : i + size] for i in range(0, len(distinct), size)]
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("fork")
    )
    futures = [pool.submit(_score_chunk, c) for c in chunks]

    def collect() -> list[float]:
        try:
            lookup: dict[str, float] = {}
            for chunk, future in zip(chunks, futures, strict=False):
                lookup.update(zip(chunk, future.result(), strict=False))
        finally:
            pool.shutdown()
        return [lookup[t] for t in texts]

    return collect
