"""References: format, alphabet and tidying what residents type."""

from __future__ import annotations

import pytest

from engage.services.references import ALPHABET, PATTERN, new_reference, normalise_reference


def test_new_references_match_the_format() -> None:
    refs = {new_reference() for _ in range(2000)}
    assert len(refs) == 2000
    for ref in refs:
        assert PATTERN.match(ref)
        assert not set(ref.replace("-", "")) & set("01OIL")


@pytest.mark.parametrize("typed, expected", [
    ("K7M3-9QPX", "K7M3-9QPX"),
    ("k7m3 9qpx", "K7M3-9QPX"),
    (" k7m39qpx ", "K7M3-9QPX"),
    ("K7M3–9QPX", "K7M3-9QPX"),
    ("K7M3-9QP", None),
    ("K7M0-9QPX", None),
    ("", None),
    ("<script>", None),
])
def test_normalise_reference(typed: str, expected: str | None) -> None:
    assert normalise_reference(typed) == expected


def test_alphabet_has_no_lookalikes() -> None:
    assert len(ALPHABET) == 31
