"""Readable labels, key phrases, descriptions composed from them, and representative quotes.

A label is the theme's most telling phrase as residents wrote it: a word sequence of two to five
words found in several of the theme's central texts, that contains one of the theme's top terms
and starts and ends with a content word ("damp and mould in flats", "badger cull"). It never
holds a person's name (a word the texts write capitalised mid-sentence next to a person cue,
"thanks to Mathew", "nurse Mathew", "Mathew was lovely"; names after the redactor's cues are
already replaced by then), an opening request verb ("stop", "remove": petitions are named by
their topic), or an invisible or control character. Descriptions are composed from the key
phrases, so no resident's sentence is copied into them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from analysis.preprocess import NEGATIONS, STOP_WORDS, SurfaceForms, stem, tokenize

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_MAX_QUOTE_CHARS = 400


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
        "yes",
        "please",
        "thanks",
        "thank",
        "applicable",
    }
)


#: Verbs that open requests and petitions ("Stop the badger cull", "Remove VAT on..."); a label
#: names the topic, so these never start or end one.
def _split(words: str) -> list[str]:
    """The words of a space-separated list."""
    return words.split()


REQUEST_VERBS = frozenset(
    _split(
        "stop remove allow ban make give introduce scrap abolish reduce increase end keep require "
        "save support prevent change review repeal create protect hold reinstate halt reverse "
        "ensure provide implement lower raise cut fund withdraw extend restore grant recognise "
        "recognize include exempt investigate amend cancel build close open let put bring force "
        "legalise legalize pay call set commit urge petition demand ask reject accept improve "
        "enforce replace maintain continue return offer apply adopt stand help"
    )
)
# Words next to which a capitalised word is a person: "thanks to Mathew", "nurse Mathew",
# "Mathew was lovely", "Mathew who...".
_PERSON_BEFORE = frozenset(
    _split(
        "thank thanks nurse nurses doctor dr sister matron midwife carer receptionist mr mrs ms "
        "miss mx named called councillor cllr officer pc sergeant teacher manager worker staff "
        "son daughter husband wife mum dad brother friend"
    )
)
_PERSON_AFTER = frozenset(
    _split("who helped explained said told listened looked treated cared was is has came visited")
)
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_CLAUSE_RE = re.compile(r"[.,;:!?()\[\]\"“”/|\n\r\t]+|\s[-–—]\s")


def _at_sentence_start(text: str, pos: int) -> bool:
    """Whether ``pos`` starts a sentence: only spaces before it since the text's start, a line
    break, or ".", "!" or "?" (looks back over the spaces only, so a long text stays linear)."""
    j = pos - 1
    while j >= 0 and text[j].isspace():
        if text[j] == "\n":
            return True
        j -= 1
    return j < 0 or text[j] in ".!?"


def visible(text: str) -> str:
    """``text`` without control, format and unassigned characters or variation selectors.

    Joiners between two letters stay (Bengali writes some conjuncts with them).
    """
    out: list[str] = []
    for i, c in enumerate(text):
        cat = unicodedata.category(c)
        if cat in ("Cc", "Co", "Cn", "Cs") or "\ufe00" <= c <= "\ufe0f":
            continue
        if cat == "Cf":
            inside = 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
            if not (c in "\u200c\u200d" and inside):
                continue
        out.append(c)
    return " ".join("".join(out).split())


def person_names(texts: Iterable[str], candidates: Iterable[str]) -> set[str]:
    """Which ``candidates`` (lower-case words) the texts use as a person's name.

    A name is written capitalised mid-sentence in at least four in five of its uses and stands
    next to a person cue (see the module docstring) in at least one in five.
    """
    wanted = {c.lower() for c in candidates}
    capital: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    cued: Counter[str] = Counter()
    for text in texts:
        if not any(c.isupper() for c in text):
            continue
        words = list(_WORD_RE.finditer(text))
        for i, m in enumerate(words):
            w = m.group(0)
            lw = w.lower()
            if lw not in wanted or (w.isupper() and len(w) > 1):
                continue
            if _at_sentence_start(text, m.start()):
                continue  # sentence-initial: capitals say nothing
            if not w[0].isupper():
                lower[lw] += 1
                continue
            capital[lw] += 1
            before = words[i - 1].group(0).lower() if i else ""
            after = words[i + 1].group(0).lower() if i + 1 < len(words) else ""
            if before in _PERSON_BEFORE or after in _PERSON_AFTER:
                cued[lw] += 1
    return {
        w for w, n in capital.items() if n >= 0.8 * (n + lower[w]) and cued[w] >= max(1.0, 0.2 * n)
    }


# Words that name no topic even as a last resort.
_NON_TOPIC = frozenset(_split("yes no not none nothing applicable please thanks thank"))
# Weak words that still must not start a label phrase (verbs and fillers; "more", "better",
# "new", "not" may: "more bins", "better lighting", "not enough parking").
_WEAK_START = frozenset(
    _split(
        "need needs think make get want like use provide please thanks thank yes "
        "applicable thing things way lot people"
    )
)
# Function words allowed inside a label phrase: those of noun phrases ("damp and mould in flats").
_CONNECTORS = frozenset(
    _split("and of in on for at to the with from by near around after a an or")
)


# Bengali function words (and, is, not, of, for, from, this, I, we...), never at a label's edge.
_BENGALI_FUNCTION = frozenset(
    unicodedata.normalize("NFKC", w)
    for w in _split(
        "এবং ও আর আছে নেই না হয় হয়ে হচ্ছে করে করা করতে থেকে জন্য দিয়ে কিন্তু যে এই সেই "
        "তার তাদের আমার আমি আমরা আমাদের আপনি খুব অনেক কোনো কোন একটি এক"
    )
)


def _edge_ok(word: str, names: set[str], start: bool) -> bool:
    """Whether ``word`` may start (or end) a label phrase."""
    if word in names or word.isdigit() or len(word) < 2 or word in STOP_WORDS:
        return False
    if word in _BENGALI_FUNCTION or re.split("['’]", word)[0] in STOP_WORDS:  # "it's"
        return False
    if start:
        return word not in REQUEST_VERBS and word not in _WEAK_START
    return word not in _WEAK_ALONE and word not in NEGATIONS


def phrase_counts(texts: Iterable[str], max_words: int = 4) -> Counter[tuple[str, ...]]:
    """Word sequences of two to ``max_words`` words within a clause, counted once per text."""
    out: Counter[tuple[str, ...]] = Counter()
    for text in texts:
        seen: set[tuple[str, ...]] = set()
        for clause in _CLAUSE_RE.split(visible(text)):
            words = tokenize(clause)
            for n in range(2, max_words + 1):
                seen.update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
        out.update(seen)
    return out


def label_phrase(
    counts: Counter[tuple[str, ...]],
    background: Counter[tuple[str, ...]],
    n_texts: int,
    top_terms: Sequence[str],
    names: set[str],
) -> str:
    """The best phrase for a label from a theme's phrase counts, or "" when none qualifies.

    A phrase qualifies when it is in at least two texts (and 4% of them), starts and ends with a
    content word, has only noun-phrase function words inside ("and", "of", "in"...), contains
    one of the theme's top terms, and holds no name. Its score is its count times how specific
    it is to the theme (its count here over its count in all themes), raised by half for each
    top term it holds and lowered for length; the shorter phrase wins a tie.
    """
    top = set(top_terms)
    need = max(2, int(0.04 * n_texts))
    best: tuple[float, int, tuple[str, ...]] | None = None
    for phrase, n in counts.items():
        if n < need or not _edge_ok(phrase[0], names, True):
            continue
        if not _edge_ok(phrase[-1], names, False) or any(w in names for w in phrase):
            continue
        hits = len(top.intersection(stem(w) for w in phrase))
        if not hits:
            continue
        if any(w in STOP_WORDS and w not in _CONNECTORS for w in phrase):
            continue
        score = n * n / max(background[phrase], n) * (1 + 0.5 * hits) / (len(phrase) + 2)
        key = (score, -len(phrase), phrase)
        if best is None or key[:2] > best[:2] or (key[:2] == best[:2] and phrase < best[2]):
            best = key
    return " ".join(best[2]) if best is not None else ""


def clean_phrases(phrases: Sequence[str], names: set[str]) -> list[str]:
    """Key phrases without names, request verbs, invisible characters or stray marks."""
    out: list[str] = []
    for phrase in phrases:
        words = [
            w
            for w in visible(phrase).split()
            if w not in names and w not in REQUEST_VERBS and any(c.isalnum() for c in w)
        ]
        # A phrase of two or more words loses weak words at its edges ("bg need" -> "bg").
        while len(words) > 1 and not _edge_ok(words[-1], names, False):
            words.pop()
        while len(words) > 1 and not _edge_ok(words[0], names, True):
            words.pop(0)
        if len(words) == 1 and (
            words[0] in _BENGALI_FUNCTION or re.split("['’]", words[0])[0] in STOP_WORDS
        ):
            continue
        text = " ".join(words)
        if text and text not in out:
            out.append(text)
    return out


def make_label(
    phrases: Sequence[str],
    max_words: int = 5,
    names: set[str] | None = None,
    phrase: str = "",
) -> str:
    """A label of two to five words: ``phrase`` when given, else built from the key phrases."""
    if phrase:
        label = visible(phrase)
        return label[0].upper() + label[1:]
    phrases = clean_phrases(phrases, names or set())
    head = list(phrases[:6])
    strong = [p for p in head if not all(w in _WEAK_ALONE for w in p.split())]
    # Multi-word phrases among the leading ones read best; then single words in rank order.
    ordered = [p for p in strong if " " in p] + [p for p in strong if " " not in p]
    if not ordered:
        ordered = [p for p in phrases if p not in _NON_TOPIC]
    words: list[str] = []
    parts: list[str] = []
    for part in ordered:
        pw = part.split()
        if any(w in words for w in pw):
            continue
        if len(words) + len(pw) > max_words:
            if len(words) >= 2:
                break
            continue
        parts.append(part)
        words.extend(pw)
        if len(words) >= 2:
            break
    if not parts:
        return "Other comments"
    label = " and ".join(parts)
    if len(words) < 2:
        label = f"Comments on {label!s}"
    return label[0].upper() + label[1:]


def sentences(text: str) -> list[str]:
    """Sentences of a text (split on end punctuation and line breaks; no NLTK data needed)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def describe(label: str, phrases: Sequence[str], names: set[str] | None = None) -> str:
    """A description composed from the theme's key phrases (no resident's words copied whole)."""
    shown = set(label.lower().split())
    rest = [
        p
        for p in clean_phrases(phrases, names or set())
        if not set(p.split()) <= shown and p not in _WEAK_ALONE
    ][:4]
    if not any("a" <= c.lower() <= "z" for c in label):
        # A label in another script (Bengali...) gets no English sentence around it.
        return f"{label}: {', '.join(rest)}" if rest else label
    if not rest:
        return f"Comments about {label[:1].lower() + label[1:]}."
    listed = rest[0] if len(rest) == 1 else ", ".join(rest[:-1]) + " and " + rest[-1]
    return f"Comments about {label[:1].lower() + label[1:]}, mentioning {listed}."


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
