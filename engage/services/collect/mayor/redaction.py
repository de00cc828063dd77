"""Suggested redactions of personal data in a question, from the analysis package's redactor
(emails, UK phone numbers, postcodes, street addresses, names after "my name is" and similar),
with the wording moderators and residents see."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.redact import find_personal_data

PLACEHOLDERS = {"email": "[email removed]", "phone": "[phone number removed]",
                "postcode": "[postcode removed]", "address": "[address removed]",
                "name": "[name removed]"}


@dataclass(frozen=True)
class Redaction:
    """One suggested redaction: what kind of data, where, and the text found."""

    kind: str
    start: int
    end: int
    found: str


def suggest(text: str) -> list[Redaction]:
    """Every piece of personal data found in the text, in order."""
    return [Redaction(item.kind.lower(), item.start, item.end, item.original)
            for item in find_personal_data(text)]


def redact(text: str) -> str:
    """The text with every suggested redaction replaced by a placeholder."""
    out = text
    for item in reversed(suggest(text)):
        out = out[:item.start] + PLACEHOLDERS[item.kind] + out[item.end:]
    return out
