"""One handler per question type in each of the engine's per-type maps: a type added to
`surveys.types.QUESTION_TYPES` without a handler in one of them fails here, not on a page."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from surveys import display, fields, validation
from surveys import types as t

_MAPS: dict[str, Mapping[str, object]] = {
    "validation.VALIDATORS": validation.VALIDATORS,
    "fields.FIELD_NAMES": fields.FIELD_NAMES,
    "display.FORM_DATA": display.FORM_DATA,
    "display.ANSWER_TEXT": display.ANSWER_TEXT,
}


@pytest.mark.parametrize("name", sorted(_MAPS))
def test_every_question_type_has_exactly_one_handler(name: str) -> None:
    handlers = _MAPS[name]
    missing = set(t.QUESTION_TYPES) - set(handlers)
    unknown = set(handlers) - set(t.QUESTION_TYPES)
    assert not missing, f"{name} has no handler for {sorted(missing)}"
    assert not unknown, f"{name} names types the engine does not know: {sorted(unknown)}"
    assert all(callable(handler) for handler in handlers.values())
