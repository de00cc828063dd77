"""Sentiment per text from the VADER lexicon shipped in the ``vadersentiment`` package.

VADER's lexicon is English. A text is scored only when most of its letters are Latin script;
texts in other scripts (Bengali, Arabic, ...) and texts without letters are "not scored"
(``None``), never 0.0, which would read as neutral.
"""

from __future__ import annotations

import multiprocessing
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    """One shared analyser (loading the lexicon takes a few milliseconds)."""
    return SentimentIntensityAnalyzer()


_CHUNK_WORDS = 150


def scored(text: str) -> bool:
    """True when the lexicon covers ``text``: most of its letters are Latin script."""
    latin = other = 0
    for c in text:
        if not unicodedata.category(c).startswith("L"):
            continue
        if c < "\u0250" or "\u1e00" <= c < "\u1f00":  # Latin, Latin extended
            latin += 1
        else:
            other += 1
    return latin > 0 and latin >= other


def sentiment(text: str) -> float | None:
    """VADER compound score of ``text`` in [-1, 1]; None when not scored (see :func:`scored`).

    VADER's cost grows faster than the length of a text, so long texts are scored in chunks of
    about 150 words and the chunk scores averaged by length.
    """
    words = text.split()
    if not words or not scored(text):
        return None
    if len(words) <= _CHUNK_WORDS:
        return float(_analyzer().polarity_scores(text)["compound"])
    chunks = [words[i : i + _CHUNK_WORDS] for i in range(0, len(words), _CHUNK_WORDS)]
    total = sum(
        len(c) * float(_analyzer().polarity_scores(" ".join(c))["compound"])
        for c in chunks
    )
    return total / len(words)


def sentiments(texts: Iterable[str]) -> list[float | None]:
    """Compound scores for many texts (None: not scored), scoring each distinct text once."""
    seen: dict[str, float | None] = {}
    out: list[float | None] = []
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


def _score_chunk(texts: list[str]) -> list[float | None]:
    """Worker: scores for one chunk of distinct texts."""
    return [sentiment(t) for t in texts]


def sentiments_in_background(
    texts: Sequence[str], workers: int
) -> Callable[[], list[float | None]]:
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

    def collect() -> list[float | None]:
        try:
            lookup: dict[str, float | None] = {}
            for chunk, future in zip(chunks, futures, strict=False):
                lookup.update(zip(chunk, future.result(), strict=False))
        finally:
            pool.shutdown()
        return [lookup[t] for t in texts]

    return collect
