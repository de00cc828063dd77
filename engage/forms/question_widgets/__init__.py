"""One widget handler per question type: how a question of that type is shown.

A handler builds the GOV.UK component parameters of its question's field(s) from the page view,
filled in with what was submitted (`view.one(field)`, so a page sent back with errors keeps
what was typed) and carrying the field's error (`view.error(field)`). Reading and checking what
is submitted is the engine's, through its own handler per type (`surveys.validate_page`), and
pre-filling from saved answers is `surveys.to_form_data`. `WIDGETS` names every type of
`surveys.types.QUESTION_TYPES`; tests/engage/test_question_widgets.py fails on a type without one.

Radios, checkboxes, inputs, a date input, a character count, one select per option for rankings
and one fieldset per statement for grids, so every type works on a 320 px phone and without
JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import surveys
from engage.forms.question_widgets import choice, inputs, personal
from surveys import types as qt

if TYPE_CHECKING:
    from engage.forms.survey_page import PageView

Widget = Callable[["PageView", surveys.Question, str], dict[str, Any]]
"""A question type's handler: (page view, question, its field name) → what the template shows."""

WIDGETS: Mapping[str, Widget] = {
    qt.SINGLE_CHOICE: choice.single_choice,
    qt.AGREEMENT: choice.radios,
    qt.RATING: choice.rating,
    qt.MULTIPLE_CHOICE: choice.multiple_choice,
    qt.NUMBER: inputs.number,
    qt.SHORT_TEXT: inputs.short_text,
    qt.EMAIL: personal.email,
    qt.UK_ADDRESS: personal.uk_address,
    qt.LONG_TEXT: inputs.long_text,
    qt.DATE: inputs.date,
    qt.RANKING: choice.ranking,
    qt.GRID: choice.grid,
    qt.WARD_POSTCODE: inputs.ward_postcode,
}
"""The widget of each question type (every type of `surveys.types.QUESTION_TYPES`)."""
