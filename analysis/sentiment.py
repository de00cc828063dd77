"""Sentiment per text from the VADER lexicon shipped in the ``vadersentiment`` package."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    """One shared analyser (loading the lexicon takes a few milliseconds)."""
    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> float:
    """VADER compound score of ``text`` in [-1, 1]; 0.0 for empty text."""
    if not text.strip():
        return 0.0
    return float(_analyzer().polarity_scores(text)["compound"])


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
