"""WTForms on GOV.UK Design System widgets."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import LazyString
from wtforms.fields.choices import SelectChoice


def options(pairs: Iterable[tuple[str, Any]]) -> list[SelectChoice]:
    """A field's choices from (value, label) pairs, in the form WTForms 3.3 asks for (it warns
    on bare tuples, and 3.4 will refuse them)."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value: object) -> object:
    """A field filter: text without the spaces around it (what a person typed by mistake)."""
    return value.strip() if isinstance(value, str) else value


def fill(message: Any, **params: Any) -> LazyString:
    """A message of engage.forms.messages with its placeholders filled in, translated when it
    is shown (for a validator's message, like ``fill(BATCH_TOO_LONG, limit=64)``)."""
    return LazyString(lambda: str(message) % params)
