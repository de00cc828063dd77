"""Readable labels, key phrases, one-sentence extractive descriptions and representative quotes."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from analysis.preprocess import SurfaceForms, features

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_MAX_QUOTE_CHARS = 400
_MAX_DESCRIPTION_WORDS = 40


def distinctive_terms(profiles: NDArray[np.float64], top: int = 12) -> list[list[int]]:
    """Column indices of each theme's most distinctive terms (frequent here, rarer elsewhere)."""
    mean = profiles.mean(axis=0) + 1e-12
    # Weight in the theme times log of how much stronger it is here than on average: words
    # spread evenly over all themes ("people", "need") score zero.
    score = profiles * np.log(np.maximum(profiles / mean, 1.0))
    if profiles.shape[0] == 1:
        score = profiles.copy()
    out = []
    for row in score:
        nz = np.flatnonzero(row > 0)
        order = nz[np.lexsort((nz, -row[nz]))]
        out.append([int(j) for j in order[:top]])
    return out


def key_phrases(
    terms: Sequence[str], surface: SurfaceForms, limit: int = 8
) -> list[str]:
    """Surface forms of the top terms; a word shows in its top phrase when one is close behind."""
    phrases: list[str] = []
    covered: set[str] = set()
    for i, term in enumerate(terms):
        parts = term.split(" ")
        if len(parts) == 1:
            if term in covered:
                continue
            bigram = next(
                (b for b in terms[i + 1 : i + 5] if term in b.split(" ") and " " in b),
                None,
            )
            if bigram is not None:
                term, parts = bigram, bigram.split(" ")
        elif all(p in covered for p in parts):
            continue
        phrase = surface.phrase(term)
        if phrase not in phrases:
            phrases.append(phrase)
            covered.update(parts)
        if len(phrases) >= limit:
            break
    return phrases


# Words too vague to head a label on their own (they stay in the key phrases).
_WEAK_ALONE = frozenset(
    {
        "no",
        "not",
        "nothing",
        "none",
        "never",
        "more",
        "less",
        "enough",
        "new",
        "need",
        "needs",
        "think",
        "make",
        "get",
        "want",
        "like",
        "use",
        "better",
        "good",
        "provide",
        "people",
        "thing",
        "things",
        "way",
        "lot",
    }
)


def make_label(phrases: Sequence[str], max_words: int = 5) -> str:
    """A label of two to five words built from the leading key phrases (phrases before words)."""
    head = list(phrases[:6])
    strong = [p for p in head if not all(w in _WEAK_ALONE for w in p.split())]
    # Multi-word phrases among the leading ones read best; then single words in rank order.
    ordered = [p for p in strong if " " in p] + [p for p in strong if " " not in p]
    ordered += [p for p in phrases if p not in ordered]
    words: list[str] = []
    parts: list[str] = []
    for phrase in ordered:
        pw = phrase.split()
        if any(w in words for w in pw):
            continue
        if len(words) + len(pw) > max_words:
            if len(words) >= 2:
                break
            continue
        parts.append(phrase)
        words.extend(pw)
        if len(words) >= 3 or len(parts) >= 2:
            break
    if not parts:
        return "Other comments"
    label = ", ".join(parts)
    if len(words) < 2:
        label = f"Answered {label!s}"
    return label[0].upper() + label[1:]


def sentences(text: str) -> list[str]:
    """Sentences of a text (split on end punctuation and line breaks; no NLTK data needed)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def describe(texts: Sequence[str], terms: Sequence[str]) -> str:
    """One extractive sentence (from central texts) that mentions most of the top terms."""
    wanted = set(terms[:8])
    best = ("", -1.0)
    for rank, text in enumerate(texts):
        for sentence in sentences(text):
            n_words = len(sentence.split())
            if n_words == 0:
                continue
            hits = len(wanted.intersection(features(sentence)))
            # Prefer sentences that mention the theme's terms, are central and of readable length.
            score = (
                hits
                - 0.05 * rank
                - (0.5 if n_words < 4 else 0.0)
                - (0.5 if n_words > 30 else 0.0)
            )
            if score > best[1]:
                best = (sentence, score)
    sentence = best[0]
    words = sentence.split()
    if len(words) > _MAX_DESCRIPTION_WORDS:
        sentence = " ".join(words[:_MAX_DESCRIPTION_WORDS]) + "…"
    return sentence


def pick_quotes(
    vectors: NDArray[np.float64],
    centroid: NDArray[np.float64],
    n: int,
    diversity: float = 0.35,
) -> list[int]:
    """Rows to quote: central to the theme, different from each other (marginal relevance)."""
    if vectors.shape[0] == 0 or n <= 0:
        return []
    central = vectors @ centroid
    chosen: list[int] = []
    best_sim = np.full(vectors.shape[0], -np.inf)
    for _ in range(min(n, vectors.shape[0])):
        redundancy = np.where(np.isfinite(best_sim), best_sim, 0.0)
        score = (1 - diversity) * central - diversity * redundancy
        score[chosen] = -np.inf
        score[best_sim > 0.95] = -np.inf  # near-duplicates of a chosen quote
        if not np.isfinite(score).any():
            break
        j = int(np.argmax(score))
        chosen.append(j)
        best_sim = np.maximum(best_sim, vectors @ vectors[j])
    return chosen


def quote_text(text: str) -> str:
    """A quote shortened to a readable length at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= _MAX_QUOTE_CHARS:
        return text
    return text[:_MAX_QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
