"""UK postcodes: validation and normalisation to the "E1 6AN" form."""

from __future__ import annotations

import re

# The outward code (A9, A99, AA9, AA99, A9A or AA9A) and the inward code (9AA). The redactor
# (analysis/redact.py, which may not import this package) spells out the same grammar to find
# postcodes in free text; tests/analysis/test_postcode_grammar.py checks that they agree.
_POSTCODE = re.compile(
    r"^(?:GIR0AA|"
    r"(?:[A-PR-UWYZ][0-9]{1,2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(value: str) -> str | None:
    """Return the postcode in capitals with one space before the last three characters, or None.

    Accepts any case and spacing ("e16an", " E1  6AN "); rejects partial postcodes ("E1").
    """
    compact = "".join(value.split()).upper()
    if len(compact) > 8 or not _POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"

