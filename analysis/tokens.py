"""The one word tokeniser (issue 20): lower case, any script, survey shorthand expanded.

Standard library only, so the web platform can split text into words the way the analysis does
(``engage.services.code.themes.forget``) without loading NLTK or scikit-learn;
``analysis.preprocess``
builds stop words, stems and features on it. Tokens in any script are kept (Bengali, Arabic,
Devanagari...): letters and the combining marks that belong to them stay together.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache

# Survey shorthand and contractions, applied to lower-cased text before tokenising.
_REPLACEMENTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bn\s*/\s*a\b|\bn\.a\.?(?=\s|$)"), " not applicable "),
    (re.compile(r"\b(?:idk|dunno)\b"), " don't know "),
    (re.compile(r"\bcan[’']t\b"), "can not"),
    (re.compile(r"\bwon[’']t\b"), "will not"),
    (re.compile(r"n[’']t\b"), " not"),
    (re.compile(r"[’']"), "'"),
    (re.compile(r"\[(email|phone|postcode|address|name)\]"), " "),
)


def _mark_class() -> str:
    """A regex character class of the combining marks in the Basic Multilingual Plane."""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x300, 0x10000):
        if unicodedata.category(chr(cp)).startswith("M"):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


@cache
def _token_re() -> re.Pattern[str]:
    """A word: a letter or digit in any script, then letters, digits and their combining marks,
    optionally an apostrophe part. A mark never starts a word, so an emoji's variation selector
    (U+FE0F, a combining mark) is not a word of its own. Built on first use (about 20 ms)."""
    marks = _mark_class()
    return re.compile(rf"[^\W_](?:[^\W_]|[{marks}])*(?:'(?:[^\W_]|[{marks}])+)?")


def normalise(text: str) -> str:
    """Lower-cased text with Unicode NFKC, survey shorthand expanded and contractions split."""
    out = (
        text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).lower()
    )
    if any(c in out for c in "/.'’[") or "idk" in out or "dunno" in out:
        for pattern, repl in _REPLACEMENTS:
            out = pattern.sub(repl, out)
    return out


def tokenize(text: str) -> list[str]:
    """Surface tokens (lower case, any script) of ``text``, stop words included."""
    return [
        sys.intern(t.strip("'"))
        for t in _token_re().findall(normalise(text))
        if t.strip("'")
    ]
