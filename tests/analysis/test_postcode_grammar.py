"""One UK postcode grammar (issue 20): what a resident may type as a postcode
(surveys.normalise_postcode) and what the redactor finds in free text (analysis.redact) agree
on every outward code, so no postcode a survey accepts escapes redaction. The two packages may
not import each other, so each spells the grammar out and this test holds them together."""

from __future__ import annotations

import string
from itertools import product

import pytest

from analysis.redact import POSTCODE, find_personal_data, redact
from surveys import normalise_postcode

LETTERS, DIGITS = string.ascii_uppercase, string.digits
# Every outward code of each shape the grammar has, and shapes it does not have.
SHAPES = ("L9", "L99", "LL9", "LL99", "L9L", "LL9L", "9L", "LLL9", "L9L9")


def _outward_codes() -> list[str]:
    """Each shape with every character in each position in turn (the grammar's character
    classes are per position, so this meets every class of both patterns)."""
    codes: list[str] = []
    for shape in SHAPES:
        pools = [LETTERS if c == "L" else DIGITS for c in shape]
        base = ["E" if c == "L" else "1" for c in shape]  # E, EC1, EC1A... are valid
        for i, pool in enumerate(pools):
            codes += ["".join([*base[:i], char, *base[i + 1:]]) for char in pool]
        for second in LETTERS if shape.startswith("LL") else ():
            codes += [f"E{second}{shape[2:].replace('L', last).replace('9', '1')}"
                      for last in LETTERS]
    return codes


def _redacted(postcode: str) -> bool:
    found = find_personal_data(f"Near {postcode} please", kinds=[POSTCODE])
    return [f.original for f in found] == [postcode]


def test_the_redactor_and_the_validator_agree_on_every_outward_code() -> None:
    disagree = [code for code in _outward_codes()
                if (normalise_postcode(f"{code} 1AA") is not None)
                != _redacted(f"{code} 1AA")]
    assert disagree == []


@pytest.mark.parametrize("postcode", ["EC1V 9HX", "SW1X 7LY", "EC2M 7PY", "W1T 1AA",
                                      "E1W 1AA", "E1 6AN", "DN55 1PT", "GIR 0AA"])
def test_real_postcodes_of_every_shape_are_redacted(postcode: str) -> None:
    assert normalise_postcode(postcode) == postcode
    assert redact(f"I live at {postcode.lower()} thanks").text == "I live at [POSTCODE] thanks"


def test_inward_codes_agree_too() -> None:
    for inward in ("".join(c) for c in product(DIGITS[:2], LETTERS, LETTERS)):  # 1,352
        assert (normalise_postcode(f"E1 {inward}") is not None) == _redacted(f"E1 {inward}")
