"""Digits in the resident's script: shown in the language's own digits, read in any digits.

Bengali pages show Bengali digits (১২ মার্চ ২০২৫); a resident may type ১২ or 12 wherever a
number is asked. This module is the one table of digits per language: the web layer's number
and date formatting (engage/formatting.py) uses it too, and checks it against Babel's locale data
(the default numbering system of `bn` in CLDR is `beng`).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

_NATIVE_DIGITS = {
    "bn": "০১২৩৪৫৬৭৮৯",
}
"""Languages whose pages show their own digits rather than 0 to 9."""

_TABLES = {
    language: str.maketrans("0123456789", digits) for language, digits in _NATIVE_DIGITS.items()
}
_ANY_DIGIT = re.compile(r"\d")


def localise_digits(text: str, language: str) -> str:
    """`text` with 0 to 9 written in the language's own digits (unchanged for English)."""
    table = _TABLES.get(language)
    return text.translate(table) if table else text


def ascii_digits(text: str) -> str:
    """`text` with every decimal digit of any script (০ to ৯, ٠ to ٩, ０ to ９...) as 0 to 9."""
    if text.isascii():
        return text
    return _ANY_DIGIT.sub(lambda match: str(unicodedata.decimal(match.group())), text)


def format_number(value: float, language: str = "en") -> str:
    """A number as a resident would write it: 10 rather than 10.0, in the language's digits."""
    if float(value).is_integer():
        text = str(int(value))
    else:
        text = format(Decimal(repr(float(value))), "f")
    return localise_digits(text, language)
