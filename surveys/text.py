"""Per-language text: a mapping of language code to text, with fallback to the main language."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

Text = Mapping[str, str]
"""Survey content in several languages, e.g. {"en": "Bow East", "bn": "বো ইস্ট"}."""

EMPTY_TEXT: Text = MappingProxyType({})


def make_text(values: Mapping[str, str]) -> Text:
    """Return an immutable copy of a language → text mapping."""
    return MappingProxyType(dict(values))


def localise(text: Text | None, language: str, fallback: str) -> str:
    """Return the text in `language`, else in `fallback` (the main language), else ""."""
    if not text:
        return ""
    value = text.get(language)
    if value:
        return value
    return text.get(fallback, "") or ""
