"""References residents quote back to us: two groups of four unambiguous characters (K7M3-9QPX)."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L: easy to read aloud and to type from a phone screen or a letter.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PATTERN = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def new_reference() -> str:
    """A random reference like K7M3-9QPX (about 40 bits; unique constraints catch collisions)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def normalise_reference(text: str) -> str | None:
    """Tidy what a resident typed (spaces, lower case, a missing dash) or None if invalid."""
    cleaned = re.sub(r"[\s\-–—_.]", "", text or "").upper()
    if len(cleaned) != 8:
        return None
    candidate = f"{cleaned[:4]}-{cleaned[4:]}"
    return candidate if PATTERN.match(candidate) else None
