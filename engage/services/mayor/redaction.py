"""Suggested redactions of personal data in a question (a stop-gap until analysis.redaction)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("phone", re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(?0)\d(?:[\s-]?\d){8,9}(?!\d)")),
    ("postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)),
    ("name", re.compile(
        r"(?i:my name is|my name's|my name’s|i am called|i'm called|call me|i am mr|i am mrs"
        r"|i am ms|i am miss|i am dr)\.?\s+((?:[A-Z][a-z'’-]+)(?:\s+[A-Z][a-z'’-]+){0,2})")),
)
PLACEHOLDERS = {"email": "[email removed]", "phone": "[phone number removed]",
                "postcode": "[postcode removed]", "name": "[name removed]"}


@dataclass(frozen=True)
class Redaction:
    """One suggested redaction: what kind of data, where, and the text found."""

    kind: str
    start: int
    end: int
    found: str


def suggest(text: str) -> list[Redaction]:
    """Find emails, UK phone numbers, postcodes and names after "my name is" and similar."""
    found: list[Redaction] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            group = 1 if kind == "name" else 0
            start, end = match.span(group)
            if any(r.start < end and start < r.end for r in found):
                continue
            found.append(Redaction(kind, start, end, text[start:end]))
    return sorted(found, key=lambda r: r.start)


def redact(text: str) -> str:
    """The text with every suggested redaction replaced by a placeholder."""
    out = text
    for item in reversed(suggest(text)):
        out = out[:item.start] + PLACEHOLDERS[item.kind] + out[item.end:]
    return out
