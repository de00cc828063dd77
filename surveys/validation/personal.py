"""Validation of personal answers: an email address and a UK postal address (GOV.UK patterns)."""

from __future__ import annotations

import re

from surveys import answer_messages as m
from surveys.fields import ADDRESS_PARTS
from surveys.postcode import normalise_postcode
from surveys.types import Answer
from surveys.validation.base import Context, blank

EMAIL_LENGTH = 254
ADDRESS_LINE_LENGTH = 100
# One "@", something before it, a domain with a dot after it, no spaces (GOV.UK Notify's rule
# in spirit: anything stricter turns away real addresses).
_EMAIL = re.compile(r"^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$")


def is_email(text: str) -> bool:
    """Whether trimmed text looks like an email address (the rule the email question uses)."""
    return len(text) <= EMAIL_LENGTH and bool(_EMAIL.match(text)) and ".." not in text


def email(ctx: Context) -> Answer:
    """An email address as typed (trimmed): one @, a domain with a dot, at most 254 characters."""
    raw = ctx.value()
    if not raw:
        return blank(ctx, m.ENTER_NAMED, m.EMAIL_MISSING)
    if len(raw) > EMAIL_LENGTH:
        ctx.error(m.EMAIL_TOO_LONG)
        return None
    if not is_email(raw):
        ctx.error(m.EMAIL_INVALID)
        return None
    return raw


def uk_address(ctx: Context) -> Answer:
    """{"line1", "line2", "town", "county", "postcode"} (blank parts left out); line 1, town
    and a full UK postcode needed; the postcode normalised ("E1 6AN")."""
    parts = {part: ctx.value(part) for part in ADDRESS_PARTS}
    if not any(parts.values()):
        return blank(ctx, m.ENTER_NAMED, m.ADDRESS_MISSING, "line1")
    for part, value in parts.items():
        if len(value) > ADDRESS_LINE_LENGTH:
            ctx.error(m.ADDRESS_TOO_LONG, part)
            return None
    if not parts["line1"]:
        ctx.error(m.ADDRESS_LINE1, "line1")
    if not parts["town"]:
        ctx.error(m.ADDRESS_TOWN, "town")
    postcode = normalise_postcode(parts["postcode"]) if parts["postcode"] else None
    if not parts["postcode"]:
        ctx.error(m.ADDRESS_POSTCODE, "postcode")
    elif postcode is None:
        ctx.error(m.POSTCODE_INVALID, "postcode")
    if ctx.errors or postcode is None:
        return None
    return {part: value for part, value in {**parts, "postcode": postcode}.items() if value}
