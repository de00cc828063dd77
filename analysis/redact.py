"""Redaction of personal details in free text before anything else reads it.

Finds e-mail addresses, UK phone numbers, postcodes, street addresses and names that follow
a cue ("my name is", "I'm called", "this is ... speaking", "Mrs ...") and replaces each with a
typed placeholder such as ``[EMAIL]``. Rule based, so it is fast, offline and explainable; the
web app uses the same function to suggest edits when moderating Ask the Mayor questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

EMAIL = "EMAIL"
PHONE = "PHONE"
POSTCODE = "POSTCODE"
ADDRESS = "ADDRESS"
NAME = "NAME"
KINDS: tuple[str, ...] = (EMAIL, PHONE, POSTCODE, ADDRESS, NAME)

# Higher wins when two findings overlap.
_PRIORITY = {EMAIL: 5, PHONE: 4, ADDRESS: 3, POSTCODE: 2, NAME: 1}

_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+%-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b"
    r"|(?<!\w)[a-z0-9._-]+\s+(?:at|\[at\]|\(at\))\s+[a-z0-9-]+(?:\s+dot\s+[a-z0-9-]+)*"
    r"\s+dot\s+(?:com|org|net|gov|ac|co|uk|nhs)(?:\s+dot\s+uk)?\b",
    re.IGNORECASE,
)

# +44 / 0044 / 0 followed by 9 or 10 more digits, spaces, dashes, dots or brackets between.
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s.\-)]{0,2}\d){8,9}(?!\d)"
)

_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE_RE = re.compile(
    r"\b(?:[A-PR-UWYZ][A-HK-Y]?[0-9][A-HJKPSTUW0-9]?\s?" + _INWARD + r"|GIR\s?0AA)\b",
    re.IGNORECASE,
)

_STREET_TYPES = (
    "road|rd|street|st|lane|ln|avenue|ave|close|cl|way|drive|dr|court|ct|place|pl|gardens|gdns"
    "|terrace|terr|crescent|cres|grove|gr|square|sq|hill|walk|row|mews|rise|green|parade|estate"
    "|house|tower|towers|building|buildings|yard|wharf|gate|mansions|passage|path|quay|park"
    "|vale|view|wood|market|hall|court|heights|lodge|villas|cottages|approach|circus|broadway"
)
_ADDR_WORD = (
    r"(?!(?:the|a|an|on|in|at|of|my|our|your|to|for|and|or|is|are|was|by|near|with)\b)"
    r"[A-Za-z][A-Za-z'\-]*"
)
_ADDRESS_RE = re.compile(
    r"(?:\b(?:flat|apartment|apt|unit|room)\s+\d{1,4}[a-z]?,?\s+)?"
    r"\b\d{1,4}[a-z]?(?:\s?[-/]\s?\d{1,4}[a-z]?)?,?\s+"
    r"(?:" + _ADDR_WORD + r"\s+){1,3}(?:" + _STREET_TYPES + r")\b\.?"
    r"|\b(?:flat|apartment|apt|unit)\s+\d{1,4}[a-z]?\b,?(?:\s+"
    + _ADDR_WORD
    + r"){1,3}\s+"
    r"(?:house|court|tower|towers|building|mansions|lodge|point|heights|estate)\b"
    r"|(?<=\blive )(?:at|on|in)\s+(?:[A-Z][A-Za-z'\-]*\s+){1,3}(?:"
    + _STREET_TYPES
    + r")\b",
    re.IGNORECASE,
)

# Words that end a name, even when the text is written in lower case.
_NOT_NAME = frozenset(
    [
        "a",
        "about",
        "am",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "but",
        "by",
        "called",
        "calling",
        "can",
        "could",
        "do",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "here",
        "him",
        "his",
        "how",
        "i",
        "i'm",
        "im",
        "in",
        "is",
        "it",
        "its",
        "just",
        "like",
        "live",
        "lives",
        "living",
        "me",
        "my",
        "name",
        "need",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "please",
        "regarding",
        "resident",
        "she",
        "so",
        "speaking",
        "that",
        "the",
        "their",
        "there",
        "they",
        "this",
        "to",
        "want",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "writing",
        "you",
        "your",
        "yes",
        "thanks",
        "thank",
        "hi",
        "hello",
        "dear",
        "mayor",
        "council",
        "sir",
        "madam",
    ]
)
_NAME_TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'\-]*")
_NAME_CUES = re.compile(
    r"\b(?:my\s+name\s+is|my\s+name's|name's|i\s+am\s+called|i'm\s+called|im\s+called"
    r"|i\s+am\s+named|call\s+me|my\s+names\s+is|my\s+names|signed|yours\s+sincerely,?"
    r"|kind\s+regards,?|best\s+regards,?|regards,|many\s+thanks,?|thanks,|from,)\s*:?\s*",
    re.IGNORECASE,
)
_THIS_IS_RE = re.compile(
    r"\b(?:this\s+is|it's|it\s+is)\s+((?:[A-Za-z][A-Za-z'\-]*\s+){1,3})(?:speaking|calling|here)\b",
    re.IGNORECASE,
)
_HONORIFIC_RE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Cllr|Councillor)\.?\s+((?:[A-Z][A-Za-z'\-]+)(?:\s+[A-Z][A-Za-z'\-]+)?)"
)


@dataclass(frozen=True)
class Redaction:
    """One piece of personal data found: its kind and position in the original text."""

    kind: str
    start: int
    end: int
    original: str

    @property
    def placeholder(self) -> str:
        """The typed placeholder that replaces it, e.g. ``[EMAIL]``."""
        return f"[{self.kind}]"


@dataclass(frozen=True)
class RedactionResult:
    """Redacted text plus the spans (in the original text) that were replaced."""

    text: str
    spans: tuple[Redaction, ...]

    @property
    def changed(self) -> bool:
        """True when anything was redacted."""
        return bool(self.spans)

    def kinds(self) -> list[str]:
        """Kinds of personal data found, in order of appearance."""
        return [s.kind for s in self.spans]


def _names_after(text: str, pos: int) -> tuple[int, int] | None:
    """Span of a name of one to three words starting at ``pos``, or None."""
    tokens: list[tuple[int, int]] = []
    i = pos
    while len(tokens) < 3:
        m = _NAME_TOKEN.match(text, i)
        if m is None:
            break
        word = m.group(0)
        if word.lower().strip("'-") in _NOT_NAME:
            break
        if tokens and not word[0].isupper() and text[tokens[0][0]].isupper():
            break
        tokens.append((m.start(), m.end()))
        gap = re.match(r"[ \t]+", text[m.end() :])
        if gap is None:
            break
        i = m.end() + gap.end()
    if not tokens:
        return None
    return tokens[0][0], tokens[-1][1]


# Every finding needs one of these; most answers have none, so they skip the costly patterns.
_TRIGGER = re.compile(
    r"\d|@|\bdot\b|\bnames?\b|\bname's\b|\bcalled\b|\bcall me\b|\bspeaking\b|\bcalling\b"
    r"|\bhere\b|\b(?:mr|mrs|ms|miss|mx|dr|cllr|councillor)\b|\bregards\b|\bsincerely\b"
    r"|\bthanks,|\bsigned\b|\bfrom,|\blive\b|\bgir\b",
    re.IGNORECASE,
)


def find_personal_data(
    text: str, kinds: Iterable[str] | None = None
) -> list[Redaction]:
    """All non-overlapping findings in ``text``, sorted by position."""
    if not _TRIGGER.search(text):
        return []
    wanted = set(KINDS if kinds is None else kinds)
    found: list[Redaction] = []

    def add(kind: str, start: int, end: int) -> None:
        if kind in wanted and end > start:
            found.append(Redaction(kind, start, end, text[start:end]))

    for m in _EMAIL_RE.finditer(text):
        add(EMAIL, m.start(), m.end())
    for m in _PHONE_RE.finditer(text):
        add(PHONE, m.start(), m.end())
    for m in _POSTCODE_RE.finditer(text):
        add(POSTCODE, m.start(), m.end())
    for m in _ADDRESS_RE.finditer(text):
        add(ADDRESS, m.start(), m.end())
    for m in _NAME_CUES.finditer(text):
        span = _names_after(text, m.end())
        if span is not None:
            add(NAME, *span)
    for m in _THIS_IS_RE.finditer(text):
        span = _names_after(text, m.start(1))
        if span is not None:
            add(NAME, *span)
    for m in _HONORIFIC_RE.finditer(text):
        add(NAME, m.start(1), m.end(1))

    # Keep the best of overlapping findings: higher priority, then longer, then earlier.
    found.sort(key=lambda r: (-_PRIORITY[r.kind], -(r.end - r.start), r.start))
    kept: list[Redaction] = []
    for r in found:
        if all(r.end <= k.start or r.start >= k.end for k in kept):
            kept.append(r)
    kept.sort(key=lambda r: r.start)
    return kept


def redact(text: str, kinds: Iterable[str] | None = None) -> RedactionResult:
    """Replace personal data in ``text`` with typed placeholders such as ``[PHONE]``."""
    spans = find_personal_data(text, kinds)
    parts: list[str] = []
    last = 0
    for r in spans:
        parts.append(text[last : r.start])
        parts.append(r.placeholder)
        last = r.end
    parts.append(text[last:])
    return RedactionResult("".join(parts), tuple(spans))


def redact_many(texts: Iterable[str]) -> list[str]:
    """Redacted versions of many texts (placeholders only, spans dropped)."""
    return [redact(t).text for t in texts]
