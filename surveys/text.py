"""Per-language text: a mapping of language code to text, with fallback to the main language."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

Text = Mapping[str, str]
"""Survey content in several languages, e.g. {"en": "Bow East", "bn": "বো ইস্ট"}."""


class FrozenText(Mapping[str, str]):
    """An immutable, hashable language → text mapping (so model objects can be dict keys)."""

    __slots__ = ("_data",)

    def __init__(self, values: Mapping[str, str]) -> None:
        self._data = dict(values)

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenText({self._data!r})"


EMPTY_TEXT: Text = FrozenText({})


def make_text(values: Mapping[str, str]) -> Text:
    """Return an immutable, hashable copy of a language → text mapping."""
    return FrozenText(values)


def localise(text: Text | None, language: str, fallback: str) -> str:
    """Return the text in `language`, else in `fallback` (the main language), else ""."""
    if not text:
        return ""
    value = text.get(language)
    if value:
        return value
    return text.get(fallback, "") or ""
