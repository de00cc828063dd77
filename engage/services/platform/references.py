"""References residents quote back to us: two groups of four unambiguous characters (K7M3-9QPX).

Every reference is made by `new_reference`, and every write that stores new references goes
through `with_new_references`, which tries again with fresh ones when a unique constraint
refuses a clash (issue 20: survey receipts online, by interview and on paper, imported
responses, and Ask the Mayor questions)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from engage.extensions import db

T = TypeVar("T")

# No 0/O, 1/I/L: easy to read aloud and to type from a phone screen or a letter.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PATTERN = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")
TRIES = 5


class NoFreeReference(RuntimeError):
    """Every try clashed: with 31⁸ (about 8.5 × 10¹¹) references, a fault rather than bad luck."""


def new_reference() -> str:
    """A random reference like K7M3-9QPX (about 40 bits; unique constraints catch collisions)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def with_new_references(write: Callable[[], T], *, tries: int = TRIES,
                        clash: Callable[[IntegrityError], None] | None = None) -> T:
    """Run `write`, which stores what it makes with `new_reference` (and flushes or commits),
    until no unique constraint refuses it; return what it returns.

    After a refusal the session is rolled back and `write` runs again from the start, so it
    must make its references (and its rows) afresh each time. `clash` sees each refusal first
    and may raise when the constraint that refused was not a reference's (a duplicate paper
    sheet, say). Raises NoFreeReference after `tries` refusals."""
    last: IntegrityError | None = None
    for _attempt in range(tries):
        try:
            return write()
        except IntegrityError as exc:
            db.session.rollback()
            if clash is not None:
                clash(exc)
            last = exc
    raise NoFreeReference(f"no free reference in {tries} tries") from last


def normalise_reference(text: str) -> str | None:
    """Tidy what a resident typed (spaces, lower case, a missing dash) or None if invalid."""
    cleaned = re.sub(r"[\s\-–—_.]", "", text or "").upper()
    if len(cleaned) != 8:
        return None
    candidate = f"{cleaned[:4]}-{cleaned[4:]}"
    return candidate if PATTERN.match(candidate) else None
