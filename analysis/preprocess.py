"""Tokenising, normalising and stemming survey text, with NLTK and no downloaded corpora.

Matching uses Snowball stems (``parking``/``parked`` -> ``park``) while labels keep the most
common surface word for each stem. Stop words come from scikit-learn, adapted for survey text:
content words in its list ("bill", "fire", "top", "call") are kept, and so are negations and
quantities ("no", "not", "nothing", "none", "never", "more", "less", "enough"), because "nothing
to improve" and "not safe" are themes in their own right. Tokens in any script are kept
(Bengali, Arabic, Devanagari...): letters and the combining marks that belong to
them stay together; non-Latin words are lower-cased but not stemmed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise

from nltk.stem.snowball import SnowballStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# The tokeniser lives in analysis.tokens (no NLTK there, so the web platform can use it too).
from analysis.tokens import normalise as normalise
from analysis.tokens import tokenize as tokenize

#: Words scikit-learn drops that carry meaning in survey answers.
KEPT_WORDS = frozenset(
    [
        "no",
        "not",
        "nothing",
        "none",
        "nor",
        "never",
        "nobody",
        "noone",
        "cannot",
        "without",
        "against",
        "more",
        "less",
        "enough",
    ]
)
#: Content words in scikit-learn's list (nouns and verbs, not function words; Nothman et al. 2018
#: found such words in many stop lists). "top up", "council tax bill", "fire door" and "call back"
#: lose their meaning without them (docs/benchmarks-analysis.md, round 4).
CONTENT_WORDS = frozenset(
    [
        "amount",
        "back",
        "bill",
        "bottom",
        "call",
        "cry",
        "describe",
        "detail",
        "done",
        "empty",
        "fill",
        "find",
        "fire",
        "found",
        "front",
        "full",
        "give",
        "go",
        "interest",
        "keep",
        "made",
        "mill",
        "move",
        "name",
        "part",
        "put",
        "see",
        "serious",
        "show",
        "side",
        "system",
        "take",
        "thick",
        "thin",
        "top",
    ]
)
STOP_WORDS: frozenset[str] = (
    frozenset(ENGLISH_STOP_WORDS - KEPT_WORDS - CONTENT_WORDS)
    | frozenset(
        [
            "s",
            "t",
            "d",
            "ll",
            "m",
            "re",
            "ve",
            "im",
            "ive",
            "dont",
            "doesnt",
            "didnt",
            "isnt",
            "arent",
            "wasnt",
            "werent",
            "wont",
            "cant",
            "couldnt",
            "shouldnt",
            "wouldnt",
            "hasnt",
            "havent",
            "hadnt",
            "thats",
            "theres",
            "theyre",
            "youre",
            "etc",
            "eg",
            "ie",
            "also",
            "really",
            "just",
            "like",
            "get",
            "got",
        ]
    )
    - KEPT_WORDS
)
#: Words that flip the meaning of what follows; kept as tokens and joined into bigrams.
NEGATIONS = frozenset(
    {"no", "not", "never", "nothing", "none", "nobody", "cannot", "without", "nor"}
)

_LATIN_RE = re.compile(r"^[a-z0-9'\u00c0-\u024f]+$")
_STEMMER = SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball stem of a lower-case word; words outside Latin script are returned unchanged."""
    if not _LATIN_RE.match(word) or word.isdigit():
        return word
    return str(_STEMMER.stem(word))


def content_tokens(text: str) -> list[str]:
    """Surface tokens without stop words and without one-letter Latin tokens."""
    return [
        t
        for t in tokenize(text)
        if t not in STOP_WORDS
        and (len(t) > 1 or not _LATIN_RE.match(t))
        and not t.isdigit()
    ]


def features(text: str, bigrams: bool = True) -> list[str]:
    """Stemmed unigram and adjacent-bigram features used for matching."""
    return features_of_tokens(content_tokens(text), bigrams)


def features_of_tokens(tokens: list[str], bigrams: bool = True) -> list[str]:
    """Features (as :func:`features`) from already computed content tokens."""
    stems = [stem(t) for t in tokens]
    if not bigrams:
        return stems
    return stems + [f"{a} {b}" for a, b in pairwise(stems)]


class SurfaceForms:
    """Remembers the most common surface word for each stem, to write readable labels."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {}

    def update(self, texts: Iterable[str]) -> SurfaceForms:
        """Count surface words of ``texts`` under their stems."""
        return self.update_tokens(content_tokens(text) for text in texts)

    def update_tokens(self, token_lists: Iterable[list[str]]) -> SurfaceForms:
        """Count surface words of already tokenised texts under their stems."""
        total: Counter[str] = Counter()
        for tokens in token_lists:
            total.update(tokens)
        for token, count in sorted(total.items()):
            self.counts.setdefault(stem(token), Counter())[token] += count
        return self

    def word(self, stem_: str) -> str:
        """Most common surface form of one stem (ties broken alphabetically)."""
        counter = self.counts.get(stem_)
        if not counter:
            return stem_
        return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]

    def phrase(self, feature: str) -> str:
        """Surface form of a unigram or bigram feature."""
        return " ".join(self.word(part) for part in feature.split(" "))


def collocations(
    token_lists: Iterable[list[str]], min_count: int = 3, top: int = 2000
) -> list[str]:
    """Significant adjacent word pairs (NLTK likelihood ratio), as ``"a b"`` strings."""
    from nltk.collocations import BigramCollocationFinder
    from nltk.metrics import BigramAssocMeasures

    finder = BigramCollocationFinder.from_documents(token_lists)
    finder.apply_freq_filter(min_count)
    try:
        scored = finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)
    except (ValueError, ZeroDivisionError):
        # NLTK's likelihood ratio fails on degenerate counts (one pair making up the whole text).
        return []
    return [f"{a} {b}" for (a, b), _ in scored[:top]]
